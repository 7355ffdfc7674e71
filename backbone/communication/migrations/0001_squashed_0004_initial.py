# Squashed: the whole history of this app up to the migration it is named after.

import backbone.communication.models
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('communication', '0001_initial'), ('communication', '0002_revisions'), ('communication', '0003_initiative_keys'), ('communication', '0004_link_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('agenda', '0001_squashed_0003_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Meeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('title', models.CharField(max_length=200)),
                ('starts_at', models.DateTimeField()),
                ('ends_at', models.DateTimeField()),
                ('time_zone', models.CharField(help_text='IANA name, e.g. America/Chicago.', max_length=64, validators=[backbone.communication.models.validate_time_zone])),
                ('place', models.CharField(blank=True, help_text='An address or a link.', max_length=300)),
                ('agenda', models.TextField(blank=True)),
                ('minutes', models.TextField(blank=True)),
                ('is_private', models.BooleanField(default=False, help_text="Seen only by the group's members and the backbone.")),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-starts_at'],
            },
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField()),
                ('decided_on', models.DateField()),
                ('decided_by', models.CharField(help_text='Who decided, e.g. “the group, by consensus”.', max_length=200)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='communication.meeting')),
            ],
            options={
                'ordering': ['-decided_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='MeetingAttendee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='communication.meeting')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'communication_meeting_attendees',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'meeting', 'person'), name='meeting_attendee_once')],
            },
        ),
        migrations.AddField(
            model_name='meeting',
            name='attendees',
            field=models.ManyToManyField(blank=True, related_name='meetings_attended', through='communication.MeetingAttendee', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='WorkingGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('name', models.CharField(max_length=200)),
                ('purpose', models.TextField(blank=True)),
                ('is_private', models.BooleanField(default=False, help_text='A private group is seen only by its members and the backbone; an open one by every member of the initiative.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='working_groups', to='initiatives.initiative')),
                ('lead', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='groups_led', to=settings.AUTH_USER_MODEL)),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('strategy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='working_groups', to='agenda.strategy')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='meeting',
            name='group',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='communication.workinggroup'),
        ),
        migrations.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('token_hash', models.CharField(db_index=True, max_length=64)),
                ('prefix', models.CharField(max_length=8)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feeds', to=settings.AUTH_USER_MODEL)),
                ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='feeds', to='communication.workinggroup')),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='communication_calendarfeed_uuid_in_initiative'), models.UniqueConstraint(fields=('initiative', 'token_hash'), name='communication_calendarfeed_token_hash_in_initiative')],
            },
        ),
        migrations.CreateModel(
            name='WorkingGroupMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('workinggroup', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='communication.workinggroup')),
            ],
            options={
                'db_table': 'communication_workinggroup_members',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'workinggroup', 'person'), name='working_group_member_once')],
            },
        ),
        migrations.AddField(
            model_name='workinggroup',
            name='members',
            field=models.ManyToManyField(blank=True, related_name='working_groups', through='communication.WorkingGroupMember', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='ActionItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('text', models.TextField()),
                ('due_on', models.DateField(blank=True, null=True)),
                ('status', models.CharField(choices=[('open', 'Open'), ('done', 'Done')], default='open', max_length=5)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_items', to='communication.meeting')),
            ],
            options={
                'ordering': ['due_on', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='communication_actionitem_uuid_in_initiative')],
            },
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.UniqueConstraint(fields=('initiative', 'uuid'), name='communication_meeting_uuid_in_initiative'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='meeting_ends_after_it_starts'),
        ),
        migrations.AddConstraint(
            model_name='workinggroup',
            constraint=models.UniqueConstraint(fields=('initiative', 'uuid'), name='communication_workinggroup_uuid_in_initiative'),
        ),
        migrations.AddConstraint(
            model_name='workinggroup',
            constraint=models.UniqueConstraint(fields=('initiative', 'name'), name='working_group_name_once_per_initiative'),
        ),
    ]
