# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('assessments', '0001_initial'), ('assessments', '0002_initiative_keys'), ('assessments', '0003_revisions')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Questionnaire',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True)),
                ('name', models.CharField(max_length=200)),
                ('summary', models.TextField(blank=True)),
                ('version', models.CharField(blank=True, max_length=40)),
                ('assesses', models.CharField(help_text='Key of the framework section the questionnaire assesses.', max_length=60)),
                ('frameworks', models.JSONField(default=list, help_text='Slugs of the frameworks it fits.')),
                ('source_file', models.CharField(max_length=200)),
                ('data', models.JSONField(help_text='The validated content of the questionnaire file.')),
                ('loaded_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Round',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('questionnaire_data', models.JSONField(help_text='The questionnaire as it was when opened.')),
                ('title', models.CharField(max_length=200)),
                ('opens_on', models.DateField(verbose_name='Opens')),
                ('closes_on', models.DateField(help_text='The last day answers are taken.', verbose_name='Closes')),
                ('anonymous', models.BooleanField(default=True, help_text='Nobody, the backbone included, sees who gave which answer.')),
                ('results_shared', models.BooleanField(default=False, help_text='Partners, community members and funders may read the results once closed.', verbose_name='Results shared with members')),
                ('audience', models.CharField(blank=True, help_text='Who was asked, in words, as chosen when opened.', max_length=300)),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessment_rounds', to='initiatives.initiative')),
                ('questionnaire', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='assessments.questionnaire')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-opens_on', '-id'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='assessments_round_uuid_in_initiative'), models.CheckConstraint(condition=models.Q(('closes_on__gte', models.F('opens_on'))), name='assessment_round_closes_after_opening')],
            },
        ),
        migrations.CreateModel(
            name='Response',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('sector', models.CharField(blank=True, help_text='Sector of the partner answered for; empty if none.', max_length=30)),
                ('is_community_member', models.BooleanField(default=False)),
                ('answers', models.JSONField(help_text='Item key → answer, as checked against the round.')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('person', models.ForeignKey(blank=True, help_text='Only in a round that is not anonymous.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='assessments.round')),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='Respondent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('partner_steward', 'Partner steward'), ('partner_member', 'Partner member'), ('community_member', 'Community member')], help_text='The capacity the person was asked in.', max_length=20)),
                ('answered_at', models.DateTimeField(blank=True, null=True)),
                ('reminded_on', models.DateField(blank=True, null=True)),
                ('reminders', models.PositiveSmallIntegerField(default=0)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('organisation', models.ForeignKey(blank=True, help_text='The partner the person answers for; empty for community members.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='initiatives.organisation')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessment_invitations', to=settings.AUTH_USER_MODEL)),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='respondents', to='assessments.round')),
            ],
            options={
                'ordering': ['round', 'id'],
                'indexes': [models.Index(fields=['person', 'answered_at'], name='assessments_person__b21df2_idx')],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'round', 'person'), name='assessment_asked_once')],
            },
        ),
    ]
