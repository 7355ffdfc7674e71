# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('network', '0001_initial'), ('network', '0002_revisions'), ('network', '0003_initiative_keys'), ('network', '0004_answer_revisions')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Wave',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('name', models.CharField(max_length=120)),
                ('opens_on', models.DateField(verbose_name='Opens')),
                ('closes_on', models.DateField(help_text='The last day answers are taken.', verbose_name='Closes')),
                ('version', models.PositiveIntegerField(default=0, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='network_waves', to='initiatives.initiative')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-opens_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Answer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('main_contribution', models.CharField(blank=True, choices=[('funding', 'Funding'), ('in_kind', 'In-kind resources'), ('staff', 'Paid staff'), ('volunteers', 'Volunteers'), ('data', 'Data'), ('expertise', 'Expertise'), ('community_connections', 'Community connections'), ('facilitation', 'Facilitation'), ('advocacy', 'Advocacy'), ('other', 'Other')], max_length=30, verbose_name='Most important contribution')),
                ('other_contribution', models.CharField(blank=True, help_text='When “Other” is ticked.', max_length=200, verbose_name='Other contribution')),
                ('answered_at', models.DateTimeField()),
                ('first_answered_at', models.DateTimeField()),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='network_answers', to='initiatives.partner')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('wave', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='network.wave')),
            ],
            options={
                'ordering': ['wave', 'partner__organisation__name'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'uuid'), name='network_answer_uuid_in_initiative'), models.UniqueConstraint(fields=('initiative', 'wave', 'partner'), name='network_answer_once_per_wave')],
            },
        ),
        migrations.CreateModel(
            name='WavePartner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.partner')),
                ('wave', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='network.wave')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('initiative', 'wave', 'partner'), name='network_partner_once_per_wave')],
            },
        ),
        migrations.AddField(
            model_name='wave',
            name='partners',
            field=models.ManyToManyField(related_name='network_waves', through='network.WavePartner', to='initiatives.partner'),
        ),
        migrations.CreateModel(
            name='AnswerContribution',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('funding', 'Funding'), ('in_kind', 'In-kind resources'), ('staff', 'Paid staff'), ('volunteers', 'Volunteers'), ('data', 'Data'), ('expertise', 'Expertise'), ('community_connections', 'Community connections'), ('facilitation', 'Facilitation'), ('advocacy', 'Advocacy'), ('other', 'Other')], max_length=30)),
                ('answer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contributions', to='network.answer')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
            ],
            options={
                'ordering': ['answer', 'kind'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'answer', 'kind'), name='network_contribution_once')],
            },
        ),
        migrations.CreateModel(
            name='Rating',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.PositiveSmallIntegerField(choices=[(0, 'None'), (1, 'Awareness'), (2, 'Cooperation'), (3, 'Coordination'), (4, 'Collaboration')], verbose_name='Level of collaboration')),
                ('reliable', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Reliable')),
                ('supports_mission', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Supports the mission')),
                ('open_to_discussion', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Open to discussion')),
                ('power', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Power and influence')),
                ('involvement', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Level of involvement')),
                ('resources', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Resources contributed')),
                ('answer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='network.answer')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('rated', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.partner')),
                ('rater', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.partner')),
                ('wave', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='network.wave')),
            ],
            options={
                'indexes': [models.Index(fields=['wave', 'level'], name='network_rating_wave_level')],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'answer', 'rated'), name='network_rating_once'), models.CheckConstraint(condition=models.Q(('rater', models.F('rated')), _negated=True), name='network_not_self'), models.CheckConstraint(condition=models.Q(('level__lte', 4)), name='network_level_0_to_4'), models.CheckConstraint(condition=models.Q(models.Q(('involvement__isnull', True), ('level', 0), ('open_to_discussion__isnull', True), ('power__isnull', True), ('reliable__isnull', True), ('resources__isnull', True), ('supports_mission__isnull', True)), models.Q(('involvement__gte', 1), ('involvement__lte', 4), ('level__gt', 0), ('open_to_discussion__gte', 1), ('open_to_discussion__lte', 4), ('power__gte', 1), ('power__lte', 4), ('reliable__gte', 1), ('reliable__lte', 4), ('resources__gte', 1), ('resources__lte', 4), ('supports_mission__gte', 1), ('supports_mission__lte', 4)), _connector='OR'), name='network_scores_1_to_4_above_none')],
            },
        ),
        migrations.AddConstraint(
            model_name='wave',
            constraint=models.UniqueConstraint(fields=('initiative', 'uuid'), name='network_wave_uuid_in_initiative'),
        ),
        migrations.AddConstraint(
            model_name='wave',
            constraint=models.UniqueConstraint(fields=('initiative', 'name'), name='network_wave_name_once_per_initiative'),
        ),
        migrations.AddConstraint(
            model_name='wave',
            constraint=models.CheckConstraint(condition=models.Q(('closes_on__gte', models.F('opens_on'))), name='network_wave_closes_after_it_opens'),
        ),
    ]
