"""Tenancy in the code's shape: every model of an initiative is scoped, the scope agrees with
the rules, and no view or API module queries around it."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.http import Http404

from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can
from backbone.tenancy import InitiativeQuerySet, InitiativesQuerySet
from tests.conftest import ROLES

BACKBONE = Path(__file__).resolve().parents[1] / "backbone"


def _initiative_models():
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "initiative"), None)
        if field is not None and field.related_model is Initiative:
            yield model


@pytest.mark.unit
def test_every_model_of_an_initiative_is_scoped():
    models = list(_initiative_models())
    assert len(models) > 70  # the walk found them: a renamed field would make it find none
    unscoped = [
        m._meta.label
        for m in models
        if not isinstance(m._default_manager.all(), InitiativeQuerySet)
    ]
    assert unscoped == []
    assert isinstance(Initiative.objects.all(), InitiativesQuerySet)


@pytest.mark.integration
def test_one_answers_the_same_404_for_missing_forbidden_and_malformed(cast):
    mine = Partner.objects.of(cast.initiative)
    assert mine.one(pk=cast.partner_a.pk) == cast.partner_a
    theirs = Partner.objects.create(
        initiative=cast.other_initiative,
        organisation=cast.partner_a.organisation,
        joined_on=cast.partner_a.joined_on,
    )
    answers = []
    for lookup in (theirs.pk + 1000, theirs.pk, "not-a-number", None):
        with pytest.raises(Http404) as caught:
            mine.one(pk=lookup)
        answers.append(str(caught.value))
    assert len(set(answers)) == 1


@pytest.mark.integration
@pytest.mark.parametrize("public", [False, True])
def test_visible_to_is_the_rule_initiative_view_as_a_query(cast, public):
    """For every person of the cast, the rows `visible_to` gives are exactly those of the
    initiatives the rule lets them view, for initiatives and for their rows."""
    if public:
        cast.initiative.visibility = Initiative.Visibility.PUBLIC
        cast.initiative.save(update_fields=["visibility"])
    for name in ROLES:
        person = cast.person(name)
        viewable = {
            i.pk
            for i in (cast.initiative, cast.other_initiative)
            if can(person, "initiative.view", i)
        }
        shown = set(
            Initiative.objects.visible_to(person)
            .filter(pk__in=[cast.initiative.pk, cast.other_initiative.pk])
            .values_list("pk", flat=True)
        )
        assert shown == viewable, name
        rows = set(Partner.objects.visible_to(person).values_list("initiative_id", flat=True))
        assert rows <= viewable and (cast.initiative.pk in viewable) == (
            cast.initiative.pk in rows
        ), name


# --- the guard ---------------------------------------------------------------------------

#: A query in a view or an API module starts from a scope; anything else is a selector's job.
SCOPED = re.compile(r"\.objects\.(of|visible_to|none)\(")


def _modules():
    for path in sorted(BACKBONE.rglob("*.py")):
        if re.match(r"(views|api)(_\w+)?\.py$", path.name) and "migrations" not in path.parts:
            yield path


def _unscoped(path: Path) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        code = line.split("#", 1)[0]
        for match in re.finditer(r"\.objects\.", code):
            if not SCOPED.match(code, match.start()):
                found.append(f"{path.relative_to(BACKBONE.parent)}:{number}: {line.strip()}")
        if "get_object_or_404(" in code and not SCOPED.search(code):
            found.append(f"{path.relative_to(BACKBONE.parent)}:{number}: {line.strip()}")
        if re.search(r"\bstanding\(", code):  # a view asks a rule; only the rules read one
            found.append(f"{path.relative_to(BACKBONE.parent)}:{number}: {line.strip()}")
    return found


@pytest.mark.unit
def test_views_and_api_modules_query_only_through_a_scope():
    modules = list(_modules())
    assert len(modules) > 30
    offenders = [line for path in modules for line in _unscoped(path)]
    assert offenders == []


@pytest.mark.unit
def test_the_guard_sees_an_unscoped_query(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text(
        "a = Partner.objects.of(initiative).one(uuid=u)\n"
        "b = Partner.objects.filter(initiative=initiative)\n"
        "c = get_object_or_404(Partner, uuid=u)  # and this\n"
        "# Partner.objects.all() in a comment is not code\n"
        "d = permissions.standing(user, initiative).is_backbone\n"
    )
    global BACKBONE
    saved, BACKBONE = BACKBONE, tmp_path
    try:
        found = _unscoped(sample)
    finally:
        BACKBONE = saved
    assert [line.split(":")[1] for line in found] == ["2", "3", "5"]


@pytest.mark.unit
def test_the_module_walk_reads_real_code():
    """The guard parses what it reads: a module it could not read would pass silently."""
    for path in _modules():
        ast.parse(path.read_text())


# --- roles are read in one place ---------------------------------------------------------

#: Where a role may be named: the rules, the models, and what writes memberships as data (the
#: roles' own module, the membership services and forms, the demo's builders).
ROLES_NAMED_IN = (
    "permissions.py",
    "initiatives/roles.py",
    "initiatives/members.py",
    "initiatives/services.py",
    "initiatives/forms.py",
)
ROLE_CONSTANT = re.compile(
    r"\bRole\.[A-Z][A-Z_]+\b|\b(PARTNER_ROLES_FOR_STEWARDS|ORGANISATION_ROLES|MAY_NAME_ORGANISATION)\b"
)


def _may_name_roles(path: Path) -> bool:
    relative = path.relative_to(BACKBONE).as_posix()
    return (
        relative in ROLES_NAMED_IN
        or path.name == "models.py"
        or "models" in path.parts
        or "migrations" in path.parts
        or path.name == "demo.py"
        or relative.startswith("demo/")
    )


@pytest.mark.unit
def test_roles_are_named_only_by_the_rules_and_the_models():
    """Who may do what is decided in backbone/permissions.py: a role named anywhere else
    is a rule written outside it."""
    offenders = [
        f"{path.relative_to(BACKBONE.parent)}:{number}: {line.strip()}"
        for path in sorted(BACKBONE.rglob("*.py"))
        if not _may_name_roles(path)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ROLE_CONSTANT.search(line.split("#", 1)[0])
    ]
    assert offenders == []
