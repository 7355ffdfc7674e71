"""The life of a submission: draft → submitted → approved, or returned with a comment and
submitted again. Values carry their submission's status, so dashboards filter one column."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from backbone import permissions
from backbone.notifications.events import submission_reviewed

from .models import DataValue, Submission
from .versions import values_changed

S = Submission.Status


class ApprovalError(Exception):
    """A step the submission's status does not allow."""


def _set(submission: Submission, status: str, **fields) -> Submission:
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.status = status
    submission.save()
    values = DataValue.objects.filter(submission=submission)
    values.update(status=status)
    touched = values.values_list("indicator_id", "period_id").distinct().order_by()
    values_changed(submission.initiative_id, set(touched))
    return submission


@transaction.atomic
def submission_submit(*, submission: Submission, by) -> Submission:
    """A draft (or a returned submission, corrected) goes to the backbone for approval."""
    if submission.status not in {S.DRAFT, S.RETURNED}:
        raise ApprovalError(
            f"A {submission.get_status_display().lower()} submission cannot be submitted."
        )
    if not permissions.can(by, "values.submit", submission.initiative, submission.partner):
        raise PermissionDenied
    return _set(submission, S.SUBMITTED, submitted_at=timezone.now())


@transaction.atomic
def submission_approve(*, submission: Submission, by) -> Submission:
    if submission.status != S.SUBMITTED:
        raise ApprovalError("Only a submitted report can be approved.")
    if not permissions.can(by, "values.approve", submission.initiative, submission.partner):
        raise PermissionDenied
    _set(submission, S.APPROVED, reviewed_by=by, reviewed_at=timezone.now())
    submission_reviewed(submission, by=by)
    return submission


@transaction.atomic
def submission_return(*, submission: Submission, by, comment: str) -> Submission:
    if submission.status != S.SUBMITTED:
        raise ApprovalError("Only a submitted report can be returned.")
    if not comment.strip():
        raise ApprovalError("Say what needs fixing when you return a report.")
    if not permissions.can(by, "values.approve", submission.initiative, submission.partner):
        raise PermissionDenied
    _set(
        submission,
        S.RETURNED,
        reviewed_by=by,
        reviewed_at=timezone.now(),
        review_comment=comment.strip(),
    )
    submission_reviewed(submission, by=by)
    return submission
