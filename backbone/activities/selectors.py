"""Reads: the 4W rows and the alignment of an initiative, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from backbone.agenda.models import Strategy
from backbone.initiatives.models import Initiative, Partner
from backbone.measurement.models import Group

from . import alignment
from .models import Activity

PER_PAGE = 100  # the 4W view's rows a page; the exports hold every row
OVERLAPS_LISTED = 100  # a backbone acts on a few overlaps at a time; the count says how many


def places(*, initiative: Initiative) -> list[Group]:
    """Every place of the initiative's geography, each parent before its children, with
    `depth` set (0 at the top)."""
    found = list(
        Group.objects.filter(initiative=initiative, dimension__is_geography=True).order_by(
            "dimension__position", "position", "name"
        )
    )
    children: dict[int | None, list[Group]] = defaultdict(list)
    ids = {g.pk for g in found}
    for g in found:
        children[g.parent_id if g.parent_id in ids else None].append(g)
    ordered: list[Group] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for g in children.get(parent_id, []):
            g.depth = depth
            ordered.append(g)
            walk(g.pk, depth + 1)

    walk(None, 0)
    return ordered


def parents_of(place_list: list[Group]) -> dict[int, int | None]:
    return {g.pk: g.parent_id for g in place_list}


@dataclass
class ActivityFilter:
    strategy: Strategy | None = None
    partner: Partner | None = None
    sector: str = ""
    place: Group | None = None
    group: Group | None = None
    status: str = ""
    start: date | None = None
    end: date | None = None


def _rows(initiative: Initiative) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(initiative=initiative)
        .select_related("partner__organisation")
        .prefetch_related(
            Prefetch("strategies", queryset=Strategy.objects.order_by("position", "id")),
            "places",
            "groups",
        )
        .order_by("partner__organisation__name", "starts_on", "name", "id")
    )


def _filtered(
    initiative: Initiative, flt: ActivityFilter | None, place_list: list | None
) -> QuerySet[Activity]:
    flt = flt or ActivityFilter()
    qs = _rows(initiative)
    if flt.strategy:
        qs = qs.filter(strategies=flt.strategy)
    if flt.partner:
        qs = qs.filter(partner=flt.partner)
    if flt.sector:
        qs = qs.filter(partner__organisation__sector=flt.sector)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.group:
        qs = qs.filter(groups=flt.group)
    if flt.end:
        qs = qs.filter(starts_on__lte=flt.end)
    if flt.start:
        qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=flt.start))
    if flt.place:
        if place_list is None:
            place_list = places(initiative=initiative)
        parents = parents_of(place_list)
        inside = [p for p in parents if alignment.within(p, flt.place.pk, parents)]
        qs = qs.filter(places__in=inside)
    return qs.distinct()


def activities_query(
    *, initiative: Initiative, flt: ActivityFilter | None = None, place_list: list | None = None
) -> QuerySet[Activity]:
    """The 4W rows as a query, for the API to page through."""
    return _filtered(initiative, flt, place_list)


def activities(
    *, initiative: Initiative, flt: ActivityFilter | None = None, place_list: list | None = None
) -> list[Activity]:
    """The 4W rows: who does what, where, when, filtered. A district includes its
    neighbourhoods; a period keeps the activities running at some time within it."""
    return list(_filtered(initiative, flt, place_list))


def activities_page(
    *,
    initiative: Initiative,
    flt: ActivityFilter | None = None,
    place_list: list | None = None,
    number: object = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """One page of the 4W rows: only its activities are read, with their strategies, places
    and groups."""
    return Paginator(_filtered(initiative, flt, place_list), per_page).get_page(number)


@dataclass(frozen=True)
class ActivityRef:
    """An activity as the alignment page names it: read as plain rows, not model instances,
    since the page names every activity of the initiative."""

    pk: int
    uuid: object
    name: str
    partner: Partner
    places: tuple[Group, ...]


@dataclass
class Row:
    """One row of a matrix: a partner or a place, and its activities per strategy."""

    label: object
    cells: list[list[ActivityRef]]
    depth: int = 0

    @property
    def indent(self) -> str:
        return "\u2003" * self.depth


@dataclass
class Alignment:
    strategies: list[Strategy]
    by_partner: list[Row]
    by_place: list[Row]
    strategy_gaps: list[Strategy]
    place_gaps: list[Group]
    overlaps: list[tuple[ActivityRef, ActivityRef, list[Strategy], list[Group]]]  # the first
    overlap_count: int = 0
    has_places: bool = field(default=False)


def _links(model, initiative: Initiative, column: str) -> dict[int, list[int]]:
    """activity id → the ids it links to through one of its many-to-many fields."""
    found: dict[int, list[int]] = defaultdict(list)
    for activity_id, other in model.objects.filter(activity__initiative=initiative).values_list(
        "activity_id", column
    ):
        found[activity_id].append(other)
    return found


def alignment_of(*, initiative: Initiative) -> Alignment:
    """Partners × strategies and places × strategies, with gaps and overlaps. The matrices
    count every activity that is not done; gaps and overlaps only active ones."""
    strategies = list(
        Strategy.objects.filter(initiative=initiative).order_by("goal__position", "position", "id")
    )
    place_list = places(initiative=initiative)
    parents = parents_of(place_list)
    place_by_pk = {g.pk: g for g in place_list}
    partners = {
        p.pk: p
        for p in Partner.objects.filter(initiative=initiative).select_related("organisation")
    }
    strategy_links = _links(Activity.strategies.through, initiative, "strategy_id")
    place_links = _links(Activity.places.through, initiative, "group_id")
    group_links = _links(Activity.groups.through, initiative, "group_id")
    rows = list(
        Activity.objects.filter(initiative=initiative)
        .order_by("partner__organisation__name", "starts_on", "name", "id")
        .values_list("pk", "uuid", "name", "partner_id", "status", "starts_on", "ends_on")
    )
    items, refs, current = {}, {}, []
    for pk, uid, name, partner_id, status, starts_on, ends_on in rows:
        items[pk] = alignment.Item(
            key=pk,
            partner=partner_id,
            status=status,
            strategies=frozenset(strategy_links.get(pk, ())),
            places=frozenset(place_links.get(pk, ())),
            groups=frozenset(group_links.get(pk, ())),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        refs[pk] = ActivityRef(
            pk=pk,
            uuid=uid,
            name=name,
            partner=partners[partner_id],
            places=tuple(place_by_pk[g] for g in place_links.get(pk, ()) if g in place_by_pk),
        )
        if status != Activity.Status.DONE:
            current.append(pk)
    index = {s.pk: n for n, s in enumerate(strategies)}

    def cells_for(chosen: list[int]) -> list[list[ActivityRef]]:
        cells: list[list[ActivityRef]] = [[] for _ in strategies]
        for pk in chosen:
            for s in items[pk].strategies:
                if s in index:
                    cells[index[s]].append(refs[pk])
        return cells

    by_partner_ids: dict[int, list[int]] = defaultdict(list)
    for pk in current:
        by_partner_ids[items[pk].partner].append(pk)
    by_partner = [
        Row(label=partners[partner_id], cells=cells_for(pks))
        for partner_id, pks in by_partner_ids.items()
    ]
    # An activity counts toward its places and every place containing them.
    lines = alignment.Lineage(parents)
    toward: dict[int, list[int]] = defaultdict(list)
    for pk in current:
        for place_id in frozenset().union(*(lines.up(p) for p in items[pk].places)):
            toward[place_id].append(pk)
    by_place = [
        Row(label=place, depth=place.depth, cells=cells_for(toward.get(place.pk, [])))
        for place in place_list
    ]
    found = alignment.overlaps(list(items.values()), parents)
    groups = Group.objects.filter(initiative=initiative, dimension__is_geography=False).in_bulk()
    gap_ids = set(alignment.strategy_gaps(items.values(), index))
    return Alignment(
        strategies=strategies,
        by_partner=by_partner,
        by_place=by_place,
        strategy_gaps=[s for s in strategies if s.pk in gap_ids],
        place_gaps=[place_by_pk[p] for p in alignment.place_gaps(items.values(), parents)],
        overlaps=[
            (
                refs[o.first],
                refs[o.second],
                [s for s in strategies if s.pk in o.strategies],
                [groups[g] for g in o.groups if g in groups],
            )
            for o in found[:OVERLAPS_LISTED]
        ],
        overlap_count=len(found),
        has_places=bool(place_list),
    )
