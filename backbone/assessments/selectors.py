"""Reads: rounds, who is still to answer, response rates and results.

Results are read only from closed rounds, and only through `scoring`, so every page, chart
and export shows the same figures with the same small groups hidden.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from backbone.frameworks.selectors import framework_elements, framework_section
from backbone.initiatives.models import Initiative
from backbone.initiatives.roles import Role, Sector
from backbone.permissions import COMMUNITY_ROLES, can

from . import scoring
from .models import Respondent, Response, Round
from .scoring import COMMUNITY, ORGANISATIONS, TOTAL, Comparison, Item, Rate
from .scoring import Count as Tally

GROUP_LABELS = {
    TOTAL: gettext_lazy("All respondents"),
    COMMUNITY: gettext_lazy("Community members"),
    ORGANISATIONS: gettext_lazy("Organisations"),
    "other": pgettext_lazy("sector", "Other"),
    **dict(Sector.choices),
}
SECTOR_ORDER = {key: n for n, key in enumerate(Sector.values)}


def group_label(group: str) -> str:
    return str(GROUP_LABELS.get(group, group))


# --- rounds ---------------------------------------------------------------------------


def rounds_of(initiative: Initiative):
    return (
        Round.objects.filter(initiative=initiative)
        .select_related("questionnaire")
        .annotate(
            invited=Count("respondents", distinct=True),
            answered=Count(
                "respondents", filter=Q(respondents__answered_at__isnull=False), distinct=True
            ),
        )
    )


def round_by_uuid(initiative: Initiative, uuid) -> Round | None:
    found = rounds_of(initiative).filter(uuid=uuid).first()
    if found is not None:
        found.initiative = initiative
    return found


def my_invitations(*, initiative: Initiative, person) -> dict[int, Respondent]:
    """Round id → the person's own Respondent row in that round."""
    if not person.is_authenticated:
        return {}
    return {r.round_id: r for r in Respondent.objects.filter(initiative=initiative, person=person)}


def waiting_for(person, today: date | None = None, initiative=None) -> list[Respondent]:
    """Open rounds, in any initiative the person still belongs to (or in one), they have not
    answered."""
    if not person.is_authenticated:
        return []
    today = today or timezone.localdate()
    found = Respondent.objects.filter(
        person=person,
        answered_at__isnull=True,
        round__opens_on__lte=today,
        round__closes_on__gte=today,
        round__closed_at__isnull=True,
        initiative__memberships__person=person,
    )
    if initiative is not None:
        found = found.filter(initiative=initiative)
    return list(
        found.distinct()
        .select_related("round", "initiative")
        .order_by("round__closes_on", "round__title")
    )


def previous_round(found: Round) -> Round | None:
    """The last closed round of the same questionnaire that opened before this one."""
    today = timezone.localdate()
    earlier = Round.objects.filter(
        initiative_id=found.initiative_id,
        questionnaire_id=found.questionnaire_id,
        opens_on__lt=found.opens_on,
    ).order_by("-opens_on", "-id")
    return next((r for r in earlier if r.is_closed(today)), None)


# --- response rates -------------------------------------------------------------------


@dataclass
class Progress:
    rate: Rate
    by_role: list[tuple[str, Rate]]
    by_sector: list[tuple[str, Rate]]
    respondents: list[Respondent] | None  # names: only when the round is not anonymous


def progress(found: Round) -> Progress:
    rows = list(
        Respondent.objects.filter(round=found).values_list(
            "role", "organisation__sector", "answered_at"
        )
    )
    roles: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    sectors: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for role, sector, answered_at in rows:
        group = COMMUNITY if role in COMMUNITY_ROLES else (sector or "other")
        for bucket in (roles[role], sectors[group]):
            bucket[1] += 1
            bucket[0] += answered_at is not None
    answered = sum(1 for *_, at in rows if at is not None)
    respondents = None
    if not found.anonymous:
        respondents = list(
            Respondent.objects.filter(round=found)
            .select_related("person", "organisation")
            .order_by("person__name")
        )
    return Progress(
        rate=Rate(answered, len(rows)),
        by_role=[(Role(r).label, Rate(*roles[r])) for r in Role.values if r in roles],
        by_sector=[
            (group_label(g), Rate(*sectors[g]))
            for g in sorted(sectors, key=lambda g: (g == COMMUNITY, SECTOR_ORDER.get(g, 99)))
        ],
        respondents=respondents,
    )


# --- results --------------------------------------------------------------------------


@dataclass
class ItemResult:
    item: Item
    mean: Fraction | None
    band: str | None
    distribution: list[Tally]
    texts: list[str]

    @property
    def shown_mean(self) -> Decimal | None:
        return scoring.shown(self.mean)


@dataclass
class ElementResult:
    key: str
    name: str
    section: str
    scale: scoring.Scale | None
    mean: Fraction | None
    band: str | None
    items: list[ItemResult]
    previous_mean: Fraction | None = None
    change: Decimal | None = None

    @property
    def shown_mean(self) -> Decimal | None:
        return scoring.shown(self.mean)

    @property
    def shown_previous(self) -> Decimal | None:
        return scoring.shown(self.previous_mean)

    @property
    def band_label(self) -> str:
        return scoring.BAND_LABELS.get(self.band or "", "")


@dataclass
class Results:
    round: Round
    threshold: int
    rate: Rate
    enough: bool
    previous: Round | None = None
    elements: list[ElementResult] = field(default_factory=list)
    weakest: list[ElementResult] = field(default_factory=list)
    by_sector: Comparison | None = None
    community: Comparison | None = None

    @property
    def answered(self) -> int:
        return self.rate.answered


def element_names(initiative: Initiative, keys: list[str]) -> dict[str, tuple[str, str]]:
    """`section.element` → (element name, section title) from the initiative's framework."""
    framework = initiative.framework
    out = {}
    for key in keys:
        section_key, element_key = key.split(".", 1)
        section = framework_section(framework, section_key) or {}
        element = next(
            (e for e in framework_elements(framework, section_key) if e["key"] == element_key), {}
        )
        out[key] = (
            element.get("name", element_key.replace("_", " ").capitalize()),
            section.get("title", section_key.replace("_", " ").capitalize()),
        )
    return out


def threshold_of(initiative: Initiative) -> int:
    return max(1, initiative.small_number_threshold)


def responses_of(found: Round) -> list[Response]:
    return list(
        Response.objects.filter(round=found).only("sector", "is_community_member", "answers")
    )


def _sector_groups(counts: dict[str, int]) -> list[str]:
    sectors = sorted((g for g in counts if g != COMMUNITY), key=lambda g: SECTOR_ORDER.get(g, 99))
    return [*sectors, COMMUNITY]


def _element_means(found: Round) -> tuple[dict[str, Fraction | None], bool]:
    """A closed round's element means, and whether it had enough respondents to show them."""
    responses = responses_of(found)
    items = scoring.items_of(found.questionnaire_data)
    if len(responses) < threshold_of(found.initiative):
        return {}, False
    return scoring.element_means(responses, items), True


def results(found: Round, today: date | None = None) -> Results:
    """Everything the results page, its charts and its CSV show for a closed round."""
    today = today or timezone.localdate()
    initiative = found.initiative
    threshold = threshold_of(initiative)
    invited = Respondent.objects.filter(round=found).count()
    responses = responses_of(found)
    rate = Rate(len(responses), invited)
    if not found.is_closed(today) or len(responses) < threshold:
        return Results(round=found, threshold=threshold, rate=rate, enough=False)
    items = scoring.items_of(found.questionnaire_data)
    keys = scoring.elements_of(items)
    names = element_names(initiative, keys)
    previous = previous_round(found)
    before: dict[str, Fraction | None] = {}
    if previous is not None:
        previous.initiative = initiative
        before, _ = _element_means(previous)
    elements = []
    for key in keys:
        own = [i for i in items if i.element == key]
        scale = scoring.element_scale(own, key)
        value = scoring.element_mean(responses, own)
        elements.append(
            ElementResult(
                key=key,
                name=names[key][0],
                section=names[key][1],
                scale=scale,
                mean=value,
                band=scoring.band(value, scale),
                items=[
                    ItemResult(
                        item=item,
                        mean=scoring.item_mean(responses, item),
                        band=scoring.band(scoring.item_mean(responses, item), item.scale),
                        distribution=scoring.distribution(responses, item),
                        texts=scoring.texts(responses, item) if item.type == "text" else [],
                    )
                    for item in own
                ],
                previous_mean=before.get(key),
                change=scoring.difference(value, before.get(key)),
            )
        )
    scored = {e.key: e.mean for e in elements if e.scale is not None}
    by_key = {e.key: e for e in elements}
    counts = scoring.group_counts(responses)
    hidden = scoring.hidden_groups(counts, threshold=threshold)
    return Results(
        round=found,
        threshold=threshold,
        rate=rate,
        enough=True,
        previous=previous,
        elements=elements,
        weakest=[by_key[k] for k in scoring.weakest_first(scored)],
        by_sector=scoring.compare(responses, items, groups=_sector_groups(counts), hidden=hidden),
        community=scoring.compare(
            responses, items, groups=[COMMUNITY, ORGANISATIONS], hidden=hidden
        ),
    )


# --- for other apps -------------------------------------------------------------------


def condition_scores(initiative: Initiative) -> dict[str, float | None]:
    """Per element key of the framework's `conditions` section, the mean of the latest
    closed round of a questionnaire assessing the conditions; None for an element it did
    not ask about, when there is no such round, or when it had fewer respondents than the
    small-number threshold (its results are then shown nowhere)."""
    keys = [e["key"] for e in framework_elements(initiative.framework, "conditions")]
    scores: dict[str, float | None] = dict.fromkeys(keys)
    today = timezone.localdate()
    closed = [
        r
        for r in Round.objects.filter(initiative=initiative, questionnaire__assesses="conditions")
        if r.is_closed(today)
    ]
    if not closed:
        return scores
    latest = max(closed, key=lambda r: (r.closed_on, r.pk))
    latest.initiative = initiative
    means, enough = _element_means(latest)
    if not enough:
        return scores
    for key in keys:
        value = means.get(f"conditions.{key}")
        scores[key] = float(value) if value is not None else None
    return scores


def last_answer_by_organisation(initiative: Initiative) -> dict[int, datetime]:
    """Organisation id → when someone answering for it last answered any round of the
    initiative: participation, from who answered, never from what was answered."""
    rows = (
        Respondent.objects.filter(
            initiative=initiative, organisation__isnull=False, answered_at__isnull=False
        )
        .values("organisation_id")
        .annotate(last=Max("answered_at"))
        .values_list("organisation_id", "last")
    )
    return dict(rows)


@dataclass
class ComparisonTable:
    """A comparison as a page shows it: labelled columns, and rows of one-decimal means."""

    columns: list[tuple[str, str, int]]  # (group key, label, respondents)
    rows: list[tuple[str, str, list[Decimal | None], Decimal | None]]  # key, name, means, gap
    hidden: list[str]  # labels of groups with respondents that are not shown


def comparison_table(comparison: Comparison | None, names: dict[str, str]) -> ComparisonTable:
    if comparison is None:
        return ComparisonTable([], [], [])
    return ComparisonTable(
        columns=[(g, group_label(g), comparison.counts[g]) for g in comparison.groups],
        rows=[
            (
                row.element,
                names[row.element],
                [row.shown_means.get(g) for g in comparison.groups],
                row.gap,
            )
            for row in comparison.rows
        ],
        hidden=[group_label(g) for g in comparison.hidden],
    )


# --- for the API ----------------------------------------------------------------------


@dataclass
class RoundRow:
    """A round as the rounds page lists it to one person: their own invitation (None when
    not asked) and whether they may read its results now."""

    round: Round
    asked: Respondent | None
    readable: bool


def rounds_for(*, initiative: Initiative, person, invited=None) -> list[RoundRow]:
    """The rounds page's rows for `person` (as `can` sees them): every round for those who
    follow response rates; else the rounds they are asked in and the closed ones whose
    results they may read. `invited` is the person whose invitations count (a personal
    token's person; None for a partner's token, which is nobody's invitation)."""
    sees_all = can(person, "assessments.progress", initiative)
    mine = my_invitations(initiative=initiative, person=invited) if invited is not None else {}
    shown = []
    for found in rounds_of(initiative):
        found.initiative = initiative
        asked = mine.get(found.pk)
        readable = can(person, "assessments.results", initiative, found) and found.is_closed()
        if sees_all or asked or readable:
            shown.append(RoundRow(found, asked, readable))
    return shown
