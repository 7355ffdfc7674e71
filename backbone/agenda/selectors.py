"""Reads of the common agenda that several pages need."""

from __future__ import annotations

import uuid as uuid_lib
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from backbone.initiatives.models import Initiative, Partner
from backbone.initiatives.roles import PartnerStatus

from .diff import DiffRow, compare_snapshots
from .models import Agenda, AgendaVersion, Comment, Endorsement, Goal, Strategy


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


def agenda_summary(initiative: Initiative) -> dict:
    """What an overview shows of the agenda: vision, goals and the current version."""
    return {
        "agenda": Agenda.objects.filter(initiative=initiative).first(),
        "goals": agenda_tree(initiative),
        "version": current_version(initiative),
    }


def pending_endorsements(person) -> list[dict]:
    """Partners this person stewards that have not endorsed their initiative's current version."""
    from backbone.initiatives.models import Membership

    if not person.is_authenticated:
        return []
    stewardships = Membership.objects.filter(person=person, role="partner_steward").select_related(
        "initiative", "organisation"
    )
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
    new: AgendaVersion
    rows: list[DiffRow]

    @property
    def changed(self) -> list[DiffRow]:
        return [row for row in self.rows if row.state == "changed"]

    @property
    def added(self) -> list[DiffRow]:
        return [row for row in self.rows if row.state == "added"]

    @property
    def removed(self) -> list[DiffRow]:
        return [row for row in self.rows if row.state == "removed"]


def version_compare(a: AgendaVersion, b: AgendaVersion) -> VersionComparison:
    """`a` (left) and `b` (right) side by side: header fields and every goal, strategy and
    action matched by uuid, words removed in <del> on the left and added in <ins> on the
    right, plus what was added and removed."""
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
