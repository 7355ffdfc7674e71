"""The updates feed over the REST API, as the feed page shows it to each caller.

The feed is the initiative's updates and, for members, the decisions of its open meetings,
newest first (anyone reads the updates of a public initiative). The backbone posts updates;
staff, partners and community members comment; every member reads the comments. Anyone else
writing gets 403 (401 for no one); what the service refuses (an empty text) is 422.
"""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as Refused
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from backbone.api.auth import caller, initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative
from backbone.permissions import can

from . import selectors, services
from .models import Update, UpdateComment

router = Router(tags=["updates"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
Kind = Literal["news", "data_release"]

READ = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
FORMER = "A former member"


class UpdateOut(Schema):
    uuid: UUID
    kind: Kind
    title: str
    body: str = Field(description="Plain text; line breaks are kept.")
    author: str = Field(description="Who posted it, as the feed names them.")
    created_at: datetime
    comments: int = Field(description="How many comments it has.")
    url: str = Field(description="The update's page.")

    @staticmethod
    def resolve_author(obj: Update) -> str:
        return str(obj.author) if obj.author else FORMER

    @staticmethod
    def resolve_comments(obj: Update) -> int:
        found = getattr(obj, "comment_count", None)
        return found if found is not None else selectors.comments_count(obj)

    @staticmethod
    def resolve_url(obj: Update) -> str:
        return reverse("updates:detail", args=[obj.initiative.slug, obj.uuid])


class FeedDecisionOut(Schema):
    text: str
    decided_on: date
    decided_by: str
    meeting: UUID = Field(description="The meeting it was taken at.")
    meeting_title: str
    group: str | None = Field(description="The working group whose meeting it was.")

    @staticmethod
    def resolve_meeting(obj) -> UUID:
        return obj.meeting.uuid

    @staticmethod
    def resolve_meeting_title(obj) -> str:
        return obj.meeting.title

    @staticmethod
    def resolve_group(obj) -> str | None:
        return obj.meeting.group.name if obj.meeting.group else None


class FeedItemOut(Schema):
    """An update or a decision, and the day it shows in the feed."""

    on: date
    type: Literal["update", "decision"]
    update: UpdateOut | None
    decision: FeedDecisionOut | None

    @staticmethod
    def resolve_type(obj: selectors.FeedItem) -> str:
        return "update" if obj.update is not None else "decision"


class UpdateCommentOut(Schema):
    uuid: UUID
    author: str
    body: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj: UpdateComment) -> str:
        return str(obj.author) if obj.author else FORMER


class UpdateIn(Schema):
    kind: Kind = "news"
    title: Text = Field(min_length=1, max_length=200)
    body: Text = Field(min_length=1, max_length=20000, description="Plain text.")


class UpdateCommentIn(Schema):
    body: Text = Field(min_length=1, max_length=5000, description="Plain text.")


def _refused(exc: Refused) -> ValidationError:
    return ValidationError(
        [
            {"type": "refused", "loc": ["body", name], "msg": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    )


def _require(request: HttpRequest, rule: str, initiative: Initiative) -> None:
    """401 for no one (on a public initiative), 403 for who may not do this."""
    if not who(request).is_authenticated:
        raise HttpError(401, "Sign in, or send a token.")
    if not can(who(request), rule, initiative):
        raise PermissionDenied


def _update(request: HttpRequest, slug: str, uuid: UUID) -> Update:
    initiative = initiative_of(request, slug, "updates.view")
    found = selectors.update_get(initiative=initiative, uuid=uuid)
    found.initiative = initiative
    return found


FEED = "/initiatives/{slug}/updates"
ONE = "/initiatives/{slug}/updates/{uuid}"


@router.get(FEED, response={200: list[FeedItemOut], **READ})
@paginate(Page)
def list_feed(request: HttpRequest, slug: Slug):
    """The feed, newest first: updates on the day posted and, for members, the decisions of
    open meetings on the day taken (decisions of private meetings and groups stay out)."""
    initiative = initiative_of(request, slug, "updates.view")
    return _Known(selectors.Feed(initiative=initiative, person=who(request)), initiative)


class _Known:
    """The feed, its updates knowing their initiative (for their links)."""

    def __init__(self, feed: selectors.Feed, initiative: Initiative) -> None:
        self.feed, self.initiative = feed, initiative

    def __len__(self) -> int:
        return len(self.feed)

    def __getitem__(self, window: slice):
        items = self.feed[window]
        for item in items:
            if item.update is not None:
                item.update.initiative = self.initiative
        return items


@router.get(ONE, response={200: UpdateOut, **READ})
def get_update(request: HttpRequest, slug: Slug, uuid: UUID):
    return _update(request, slug, uuid)


@router.post(FEED, response={201: UpdateOut, **WRITE})
def post_update(request: HttpRequest, slug: Slug, payload: UpdateIn):
    """Post news or a data release to the feed: the backbone only."""
    initiative = initiative_of(request, slug, "updates.view")
    _require(request, "updates.post", initiative)
    try:
        made = services.update_create(
            initiative=initiative, by=caller(request).by, **payload.model_dump()
        )
    except Refused as exc:
        raise _refused(exc) from exc
    made.initiative = initiative
    return Status(201, made)


@router.get(f"{ONE}/comments", response={200: list[UpdateCommentOut], **READ})
@paginate(Page)
def list_comments(request: HttpRequest, slug: Slug, uuid: UUID):
    """The update's comments, oldest first: members only (404 for anyone else)."""
    found = _update(request, slug, uuid)
    if not can(who(request), "updates.comments.view", found.initiative):
        raise Http404("No comments to show.")
    return selectors.comments_of(found)


@router.post(f"{ONE}/comments", response={201: UpdateCommentOut, **WRITE})
def post_comment(request: HttpRequest, slug: Slug, uuid: UUID, payload: UpdateCommentIn):
    """Comment on an update: the backbone, partners and community members (funders and
    evaluators read). The update's author and earlier commenters are notified."""
    found = _update(request, slug, uuid)
    _require(request, "updates.comment", found.initiative)
    try:
        made = services.comment_create(update=found, by=caller(request).by, body=payload.body)
    except Refused as exc:
        raise _refused(exc) from exc
    return Status(201, made)
