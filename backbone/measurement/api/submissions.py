"""The review of submissions over the REST API, as the submissions pages show and do it.

Who reads partners' own values (the backbone, evaluators, data stewards; a partner's people
and its token their own organisation's) lists and reads submissions and the values they
carry (/review/values, exact, with their history); other members get 403, outsiders 404,
and a submission of a partner the caller may not read is not found (404). Backbone staff
and data stewards approve or return a submitted one (never their own organisation's)
through the same approval service as the page, so roll-ups, history, notifications and
webhooks follow alike; a submission no longer waiting (reviewed meanwhile) is refused with
409 and the submission as it now stands.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from backbone.api.auth import caller, initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative
from backbone.permissions import can

from .. import approval, reporting, selectors
from ..models import DataValue, Submission
from ..numbers import as_text

router = Router(tags=["submission review"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
PeriodCode = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9]+$", max_length=20)]
Comment = Annotated[
    str, StringConstraints(pattern=r"^[^\x00]*\S[^\x00]*$", min_length=1, max_length=2000)
]
SubmissionStatus = Literal["draft", "submitted", "approved", "returned"]
Channel = Literal["web", "csv", "xlsx", "api", "dhis2", "correction"]

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}

COLLECTION = "/initiatives/{slug}/review/submissions"
ONE = COLLECTION + "/{uuid}"
VALUES = "/initiatives/{slug}/review/values"


def _text(number: Decimal | None) -> str | None:
    return as_text(Decimal(number)) if number is not None else None


class ReviewedSubmissionOut(Schema):
    uuid: UUID
    partner: str = Field(description="The partner organisation's slug.")
    partner_name: str
    channel: Channel
    file_name: str
    status: SubmissionStatus
    value_count: int = Field(description="How many values it brought.")
    current_count: int = Field(description="How many of them it still carries (not replaced).")
    outlier_count: int
    narrative: str = Field(description="The story behind the numbers.")
    entered_by: str | None = Field(description="Who entered it, by name.")
    created_at: datetime
    submitted_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_comment: str = Field(
        description="The reviewer's comment when returned; the reason of a correction."
    )
    link: str = Field(description="Its page.")
    values_link: str = Field(description="Its values, with their history (this API).")

    @staticmethod
    def resolve_partner(obj: Submission) -> str:
        return obj.partner.organisation.slug

    @staticmethod
    def resolve_partner_name(obj: Submission) -> str:
        return obj.partner.organisation.name

    @staticmethod
    def resolve_entered_by(obj: Submission) -> str | None:
        return obj.created_by.name if obj.created_by else None

    @staticmethod
    def resolve_reviewed_by(obj: Submission) -> str | None:
        return obj.reviewed_by.name if obj.reviewed_by else None

    @staticmethod
    def resolve_current_count(obj: Submission) -> int:
        return getattr(obj, "current_count", obj.value_count)

    @staticmethod
    def resolve_link(obj: Submission) -> str:
        return f"/i/{obj.initiative.slug}/measurement/submissions/{obj.uuid}/"

    @staticmethod
    def resolve_values_link(obj: Submission) -> str:
        return f"/api/initiatives/{obj.initiative.slug}/review/values?submission={obj.uuid}"


class SubmissionDetailOut(ReviewedSubmissionOut):
    may_submit: bool = Field(False, description="Whether the caller may send it for approval.")
    may_review: bool = Field(False, description="Whether the caller may approve or return it now.")


class ChangeOut(Schema):
    changed_at: datetime
    changed_by: str | None
    old: str = Field(description="The value before, as the page reads it.")
    new: str
    reason: str
    previous_submission: UUID | None


class SubmittedValueOut(Schema):
    submission: UUID
    indicator: str = Field(description="The indicator's code.")
    indicator_name: str
    period: str = Field(description="The period's code.")
    groups: dict[str, str] = Field(description="Dimension key → group key; empty for the total.")
    groups_label: str = Field(description="The groups as the page names them, or Total.")
    value: str | None
    numerator: str | None
    denominator: str | None
    n: str | None = Field(description="The n behind a weighted average.")
    missing: str | None = Field(description="Why the value is blank; null when there is one.")
    text: str = Field(description="The value as the page reads it.")
    status: SubmissionStatus
    is_outlier: bool
    changes: list[ChangeOut] = Field(description="Its history, newest change first.")


class ConflictOut(Schema):
    detail: str
    current: SubmissionDetailOut = Field(description="The submission as it now stands.")


class ReturnIn(Schema):
    comment: Comment = Field(description="What needs fixing; the partner reads it.")


class SubmissionFilters(Schema):
    status: SubmissionStatus | None = None
    partner: Slug | None = Field(None, description="A partner organisation's slug.")
    channel: Channel | None = None
    period: PeriodCode | None = Field(
        None, description="A period's code: submissions with values of it."
    )
    indicator: Slug | None = Field(
        None, description="An indicator's code: submissions with values of it."
    )


class ValueFilters(Schema):
    submission: UUID | None = Field(None, description="A submission's uuid.")
    status: SubmissionStatus | None = None
    partner: Slug | None = Field(None, description="A partner organisation's slug.")
    period: PeriodCode | None = Field(None, description="A period's code.")
    indicator: Slug | None = Field(None, description="An indicator's code.")


# --- finding what the caller names --------------------------------------------------------


def _reviewing_initiative(request: HttpRequest, slug: str) -> Initiative:
    """The initiative, for who reads partners' own values: 404 for outsiders, 401 for no one
    and 403 for other members, as the pages refuse them."""
    initiative = initiative_of(request, slug)
    person = who(request)
    if not can(person, "values.view_partner", initiative):
        if not person.is_authenticated:
            raise HttpError(401, "Sign in, or send a token.")
        raise PermissionDenied
    return initiative


def _submission(request: HttpRequest, slug: str, uuid: UUID) -> tuple[Initiative, Submission]:
    initiative = _reviewing_initiative(request, slug)
    found = selectors.review_submission(initiative=initiative, person=who(request), uuid=uuid)
    if found is None:
        raise Http404("No such submission.")
    return initiative, found


def _detail(request: HttpRequest, initiative: Initiative, sub: Submission) -> Submission:
    """The submission with what the caller may do with it now, as its page offers it."""
    person = who(request)
    sub.may_submit = sub.status in {Submission.Status.DRAFT, Submission.Status.RETURNED} and (
        can(person, "values.submit", initiative, sub.partner)
    )
    sub.may_review = sub.status == Submission.Status.SUBMITTED and can(
        person, "values.approve", initiative, sub.partner
    )
    return sub


def _value(row: reporting.ValueRow) -> dict:
    v: DataValue = row.value
    return {
        "submission": v.submission.uuid,
        "indicator": v.indicator.code,
        "indicator_name": v.indicator.name,
        "period": v.period.code,
        "groups": {g.dimension.key: g.key for g in v.cell.groups.all()},
        "groups_label": row.groups,
        "value": _text(v.value),
        "numerator": _text(v.numerator),
        "denominator": _text(v.denominator),
        "n": _text(v.weight),
        "missing": v.missing or None,
        "text": row.text,
        "status": v.status,
        "is_outlier": v.is_outlier,
        "changes": [
            {
                "changed_at": change.changed_at,
                "changed_by": change.changed_by.name if change.changed_by else None,
                "old": old,
                "new": new,
                "reason": why,
                "previous_submission": (
                    change.previous_submission.uuid if change.previous_submission else None
                ),
            }
            for change, old, new, why in row.changes
        ],
    }


class _Rows:
    """Values read as page rows, one page at a time (ninja slices it)."""

    def __init__(self, values):
        self.values = values

    def count(self) -> int:
        return self.values.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, part: slice) -> list[dict]:
        return [_value(row) for row in reporting.value_rows(self.values[part])]


# --- the operations ------------------------------------------------------------------------


@router.get(COLLECTION, response={200: list[ReviewedSubmissionOut], **READ})
@paginate(Page)
def list_review_submissions(request: HttpRequest, slug: Slug, filters: Query[SubmissionFilters]):
    """Submissions as the submissions page lists them to the caller: the ones waiting first
    for who approves, else newest first; filtered by status, partner, channel, and the
    period or indicator of the values they carry."""
    initiative = _reviewing_initiative(request, slug)
    return selectors.review_submissions(
        initiative=initiative,
        person=who(request),
        **{k: v for k, v in filters.model_dump().items() if v},
    )


@router.get(ONE, response={200: SubmissionDetailOut, **READ})
def get_review_submission(request: HttpRequest, slug: Slug, uuid: UUID):
    """One submission as its page shows it, with what the caller may do with it now."""
    initiative, found = _submission(request, slug, uuid)
    return _detail(request, initiative, found)


@router.get(VALUES, response={200: list[SubmittedValueOut], **READ})
@paginate(Page)
def list_review_values(request: HttpRequest, slug: Slug, filters: Query[ValueFilters]):
    """The values the caller's submissions still carry (one submission's with `submission`),
    newest submission first, each in its page's order and with its history: exact numbers,
    read only by who may read the partner's own values."""
    initiative = _reviewing_initiative(request, slug)
    return _Rows(
        selectors.review_values(
            initiative=initiative,
            person=who(request),
            **{k: v for k, v in filters.model_dump().items() if v},
        )
    )


def _review(request: HttpRequest, slug: str, uuid: UUID, step, **kwargs):
    initiative, found = _submission(request, slug, uuid)
    person = who(request)
    if not person.is_authenticated:
        raise HttpError(401, "Sign in, or send a token.")
    if not can(person, "values.approve", initiative, found.partner):
        raise PermissionDenied
    try:
        step(submission=found, by=caller(request).by, **kwargs)
    except approval.ApprovalError as exc:
        current = selectors.review_submission(initiative=initiative, person=person, uuid=uuid)
        return Status(409, {"detail": str(exc), "current": _detail(request, initiative, current)})
    reread = selectors.review_submission(initiative=initiative, person=person, uuid=uuid)
    return _detail(request, initiative, reread)


@router.post(f"{ONE}/approve", response={200: SubmissionDetailOut, 409: ConflictOut, **WRITE})
def approve_submission(request: HttpRequest, slug: Slug, uuid: UUID):
    """Approve a submitted report: its values count in the results from now on."""
    return _review(request, slug, uuid, approval.submission_approve)


@router.post(f"{ONE}/return", response={200: SubmissionDetailOut, 409: ConflictOut, **WRITE})
def return_submission(request: HttpRequest, slug: Slug, uuid: UUID, payload: ReturnIn):
    """Return a submitted report to its partner with what needs fixing."""
    return _review(request, slug, uuid, approval.submission_return, comment=payload.comment.strip())
