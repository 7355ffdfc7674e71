"""Recording a cell: dates that agree with the status, and every change kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from backbone.phases.models import PhaseCell, PhaseCellChange

from .conftest import record

pytestmark = pytest.mark.integration

CELL = ("initiate_action", "strategic_planning")


def nothing_saved():
    return not PhaseCell.objects.exists() and not PhaseCellChange.objects.exists()


def test_done_without_completion_date_is_refused(tracked):
    with pytest.raises(ValidationError) as exc:
        record(tracked, *CELL, status="done", completed_on=None)
    assert "completed_on" in exc.value.message_dict
    assert nothing_saved()


def test_completed_before_started_is_refused(tracked):
    with pytest.raises(ValidationError) as exc:
        record(tracked, *CELL, started_on=date(2024, 5, 1), completed_on=date(2024, 4, 30))
    assert "before it started" in exc.value.message_dict["completed_on"][0]
    assert nothing_saved()


def test_completed_on_the_day_it_started_is_fine(tracked):
    cell = record(tracked, *CELL, started_on=date(2024, 5, 1), completed_on=date(2024, 5, 1))
    assert cell.status == "done"


@pytest.mark.parametrize(
    ("status", "fields", "field"),
    [
        ("not_started", {"started_on": date(2024, 1, 1)}, "started_on"),
        ("in_progress", {"completed_on": date(2024, 1, 1)}, "completed_on"),
        ("in_progress", {"started_on": "future"}, "started_on"),
        ("done", {"completed_on": "future"}, "completed_on"),
        ("finished", {}, "status"),
    ],
)
def test_status_and_dates_that_disagree_are_refused(tracked, status, fields, field):
    tomorrow = timezone.localdate() + timedelta(days=1)
    fields = {k: tomorrow if v == "future" else v for k, v in fields.items()}
    with pytest.raises(ValidationError) as exc:
        record(tracked, *CELL, status=status, **fields)
    assert list(exc.value.message_dict) == [field]
    assert nothing_saved()


def test_refused_change_leaves_the_cell_as_it_was(tracked, cast):
    record(tracked, *CELL, status="in_progress", evidence="Mapping under way", by=cast.staff)
    with pytest.raises(ValidationError):
        record(tracked, *CELL, status="done", completed_on=None, evidence="Finished")
    cell = PhaseCell.objects.get()
    assert (cell.status, cell.evidence) == ("in_progress", "Mapping under way")
    assert PhaseCellChange.objects.count() == 1


def test_cell_outside_the_framework_is_refused(tracked):
    with pytest.raises(ValidationError) as exc:
        record(tracked, "initiate_action", "fundraising")
    assert "not a component" in str(exc.value)
    with pytest.raises(ValidationError):
        record(tracked, "scale_up", "strategic_planning")
    assert nothing_saved()


def test_every_change_is_kept_with_who_when_and_note(tracked, cast):
    record(tracked, *CELL, status="in_progress", by=cast.staff, note="Mapping began")
    record(tracked, *CELL, status="done", by=cast.admin, evidence="Asset map published")
    record(tracked, *CELL, status="done", by=cast.admin, evidence="Asset map published, v2")
    changes = list(PhaseCellChange.objects.order_by("id"))
    assert [(c.status_before, c.status_after) for c in changes] == [
        ("not_started", "in_progress"),
        ("in_progress", "done"),
        ("done", "done"),
    ]
    assert [c.changed_by for c in changes] == [cast.staff, cast.admin, cast.admin]
    assert changes[0].note == "Mapping began"
    assert all(c.initiative == tracked and c.changed_at for c in changes)
    cell = PhaseCell.objects.get()
    assert (cell.updated_by, cell.evidence) == (cast.admin, "Asset map published, v2")


def test_saving_the_same_again_records_nothing(tracked, cast):
    record(tracked, *CELL, status="in_progress", by=cast.staff)
    record(tracked, *CELL, status="in_progress", by=cast.staff)
    assert PhaseCellChange.objects.count() == 1
