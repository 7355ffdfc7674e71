# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('notifications', '0001_initial'), ('notifications', '0002_initiative_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('proposal_open', 'A proposal opens for my vote'), ('proposal_closing', 'A proposal I have not voted on closes within a day'), ('submission_returned', 'A report I submitted is returned'), ('submission_approved', 'A report I submitted is approved'), ('agenda_to_endorse', 'A new agenda version awaits my organisation'), ('action_assigned', 'An action item is assigned to me'), ('action_overdue', 'An action item of mine is overdue'), ('comment_reply', 'Someone comments after me on an update'), ('report_reminder', "My organisation's reports are due or late"), ('survey_reminder', 'A survey waits for my answer')], max_length=24)),
                ('key', models.CharField(max_length=120)),
                ('text', models.CharField(max_length=300)),
                ('url', models.CharField(help_text='Path of the page that deals with it.', max_length=300)),
                ('delivery', models.CharField(choices=[('immediately', 'E-mail me at once'), ('digest', 'In my digest'), ('never', 'Only in the app')], max_length=12)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('read_at', models.DateTimeField(blank=True, null=True)),
                ('emailed_at', models.DateTimeField(blank=True, null=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['person', 'read_at'], name='notification_unread'), models.Index(fields=['delivery', 'emailed_at'], name='notification_to_email'), models.Index(fields=['initiative', 'created_at'], name='notification_initiative')],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'person', 'key'), name='notification_once_per_key')],
            },
        ),
        migrations.CreateModel(
            name='Preference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('proposal_open', 'A proposal opens for my vote'), ('proposal_closing', 'A proposal I have not voted on closes within a day'), ('submission_returned', 'A report I submitted is returned'), ('submission_approved', 'A report I submitted is approved'), ('agenda_to_endorse', 'A new agenda version awaits my organisation'), ('action_assigned', 'An action item is assigned to me'), ('action_overdue', 'An action item of mine is overdue'), ('comment_reply', 'Someone comments after me on an update'), ('report_reminder', "My organisation's reports are due or late"), ('survey_reminder', 'A survey waits for my answer')], max_length=24)),
                ('delivery', models.CharField(choices=[('immediately', 'E-mail me at once'), ('digest', 'In my digest'), ('never', 'Only in the app')], max_length=12)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('person', 'kind'), name='one_preference_per_kind')],
            },
        ),
    ]
