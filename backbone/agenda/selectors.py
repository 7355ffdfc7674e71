"""Reads of the common agenda that several pages need."""

from __future__ import annotations

import uuid as uuid_lib
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, QuerySet
from django.utils.translation import gettext as _

from backbone.initiatives.models import Initiative, Partner
from backbone.initiatives.roles import PartnerStatus

from .diff import DiffRow, compare_snapshots
from .models import AgendaVersion, Comment, Endorsement, Goal, Strategy
from .snapshots import (
    HEADER_FIELDS,
    STATUS_LABELS,
    Snapshot,
    empty_snapshot,
    index,
    snapshot_changes,
    snapshot_fingerprint,
    snapshot_of,
)


def current_version(initiative: Initiative) -> AgendaVersion | None:
    return (
        AgendaVersion.objects.filter(initiative=initiative)
        .select_related("created_by")
        .order_by("-number")
        .first()
    )


def agenda_tree(initiative: Initiative, *, with_comments: bool = False) -> list[Goal]:
    """Goals › strategies › actions in order, in a fixed number of queries, with comments
    (and their authors) on goals and strategies when asked for."""
    strategies = Strategy.objects.prefetch_related("actions")
    prefetches: list = [Prefetch("strategies", queryset=strategies)]
    if with_comments:
        comments = Comment.objects.select_related("author")
        strategies = strategies.prefetch_related(Prefetch("comments", queryset=comments))
        prefetches = [
            Prefetch("strategies", queryset=strategies),
            Prefetch("comments", queryset=comments),
        ]
    return list(Goal.objects.filter(initiative=initiative).prefetch_related(*prefetches))


# --- the published agenda and the draft ------------------------------------------------------
#
# The rows (Agenda, Goal, Strategy, AgreedAction) are the draft that editors change; readers
# see the snapshot of the current version, the one partners endorse.


class Items(list):
    """Parts of a snapshot that answer `.all()` as a related manager does, so pages and
    summaries written for the rows read a version unchanged."""

    def all(self) -> Items:
        return self


@dataclass(frozen=True)
class ShownAction:
    uuid: str
    title: str
    description: str
    status: str

    def get_status_display(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class ShownItem:
    """A goal or a strategy as a snapshot holds it, with the comments on its row."""

    uuid: str
    title: str
    description: str
    strategies: Items = field(default_factory=Items)  # a goal's
    actions: Items = field(default_factory=Items)  # a strategy's
    comments: Items = field(default_factory=Items)
    is_live: bool = False  # its row still exists, so people may comment on it


@dataclass(frozen=True)
class AgendaTexts:
    problem_statement: str
    vision: str
    community_aspirations: str


@dataclass(frozen=True)
class AgendaDocument:
    """The agenda one snapshot holds, ready to show: a published version, or the draft."""

    texts: AgendaTexts | None  # None while none of the texts is written
    goals: list[ShownItem]

    @property
    def is_empty(self) -> bool:
        return self.texts is None and not self.goals


def agenda_document(
    initiative: Initiative, snapshot: Snapshot, *, with_comments: bool = False
) -> AgendaDocument:
    """What `snapshot` says, with the comments (and their authors) of the goals and strategies
    whose rows still exist when asked for: matched by uuid, comments follow an item through
    renames and moves. No query without comments, two with them."""
    comments: dict[str, Items] = {}
    live: set[str] = set()
    if with_comments:
        goals = Goal.objects.filter(initiative=initiative).order_by().values_list("uuid")
        strategies = Strategy.objects.filter(initiative=initiative).order_by().values_list("uuid")
        live = {str(uuid) for (uuid,) in goals.union(strategies, all=True)}
        found = (
            Comment.objects.filter(initiative=initiative)
            .select_related("author")
            .annotate(goal_key=F("goal__uuid"), strategy_key=F("strategy__uuid"))
        )
        for comment in found:
            key = str(comment.goal_key or comment.strategy_key)
            comments.setdefault(key, Items()).append(comment)

    def shown(row: dict, **children) -> ShownItem:
        key = row["uuid"]
        return ShownItem(
            uuid=key,
            title=row["title"],
            description=row.get("description", ""),
            comments=comments.get(key, Items()),
            is_live=key in live,
            **children,
        )

    def actions(strategy: dict) -> Items:
        return Items(
            ShownAction(
                uuid=a["uuid"],
                title=a["title"],
                description=a.get("description", ""),
                status=a.get("status", ""),
            )
            for a in strategy.get("actions", [])
        )

    goals = [
        shown(
            goal,
            strategies=Items(
                shown(strategy, actions=actions(strategy))
                for strategy in goal.get("strategies", [])
            ),
        )
        for goal in snapshot.get("goals", [])
    ]
    texts = AgendaTexts(**{key: snapshot.get(key, "") for key, _label in HEADER_FIELDS})
    has_texts = any(getattr(texts, key) for key, _label in HEADER_FIELDS)
    return AgendaDocument(texts=texts if has_texts else None, goals=goals)


def published_snapshot(version: AgendaVersion | None) -> Snapshot:
    return version.snapshot if version is not None else empty_snapshot()


def published_item(initiative: Initiative, uuid) -> dict | None:
    """A goal or a strategy as the current version holds it (what readers may know of it);
    None when it is not published."""
    version = current_version(initiative)
    found = index(published_snapshot(version)).get(str(uuid))
    if found is None or found[0] not in ("goal", "strategy"):
        return None
    return found[1]


@dataclass(frozen=True)
class Draft:
    """The agenda as editors left it, against the version readers see."""

    snapshot: Snapshot
    published: AgendaVersion | None
    changes: list[str]  # empty when the draft is the published version

    @property
    def is_changed(self) -> bool:
        return bool(self.changes)

    @property
    def number(self) -> int:
        """The number the draft takes when published."""
        return self.published.number + 1 if self.published else 1

    @property
    def fingerprint(self) -> str:
        return snapshot_fingerprint(self.snapshot)


def draft_of(initiative: Initiative, version: AgendaVersion | None = None) -> Draft:
    """The draft measured against `version` (the current one by default). Five queries."""
    version = version or current_version(initiative)
    snapshot = snapshot_of(initiative)
    before = published_snapshot(version)
    changes = []
    if snapshot != before:
        changes = snapshot_changes(before, snapshot) or [_("Agenda updated")]
    return Draft(snapshot=snapshot, published=version, changes=changes)


def agenda_summary(initiative: Initiative) -> dict:
    """What an overview shows of the agenda: the published vision and goals, and the version."""
    version = current_version(initiative)
    document = agenda_document(initiative, published_snapshot(version))
    return {"agenda": document.texts, "goals": document.goals, "version": version}


def pending_endorsements(person, initiative=None) -> list[dict]:
    """Partners this person stewards that have not endorsed their initiative's current version
    (in every initiative, or in one)."""
    from backbone.initiatives.models import Membership

    if not person.is_authenticated:
        return []
    stewardships = Membership.objects.filter(person=person, role="partner_steward").select_related(
        "initiative", "organisation"
    )
    if initiative is not None:
        stewardships = stewardships.filter(initiative=initiative)
    waiting = []
    for membership in stewardships:
        version = current_version(membership.initiative)
        if version is None:
            continue
        partner = Partner.objects.filter(
            initiative=membership.initiative,
            organisation=membership.organisation,
            status="active",
        ).first()
        if partner and not Endorsement.objects.filter(version=version, partner=partner).exists():
            waiting.append(
                {"initiative": membership.initiative, "partner": partner, "version": version}
            )
    return waiting


# --- lookups within one initiative (tenancy: never a bare .get() on agenda data) ----------


def _as_uuid(value) -> uuid_lib.UUID | None:
    if isinstance(value, uuid_lib.UUID):
        return value
    try:
        return uuid_lib.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def version_in(initiative: Initiative, value) -> AgendaVersion | None:
    """The version of `initiative` with uuid `value`; None for garbage or another's version."""
    parsed = _as_uuid(value)
    if parsed is None:
        return None
    return (
        AgendaVersion.objects.filter(initiative=initiative, uuid=parsed)
        .select_related("created_by")
        .first()
    )


def versions_of(initiative: Initiative) -> QuerySet[AgendaVersion]:
    """Newest first, with their author and how many partners endorsed each."""
    return (
        AgendaVersion.objects.filter(initiative=initiative)
        .select_related("created_by")
        .annotate(endorsement_count=Count("endorsements"))
        .order_by("-number")
    )


# --- endorsements --------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerEndorsement:
    """Where one active partner stands with the current version."""

    partner: Partner
    latest: Endorsement | None  # its most recent endorsement, of any version
    current: AgendaVersion | None

    @property
    def state(self) -> str:
        """ "current", "earlier" (endorsed an older version only) or "none"."""
        if self.latest is None:
            return "none"
        if self.current is not None and self.latest.version_id == self.current.pk:
            return "current"
        return "earlier"


@dataclass(frozen=True)
class EndorsementStatus:
    version: AgendaVersion | None
    rows: list[PartnerEndorsement]

    @property
    def endorsed(self) -> int:
        return sum(1 for row in self.rows if row.state == "current")

    @property
    def total(self) -> int:
        return len(self.rows)


def endorsement_status(
    initiative: Initiative, version: AgendaVersion | None = None
) -> EndorsementStatus:
    """Every active partner and its latest endorsement, measured against `version`
    (the current one by default). Two queries, whatever the number of partners."""
    version = version or current_version(initiative)
    partners = list(
        Partner.objects.filter(initiative=initiative, status=PartnerStatus.ACTIVE)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    latest: dict[int, Endorsement] = {}
    endorsements = (
        Endorsement.objects.filter(initiative=initiative, partner__in=[p.pk for p in partners])
        .select_related("version", "endorsed_by")
        .order_by("partner_id", "-version__number", "-endorsed_at")
    )
    for endorsement in endorsements:
        latest.setdefault(endorsement.partner_id, endorsement)
    rows = [
        PartnerEndorsement(partner=p, latest=latest.get(p.pk), current=version) for p in partners
    ]
    return EndorsementStatus(version=version, rows=rows)


# --- comparing versions --------------------------------------------------------------------


@dataclass(frozen=True)
class VersionComparison:
    old: AgendaVersion
    new: AgendaVersion | Draft
    rows: list[DiffRow]

    @property
    def is_draft(self) -> bool:
        return isinstance(self.new, Draft)

    @property
    def changed(self) -> list[DiffRow]:
        return [row for row in self.rows if row.state == "changed"]

    @property
    def added(self) -> list[DiffRow]:
        return [row for row in self.rows if row.state == "added"]

    @property
    def removed(self) -> list[DiffRow]:
        return [row for row in self.rows if row.state == "removed"]


def version_compare(a: AgendaVersion, b: AgendaVersion | Draft) -> VersionComparison:
    """`a` (left) and `b` (right, a version or the draft) side by side: header fields and
    every goal, strategy and action matched by uuid, words removed in <del> on the left and
    added in <ins> on the right, plus what was added and removed."""
    return VersionComparison(old=a, new=b, rows=compare_snapshots(a.snapshot, b.snapshot))


def versions_between(a: AgendaVersion, b: AgendaVersion) -> QuerySet[AgendaVersion]:
    """The versions after the older of `a` and `b`, up to the newer, oldest first."""
    low, high = sorted([a.number, b.number])
    return (
        AgendaVersion.objects.filter(
            initiative_id=a.initiative_id, number__gt=low, number__lte=high
        )
        .select_related("created_by")
        .order_by("number")
    )
