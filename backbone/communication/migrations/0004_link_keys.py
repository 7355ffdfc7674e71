"""Link tables of communication with the initiative key (backbone.links).

Each field is given a `through` model over the table Django made for it, same table and
columns, so no row is copied: the state takes the model as the table stands, then the table
takes a nullable `initiative_id`, filled from the row each link is made from in one UPDATE,
made NOT NULL, and its unique pair becomes a unique triple led by the initiative.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

#: Each link model, the model of the row it is made from, and its key to that row.
LINKS = [
    ("WorkingGroupMember", "WorkingGroup", "workinggroup"),
    ("MeetingAttendee", "Meeting", "meeting"),
]


def _checks_now(schema_editor):
    """The UPDATE leaves PostgreSQL's deferred foreign key checks pending, and it refuses to
    alter a table that has some: run them now, before the column becomes NOT NULL."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def fill_initiative(apps, schema_editor):
    """Each link takes the initiative of the row it is made from: one UPDATE per table."""
    for link, owner, key in LINKS:
        Link = apps.get_model("communication", link)
        Owner = apps.get_model("communication", owner)
        rows = Owner.objects.filter(pk=OuterRef(f"{key}_id"))
        Link.objects.filter(initiative__isnull=True).update(
            initiative_id=Subquery(rows.values("initiative_id")[:1])
        )
    _checks_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('communication', '0003_initiative_keys'),
        ('initiatives', '0007_revisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='WorkingGroupMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('workinggroup', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='communication.workinggroup')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'communication_workinggroup_members',
                        'unique_together': {('workinggroup', 'person')},
                    },
                ),
                migrations.AlterField(
                    model_name='workinggroup',
                    name='members',
                    field=models.ManyToManyField(blank=True, related_name='working_groups', through='communication.WorkingGroupMember', to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MeetingAttendee',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='communication.meeting')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'communication_meeting_attendees',
                        'unique_together': {('meeting', 'person')},
                    },
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='attendees',
                    field=models.ManyToManyField(blank=True, related_name='meetings_attended', through='communication.MeetingAttendee', to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),
        migrations.AddField(
            model_name='workinggroupmember',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AddField(
            model_name='meetingattendee',
            name='initiative',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.RunPython(fill_initiative, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='workinggroupmember',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterField(
            model_name='meetingattendee',
            name='initiative',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative'),
        ),
        migrations.AlterUniqueTogether(
            name='workinggroupmember',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='workinggroupmember',
            constraint=models.UniqueConstraint(fields=('initiative', 'workinggroup', 'person'), name='working_group_member_once'),
        ),
        migrations.AlterUniqueTogether(
            name='meetingattendee',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='meetingattendee',
            constraint=models.UniqueConstraint(fields=('initiative', 'meeting', 'person'), name='meeting_attendee_once'),
        ),
    ]
