"""The life of a submission: draft → submitted → approved, or returned with a comment and
submitted again. Values carry their submission's status, so dashboards filter one column."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from backbone import permissions, webhooks
from backbone.notifications.events import submission_reviewed
from backbone.webhooks import payloads

from .models import DataValue, Submission
from .versions import values_changed, values_lock

S = Submission.Status


class ApprovalError(Exception):
    """A step the submission's status does not allow."""


def _set(submission: Submission, status: str, **fields) -> Submission:
    values = DataValue.objects.filter(submission=submission)
    touched = set(values.values_list("indicator_id", "period_id").distinct().order_by())
    values_lock(submission.initiative_id, touched)  # in turn with submissions of those values
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.status = status
    submission.save()
    values.update(status=status)
    values_changed(submission.initiative_id, touched)
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
    webhooks.announce(
        submission.initiative, webhooks.SUBMISSION_APPROVED, payloads.submission(submission)
    )
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
    webhooks.announce(
        submission.initiative, webhooks.SUBMISSION_RETURNED, payloads.submission(submission)
    )
    return submission
