"""Scoring a round: plain functions over a questionnaire's content and its responses.

A response is anything with `sector`, `is_community_member` and `answers` (item key →
answer), such as a `Response` row. Nothing here reads the database.

Conventions, each chosen so that a page never contradicts itself:

* Means are exact (fractions) and shown to one decimal, rounding halves up. Every figure
  derived from a mean — its band, the change since the previous round, the gap between two
  groups — is derived from the mean *as shown*, so 3.95 shows as 4.0 and is a strength.
* An element's mean is the mean of every answer to its scale items (all of one scale, which
  the loader checks). Scale items must be answered, so every respondent weighs the same.
* Bands on a 1–5 scale: 4.0 and above a strength, 3.0 to 3.9 worth discussing, below 3.0 a
  concern. Other scales are cut at the same proportions of their range: a strength from three
  quarters of the way from the lowest point to the highest, a concern below half way. On
  1–7 that is 5.5 and 4.0; on 1–4, 3.25 and 2.5; on 0–10, 7.5 and 5.0.
* Groups are the sector a respondent answered for, with community members as a group of
  their own; "organisations" are all the sectors together. A group with fewer respondents
  than the small-number threshold is not shown, and neither is any group its figures could
  be worked out from by subtraction (total = community + organisations, organisations = the
  sum of the sectors); `hidden_groups` asks the same exact check the measurement pages use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Protocol

from backbone.frameworks.texts import text_in
from backbone.measurement.privacy import suppression

TOTAL = "total"
COMMUNITY = "community"
ORGANISATIONS = "organisations"
STRENGTH, DISCUSS, CONCERN = "strength", "discuss", "concern"
BAND_LABELS = {STRENGTH: "Strength", DISCUSS: "Worth discussing", CONCERN: "Concern"}
STRENGTH_AT = Fraction(3, 4)  # of the scale's range: 4.0 on 1–5
DISCUSS_AT = Fraction(1, 2)  # 3.0 on 1–5
ONE_DECIMAL = Decimal("0.1")


class Answered(Protocol):
    sector: str
    is_community_member: bool
    answers: Mapping[str, Any]


# --- the questionnaire ---------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    key: str
    name: str
    points: tuple[tuple[int, str], ...]

    @property
    def low(self) -> int:
        return self.points[0][0]

    @property
    def high(self) -> int:
        return self.points[-1][0]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(value for value, _ in self.points)

    def label(self, value: int) -> str:
        return dict(self.points).get(value, str(value))


@dataclass(frozen=True)
class Item:
    key: str
    element: str
    type: str
    text: str
    help: str = ""
    scale: Scale | None = None
    options: tuple[tuple[str, str], ...] = ()

    @property
    def is_scale(self) -> bool:
        return self.type == "scale"


def scales_of(data: Mapping, language: str | None = None) -> dict[str, Scale]:
    """The named scales, their name and point labels in `language` (the active one by
    default); the values are the same in every language."""
    return {
        key: Scale(
            key,
            text_in(spec["name"], language),
            tuple((p["value"], text_in(p["label"], language)) for p in spec["points"]),
        )
        for key, spec in data.get("scales", {}).items()
    }


def items_of(data: Mapping, language: str | None = None) -> list[Item]:
    """The questionnaire's items, in the file's order, their text in `language` (the active
    one by default, else English); keys are the same in every language."""
    scales = scales_of(data, language)
    return [
        Item(
            key=spec["key"],
            element=spec["element"],
            type=spec["type"],
            text=text_in(spec["text"], language),
            help=text_in(spec.get("help", ""), language),
            scale=scales.get(spec.get("scale", "")),
            options=tuple(
                (o["key"], text_in(o["label"], language)) for o in spec.get("options", ())
            ),
        )
        for spec in data["items"]
    ]


def elements_of(items: Iterable[Item]) -> list[str]:
    """Element keys (`section.element`) in the order their first item comes."""
    return list(dict.fromkeys(item.element for item in items))


# --- means and bands ------------------------------------------------------------------


def mean(values: Iterable[int]) -> Fraction | None:
    values = list(values)
    return Fraction(sum(values), len(values)) if values else None


def shown(value: Fraction | None) -> Decimal | None:
    """A mean as it is shown: one decimal, halves rounded up."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def band(value: Fraction | None, scale: Scale | None) -> str | None:
    """strength / discuss / concern for a mean on `scale`, read from the mean as shown."""
    if value is None or scale is None:
        return None
    position = (Fraction(shown(value)) - scale.low) / (scale.high - scale.low)
    if position >= STRENGTH_AT:
        return STRENGTH
    if position >= DISCUSS_AT:
        return DISCUSS
    return CONCERN


def band_cuts(scale: Scale) -> tuple[Fraction, Fraction]:
    """The lowest means that are still a strength and still worth discussing."""
    span = scale.high - scale.low
    return scale.low + STRENGTH_AT * span, scale.low + DISCUSS_AT * span


def scale_answers(responses: Iterable[Answered], item: Item) -> list[int]:
    return [r.answers[item.key] for r in responses if r.answers.get(item.key) is not None]


def item_mean(responses: Iterable[Answered], item: Item) -> Fraction | None:
    return mean(scale_answers(responses, item)) if item.is_scale else None


def element_mean(responses: Sequence[Answered], items: Iterable[Item]) -> Fraction | None:
    return mean(
        value for item in items if item.is_scale for value in scale_answers(responses, item)
    )


def element_means(
    responses: Sequence[Answered], items: Sequence[Item]
) -> dict[str, Fraction | None]:
    return {
        element: element_mean(responses, [i for i in items if i.element == element])
        for element in elements_of(items)
    }


def element_scale(items: Iterable[Item], element: str) -> Scale | None:
    return next((i.scale for i in items if i.element == element and i.is_scale), None)


def difference(a: Fraction | None, b: Fraction | None) -> Decimal | None:
    """`a − b` between two means as shown (None when either is missing)."""
    if a is None or b is None:
        return None
    return shown(a) - shown(b)


# --- distributions and free text ------------------------------------------------------


@dataclass(frozen=True)
class Count:
    value: int | str
    label: str
    count: int
    percent: Decimal | None


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def distribution(responses: Sequence[Answered], item: Item) -> list[Count]:
    """How many chose each point or option; for multiple choice each option is a yes/no, so
    the percentages are of respondents and may add up to more than 100."""
    whole = len(responses)
    if item.is_scale and item.scale is not None:
        choices = list(item.scale.points)
    elif item.options:
        choices = list(item.options)
    else:
        return []
    counts = dict.fromkeys((value for value, _ in choices), 0)
    for response in responses:
        answer = response.answers.get(item.key)
        for value in answer if isinstance(answer, list) else [answer]:
            if value in counts:
                counts[value] += 1
    return [Count(v, label, counts[v], _percent(counts[v], whole)) for v, label in choices]


def texts(responses: Iterable[Answered], item: Item) -> list[str]:
    """Free-text answers in alphabetical order — never the order they were given."""
    found = (str(r.answers.get(item.key) or "").strip() for r in responses)
    return sorted((t for t in found if t), key=str.casefold)


# --- response rates -------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    answered: int
    invited: int

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.answered, self.invited)


# --- groups and small numbers ---------------------------------------------------------


def group_of(response: Answered) -> str:
    return COMMUNITY if response.is_community_member else (response.sector or "other")


def group_counts(responses: Iterable[Answered]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for response in responses:
        counts[group_of(response)] = counts.get(group_of(response), 0) + 1
    return counts


def hidden_groups(counts: Mapping[str, int], *, threshold: int) -> frozenset[str]:
    """Groups (sector keys, COMMUNITY, ORGANISATIONS, TOTAL) not to show.

    Primary: fewer than `threshold` respondents. Complementary: whatever would let a reader
    work a hidden group out from the total and the groups shown beside it.
    """
    sectors = sorted(k for k in counts if k != COMMUNITY)
    people = {key: counts[key] for key in sectors}
    people[COMMUNITY] = counts.get(COMMUNITY, 0)
    people[ORGANISATIONS] = sum(counts[k] for k in sectors)
    people[TOTAL] = people[COMMUNITY] + people[ORGANISATIONS]
    relations = (
        *suppression.one_way(total=TOTAL, parts=[COMMUNITY, ORGANISATIONS]),
        *suppression.one_way(total=ORGANISATIONS, parts=sectors),
    )
    return suppression.suppressed(people=people, relations=relations, threshold=threshold)


def responses_in(responses: Iterable[Answered], group: str) -> list[Answered]:
    if group == TOTAL:
        return list(responses)
    if group == ORGANISATIONS:
        return [r for r in responses if not r.is_community_member]
    return [r for r in responses if group_of(r) == group]


@dataclass
class ComparisonRow:
    element: str
    means: dict[str, Fraction | None]  # group → mean, None where hidden or no answers
    gap: Decimal | None = None  # the largest difference between two groups shown

    @property
    def shown_means(self) -> dict[str, Decimal | None]:
        return {group: shown(value) for group, value in self.means.items()}


@dataclass
class Comparison:
    groups: list[str]  # shown groups, in column order
    hidden: list[str]  # groups with respondents that are not shown
    counts: dict[str, int]
    rows: list[ComparisonRow] = field(default_factory=list)  # largest gap first


def compare(
    responses: Sequence[Answered],
    items: Sequence[Item],
    *,
    groups: Sequence[str],
    hidden: frozenset[str],
) -> Comparison:
    """Element means per group, the elements where the shown groups disagree most first.

    The gap of an element is the highest shown group mean minus the lowest (as shown); with
    two groups, it is signed: the first group's mean minus the second's, ordered by size.
    """
    counts = {g: len(responses_in(responses, g)) for g in groups}
    present = [g for g in groups if counts[g]]
    visible = [g for g in present if g not in hidden]
    rows = []
    for element in elements_of(items):
        own = [i for i in items if i.element == element]
        if not any(i.is_scale for i in own):
            continue
        means = {g: element_mean(responses_in(responses, g), own) for g in visible}
        row = ComparisonRow(element=element, means=means)
        values = [v for v in means.values() if v is not None]
        if len(values) >= 2:
            if len(groups) == 2:
                row.gap = difference(means[groups[0]], means[groups[1]])
            else:
                row.gap = shown(max(values)) - shown(min(values))
        rows.append(row)
    order = {row.element: n for n, row in enumerate(rows)}
    rows.sort(key=lambda r: (r.gap is None, -abs(r.gap or 0), order[r.element]))
    return Comparison(
        groups=visible, hidden=[g for g in present if g in hidden], counts=counts, rows=rows
    )


def weakest_first(means: Mapping[str, Fraction | None]) -> list[str]:
    """Element keys from the lowest mean (as shown) up; elements without a mean last."""
    order = {key: n for n, key in enumerate(means)}
    return sorted(means, key=lambda k: (means[k] is None, shown(means[k]) or 0, order[k]))
