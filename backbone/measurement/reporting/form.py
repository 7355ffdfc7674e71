"""The cells of an indicator's web form, with the partner's current and last period's values
written as the reader writes numbers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import product

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, pgettext

from backbone.initiatives.models import Partner

from ..missing import shown
from ..models import (
    Aggregation,
    Cell,
    DataValue,
    Dimension,
    Group,
    Indicator,
    IndicatorDimension,
    Period,
    Submission,
)
from ..numbers import as_text, on_page
from ..versions import report_revision
from .reports import report_status, status_label

#: Field names the intake knows, with the short label shown beside an input.
FIELD_LABELS = {
    "value": gettext_lazy("Value"),
    "numerator": gettext_lazy("Numerator"),
    "denominator": gettext_lazy("Denominator"),
    "n": gettext_lazy("n (people)"),
}


# --- the web form's cells ---------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """One input of the form: a field of one cell."""

    name: str  # form field name, "c3_numerator"
    field: str  # the intake's field: value | numerator | denominator | n
    short: str  # "Numerator"
    label: str  # "Black × Low income — numerator", used in problem messages


@dataclass
class FormCell:
    """One cell of the form: a combination of groups (or the total) and its inputs."""

    row: int  # position in the form, given to the intake as the row
    key: str  # Cell.key: sorted group ids joined by "."
    groups: dict[str, str]  # dimension key → group key
    label: str  # "Black × Low income", "Total"
    inputs: list[Input] = field(default_factory=list)
    current: str = ""  # current value as text
    last: str = ""  # last period's value as text

    @property
    def missing_name(self) -> str:
        """The form field of the reason for a blank."""
        return f"c{self.row}_missing"


@dataclass
class FormLayout:
    indicator: Indicator
    dimensions: list[Dimension]
    total: FormCell
    cells: list[FormCell]  # every combination of leaf groups, in display order
    row_headers: list[str]  # first dimensions' combinations (one row each)
    column_headers: list[str]  # the last dimension's groups (a cross-tab's columns)

    @property
    def all_cells(self) -> list[FormCell]:
        return [self.total, *self.cells]

    def grid(self) -> list[tuple[str, list[FormCell]]]:
        """Rows of a cross-tab: (row header, its cells in column order)."""
        width = max(len(self.column_headers), 1)
        return [
            (header, self.cells[i * width : (i + 1) * width])
            for i, header in enumerate(self.row_headers)
        ]


def fields_for(indicator: Indicator) -> list[str]:
    if indicator.aggregation == Aggregation.RATE:
        return ["numerator", "denominator"]
    if indicator.aggregation == Aggregation.WEIGHTED:
        return ["value", "n"]
    return ["value"]


def _leaf_groups(dimension: Dimension, groups: list[Group]) -> list[tuple[Group, str]]:
    """Groups a value is reported by, with their label; for places, the leaves of the
    hierarchy, named with their path (Riverton › North district)."""
    by_id = {g.pk: g for g in groups}
    parents = {g.parent_id for g in groups if g.parent_id}
    leaves = []
    for g in groups:
        if g.pk in parents:
            continue
        label = g.name
        if dimension.is_geography:
            path, up = [g.name], by_id.get(g.parent_id)
            while up is not None:
                path.append(up.name)
                up = by_id.get(up.parent_id)
            label = " › ".join(reversed(path))
        leaves.append((g, label))
    return leaves


def form_layout(indicator: Indicator) -> FormLayout:
    """Every cell of an indicator's form: the total, then each combination of leaf groups."""
    dimensions = [
        link.dimension
        for link in IndicatorDimension.objects.filter(indicator=indicator)
        .select_related("dimension")
        .order_by("position")
    ]
    groups: dict[int, list[Group]] = defaultdict(list)
    for g in Group.objects.filter(dimension__in=dimensions).order_by("position", "name"):
        groups[g.dimension_id].append(g)
    leaves = [_leaf_groups(d, groups[d.pk]) for d in dimensions]
    dim_keys = {d.pk: d.key for d in dimensions}
    kinds = fields_for(indicator)

    def make(row: int, combo: tuple[tuple[Group, str], ...]) -> FormCell:
        label = " × ".join(name for _, name in combo) or gettext("Total")
        cell = FormCell(
            row=row,
            key=Cell.key_for(g.pk for g, _ in combo),
            groups={dim_keys[g.dimension_id]: g.key for g, _ in combo},
            label=label,
        )
        cell.inputs = [
            Input(
                name=f"c{row}_{kind}",
                field=kind,
                short=str(FIELD_LABELS[kind]),
                label=pgettext("an input of the report form", "%(cell)s — %(input)s")
                % {"cell": label, "input": str(FIELD_LABELS[kind]).lower()},
            )
            for kind in kinds
        ]
        return cell

    total = make(1, ())
    cells, rows, columns = [], [], []
    if dimensions:
        cells = [make(row, combo) for row, combo in enumerate(product(*leaves), start=2)]
        rows = [c.label for c in cells]
    if len(dimensions) >= 2:
        rows = [" × ".join(n for _, n in combo) for combo in product(*leaves[:-1])]
        columns = [name for _, name in leaves[-1]]
    return FormLayout(
        indicator=indicator,
        dimensions=dimensions,
        total=total,
        cells=cells,
        row_headers=rows,
        column_headers=columns,
    )


def _by_cell(
    *, partner: Partner, indicator: Indicator, period: Period | None
) -> dict[str, DataValue]:
    if period is None:
        return {}
    return {
        v.cell.key: v
        for v in DataValue.objects.filter(
            partner=partner, indicator=indicator, period=period
        ).select_related("cell")
    }


def previous_period(period: Period) -> Period | None:
    return (
        Period.objects.filter(
            initiative_id=period.initiative_id, kind=period.kind, start__lt=period.start
        )
        .order_by("-start")
        .first()
    )


def number_text(number: Decimal | None, decimals: int | None = None) -> str:
    """A number for people: exact, or rounded to `decimals` places."""
    if number is None:
        return ""
    if decimals is not None:
        number = Decimal(number).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return as_text(Decimal(number)) or ""


def value_text(
    indicator: Indicator, value, numerator=None, denominator=None, weight=None, missing=""
) -> str:
    """How one reported value reads on a page: "50% (30 / 60)", "245 (n = 40)", "−12", or
    why it is blank ("Not collected")."""
    if value is None and numerator is None:
        return shown(missing) or "—"
    text = _local(number_text(value, indicator.decimals))
    if indicator.unit == Indicator.Unit.PERCENT and text:
        text = pgettext("a figure in percent", "%(number)s%%") % {"number": text}
    if indicator.aggregation == Aggregation.RATE and numerator is not None:
        return pgettext(
            "a rate and what it is made of", "%(rate)s (%(numerator)s / %(denominator)s)"
        ) % {
            "rate": text,
            "numerator": _local(number_text(numerator)),
            "denominator": _local(number_text(denominator)),
        }
    if indicator.aggregation == Aggregation.WEIGHTED and weight is not None:
        return pgettext("a mean and how many people it is of", "%(mean)s (n = %(n)s)") % {
            "mean": text,
            "n": _local(number_text(weight)),
        }
    return text


def _local(text: str) -> str:
    """An exact number's text as the reader's language writes it (12.5 · 12,5), with a true
    minus sign; "" stays ""."""
    if not text:
        return text
    return on_page(number_format(Decimal(text), use_l10n=True))


def stored_text(indicator: Indicator, v: DataValue) -> str:
    return value_text(indicator, v.value, v.numerator, v.denominator, v.weight, v.missing)


def _field_values(v: DataValue) -> dict[str, str]:
    return {
        "value": number_text(v.value),
        "numerator": number_text(v.numerator),
        "denominator": number_text(v.denominator),
        "n": number_text(v.weight),
    }


@dataclass
class FormState:
    """The form's starting point: current values (to prefill), last period's (to show), and
    the version of the current ones the form is read at (versions.report_revision)."""

    initial: dict[str, str]
    narrative: str
    current: dict[str, DataValue]
    previous: Period | None
    status: str
    revision: int

    @property
    def status_label(self) -> str:
        return status_label(self.status)


def form_state(*, layout: FormLayout, partner: Partner, period: Period) -> FormState:
    """Fills `layout`'s cells with current and last period's values."""
    indicator = layout.indicator
    current = _by_cell(partner=partner, indicator=indicator, period=period)
    previous = previous_period(period)
    last = _by_cell(partner=partner, indicator=indicator, period=previous)
    initial: dict[str, str] = {}
    for cell in layout.all_cells:
        now = current.get(cell.key)
        before = last.get(cell.key)
        if now is not None:
            cell.current = stored_text(indicator, now)
            fields = _field_values(now)
            initial.update({i.name: fields[i.field] for i in cell.inputs})
            if now.missing:
                initial[cell.missing_name] = now.missing
        if before is not None:
            cell.last = stored_text(indicator, before)
    submission_ids = {v.submission_id for v in current.values() if v.submission_id}
    narrative = ""
    if submission_ids:
        latest = (
            Submission.objects.filter(pk__in=submission_ids)
            .exclude(narrative="")
            .order_by("-created_at")
            .values_list("narrative", flat=True)
            .first()
        )
        narrative = latest or ""
    counts: dict[str, int] = defaultdict(int)
    for v in current.values():
        counts[v.status] += 1
    return FormState(
        initial=initial,
        narrative=narrative,
        current=current,
        previous=previous,
        status=report_status(counts),
        revision=report_revision(
            partner_id=partner.pk, indicator_id=indicator.pk, period_id=period.pk
        ),
    )
