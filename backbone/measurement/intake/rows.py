"""What the intake reads and checks against: a reported row as it arrived, an indicator's
rules, a checked row, and the catalogue of an initiative's codes, loaded once per intake."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import pgettext_lazy

from backbone.initiatives.models import Initiative, Partner

from ..models import Cell, Group, Indicator, Period

#: The numbers of a row as messages name them (the columns of a file keep the English).
NUMBER_NAMES = {
    "value": pgettext_lazy("the number reported", "value"),
    "numerator": pgettext_lazy("the number reported", "numerator"),
    "denominator": pgettext_lazy("the number reported", "denominator"),
    "n": pgettext_lazy("the number reported", "n"),
}


def _named(name: str) -> str:
    return str(NUMBER_NAMES.get(name, name))


MAX_PROBLEMS_KEPT = 500
AUDITED_VALUES = 100  # values of a correction of closed periods the audit event lists
SIX_PLACES = Decimal("0.000001")
OUTLIER_SDS = 3
OUTLIER_MIN_HISTORY = 4


@dataclass(slots=True)
class Reported:
    """One value as it arrived, before any check. Text stays text until checked."""

    indicator: str
    period: str
    groups: Mapping[str, str] = field(default_factory=dict)  # dimension key → group key
    value: object = None
    numerator: object = None
    denominator: object = None
    weight: object = None
    missing: object = None  # why the value is blank: a `Missing` code or label
    partner: str | None = None  # organisation slug, for backbone imports of many partners
    row: int | None = None
    columns: Mapping[str, str] | None = None  # field name → the file's column, for messages
    # kept beside the value as DHIS2 keeps them: a note, a follow-up mark, who keyed it
    comment: str = ""
    followup: bool = False
    stored_by: str = ""


@dataclass(frozen=True, slots=True)
class IndicatorRules:
    id: int
    code: str
    aggregation: str
    unit: str
    rate_per: int
    minimum: Decimal | None
    maximum: Decimal | None
    dimensions: tuple[str, ...]
    all_cells_required: bool
    is_proportion: bool


def accepted_range(rules: IndicatorRules) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest value an indicator takes: its own bounds, else none below zero
    for counts, percentages, rates and money, and none above 100 for a percentage."""
    low, high = rules.minimum, rules.maximum
    if low is None and rules.unit in {"count", "percent", "rate", "currency"}:
        low = Decimal(0)
    if high is None and rules.unit == "percent":
        high = Decimal(100)
    return low, high


# A checked row: (partner_id, indicator_id, period_id, cell_key, value, numerator,
# denominator, weight, row) with numbers as exact text. Tuples keep a million rows small.
Checked = tuple[int, int, int, str, str | None, str | None, str | None, str | None, int | None]


class Catalogue:
    """What an initiative's values may refer to, loaded once per intake."""

    def __init__(self, initiative: Initiative):
        self.initiative = initiative
        self.indicators: dict[str, IndicatorRules] = {}
        dims: dict[int, list[str]] = defaultdict(list)
        for ind_id, key in (
            Indicator.dimensions.through.objects.filter(initiative=initiative)
            .order_by("position")
            .values_list("indicator_id", "dimension__key")
        ):
            dims[ind_id].append(key)
        for ind in Indicator.objects.filter(initiative=initiative):
            self.indicators[ind.code] = IndicatorRules(
                id=ind.id,
                code=ind.code,
                aggregation=ind.aggregation,
                unit=ind.unit,
                rate_per=ind.rate_per,
                minimum=ind.minimum,
                maximum=ind.maximum,
                dimensions=tuple(dims.get(ind.id, ())),
                all_cells_required=ind.all_cells_required,
                is_proportion=ind.is_proportion,
            )
        self.periods: dict[str, tuple[int, str]] = {
            code: (pk, status)
            for pk, code, status in Period.objects.filter(initiative=initiative).values_list(
                "id", "code", "status"
            )
        }
        self.groups: dict[tuple[str, str], int] = {}
        self.leaf_counts: dict[str, int] = defaultdict(int)
        parents = set(
            Group.objects.filter(initiative=initiative, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        for pk, dim_key, key in Group.objects.filter(initiative=initiative).values_list(
            "id", "dimension__key", "key"
        ):
            self.groups[(dim_key, key)] = pk
            if pk not in parents:
                self.leaf_counts[dim_key] += 1
        self.cells: dict[str, int] = dict(
            Cell.objects.filter(initiative=initiative).values_list("key", "id")
        )
        self.partners: dict[str, tuple[int, str]] = {
            slug: (pk, status)
            for pk, slug, status in Partner.objects.filter(initiative=initiative).values_list(
                "id", "organisation__slug", "status"
            )
        }
