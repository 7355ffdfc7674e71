"""A meeting's decisions take a uuid, so one can be named (the API reads a single decision).

Three steps, so that every existing row gets a distinct uuid: the column is added nullable,
each row is given its own uuid4, then it becomes NOT NULL, indexed, and unique within its
initiative (as every other row's uuid).
"""

import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    Decision = apps.get_model("communication", "Decision")
    rows = list(Decision.objects.filter(uuid__isnull=True).only("pk"))
    for row in rows:
        row.uuid = uuid.uuid4()
    Decision.objects.bulk_update(rows, ["uuid"], batch_size=500)
    if schema_editor.connection.vendor == "postgresql":
        # no deferred checks may be pending when the next step alters the table
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("communication", "0004_link_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="uuid",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.UniqueConstraint(
                fields=("initiative", "uuid"), name="communication_decision_uuid_in_initiative"
            ),
        ),
    ]
