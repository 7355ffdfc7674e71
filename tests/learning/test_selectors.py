"""Reads other apps call, recounted here independently."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from backbone.learning import selectors
from backbone.learning.models import LearningQuestion, LogEntry

from .conftest import make_entry, make_plan_item, make_question

pytestmark = pytest.mark.integration


def test_log_entries_between_includes_both_days_oldest_first(cast, here, there):
    days = [
        date(2024, 12, 31),
        date(2025, 1, 1),
        date(2025, 1, 20),
        date(2025, 1, 31),
        date(2025, 2, 1),
    ]
    for n, day in enumerate(days):
        make_entry(cast.initiative, title=f"Entry {n}", on=day)
    make_entry(cast.other_initiative, title="Elsewhere", on=date(2025, 1, 15))
    found = selectors.log_entries_between(cast.initiative, date(2025, 1, 1), date(2025, 1, 31))
    rows = LogEntry.objects.filter(initiative=cast.initiative).values_list("title", "happened_on")
    expected = sorted(
        (t for t in rows if date(2025, 1, 1) <= t[1] <= date(2025, 1, 31)), key=lambda t: t[1]
    )
    assert [(e.title, e.happened_on) for e in found] == expected
    assert [e.title for e in found] == ["Entry 1", "Entry 2", "Entry 3"]


def test_questions_summary_counts_open_and_answered(cast):
    rng = random.Random(7)
    for n in range(9):
        if rng.random() < 0.4:
            make_question(
                cast.initiative,
                text=f"Q{n}",
                status="answered",
                answer="A",
                answered_on=date(2025, 1, 1),
            )
        else:
            make_question(cast.initiative, text=f"Q{n}")
    make_question(cast.other_initiative, text="Elsewhere")
    statuses = list(
        LearningQuestion.objects.filter(initiative=cast.initiative).values_list("status", flat=True)
    )
    assert selectors.questions_summary(cast.initiative) == {
        "open": statuses.count("open"),
        "answered": statuses.count("answered"),
        "total": len(statuses),
    }


def test_entries_for_an_indicator_or_activity_newest_first(cast, here):
    old = make_entry(cast.initiative, title="Old", on=date(2024, 5, 1), indicators=[here.indicator])
    new = make_entry(
        cast.initiative,
        title="New",
        on=date(2025, 5, 1),
        indicators=[here.indicator],
        activities=[here.activity],
    )
    make_entry(cast.initiative, title="Neither", on=date(2025, 6, 1))
    assert selectors.entries_for(cast.initiative, indicator=here.indicator) == [new, old]
    assert selectors.entries_for(cast.initiative, activity=here.activity) == [new]
    assert selectors.entries_for(
        cast.initiative, indicator=here.indicator, activity=here.activity
    ) == [new]
    assert len(selectors.entries_for(cast.initiative)) == 3


def test_links_shown_only_where_the_reader_may_see_them(cast, here):
    entry = make_entry(
        cast.initiative,
        indicators=[here.indicator, here.hidden_indicator],
        meetings=[here.meeting, here.private_meeting],
    )

    def seen(person):
        entries = selectors.log_entries(initiative=cast.initiative)
        selectors.links_seen_by(entries, initiative=cast.initiative, person=person)
        links = entries[0].links
        return {i.code for i in links.indicators}, {m.title for m in links.meetings}

    everything = ({"readiness", "caseload"}, {here.meeting.title, here.private_meeting.title})
    assert seen(cast.staff) == everything
    assert seen(cast.steward_b) == everything  # leads the private group
    assert seen(cast.community) == ({"readiness", "caseload"}, {here.meeting.title})
    assert seen(cast.funder) == ({"readiness"}, {here.meeting.title})
    assert entry.pk


def test_private_groups_decisions_hidden_from_others(cast, here):
    from .conftest import make_proposal

    private = make_proposal(
        cast.initiative, cast.staff, "Sign the data agreement", group=here.private_meeting.group
    )
    make_entry(cast.initiative, proposals=[here.proposal, private])

    def seen(person):
        entries = selectors.log_entries(initiative=cast.initiative)
        selectors.links_seen_by(entries, initiative=cast.initiative, person=person)
        return {p.title for p in entries[0].links.proposals}

    assert seen(cast.steward_b) == {here.proposal.title, private.title}
    assert seen(cast.member_a) == {here.proposal.title}


def test_plan_table_puts_items_in_their_cells_with_questions(cast):
    questions = [make_question(cast.initiative, text=f"Q{n}") for n in range(4)]
    rng = random.Random(3)
    made = []
    for n in range(12):
        stage = rng.choice(["early", "middle", "later"])
        kind = rng.choice(["developmental", "formative", "summative"])
        qs = rng.sample(questions, rng.randint(0, 2))
        made.append((stage, kind, f"Item {n}", {q.text for q in qs}))
        make_plan_item(
            cast.initiative, title=f"Item {n}", stage=stage, evaluation_type=kind, questions=qs
        )
    table = selectors.plan_table(initiative=cast.initiative)
    assert [stage for stage, _ in table.rows] == [
        ("early", "Early years"),
        ("middle", "Middle years"),
        ("later", "Later years"),
    ]
    assert [label for _, label in table.types] == ["Developmental", "Formative", "Summative"]
    for (stage, _), cells in table.rows:
        for cell in cells:
            mine = [m for m in made if m[0] == stage and m[1] == cell.evaluation_type]
            assert sorted(i.title for i in cell.items) == sorted(m[2] for m in mine)
            assert {q.text for q in cell.questions} == set().union(*(m[3] for m in mine))
    used = set().union(*(m[3] for m in made))
    assert {q.text for q in table.unplanned} == {q.text for q in questions} - used


def test_log_filters_combine(cast, here):
    make_entry(cast.initiative, title="A", indicators=[here.indicator], questions=[here.question])
    make_entry(
        cast.initiative,
        title="B",
        indicators=[here.indicator],
        on=date(2025, 1, 1) + timedelta(days=3),
    )
    found = selectors.log_entries(
        initiative=cast.initiative, indicator=here.indicator, question=here.question
    )
    assert [e.title for e in found] == ["A"]
