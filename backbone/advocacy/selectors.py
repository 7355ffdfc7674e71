"""Reads: the policy list, public will figures, the commitments matrix and stale partners."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Q

from backbone.initiatives.models import Initiative, Partner

from .models import Commitment, Policy, PublicWillItem

#: A commitment is stale when its latest progress update is older than this (or it has none).
STALE_AFTER = timedelta(days=90)


def policies(*, initiative: Initiative, public_only: bool = False):
    rows = Policy.objects.filter(initiative=initiative).select_related("next_step_owner")
    return rows.filter(is_public=True) if public_only else rows


def policies_by_status(*, rows) -> list[tuple[str, list[Policy]]]:
    """Status groups in the order a policy moves through them; empty ones left out."""
    grouped: dict[str, list[Policy]] = defaultdict(list)
    for policy in rows:
        grouped[policy.status].append(policy)
    return [(label, grouped[value]) for value, label in Policy.Status.choices if grouped[value]]


@dataclass
class ReachTable:
    kinds: list[tuple[str, str]]
    by_kind: dict[str, list[PublicWillItem]]
    total_by_kind: dict[str, int]
    quarters: list[tuple[str, list[int], int]]  # (label, reach per kind, total)

    @property
    def sections(self):
        """(label, items, total reach) per kind, in the order of the kinds."""
        return [(label, self.by_kind[k], self.total_by_kind[k]) for k, label in self.kinds]


def quarter_of(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def public_will(*, initiative: Initiative) -> ReachTable:
    """Items by kind with reach summed per kind and per quarter of their (start) date;
    items without a reach count add nothing."""
    items = list(PublicWillItem.objects.filter(initiative=initiative))
    kinds = list(PublicWillItem.Kind.choices)
    by_kind: dict[str, list[PublicWillItem]] = {k: [] for k, _ in kinds}
    per_quarter: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in items:
        by_kind[item.kind].append(item)
        per_quarter[quarter_of(item.starts_on)][item.kind] += item.reach or 0
    totals = {k: sum(i.reach or 0 for i in by_kind[k]) for k, _ in kinds}
    quarters = [
        (q, [per_quarter[q][k] for k, _ in kinds], sum(per_quarter[q].values()))
        for q in sorted(per_quarter)
    ]
    return ReachTable(kinds=kinds, by_kind=by_kind, total_by_kind=totals, quarters=quarters)


def commitments_of(*, partner: Partner):
    return (
        Commitment.objects.filter(partner=partner)
        .prefetch_related("updates__by")
        .annotate(last_update=Max("updates__on"))
    )


@dataclass
class Cell:
    count: int = 0
    latest: Commitment | None = None


@dataclass
class Matrix:
    kinds: list[tuple[str, str]]
    rows: list[tuple[Partner, list[Cell]]] = field(default_factory=list)


def _partners(initiative: Initiative):
    return (
        Partner.objects.filter(initiative=initiative)
        .exclude(status="withdrawn")
        .select_related("organisation")
        .order_by("organisation__name")
    )


def matrix(*, initiative: Initiative) -> Matrix:
    """Partners × kinds: how many commitments, and the status of the one that started last
    (the most recent start date, then the most recently recorded)."""
    cells: dict[tuple[int, str], Cell] = defaultdict(Cell)
    for c in Commitment.objects.filter(initiative=initiative).order_by("starts_on", "id"):
        cell = cells[(c.partner_id, c.kind)]
        cell.count += 1
        cell.latest = c
    kinds = list(Commitment.Kind.choices)
    found = Matrix(kinds=kinds)
    for partner in _partners(initiative):
        found.rows.append((partner, [cells.get((partner.pk, k), Cell()) for k, _ in kinds]))
    return found


@dataclass
class Staleness:
    stale: list[tuple[Partner, date | None]]  # with the date of its latest update, if any
    without: list[Partner]


def staleness(*, initiative: Initiative, today: date) -> Staleness:
    """Partners whose open commitments (committed or in progress) have all gone without a
    progress update for more than 90 days: an update dated on or after `today - 90 days`
    keeps the partner fresh. Partners with no commitments at all are listed apart; those
    whose commitments are all done or dropped are neither."""
    since = today - STALE_AFTER
    partners = _partners(initiative).annotate(
        n_all=Max("commitments__id"),
        n_open=Max("commitments__id", filter=Q(commitments__status__in=Commitment.OPEN)),
        fresh=Max(
            "commitments__updates__on",
            filter=Q(commitments__status__in=Commitment.OPEN, commitments__updates__on__gte=since),
        ),
        last=Max("commitments__updates__on", filter=Q(commitments__status__in=Commitment.OPEN)),
    )
    stale, without = [], []
    for p in partners:
        if p.n_all is None:
            without.append(p)
        elif p.n_open is not None and p.fresh is None:
            stale.append((p, p.last))
    return Staleness(stale=stale, without=without)


# --- reads of the API ------------------------------------------------------------------


def policies_listed(*, initiative: Initiative, public_only: bool, **where: str):
    """The policy list, filtered by any of `status`, `level` and `position` given."""
    wanted = {k: v for k, v in where.items() if k in ("status", "level", "position") and v}
    return policies(initiative=initiative, public_only=public_only).filter(**wanted)


def policy_get(*, initiative: Initiative, uuid) -> Policy | None:
    """The policy within this initiative (whether the caller may see it is asked apart)."""
    return policies(initiative=initiative).filter(uuid=uuid).first()


def policy_events(*, policy: Policy):
    return policy.events.select_related("recorded_by")


def public_will_items(*, initiative: Initiative, kind: str = ""):
    """The items of the public will page, newest first, optionally of one kind."""
    found = PublicWillItem.objects.filter(initiative=initiative)
    return found.filter(kind=kind) if kind else found


def public_will_item_get(*, initiative: Initiative, uuid) -> PublicWillItem | None:
    return public_will_items(initiative=initiative).filter(uuid=uuid).first()


def commitments(*, initiative: Initiative, partner: Partner | None = None, kind="", status=""):
    """Every partner's commitments, by partner then kind and start, with the day of the
    latest progress update (`last_update`)."""
    found = (
        Commitment.objects.filter(initiative=initiative)
        .select_related("partner__organisation")
        .annotate(last_update=Max("updates__on"))
        .order_by("partner__organisation__name", "kind", "starts_on", "id")
    )
    if partner is not None:
        found = found.filter(partner=partner)
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    return found


def commitment_get(*, initiative: Initiative, uuid) -> Commitment | None:
    return commitments(initiative=initiative).filter(uuid=uuid).first()


def commitment_updates(*, commitment: Commitment):
    return commitment.updates.select_related("by")


def partner_named(*, initiative: Initiative, organisation: str) -> Partner | None:
    """The partner whose organisation has this slug, here."""
    found = Partner.objects.filter(initiative=initiative, organisation__slug=organisation)
    return found.select_related("organisation").first()


def person_named(*, uuid):
    """A person by uuid, whoever they are: the services decide whether they may be named."""
    from backbone.accounts.models import Person

    return Person.objects.filter(uuid=uuid).first()
