# Squashed: the whole history of this app up to the migration it is named after.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('activities', '0001_initial'), ('activities', '0002_revisions'), ('activities', '0003_initiative_keys'), ('activities', '0004_link_keys')]

    initial = True

    dependencies = [
        ('accounts', '0001_squashed_0005_initial'),
        ('agenda', '0001_squashed_0003_initial'),
        ('initiatives', '0001_squashed_0007_initial'),
        ('measurement', '0001_squashed_0008_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Activity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(default=0, editable=False)),
                ('revised_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('uuid', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('name', models.CharField(max_length=200, verbose_name='What')),
                ('description', models.TextField(blank=True)),
                ('place_text', models.CharField(blank=True, help_text='Where, in words, when there are no places.', max_length=200, verbose_name='Where')),
                ('starts_on', models.DateField(verbose_name='Starts')),
                ('ends_on', models.DateField(blank=True, null=True, verbose_name='Ends')),
                ('status', models.CharField(choices=[('planned', 'Planned'), ('active', 'Active'), ('paused', 'Paused'), ('done', 'Done')], default='planned', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='initiatives.initiative')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='initiatives.partner')),
                ('revised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'activities',
                'ordering': ['name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ActivityDependency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('to_activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
            ],
            options={
                'db_table': 'activities_activity_depends_on',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'from_activity', 'to_activity'), name='activity_dependency_once')],
            },
        ),
        migrations.AddField(
            model_name='activity',
            name='depends_on',
            field=models.ManyToManyField(blank=True, related_name='needed_by', through='activities.ActivityDependency', through_fields=('from_activity', 'to_activity'), to='activities.activity'),
        ),
        migrations.CreateModel(
            name='ActivityGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.group')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
            ],
            options={
                'db_table': 'activities_activity_groups',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'activity', 'group'), name='activity_group_once')],
            },
        ),
        migrations.AddField(
            model_name='activity',
            name='groups',
            field=models.ManyToManyField(blank=True, related_name='serving_activities', through='activities.ActivityGroup', to='measurement.group', verbose_name='population groups'),
        ),
        migrations.CreateModel(
            name='ActivityIndicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.indicator')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
            ],
            options={
                'db_table': 'activities_activity_indicators',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'activity', 'indicator'), name='activity_indicator_once')],
            },
        ),
        migrations.AddField(
            model_name='activity',
            name='indicators',
            field=models.ManyToManyField(blank=True, related_name='activities', through='activities.ActivityIndicator', to='measurement.indicator'),
        ),
        migrations.CreateModel(
            name='ActivityPlace',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.group')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
            ],
            options={
                'db_table': 'activities_activity_places',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'activity', 'group'), name='activity_place_once')],
            },
        ),
        migrations.AddField(
            model_name='activity',
            name='places',
            field=models.ManyToManyField(blank=True, related_name='placed_activities', through='activities.ActivityPlace', to='measurement.group'),
        ),
        migrations.CreateModel(
            name='ActivityStrategy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
                ('strategy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='agenda.strategy')),
            ],
            options={
                'db_table': 'activities_activity_strategies',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'activity', 'strategy'), name='activity_strategy_once')],
            },
        ),
        migrations.AddField(
            model_name='activity',
            name='strategies',
            field=models.ManyToManyField(related_name='activities', through='activities.ActivityStrategy', to='agenda.strategy'),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.UniqueConstraint(fields=('initiative', 'uuid'), name='activities_activity_uuid_in_initiative'),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='activity_ends_after_start'),
        ),
    ]
