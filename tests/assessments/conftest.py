"""Factories for assessment tests: loaded questionnaires, crowds of respondents, rounds."""

from __future__ import annotations

import copy
from datetime import timedelta
from functools import cache
from itertools import count

import pytest
from django.db import transaction
from django.utils import timezone

from backbone.assessments import services
from backbone.assessments.loader import load_all as load_questionnaires
from backbone.assessments.models import Questionnaire, Round
from backbone.assessments.scoring import items_of
from backbone.frameworks.loader import load_all as load_frameworks
from backbone.frameworks.models import Framework
from backbone.initiatives import services as initiatives
from backbone.initiatives.roles import Role
from tests.conftest import make_person

_numbers = count(1)


@cache
def _shipped() -> tuple[list[dict], list[dict]]:
    """The shipped frameworks and questionnaires as the loaders store them, read once: YAML
    is slow to parse, and the loaders themselves are tested in test_loader.py."""
    with transaction.atomic():
        frameworks = [
            {
                f: getattr(row, f)
                for f in ("slug", "name", "summary", "version", "source_file", "data")
            }
            for row in load_frameworks()
        ]
        questionnaires = [
            {
                f: getattr(row, f)
                for f in ("slug", "name", "summary", "version", "assesses", "frameworks")
                + ("source_file", "data")
            }
            for row in load_questionnaires()
        ]
        transaction.set_rollback(True)
    return frameworks, questionnaires


@pytest.fixture
def questionnaires(db) -> dict[str, Questionnaire]:
    frameworks, rows = _shipped()
    for fields in frameworks:
        Framework.objects.create(**copy.deepcopy(fields))
    return {q["slug"]: Questionnaire.objects.create(**copy.deepcopy(q)) for q in rows}


@pytest.fixture
def initiative(cast, questionnaires):
    """The cast's initiative, working by the three-phase framework."""
    found = cast.initiative
    found.framework = Framework.objects.get(slug="collective-impact")
    found.small_number_threshold = 3
    found.save()
    return found


def crowd(initiative, *, sector: str, n: int, role=Role.PARTNER_MEMBER, organisation=None):
    """`n` people answering for one organisation of `sector` (a new partner unless given)."""
    if organisation is None:
        organisation = initiatives.organisation_create(
            name=f"{sector.title()} partner {next(_numbers)}", sector=sector
        )
        initiatives.partner_add(initiative=initiative, organisation=organisation)
    people = []
    for _ in range(n):
        number = next(_numbers)
        person = make_person(f"person{number}@example.org", f"Person {number} {sector}")
        initiatives.membership_grant(
            initiative=initiative, person=person, role=role, organisation=organisation
        )
        people.append(person)
    return people


def residents(initiative, n: int):
    people = []
    for _ in range(n):
        number = next(_numbers)
        person = make_person(f"resident{number}@example.org", f"Resident {number}")
        initiatives.membership_grant(
            initiative=initiative, person=person, role=Role.COMMUNITY_MEMBER
        )
        people.append(person)
    return people


def open_round(
    initiative,
    questionnaire,
    *,
    roles=(Role.PARTNER_STEWARD, Role.PARTNER_MEMBER, Role.COMMUNITY_MEMBER),
    partners=(),
    days_ago=5,
    days_left=10,
    **extra,
) -> Round:
    today = timezone.localdate()
    return services.round_open(
        initiative=initiative,
        questionnaire=questionnaire,
        opens_on=today - timedelta(days=days_ago),
        closes_on=today + timedelta(days=days_left),
        roles=roles,
        partners=partners,
        **extra,
    )


def answers_for(found: Round, value=4, **overrides) -> dict:
    """Every scale item at `value`, the first option of choices, no text; then `overrides`."""
    out = {}
    for item in items_of(found.questionnaire_data):
        if item.type == "scale":
            out[item.key] = value
        elif item.type == "single_choice":
            out[item.key] = item.options[0][0]
        elif item.type == "multiple_choice":
            out[item.key] = [item.options[0][0]]
        else:
            out[item.key] = ""
    out.update(overrides)
    return out
