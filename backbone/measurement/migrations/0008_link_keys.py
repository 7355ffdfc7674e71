"""Link tables of measurement with the initiative key (backbone.links).

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
    ("CellGroup", "Cell", "cell"),
]


def _checks_now(schema_editor):
    """The UPDATE leaves PostgreSQL's deferred foreign key checks pending, and it refuses to
    alter a table that has some: run them now, before the column becomes NOT NULL."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def fill_initiative(apps, schema_editor):
    """Each link takes the initiative of the row it is made from: one UPDATE per table."""
    for link, owner, key in LINKS:
        Link = apps.get_model("measurement", link)
        Owner = apps.get_model("measurement", owner)
        rows = Owner.objects.filter(pk=OuterRef(f"{key}_id"))
        Link.objects.filter(initiative__isnull=True).update(
            initiative_id=Subquery(rows.values("initiative_id")[:1])
        )
    _checks_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0007_revisions'),
        ('measurement', '0007_revisions'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CellGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('cell', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.cell')),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='measurement.group')),
                    ],
                    options={
                        'db_table': 'measurement_cell_groups',
                        'unique_together': {('cell', 'group')},
                    },
                ),
                migrations.AlterField(
                    model_name='cell',
                    name='groups',
                    field=models.ManyToManyField(blank=True, related_name='cells', through='measurement.CellGroup', to='measurement.group'),
                ),
            ],
        ),
        migrations.AddField(
            model_name='cellgroup',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.RunPython(fill_initiative, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='cellgroup',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterUniqueTogether(
            name='cellgroup',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='cellgroup',
            constraint=models.UniqueConstraint(fields=('initiative', 'cell', 'group'), name='cell_group_once'),
        ),
    ]
