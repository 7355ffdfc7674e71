"""Link tables of activities with the initiative key (backbone.links).

Each field is given a `through` model over the table Django made for it, same table and
columns, so no row is copied: the state takes the model as the table stands, then the table
takes a nullable `initiative_id`, filled from the row each link is made from in one UPDATE,
made NOT NULL, and its unique pair becomes a unique triple led by the initiative.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

#: Each link model, the model of the row it is made from, and its key to that row.
LINKS = [
    ("ActivityStrategy", "Activity", "activity"),
    ("ActivityPlace", "Activity", "activity"),
    ("ActivityGroup", "Activity", "activity"),
    ("ActivityIndicator", "Activity", "activity"),
    ("ActivityDependency", "Activity", "from_activity"),
]


def _checks_now(schema_editor):
    """The UPDATE leaves PostgreSQL's deferred foreign key checks pending, and it refuses to
    alter a table that has some: run them now, before the column becomes NOT NULL."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def fill_initiative(apps, schema_editor):
    """Each link takes the initiative of the row it is made from: one UPDATE per table."""
    for link, owner, key in LINKS:
        Link = apps.get_model("activities", link)
        Owner = apps.get_model("activities", owner)
        rows = Owner.objects.filter(pk=OuterRef(f"{key}_id"))
        Link.objects.filter(initiative__isnull=True).update(
            initiative_id=Subquery(rows.values("initiative_id")[:1])
        )
    _checks_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0003_initiative_keys'),
        ('agenda', '0003_initiative_keys'),
        ('initiatives', '0007_revisions'),
        ('measurement', '0007_revisions'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ActivityStrategy',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                        ('strategy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='agenda.strategy')),
                    ],
                    options={
                        'db_table': 'activities_activity_strategies',
                        'unique_together': {('activity', 'strategy')},
                    },
                ),
                migrations.AlterField(
                    model_name='activity',
                    name='strategies',
                    field=models.ManyToManyField(related_name='activities', through='activities.ActivityStrategy', to='agenda.strategy'),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ActivityPlace',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.group')),
                    ],
                    options={
                        'db_table': 'activities_activity_places',
                        'unique_together': {('activity', 'group')},
                    },
                ),
                migrations.AlterField(
                    model_name='activity',
                    name='places',
                    field=models.ManyToManyField(blank=True, related_name='placed_activities', through='activities.ActivityPlace', to='measurement.group'),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ActivityGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.group')),
                    ],
                    options={
                        'db_table': 'activities_activity_groups',
                        'unique_together': {('activity', 'group')},
                    },
                ),
                migrations.AlterField(
                    model_name='activity',
                    name='groups',
                    field=models.ManyToManyField(blank=True, related_name='serving_activities', through='activities.ActivityGroup', to='measurement.group', verbose_name='population groups'),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ActivityIndicator',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                        ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.indicator')),
                    ],
                    options={
                        'db_table': 'activities_activity_indicators',
                        'unique_together': {('activity', 'indicator')},
                    },
                ),
                migrations.AlterField(
                    model_name='activity',
                    name='indicators',
                    field=models.ManyToManyField(blank=True, related_name='activities', through='activities.ActivityIndicator', to='measurement.indicator'),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ActivityDependency',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('from_activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                        ('to_activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                    ],
                    options={
                        'db_table': 'activities_activity_depends_on',
                        'unique_together': {('from_activity', 'to_activity')},
                    },
                ),
                migrations.AlterField(
                    model_name='activity',
                    name='depends_on',
                    field=models.ManyToManyField(blank=True, related_name='needed_by', through='activities.ActivityDependency', through_fields=('from_activity', 'to_activity'), to='activities.activity'),
                ),
            ],
        ),
        migrations.AddField(
            model_name='activitystrategy',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='activityplace',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='activitygroup',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='activityindicator',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='activitydependency',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.RunPython(fill_initiative, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='activitystrategy',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterField(
            model_name='activityplace',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterField(
            model_name='activitygroup',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterField(
            model_name='activityindicator',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterField(
            model_name='activitydependency',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterUniqueTogether(
            name='activitystrategy',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='activitystrategy',
            constraint=models.UniqueConstraint(fields=('initiative', 'activity', 'strategy'), name='activity_strategy_once'),
        ),
        migrations.AlterUniqueTogether(
            name='activityplace',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='activityplace',
            constraint=models.UniqueConstraint(fields=('initiative', 'activity', 'group'), name='activity_place_once'),
        ),
        migrations.AlterUniqueTogether(
            name='activitygroup',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='activitygroup',
            constraint=models.UniqueConstraint(fields=('initiative', 'activity', 'group'), name='activity_group_once'),
        ),
        migrations.AlterUniqueTogether(
            name='activityindicator',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='activityindicator',
            constraint=models.UniqueConstraint(fields=('initiative', 'activity', 'indicator'), name='activity_indicator_once'),
        ),
        migrations.AlterUniqueTogether(
            name='activitydependency',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='activitydependency',
            constraint=models.UniqueConstraint(fields=('initiative', 'from_activity', 'to_activity'), name='activity_dependency_once'),
        ),
    ]
