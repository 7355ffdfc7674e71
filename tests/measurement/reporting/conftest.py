"""Reporting set-up: the `measured` indicators given reporting frequencies, and helpers that
put values in through the intake, as any channel would."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import Period, Submission
from tests.assignments import assign_every_partner

BASE = "/i/riverton/measurement"
RACES = ("black", "latino", "white")
INCOMES = ("low", "other")


@pytest.fixture
def reporting(cast, measured):
    """readiness and score by school year, enrolled and caseload by month, served yearly
    (only the closed 2021 exists). January 2024 was due on 15 Feb 2024."""
    for indicator, frequency in [
        (measured.readiness, "school_year"),
        (measured.score, "school_year"),
        (measured.enrolled, "month"),
        (measured.caseload, "month"),
        (measured.served, "year"),
    ]:
        indicator.frequency = frequency
        indicator.save()
    Period.objects.filter(initiative=cast.initiative, code="2024-01").update(due=date(2024, 2, 15))
    assign_every_partner(cast.initiative)
    return measured


def enrolled_rows(north=10, south=20, total=None, period="2024-01"):
    total = north + south if total is None else total
    return [
        Reported("children-enrolled", period, {"place": "north"}, value=north, row=1),
        Reported("children-enrolled", period, {"place": "south"}, value=south, row=2),
        Reported("children-enrolled", period, {}, value=total, row=3),
    ]


def send(cast, rows, *, partner="a", status=Submission.Status.SUBMITTED, by=None, **kw):
    """Values of org_a (or org_b) through the intake."""
    p = cast.partner_a if partner == "a" else cast.partner_b
    person = by or (cast.steward_a if partner == "a" else cast.steward_b)
    return Intake(
        initiative=cast.initiative, by=person, channel="csv", partner=p, file_name="r.csv", **kw
    ).submit(rows, status=status)
