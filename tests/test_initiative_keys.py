"""Every table of an initiative's data carries the initiative key, and every unique constraint
of such a table includes it: a hosted service can then distribute those tables by initiative
with Citus, which refuses a unique constraint without the distribution column
(docs/scaling.md, "Distributing by initiative"). The tables without the key are named here,
with the reason, and a new model that forgets either fails the first test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.migrations.loader import MigrationLoader
from django.test.utils import isolate_apps

from backbone.advocacy.models import Commitment, CommitmentUpdate, Policy, PolicyEvent
from backbone.initiatives.models import Initiative, Partner
from backbone.learning.models import LearningQuestion, PlanItem, PlanItemQuestion
from backbone.workplan.models import BackboneTask, EffortEntry

INITIATIVE = "initiatives.Initiative"

#: Tables every initiative shares (reference tables in Citus, a copy on every node), and why.
SHARED: dict[str, str] = {
    "accounts.Person": "a person may belong to several initiatives",
    "accounts.Person_groups": "Django's permission groups of a person, for every initiative",
    "accounts.Person_user_permissions": "Django's permissions of a person, for every initiative",
    "accounts.LimitedRequest": "the installation's rate limits (password resets asked for), "
    "counted per address or account",
    "initiatives.Organisation": "an organisation may be a partner in several initiatives",
    "initiatives.Initiative": "the initiatives themselves: found by a slug unique across them "
    "all (every URL starts with it), so the table is a reference table, not distributed",
    "frameworks.Framework": "a catalogue of frameworks loaded from files, used by initiatives",
    "assessments.Questionnaire": "a catalogue of questionnaires loaded from files; a round "
    "copies the questionnaire it asks",
    "notifications.Preference": "a person's choice of how to be told, for every initiative",
    "updates.DigestSchedule": "a person's choice of digest: one digest covers all of a "
    "person's initiatives",
    "updates.DigestSent": "the digests a person was sent, each covering all of their initiatives",
}


def backbone_models() -> list[type[models.Model]]:
    """Every model of a `backbone.*` app, the link tables Django makes included."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_config.name.startswith("backbone.")
    ]


def key_problems(model: type[models.Model]) -> list[str]:
    """What keeps the model's table from being distributed by initiative."""
    label = model._meta.label
    try:
        key = model._meta.get_field("initiative")
    except Exception:
        return [f"{label}: no initiative key"]
    if not isinstance(key, models.ForeignKey):  # a one-to-one key is one too
        return [f"{label}: `initiative` is not a foreign key on the table"]
    problems = []
    if key.related_model._meta.label != INITIATIVE:
        problems.append(f"{label}: `initiative` does not point at {INITIATIVE}")
    if key.null:
        problems.append(f"{label}: the initiative key may be null")
    for field in model._meta.local_concrete_fields:
        if field.unique and not field.primary_key and field.name != "initiative":
            problems.append(
                f"{label}.{field.name}: unique on its own; make it a UniqueConstraint with "
                "the initiative (and db_index=True for lookups)"
            )
    for together in model._meta.unique_together:
        if "initiative" not in together:
            problems.append(f"{label}: unique_together {together} without the initiative")
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            if "initiative" not in constraint.fields:
                problems.append(f"{label}: {constraint.name} does not include the initiative")
    return problems


def unclassified() -> list[str]:
    problems = []
    for model in backbone_models():
        label = model._meta.label
        if label not in SHARED:
            problems += key_problems(model)
    return problems


@pytest.mark.unit
def test_every_table_of_an_initiative_carries_its_key_in_every_unique_constraint():
    assert unclassified() == [], (
        "Give these models a non-null `initiative` foreign key and put it in every unique "
        "constraint, or name them in SHARED with the reason."
    )


@pytest.mark.unit
def test_the_shared_tables_named_exist_and_carry_no_key():
    labels = {m._meta.label: m for m in backbone_models()}
    assert set(SHARED) - set(labels) == set()
    assert all(len(why) > 30 for why in SHARED.values())
    # A table named shared that has the key (the initiative's own id aside) belongs with
    # the distributed ones.
    for label in SHARED:
        assert key_problems(labels[label]), f"{label} has the initiative key: distribute it"


def unique_indexes_without_the_initiative() -> list[str]:
    """What the database holds, not only what the models say: a unique index made by hand
    in a migration would break the distribution as surely."""
    found = []
    with connection.cursor() as cursor:
        for model in backbone_models():
            label = model._meta.label
            if label in SHARED:
                continue
            table = model._meta.db_table
            for name, c in connection.introspection.get_constraints(cursor, table).items():
                if c["unique"] and not c["primary_key"] and "initiative_id" not in c["columns"]:
                    found.append(f"{table}.{name} {c['columns']}")
    return found


@pytest.mark.integration
def test_the_database_has_no_unique_index_without_the_initiative(db):
    assert unique_indexes_without_the_initiative() == []


# --- the test catches what it should -----------------------------------------------------


@pytest.mark.unit
@isolate_apps("backbone.workplan")
def test_a_new_model_without_the_key_is_caught():
    class Tally(models.Model):  # noqa: DJ008 (a model of the test only)
        task = models.ForeignKey("workplan.BackboneTask", on_delete=models.CASCADE)

        class Meta:
            app_label = "workplan"

    assert key_problems(Tally) == ["workplan.Tally: no initiative key"]


@pytest.mark.unit
@isolate_apps("backbone.workplan")
def test_a_new_model_with_a_nullable_key_is_caught():
    class Tally(models.Model):  # noqa: DJ008 (a model of the test only)
        initiative = models.ForeignKey(Initiative, null=True, on_delete=models.CASCADE)

        class Meta:
            app_label = "workplan"

    assert key_problems(Tally) == ["workplan.Tally: the initiative key may be null"]


@pytest.mark.unit
@isolate_apps("backbone.workplan")
def test_a_unique_field_or_constraint_without_the_initiative_is_caught():
    class Tally(models.Model):  # noqa: DJ008 (a model of the test only)
        initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE)
        uuid = models.UUIDField(unique=True)
        code = models.CharField(max_length=10)
        day = models.DateField()

        class Meta:
            app_label = "workplan"
            unique_together = [("code", "day")]
            constraints = [
                models.UniqueConstraint(fields=["code"], name="tally_code_once"),
                models.UniqueConstraint(fields=["initiative", "day"], name="tally_day_once"),
            ]

    problems = key_problems(Tally)
    assert len(problems) == 3
    assert problems[0].startswith("workplan.Tally.uuid: unique on its own")
    assert "unique_together ('code', 'day')" in problems[1]
    assert problems[2] == "workplan.Tally: tally_code_once does not include the initiative"


@pytest.mark.unit
@isolate_apps("backbone.workplan")
def test_a_model_keyed_and_unique_with_its_initiative_passes():
    class Tally(models.Model):  # noqa: DJ008 (a model of the test only)
        initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE)
        uuid = models.UUIDField(db_index=True)

        class Meta:
            app_label = "workplan"
            constraints = [
                models.UniqueConstraint(fields=["initiative", "uuid"], name="tally_uuid_once")
            ]

    assert key_problems(Tally) == []


# --- the migration fills the key of rows already there -----------------------------------

#: The migrations that add the key to tables that had none, and fill it.
FILLING = [("workplan", "0003_initiative_keys"), ("advocacy", "0003_initiative_keys")]


@pytest.mark.integration
def test_the_migration_gives_existing_rows_their_parents_initiative(transactional_db, cast):
    """The two migrations are taken back, rows are written as before them, and the
    migrations run again (one by one: the executor would compute the state of every
    migration of the project, for a minute)."""
    loader = MigrationLoader(connection, replace_migrations=False)  # the old steps, not the squash
    migrations = [loader.get_migration(app, name) for app, name in FILLING]
    undone = []
    try:
        for migration in migrations:
            with connection.schema_editor(atomic=migration.atomic) as editor:
                migration.unapply(_state_before(loader, migration), editor)
            undone.append(migration)
        old = {m.app_label: _state_before(loader, m).apps for m in migrations}
        made = {
            i.pk: _rows_as_before(i, cast, old) for i in (cast.initiative, cast.other_initiative)
        }
    finally:
        for migration in undone:  # run again, whatever happened: later tests need the schema
            with connection.schema_editor(atomic=migration.atomic) as editor:
                migration.apply(_state_before(loader, migration), editor)

    for initiative_id, rows in made.items():
        assert EffortEntry.objects.get(pk=rows["effort"]).initiative_id == initiative_id
        assert PolicyEvent.objects.get(pk=rows["event"]).initiative_id == initiative_id
        assert CommitmentUpdate.objects.get(pk=rows["update"]).initiative_id == initiative_id
    assert unique_indexes_without_the_initiative() == []  # the schema is back as it was


def _state_before(loader: MigrationLoader, migration):
    """The project as the migration finds it: what `apply` and `unapply` both start from."""
    return loader.project_state((migration.app_label, migration.name), at_end=False)


def _rows_as_before(initiative, cast, old) -> dict[str, int]:
    """Parents written with today's models (their tables do not change), children with the
    models as they were before the key, which know no initiative column."""
    task = BackboneTask.objects.create(
        initiative=initiative, title="Convene", owner=cast.staff, role="guide_vision"
    )
    policy = Policy.objects.create(
        initiative=initiative, title="Free meals", level="local", body="Council", position="support"
    )
    partner, _ = Partner.objects.get_or_create(initiative=initiative, organisation=cast.org_b)
    commitment = Commitment.objects.create(
        initiative=initiative,
        partner=partner,
        kind="data",
        description="Share data",
        starts_on=date(2026, 1, 1),
    )
    day = date(2026, 1, 5)
    effort = old["workplan"].get_model("workplan", "EffortEntry")
    event = old["advocacy"].get_model("advocacy", "PolicyEvent")
    update = old["advocacy"].get_model("advocacy", "CommitmentUpdate")
    return {
        "effort": effort.objects.create(
            task_id=task.pk, person_id=cast.staff.pk, worked_on=day, hours=Decimal(2)
        ).pk,
        "event": event.objects.create(
            policy_id=policy.pk, happened_on=day, description="Hearing", status_before="idea"
        ).pk,
        "update": update.objects.create(commitment_id=commitment.pk, on=day, text="Begun").pk,
    }


# --- a link keeps to its initiative ------------------------------------------------------


@pytest.mark.integration
def test_a_link_to_a_row_of_another_initiative_is_refused(cast):
    item = PlanItem.objects.create(
        initiative=cast.initiative,
        title="Reading pilot",
        stage="early",
        evaluation_type="formative",
    )
    ours = LearningQuestion.objects.create(initiative=cast.initiative, text="Does it work?")
    theirs = LearningQuestion.objects.create(initiative=cast.other_initiative, text="Elsewhere?")

    PlanItemQuestion(initiative=cast.initiative, planitem=item, learningquestion=ours).clean()
    with pytest.raises(ValidationError, match="another initiative"):
        PlanItemQuestion(initiative=cast.initiative, planitem=item, learningquestion=theirs).clean()
