"""The demo's learning and evaluation, as its people see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.learning import selectors
from backbone.learning.demo import ENTRIES
from backbone.learning.models import LogEntry, PlanItem

pytestmark = pytest.mark.django_db


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(Person.objects.get(email=email))
    return client


def test_demo_questions_plan_and_log(demo):
    assert selectors.questions_summary(demo) == {"open": 4, "answered": 2, "total": 6}
    cells = {(i.stage, i.evaluation_type) for i in PlanItem.objects.filter(initiative=demo)}
    assert len(cells) == 9
    assert all(i.questions.exists() for i in PlanItem.objects.filter(initiative=demo))

    entries = list(LogEntry.objects.filter(initiative=demo))
    today = timezone.localdate()
    assert len(entries) == 10
    assert all(today - timedelta(days=365) <= e.happened_on <= today for e in entries)
    assert all(e.meetings.count() == 1 and e.indicators.exists() for e in entries)
    assert all(e.activities.exists() for e in entries)
    for entry in entries:
        meeting = entry.meetings.get()
        assert meeting.initiative_id == demo.pk and meeting.starts_at <= timezone.now()
        assert all(a.initiative_id == demo.pk for a in entry.activities.all())
    authors = {e.author.email for e in entries}
    assert {
        "samuel.adeyemi@riverton.example",
        "priya.natarajan@riverton.example",
        "tomas.silva@riverton.example",
    } <= authors


def test_demo_log_for_a_funder_and_a_partner(demo):
    readiness = demo.indicators.get(code="chronic-absenteeism")
    linked = selectors.entries_for(demo, indicator=readiness)
    assert [e.happened_on for e in linked] == sorted((e.happened_on for e in linked), reverse=True)
    assert len(linked) == sum("chronic-absenteeism" in spec[6] for spec in ENTRIES) == 4

    funder = signed_in("helen.park@riverton.example")
    page = funder.get(f"/i/{demo.slug}/learning/log/", {"indicator": str(readiness.uuid)}).text
    assert "4 entries linked to what you chose." in page
    assert "Transport vouchers in the mentor pilot" in page
    # the data-sharing group's meeting is private: its title never reaches a funder
    assert "Data sharing —" not in page

    plan = signed_in("tomas.silva@riverton.example").get(f"/i/{demo.slug}/learning/plan/").text
    assert "Attendance mentor pilot: what works, for whom" in plan
    assert "Add to the plan" not in plan

    start, end = timezone.localdate() - timedelta(days=90), timezone.localdate()
    window = selectors.log_entries_between(demo, start, end)
    assert [e.title for e in window] == [
        "Transport vouchers in the mentor pilot",
        "Success coaches for first-generation students",
    ]
