"""Two submissions of the same cell at once: the later one takes the value over from the
earlier, and the history says so, so each submission accounts for every value it sent —
still held, or handed on to the submission named in a recorded change."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import DataValue, Rollup, Submission, ValueChange
from backbone.measurement.rollups import rebuild

pytestmark = pytest.mark.integration


def intake(cast, person) -> Intake:
    return Intake(initiative=cast.initiative, by=person, channel="web", partner=cast.partner_a)


def north(value) -> list[Reported]:
    return [Reported("children-enrolled", "SY2024-25", {"place": "north"}, value=value, row=1)]


def accounted_for(submission: Submission) -> bool:
    """Every value the submission sent is still its own or was taken over on the record."""
    held = DataValue.objects.filter(submission=submission).count()
    handed_on = ValueChange.objects.filter(previous_submission=submission).count()
    return submission.value_count == held + handed_on


def chain(first: Submission) -> list[tuple]:
    """The cell's history after `first` wrote it, as (old, new, by submission), checked to
    follow on: each change takes over from the submission that wrote the value before it."""
    value = DataValue.objects.get()
    steps, holder = [], first
    for change in value.changes.order_by("id"):
        assert change.previous_submission == holder
        holder = change.submission
        steps.append((change.old_value, change.new_value, holder))
    assert value.submission == holder
    return steps


def rollups() -> list[tuple]:
    """The roll-up rows, by what they count: a stale or doubled row shows."""
    columns = ("indicator", "period", "cell", "provisional", "value_count", "partner_count")
    return list(Rollup.objects.order_by(*columns).values_list(*columns))


def test_a_report_checked_before_another_is_written_takes_over_from_it(cast, measured):
    """Ada checks her figure; Mo's report of the same cell is written; then Ada's is: hers
    replaces Mo's, not the figure she read, and Mo's submission knows it was replaced."""
    first = intake(cast, cast.steward_a).submit(north(10))
    ada = intake(cast, cast.steward_a)
    checked = ada.check(north(12))
    mo = intake(cast, cast.member_a).submit(north(14))
    ada_submission = ada.record(checked, status="submitted")

    assert chain(first) == [(10, 14, mo), (14, 12, ada_submission)]
    assert all(accounted_for(s) for s in (first, mo, ada_submission))
    assert DataValue.objects.get().value == 12


def test_two_first_reports_of_an_empty_cell_both_count(cast, measured):
    ada, mo = intake(cast, cast.steward_a), intake(cast, cast.member_a)
    ada_checked, mo_checked = ada.check(north(12)), mo.check(north(14))
    mo_submission = mo.record(mo_checked, status="submitted")
    ada_submission = ada.record(ada_checked, status="submitted")

    assert chain(mo_submission) == [(14, 12, ada_submission)]
    assert accounted_for(mo_submission) and accounted_for(ada_submission)
    before = rollups()
    rebuild(cast.initiative.pk)
    assert rollups() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one at a time")
def test_two_reports_of_one_cell_at_the_same_moment_take_turns(
    transactional_db, cast, measured, monkeypatch
):
    """Both read the cell before either writes, if they can: each waits up to a second for
    the other at that point. Serialised, the second cannot read until the first is written,
    so the first stops waiting and writes, and the second then reads what it wrote."""
    first = intake(cast, cast.steward_a).submit(north(10))
    both_read = threading.Barrier(2, timeout=1)
    read = Intake._existing

    def read_then_wait(self, *args):
        found = read(self, *args)
        try:
            both_read.wait()
        except threading.BrokenBarrierError:
            pass
        return found

    monkeypatch.setattr(Intake, "_existing", read_then_wait)
    made, failed = [], []

    def report(person, value):
        try:
            made.append(intake(cast, person).submit(north(value)))
        except Exception as exc:  # noqa: BLE001 (the assertion below shows it)
            failed.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=report, args=(person, value))
        for person, value in ((cast.steward_a, 12), (cast.member_a, 14))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failed == [] and len(made) == 2
    steps = chain(first)
    assert [step[2] for step in steps] == sorted(made, key=lambda s: s.created_at)
    assert all(accounted_for(s) for s in (first, *made))
    before = rollups()
    rebuild(cast.initiative.pk)
    assert rollups() == before
