"""Writes of working groups, meetings, decisions and action items.

The caller has checked the rule; these functions keep every row in its initiative.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from backbone.initiatives.models import Initiative
from backbone.notifications.events import action_assigned
from backbone.revisions import revise

from .models import ActionItem, Decision, Meeting, WorkingGroup


@transaction.atomic
def group_save(
    *, form, initiative: Initiative, by=None, read_revision: int | None = None
) -> WorkingGroup:
    """A change is refused (EditConflict) when the group was saved since the form was read
    at `read_revision`."""
    group = form.save(commit=False)
    group.initiative = initiative
    revise(group, read=read_revision, by=by)
    group.save()
    form.save_m2m()
    return group


@transaction.atomic
def meeting_save(
    *,
    form,
    initiative: Initiative,
    group: WorkingGroup | None,
    by,
    read_revision: int | None = None,
) -> Meeting:
    """A change is refused (EditConflict) when the meeting was saved since the form was
    read at `read_revision`."""
    meeting = form.save(commit=False)
    meeting.initiative = initiative
    if meeting.pk is None:
        meeting.group = group
        meeting.created_by = by
    revise(meeting, read=read_revision, by=by)
    meeting.save()
    form.save_m2m()
    return meeting


def decision_record(*, form, meeting: Meeting) -> Decision:
    decision = form.save(commit=False)
    decision.meeting = meeting
    decision.initiative_id = meeting.initiative_id
    decision.save()
    return decision


@transaction.atomic
def action_record(*, form, meeting: Meeting, by=None) -> ActionItem:
    action = form.save(commit=False)
    action.meeting = meeting
    action.initiative_id = meeting.initiative_id
    action.save()
    action_assigned(action, by=by)
    return action


def action_close(*, action: ActionItem, by) -> ActionItem:
    """Mark an action item done; closing it twice keeps who closed it first."""
    if action.is_open:
        action.status = ActionItem.Status.DONE
        action.done_at = timezone.now()
        action.done_by = by
        action.save(update_fields=["status", "done_at", "done_by"])
    return action


# --- writes from the API: the pages' forms check the data, the same functions save it ---


def _checked(form):
    """The bound form, valid; else its errors as a ValidationError naming the fields."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form


def meeting_write(
    *,
    initiative: Initiative,
    group: WorkingGroup | None,
    data: dict,
    meeting: Meeting | None = None,
    by,
    read_revision: int | None = None,
) -> Meeting:
    """Record a meeting (or change one read at `read_revision`) from `data` as the meeting
    form posts it, with the form's checks: people of the initiative, an end after the start."""
    from .forms import MeetingForm

    form = _checked(MeetingForm(data, instance=meeting, initiative=initiative))
    return meeting_save(
        form=form, initiative=initiative, group=group, by=by, read_revision=read_revision
    )


def group_write(
    *,
    initiative: Initiative,
    data: dict,
    group: WorkingGroup | None = None,
    by=None,
    read_revision: int | None = None,
) -> WorkingGroup:
    """Make a working group (or change one read at `read_revision`) from `data` as the group
    form posts it, with the form's checks: a name not taken, people of the initiative."""
    from .forms import WorkingGroupForm

    form = _checked(WorkingGroupForm(data, instance=group, initiative=initiative))
    return group_save(form=form, initiative=initiative, by=by, read_revision=read_revision)


def decision_write(*, meeting: Meeting, data: dict) -> Decision:
    """Record a decision from `data` as the meeting page's form posts it."""
    from .forms import DecisionForm

    return decision_record(form=_checked(DecisionForm(data)), meeting=meeting)


def action_write(*, initiative: Initiative, meeting: Meeting, data: dict, by=None) -> ActionItem:
    """Record an action item from `data` as the meeting page's form posts it; its owner is
    told, as from the page."""
    from .forms import ActionItemForm

    form = _checked(ActionItemForm(data, initiative=initiative))
    return action_record(form=form, meeting=meeting, by=by)
