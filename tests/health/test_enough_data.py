"""A new initiative's health reads "not enough data yet", never a concern: a figure resting on
fewer than `ENOUGH_RECORDS` reports, activities or meetings is shown but not scored."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backbone.health import scores
from backbone.health.signals import ENOUGH_RECORDS, Signal, all_signals

from .conftest import ago, meeting

pytestmark = pytest.mark.integration


def signal(share, basis):
    return Signal(
        key="k",
        label="k",
        share=share,
        numerator=None,
        denominator=None,
        unit="",
        period="",
        basis=basis,
        basis_unit="open meetings",
    )


@pytest.mark.parametrize(
    "basis, enough", [(None, True), (0, False), (ENOUGH_RECORDS - 1, False), (ENOUGH_RECORDS, True)]
)
def test_a_share_counts_once_it_rests_on_enough_records(basis, enough):
    found = signal(0.0, basis)
    assert found.enough is enough
    assert scores.behaviour_score([found]) == (0.0 if enough else None)


def test_a_share_not_counted_yet_says_what_it_waits_for():
    assert signal(0.0, 1).wanting == f"1 open meeting so far; counts from {ENOUGH_RECORDS}"
    assert signal(None, 1).wanting == "" and signal(0.5, None).wanting == ""


def test_a_new_initiative_has_no_score_and_no_concern(framed):
    """Two partners and nothing else: the day the initiative is set up."""
    health = scores.condition_health(initiative=framed.initiative, today=timezone.localdate())
    assert [c.behaviour for c in health.conditions] == [None] * 5
    assert not any(c.behaviour_band == scores.CONCERN for c in health.conditions)
    assert not health.has_enough_data
    measured = all_signals(initiative=framed.initiative, today=timezone.localdate())
    assert measured["meeting_regularity"].share == 0  # shown as counted ...
    assert not measured["meeting_regularity"].enough  # ... but not scored


def test_a_new_initiatives_health_page_says_not_enough_data_yet(framed, as_role):
    html = as_role("staff").get("/i/riverton/health/").text
    assert "Not enough data yet" in html
    assert "<meter" not in html and "A concern" not in html and "a concern</dd>" not in html
    assert "0 open meetings so far; counts from 3" in html


def test_meetings_enough_to_count_are_scored(framed):
    for days in (10, 40, 70):
        meeting(framed, ago(days), came=[framed.steward_a])
    health = scores.condition_health(initiative=framed.initiative, today=timezone.localdate())
    talk = next(c for c in health.conditions if c.key == "continuous_communication")
    assert talk.behaviour is not None and health.has_enough_data
    others = [c.behaviour for c in health.conditions if c.key != "continuous_communication"]
    assert others == [None] * 4
