"""Reads of the partner network: waves, their measures (kept in Django's cache under the
wave's version, which every answer bumps), the map's data, and figures other apps show.

Betweenness is the costly measure (exact; 0.1 s for 300 partners and 20,000 ties), so a
wave's measures are computed once per change of its answers and read back after that; a
closed wave's never change.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.initiatives import roles
from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.initiatives.roles import Sector
from backbone.permissions import PARTNER_ROLES

from . import measures
from .measures import Comparison, NetworkMeasures, PartnerMeasures, Row
from .models import (
    SCORE_ITEMS,
    TIE_LEVEL,
    Answer,
    AnswerContribution,
    Contribution,
    Level,
    Rating,
    Wave,
)

#: A partner's trust and value received are shown to other partners only when at least this
#: many partners rated it, so no one reads back a single partner's scores of them.
MIN_RATERS = 3
CACHE_TIMEOUT = 60 * 60 * 24

#: Sector colours on the map (Okabe–Ito and two more), each named in the legend beside it.
SECTOR_COLOURS = {
    Sector.GOVERNMENT: "#0072B2",
    Sector.NONPROFIT: "#E69F00",
    Sector.BUSINESS: "#56B4E9",
    Sector.PHILANTHROPY: "#009E73",
    Sector.EDUCATION: "#CC79A7",
    Sector.HEALTH: "#D55E00",
    Sector.FAITH: "#F0E442",
    Sector.COMMUNITY_GROUP: "#6A3D9A",
    Sector.RESIDENT_ASSOCIATION: "#8C564B",
    Sector.OTHER: "#7F7F7F",
}


def sector_label(sector: str) -> str:
    """A sector's name in the reader's language (the code for one no longer offered)."""
    return roles.sector_label(sector, default=sector)


# --- waves -----------------------------------------------------------------------------


def waves(*, initiative: Initiative) -> list[Wave]:
    """The initiative's waves, newest first, with how many partners take part and answered."""
    return list(
        Wave.objects.filter(initiative=initiative).annotate(
            partner_count=Count("participants", distinct=True),
            answer_count=Count("answers", distinct=True),
        )
    )


def wave_get(*, initiative: Initiative, uuid) -> Wave:
    wave = get_object_or_404(Wave, initiative=initiative, uuid=uuid)
    wave.initiative = initiative
    return wave


def wave_partners(wave: Wave) -> list[Partner]:
    """The wave's partners with their organisations, by name."""
    return list(
        Partner.objects.filter(network_waves=wave)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def previous_wave(wave: Wave) -> Wave | None:
    return (
        Wave.objects.filter(initiative_id=wave.initiative_id, opens_on__lt=wave.opens_on)
        .order_by("-opens_on", "-id")
        .first()
    )


def answers_of(wave: Wave) -> dict[int, Answer]:
    """Partner id → its answer in this wave."""
    return {a.partner_id: a for a in Answer.objects.filter(wave=wave).select_related("answered_by")}


def rows(wave: Wave, min_level: int = Level.AWARENESS) -> list[Row]:
    """The wave's ratings at `min_level` or above as plain tuples (see `measures.Row`)."""
    return list(
        Rating.objects.filter(wave=wave, level__gte=min_level)
        .order_by("rater_id", "rated_id")
        .values_list("rater_id", "rated_id", "level", *SCORE_ITEMS)
    )


def _key(wave: Wave, nodes: list[int], threshold: int) -> str:
    digest = hashlib.sha256(",".join(map(str, nodes)).encode()).hexdigest()[:24]
    return f"backbone:network:{wave.pk}:{wave.version}:{threshold}:{digest}"


def wave_measures(wave: Wave, *, nodes=None, threshold: int = TIE_LEVEL) -> NetworkMeasures:
    """The measures of the wave's network, or of the sub-network of `nodes` (Partner ids)."""
    if nodes is None:
        nodes = wave.participants.values_list("partner_id", flat=True)
    ids = sorted(set(nodes))
    key = _key(wave, ids, threshold)
    found = cache.get(key)
    if found is None:
        found = measures.network_measures(ids, rows(wave), threshold)
        cache.set(key, found, CACHE_TIMEOUT)
    return found


# --- sub-networks ----------------------------------------------------------------------


def group_partner_ids(group, partners: list[Partner]) -> set[int]:
    """Partners whose people (stewards, members) sit in or lead the working group."""
    people = {p.pk for p in group.members.all()} | {group.lead_id}
    orgs = set(
        Membership.objects.filter(
            initiative_id=group.initiative_id, person_id__in=people, role__in=PARTNER_ROLES
        ).values_list("organisation_id", flat=True)
    )
    return {p.pk for p in partners if p.organisation_id in orgs}


@dataclass(frozen=True)
class Subnetwork:
    """Which part of the network is shown: all of it, a sector or a working group."""

    sector: str = ""
    group: object = None  # a communication WorkingGroup

    @property
    def label(self) -> str:
        if self.group is not None:
            return _("members of %(group)s") % {"group": self.group.name}
        if self.sector:
            return _("partners in %(sector)s") % {"sector": sector_label(self.sector).lower()}
        return ""

    def ids(self, partners: list[Partner]) -> set[int] | None:
        """The Partner ids of the sub-network among `partners`; None for the whole network."""
        if self.group is not None:
            return group_partner_ids(self.group, partners)
        if self.sector:
            return {p.pk for p in partners if p.organisation.sector == self.sector}
        return None


WHOLE = Subnetwork()


# --- the results page ------------------------------------------------------------------


@dataclass
class PartnerRow:
    partner: Partner
    measures: PartnerMeasures
    trust_pct: float | None  # None when hidden (too few raters) or never rated
    value_pct: float | None
    hidden: bool  # scores hidden from this reader: fewer than MIN_RATERS raters

    @property
    def name(self) -> str:
        return self.partner.organisation.name

    @property
    def sector(self) -> str:
        return self.partner.organisation.get_sector_display()


@dataclass
class TieRow:
    partner: Partner
    gained: list[str]
    lost: list[str]

    @property
    def net(self) -> int:
        return len(self.gained) - len(self.lost)


@dataclass
class SectorRow:
    label: str
    colour: str
    ties: measures.SectorTies


@dataclass
class Results:
    wave: Wave
    sub: Subnetwork
    partners: list[Partner]  # of the (sub-)network shown
    measures: NetworkMeasures
    rows: list[PartnerRow]
    sectors: list[SectorRow]
    previous: Wave | None
    comparison: Comparison | None
    tie_rows: list[TieRow]
    joined: list[str]
    left: list[str]
    answered: int
    not_answered: list[Partner]

    @property
    def invited(self) -> int:
        return self.answered + len(self.not_answered)

    @property
    def groups(self) -> list[list[str]]:
        names = {p.pk: p.organisation.name for p in self.partners}
        return [sorted(names[v] for v in group) for group in self.measures.groups]


def partner_rows(
    partners: list[Partner], found: NetworkMeasures, *, individual: bool
) -> list[PartnerRow]:
    result = []
    for p in partners:
        m = found.by_partner[p.pk]
        hidden = not individual and 0 < m.raters < MIN_RATERS
        result.append(
            PartnerRow(
                partner=p,
                measures=m,
                trust_pct=None if hidden else m.trust_pct,
                value_pct=None if hidden else m.value_pct,
                hidden=hidden,
            )
        )
    return result


def results(
    wave: Wave, *, sub: Subnetwork = WHOLE, individual: bool = False, threshold: int = TIE_LEVEL
) -> Results:
    """Everything the results page shows; `individual` when the reader may see a partner's
    scores received from fewer than MIN_RATERS partners (the backbone and evaluators)."""
    everyone = wave_partners(wave)
    ids = sub.ids(everyone)
    shown = everyone if ids is None else [p for p in everyone if p.pk in ids]
    found = wave_measures(wave, nodes=[p.pk for p in shown], threshold=threshold)
    sector_of = {p.pk: p.organisation.sector for p in shown}
    sectors = [
        SectorRow(sector_label(t.sector), SECTOR_COLOURS.get(t.sector, "#777"), t)
        for t in measures.ties_by_sector(found.edges, sector_of)
    ]
    previous = previous_wave(wave)
    comparison, tie_rows, joined, left = None, [], [], []
    if previous is not None:
        before_partners = wave_partners(previous)
        before_ids = sub.ids(before_partners)
        before_shown = (
            before_partners
            if before_ids is None
            else [p for p in before_partners if p.pk in before_ids]
        )
        before = wave_measures(previous, nodes=[p.pk for p in before_shown], threshold=threshold)
        names = {p.pk: p.organisation.name for p in [*before_shown, *shown]}
        by_pk = {p.pk: p for p in [*before_shown, *shown]}
        comparison = measures.compare(before, found, order=lambda v: names[v])
        tie_rows = [
            TieRow(
                by_pk[t.partner],
                sorted(names[v] for v in t.gained),
                sorted(names[v] for v in t.lost),
            )
            for t in comparison.ties
        ]
        joined = sorted(names[v] for v in comparison.joined)
        left = sorted(names[v] for v in comparison.left)
    answered = set(Answer.objects.filter(wave=wave).values_list("partner_id", flat=True))
    return Results(
        wave=wave,
        sub=sub,
        partners=shown,
        measures=found,
        rows=partner_rows(shown, found, individual=individual),
        sectors=sectors,
        previous=previous,
        comparison=comparison,
        tie_rows=tie_rows,
        joined=joined,
        left=left,
        answered=len(answered & {p.pk for p in everyone}),
        not_answered=[p for p in everyone if p.pk not in answered],
    )


@dataclass
class ContributionRow:
    kind: str
    label: str
    partners: int
    most_important: int


def contributions(wave: Wave) -> tuple[list[ContributionRow], list[tuple[Partner, list[str], str]]]:
    """How many partners make each kind of contribution and name it their most important;
    and per partner that answered, what it contributes."""
    ticked = list(
        AnswerContribution.objects.filter(answer__wave=wave).values_list("answer_id", "kind")
    )
    answers = list(
        Answer.objects.filter(wave=wave)
        .select_related("partner__organisation")
        .order_by("partner__organisation__name")
    )
    count = Counter(kind for _rater, kind in ticked)
    main = Counter(a.main_contribution for a in answers if a.main_contribution)
    labels = {kind: str(label) for kind, label in Contribution.choices}
    summary = [
        ContributionRow(kind, label, count[kind], main[kind])
        for kind, label in Contribution.choices
    ]
    per_answer: dict[int, list[str]] = defaultdict(list)
    for answer_id, kind in ticked:
        per_answer[answer_id].append(kind)
    per_partner = []
    for a in answers:
        kinds = [labels[k] for k in Contribution.values if k in per_answer[a.pk]]
        if a.other_contribution:
            kinds = [
                k if k != labels[Contribution.OTHER] else f"Other: {a.other_contribution}"
                for k in kinds
            ]
        per_partner.append((a.partner, kinds, labels.get(a.main_contribution, "")))
    return summary, per_partner


# --- the map ---------------------------------------------------------------------------


def map_data(
    wave: Wave, *, sub: Subnetwork = WHOLE, min_level: int = TIE_LEVEL, individual: bool = False
) -> dict:
    """Nodes (coloured by sector, with the whole network's measures) and the ratings at
    `min_level` or above among them, for the map and the table beside it."""
    everyone = wave_partners(wave)
    found = wave_measures(wave, nodes=[p.pk for p in everyone])
    ids = sub.ids(everyone)
    shown = everyone if ids is None else [p for p in everyone if p.pk in ids]
    keep = {p.pk: p.organisation.slug for p in shown}
    nodes = []
    for row in partner_rows(shown, found, individual=individual):
        m = row.measures
        org = row.partner.organisation
        nodes.append(
            {
                "id": org.slug,
                "label": org.name,
                "sector": org.sector,
                "sector_label": sector_label(org.sector),
                "colour": SECTOR_COLOURS.get(org.sector, "#7F7F7F"),
                "group": m.group,
                "named": m.named,
                "named_by": m.named_by,
                "degree": round(m.degree, 4),
                "betweenness": round(m.betweenness, 4),
                "closeness": round(m.closeness, 4),
                "trust": None if row.trust_pct is None else round(row.trust_pct, 1),
            }
        )
    level_labels = dict(Level.choices)
    edges = [
        {"source": keep[rater], "target": keep[rated], "level": level}
        for rater, rated, level in Rating.objects.filter(wave=wave, level__gte=min_level)
        .order_by("rater_id", "rated_id")
        .values_list("rater_id", "rated_id", "level")
        if rater in keep and rated in keep
    ]
    lines = Counter(e["source"] for e in edges) + Counter(e["target"] for e in edges)
    for node in nodes:
        node["lines"] = lines[node["id"]]
    return {
        "wave": wave.name,
        "min_level": min_level,
        "min_level_label": str(level_labels[min_level]),
        "subnetwork": sub.label,
        "nodes": nodes,
        "edges": edges,
        "sectors": [
            {"key": key, "label": str(label), "colour": SECTOR_COLOURS[key]}
            for key, label in Sector.choices
            if any(n["sector"] == key for n in nodes)
        ],
        "levels": [
            {"level": level, "label": str(label)}
            for level, label in Level.choices
            if level >= Level.AWARENESS
        ],
    }


# --- for other apps --------------------------------------------------------------------


def _figures(wave: Wave) -> dict:
    found = wave_measures(wave)
    return {
        "wave": wave.name,
        "closed_on": wave.closes_on,
        "density": found.density,
        "trust_pct": found.trust_pct,
        "value_pct": found.value_pct,
        "reciprocity": found.reciprocity,
    }


def latest_wave_figures(initiative: Initiative) -> dict | None:
    """The latest closed wave's whole-network figures, with the wave before it's under
    `previous` (None when there is none); None when no wave has closed yet."""
    closed = list(
        Wave.objects.filter(initiative=initiative, closes_on__lt=timezone.localdate()).order_by(
            "-closes_on", "-id"
        )[:2]
    )
    if not closed:
        return None
    figures = _figures(closed[0])
    figures["previous"] = None
    if len(closed) > 1:
        figures["previous"] = {**_figures(closed[1]), "previous": None}
    return figures


def last_answer_by_organisation(initiative: Initiative) -> dict[int, datetime]:
    """Organisation id → when it last answered a wave of the initiative."""
    return dict(
        Answer.objects.filter(initiative=initiative)
        .values("partner__organisation_id")
        .annotate(last=Max("answered_at"))
        .values_list("partner__organisation_id", "last")
    )
