"""Link tables of learning with the initiative key (backbone.links).

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
    ("PlanItemQuestion", "PlanItem", "planitem"),
    ("LogEntryActivity", "LogEntry", "logentry"),
    ("LogEntryIndicator", "LogEntry", "logentry"),
    ("LogEntryMeeting", "LogEntry", "logentry"),
    ("LogEntryProposal", "LogEntry", "logentry"),
    ("LogEntryQuestion", "LogEntry", "logentry"),
]


def _checks_now(schema_editor):
    """The UPDATE leaves PostgreSQL's deferred foreign key checks pending, and it refuses to
    alter a table that has some: run them now, before the column becomes NOT NULL."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def fill_initiative(apps, schema_editor):
    """Each link takes the initiative of the row it is made from: one UPDATE per table."""
    for link, owner, key in LINKS:
        Link = apps.get_model("learning", link)
        Owner = apps.get_model("learning", owner)
        rows = Owner.objects.filter(pk=OuterRef(f"{key}_id"))
        Link.objects.filter(initiative__isnull=True).update(
            initiative_id=Subquery(rows.values("initiative_id")[:1])
        )
    _checks_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0004_link_keys'),
        ('communication', '0004_link_keys'),
        ('decisions', '0003_revisions'),
        ('initiatives', '0007_revisions'),
        ('learning', '0003_initiative_keys'),
        ('measurement', '0008_link_keys'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PlanItemQuestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('planitem', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.planitem')),
                        ('learningquestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.learningquestion')),
                    ],
                    options={
                        'db_table': 'learning_planitem_questions',
                        'unique_together': {('planitem', 'learningquestion')},
                    },
                ),
                migrations.AlterField(
                    model_name='planitem',
                    name='questions',
                    field=models.ManyToManyField(blank=True, related_name='plan_items', through='learning.PlanItemQuestion', to='learning.learningquestion', verbose_name='learning questions it answers'),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LogEntryActivity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('logentry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.logentry')),
                        ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.activity')),
                    ],
                    options={
                        'db_table': 'learning_logentry_activities',
                        'unique_together': {('logentry', 'activity')},
                    },
                ),
                migrations.AlterField(
                    model_name='logentry',
                    name='activities',
                    field=models.ManyToManyField(blank=True, related_name='learning_entries', through='learning.LogEntryActivity', to='activities.activity'),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LogEntryIndicator',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('logentry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.logentry')),
                        ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.indicator')),
                    ],
                    options={
                        'db_table': 'learning_logentry_indicators',
                        'unique_together': {('logentry', 'indicator')},
                    },
                ),
                migrations.AlterField(
                    model_name='logentry',
                    name='indicators',
                    field=models.ManyToManyField(blank=True, related_name='learning_entries', through='learning.LogEntryIndicator', to='measurement.indicator'),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LogEntryMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('logentry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.logentry')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='communication.meeting')),
                    ],
                    options={
                        'db_table': 'learning_logentry_meetings',
                        'unique_together': {('logentry', 'meeting')},
                    },
                ),
                migrations.AlterField(
                    model_name='logentry',
                    name='meetings',
                    field=models.ManyToManyField(blank=True, related_name='learning_entries', through='learning.LogEntryMeeting', to='communication.meeting'),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LogEntryProposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('logentry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.logentry')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='decisions.proposal')),
                    ],
                    options={
                        'db_table': 'learning_logentry_proposals',
                        'unique_together': {('logentry', 'proposal')},
                    },
                ),
                migrations.AlterField(
                    model_name='logentry',
                    name='proposals',
                    field=models.ManyToManyField(blank=True, related_name='learning_entries', through='learning.LogEntryProposal', to='decisions.proposal', verbose_name='decisions'),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LogEntryQuestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('logentry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.logentry')),
                        ('learningquestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='learning.learningquestion')),
                    ],
                    options={
                        'db_table': 'learning_logentry_questions',
                        'unique_together': {('logentry', 'learningquestion')},
                    },
                ),
                migrations.AlterField(
                    model_name='logentry',
                    name='questions',
                    field=models.ManyToManyField(blank=True, related_name='log_entries', through='learning.LogEntryQuestion', to='learning.learningquestion', verbose_name='learning questions'),
                ),
            ],
        ),
        migrations.AddField(
            model_name='planitemquestion',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='logentryactivity',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='logentryindicator',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='logentrymeeting',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='logentryproposal',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='logentryquestion',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.RunPython(fill_initiative, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='planitemquestion',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterField(
            model_name='logentryactivity',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterField(
            model_name='logentryindicator',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterField(
            model_name='logentrymeeting',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterField(
            model_name='logentryproposal',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterField(
            model_name='logentryquestion',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterUniqueTogether(
            name='planitemquestion',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='planitemquestion',
            constraint=models.UniqueConstraint(fields=('initiative', 'planitem', 'learningquestion'), name='learning_plan_item_question_once'),
        ),
        migrations.AlterUniqueTogether(
            name='logentryactivity',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='logentryactivity',
            constraint=models.UniqueConstraint(fields=('initiative', 'logentry', 'activity'), name='learning_entry_activity_once'),
        ),
        migrations.AlterUniqueTogether(
            name='logentryindicator',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='logentryindicator',
            constraint=models.UniqueConstraint(fields=('initiative', 'logentry', 'indicator'), name='learning_entry_indicator_once'),
        ),
        migrations.AlterUniqueTogether(
            name='logentrymeeting',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='logentrymeeting',
            constraint=models.UniqueConstraint(fields=('initiative', 'logentry', 'meeting'), name='learning_entry_meeting_once'),
        ),
        migrations.AlterUniqueTogether(
            name='logentryproposal',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='logentryproposal',
            constraint=models.UniqueConstraint(fields=('initiative', 'logentry', 'proposal'), name='learning_entry_proposal_once'),
        ),
        migrations.AlterUniqueTogether(
            name='logentryquestion',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='logentryquestion',
            constraint=models.UniqueConstraint(fields=('initiative', 'logentry', 'learningquestion'), name='learning_entry_question_once'),
        ),
    ]
