"""Writes to the common agenda. Each runs in one transaction.

Edits change the rows, which are the draft only editors see; version_publish freezes the
draft as the version readers see and partners are asked to endorse.

Rich text (problem statement, vision, aspirations, descriptions, comments) is sanitised here,
whoever calls: plain text becomes paragraphs, HTML keeps only the tags richtext allows.
Permissions are the caller's business (views ask backbone.permissions first).
"""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from backbone import webhooks
from backbone.accounts.models import Person
from backbone.deletion import delete_or_refuse
from backbone.initiatives.models import Initiative, Partner
from backbone.initiatives.roles import PartnerStatus
from backbone.notifications.events import agenda_published
from backbone.revisions import revise
from backbone.richtext import sanitize
from backbone.webhooks import payloads

from .models import Agenda, AgendaVersion, AgreedAction, Comment, Endorsement, Goal, Strategy
from .snapshots import empty_snapshot, snapshot_changes, snapshot_fingerprint, snapshot_of

_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z/!]")
TITLE_MAX = Goal._meta.get_field("title").max_length


class AgendaError(Exception):
    """A write the agenda refuses, with a reason a person can read."""


class PublishError(AgendaError):
    pass


class EndorsementError(AgendaError):
    pass


class CommentError(AgendaError):
    pass


def rich_text(value: str) -> str:
    """Sanitised HTML from what a person typed: plain text keeps its paragraphs."""
    value = (value or "").strip()
    if value and not _LOOKS_LIKE_HTML.search(value):
        value = linebreaks(value, autoescape=True)  # escaped, paragraphs in <p>, lines <br>
    return sanitize(value)


_SIMPLE_HTML = re.compile(r"</?p>|<br\s*/?>")


def editable_text(html: str) -> str:
    """The inverse of rich_text for simple paragraphs, so a form shows words, not <p> tags.

    HTML with other tags (bold, lists, links) is returned as it is, to be edited as HTML."""
    html = (html or "").strip()
    if _LOOKS_LIKE_HTML.search(_SIMPLE_HTML.sub("", html)):
        return html
    text = re.sub(r"</p>\s*<p>", "\n\n", html)
    text = re.sub(r"<br\s*/?>\s*", "\n", text)
    text = unescape(_SIMPLE_HTML.sub("", text)).strip()
    return html if _LOOKS_LIKE_HTML.search(text) else text


def has_text(html: str) -> bool:
    """True when sanitised HTML holds something to read, not just empty tags."""
    return bool(re.sub(r"<[^>]*>|&nbsp;|\s", "", html or ""))


def _plain(value: str) -> str:
    return " ".join((value or "").split())


def _title(value: str) -> str:
    title = _plain(value)
    if not title:
        raise AgendaError("A title is required.")
    if len(title) > TITLE_MAX:
        raise AgendaError(f"A title has at most {TITLE_MAX} characters.")
    return title


def _status(value: str) -> str:
    if value not in AgreedAction.Status.values:
        raise AgendaError(f"Unknown status {value!r} for an agreed action.")
    return value


def _lock(initiative: Initiative) -> None:
    """Serialise agenda writes of one initiative (version numbers, endorsements)."""
    Initiative.objects.select_for_update().only("pk").get(pk=initiative.pk)


def _next_position(queryset) -> int:
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


# --- versions -----------------------------------------------------------------------------


@transaction.atomic
def version_record(
    *, initiative: Initiative, by: Person | None, note: str = "", at: datetime | None = None
) -> AgendaVersion | None:
    """Freeze the agenda as a new version if it differs from the last one; None otherwise.
    Publishing is this step: callers go through version_publish."""
    _lock(initiative)
    snapshot = snapshot_of(initiative)
    previous = AgendaVersion.objects.filter(initiative=initiative).order_by("-number").first()
    before = previous.snapshot if previous else empty_snapshot()
    if snapshot == before:
        return None
    changes = snapshot_changes(before, snapshot) or [_("Agenda updated")]
    version = AgendaVersion.objects.create(
        initiative=initiative,
        number=(previous.number + 1) if previous else 1,
        snapshot=snapshot,
        changes=changes,
        note=_plain(note)[:300],
        created_by=by,
        created_at=at or timezone.now(),
    )
    agenda_published(version, by=by)
    return version


@transaction.atomic
def version_publish(
    *,
    initiative: Initiative,
    by: Person | None,
    note: str = "",
    seen: str | None = None,
    at: datetime | None = None,
) -> AgendaVersion:
    """Publish the draft as the next version: readers see it from now on, and every active
    partner is asked to endorse it. `seen` is the fingerprint of the draft the person read
    (snapshots.snapshot_fingerprint), so a draft another editor changed meanwhile is not
    published unread. Refused when the draft is the published version."""
    _lock(initiative)
    if seen is not None and snapshot_fingerprint(snapshot_of(initiative)) != seen:
        raise PublishError(
            "The draft changed while you were reading it. Read its changes again, then publish it."
        )
    version = version_record(initiative=initiative, by=by, note=note, at=at)
    if version is None:
        current = AgendaVersion.objects.filter(initiative=initiative).order_by("-number").first()
        if current is None:
            raise PublishError("Nothing to publish: the agenda is still empty.")
        raise PublishError(
            f"Nothing to publish: the draft is the same as version {current.number}, "
            "the one partners already have."
        )
    webhooks.announce(initiative, webhooks.AGENDA_PUBLISHED, payloads.agenda_version(version))
    return version


# --- the header ---------------------------------------------------------------------------


@transaction.atomic
def agenda_update(
    *,
    initiative: Initiative,
    by: Person,
    problem_statement: str,
    vision: str,
    community_aspirations: str,
    read_revision: int | None = None,
) -> Agenda:
    """Save the header texts in the draft. `read_revision`: the revision of the texts the
    editor's form was read at (backbone.revisions); 0 when there were none yet."""
    _lock(initiative)
    agenda, _created = Agenda.objects.get_or_create(initiative=initiative)
    revise(agenda, read=read_revision, by=by)
    agenda.problem_statement = rich_text(problem_statement)
    agenda.vision = rich_text(vision)
    agenda.community_aspirations = rich_text(community_aspirations)
    agenda.save()
    return agenda


# --- goals, strategies, agreed actions ------------------------------------------------------


@transaction.atomic
def goal_create(*, initiative: Initiative, by: Person, title: str, description: str = "") -> Goal:
    _lock(initiative)
    return Goal.objects.create(
        initiative=initiative,
        title=_title(title),
        description=rich_text(description),
        position=_next_position(Goal.objects.filter(initiative=initiative)),
    )


@transaction.atomic
def goal_update(
    *, goal: Goal, by: Person, title: str, description: str, read_revision: int | None = None
) -> Goal:
    _lock(goal.initiative)
    revise(goal, read=read_revision, by=by)
    goal.title = _title(title)
    goal.description = rich_text(description)
    goal.save(update_fields=["title", "description"])
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal, by: Person) -> None:
    """Remove a goal with its strategies, actions and comments; the versions keep them.
    DeleteRefused while a grant funds one of its strategies."""
    _lock(goal.initiative)
    delete_or_refuse(goal, kind="goal")


@transaction.atomic
def strategy_create(*, goal: Goal, by: Person, title: str, description: str = "") -> Strategy:
    _lock(goal.initiative)
    return Strategy.objects.create(
        initiative_id=goal.initiative_id,
        goal=goal,
        title=_title(title),
        description=rich_text(description),
        position=_next_position(Strategy.objects.filter(goal=goal)),
    )


@transaction.atomic
def strategy_update(
    *,
    strategy: Strategy,
    by: Person,
    title: str,
    description: str,
    read_revision: int | None = None,
) -> Strategy:
    _lock(strategy.initiative)
    revise(strategy, read=read_revision, by=by)
    strategy.title = _title(title)
    strategy.description = rich_text(description)
    strategy.save(update_fields=["title", "description"])
    return strategy


@transaction.atomic
def strategy_delete(*, strategy: Strategy, by: Person) -> None:
    """DeleteRefused while a grant funds the strategy."""
    _lock(strategy.initiative)
    delete_or_refuse(strategy, kind="strategy")


@transaction.atomic
def action_create(
    *,
    strategy: Strategy,
    by: Person,
    title: str,
    description: str = "",
    status: str = AgreedAction.Status.PLANNED,
) -> AgreedAction:
    _lock(strategy.initiative)
    action = AgreedAction(
        initiative_id=strategy.initiative_id,
        strategy=strategy,
        title=_title(title),
        description=rich_text(description),
        status=_status(status),
        position=_next_position(AgreedAction.objects.filter(strategy=strategy)),
    )
    action.save()
    return action


@transaction.atomic
def action_update(
    *,
    action: AgreedAction,
    by: Person,
    title: str,
    description: str,
    status: str,
    read_revision: int | None = None,
) -> AgreedAction:
    _lock(action.initiative)
    revise(action, read=read_revision, by=by)
    action.title = _title(title)
    action.description = rich_text(description)
    action.status = _status(status)
    action.save(update_fields=["title", "description", "status"])
    return action


@transaction.atomic
def action_delete(*, action: AgreedAction, by: Person) -> None:
    _lock(action.initiative)
    action.delete()


def _siblings(item: Goal | Strategy | AgreedAction):
    if isinstance(item, Goal):
        return Goal.objects.filter(initiative_id=item.initiative_id)
    if isinstance(item, Strategy):
        return Strategy.objects.filter(goal_id=item.goal_id)
    return AgreedAction.objects.filter(strategy_id=item.strategy_id)


@transaction.atomic
def item_move(*, item: Goal | Strategy | AgreedAction, by: Person, up: bool) -> bool:
    """Swap a goal, strategy or action with its neighbour above (or below) it; False when it
    is already first (or last). Positions are renumbered from 0, so ties left by earlier
    writes cannot make a move do nothing."""
    _lock(item.initiative)
    siblings = list(_siblings(item).order_by("position", "id"))
    here = next(n for n, sibling in enumerate(siblings) if sibling.pk == item.pk)
    there = here - 1 if up else here + 1
    if not 0 <= there < len(siblings):
        return False
    siblings[here], siblings[there] = siblings[there], siblings[here]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    type(item).objects.bulk_update(siblings, ["position"])
    return True


# --- endorsements and comments --------------------------------------------------------------


@transaction.atomic
def endorsement_create(
    *,
    version: AgendaVersion,
    partner: Partner,
    by: Person,
    note: str = "",
    at: datetime | None = None,
) -> Endorsement:
    """`partner` signs `version`, which must be its initiative's current one, once."""
    _lock(version.initiative)
    name = partner.organisation.name
    if partner.initiative_id != version.initiative_id:
        raise EndorsementError(f"{name} is not a partner of this initiative.")
    if partner.status != PartnerStatus.ACTIVE:
        raise EndorsementError(
            f"{name} is {partner.get_status_display().lower()}; only active partners endorse."
        )
    latest = (
        AgendaVersion.objects.filter(initiative_id=version.initiative_id)
        .order_by("-number")
        .values_list("pk", "number")
        .first()
    )
    if latest is None or latest[0] != version.pk:
        raise EndorsementError(
            f"Version {version.number} is no longer the current agenda"
            + (f"; read version {latest[1]} and endorse that." if latest else ".")
        )
    if Endorsement.objects.filter(version=version, partner=partner).exists():
        raise EndorsementError(f"{name} has already endorsed version {version.number}.")
    return Endorsement.objects.create(
        initiative_id=version.initiative_id,
        version=version,
        partner=partner,
        endorsed_by=by,
        endorsed_at=at or timezone.now(),
        note=_plain(note)[:500],
    )


@transaction.atomic
def comment_create(
    *,
    initiative: Initiative,
    by: Person,
    body: str,
    goal: Goal | None = None,
    strategy: Strategy | None = None,
) -> Comment:
    """Community input on one goal or one strategy of `initiative`."""
    if (goal is None) == (strategy is None):
        raise CommentError("A comment is about one goal or one strategy.")
    target = goal or strategy
    if target.initiative_id != initiative.pk:
        raise CommentError("That goal or strategy is not part of this initiative's agenda.")
    clean = rich_text(body)
    if not has_text(clean):
        raise CommentError("Write a comment first.")
    return Comment.objects.create(
        initiative=initiative, goal=goal, strategy=strategy, author=by, body=clean
    )
