"""The reporting template: a file pre-filled for one partner, with a row for every value it
reports — each indicator × period × combination of groups (places at their finest level),
and the total — the right value columns for each indicator's aggregation, a `missing` column
to say why a value is blank, the current values where there are some, and last period's
value beside them for reference.

Upload reads the template back as it is: the reference columns (`IGNORED_COLUMNS`) and the
"indicators" and "groups" sheets are never read.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

from django.http import HttpResponse
from django.utils.translation import gettext as _

from backbone.initiatives.models import Initiative, Partner
from backbone.spreadsheets import SafeWriter, text_cell

from ..missing import label
from ..models import (
    Aggregation,
    DataValue,
    Dimension,
    Group,
    Indicator,
    IndicatorDimension,
    Missing,
    Period,
)
from ..numbers import as_text
from .reading import IGNORED_COLUMNS, VALUE_FIELDS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_VALIDATION_GROUPS = 5000


def fields_for(indicator: Indicator) -> tuple[str, ...]:
    """The value columns an indicator is reported in."""
    if indicator.aggregation == Aggregation.RATE:
        return ("numerator", "denominator")
    if indicator.aggregation == Aggregation.WEIGHTED:
        return ("value", "n")
    return ("value",)


def unit_text(indicator: Indicator) -> str:
    if indicator.unit == Indicator.Unit.RATE:
        return f"Rate per {indicator.rate_per:,}"
    return indicator.get_unit_display()


def fill_in_text(indicator: Indicator) -> str:
    return {
        ("numerator", "denominator"): "numerator and denominator (the rate is computed)",
        ("value", "n"): "value and n, the number of people behind it",
    }.get(fields_for(indicator), "value")


def _number(value) -> str:
    return as_text(Decimal(value)) if value is not None else ""


def value_text(indicator: Indicator, value, numerator, denominator, weight, missing="") -> str:
    """A reported value for reading: "49.26 (67 / 136)", "245 (n = 40)", "120", or why it
    is blank ("Not collected")."""
    if value is None and numerator is None and missing:
        return label(missing)
    shown = _number(value)
    if indicator.aggregation == Aggregation.RATE and numerator is not None:
        return f"{shown} ({_number(numerator)} / {_number(denominator)})"
    if indicator.aggregation == Aggregation.WEIGHTED and weight is not None:
        return f"{shown} (n = {_number(weight)})"
    return shown


@dataclass
class TemplateLine:
    """One row of the template: a value to report."""

    indicator: Indicator
    period: Period
    groups: dict[str, str]  # dimension key → group key
    label: str  # "Black × Low income", or "Total"
    fields: tuple[str, ...]
    current: dict[str, str] = field(default_factory=dict)  # field → current value
    missing: str = ""  # why the current value is blank, as its label
    last: str = ""  # last period's value, as text


@dataclass
class ValuesTemplate:
    initiative: Initiative
    partner: Partner
    periods: list[Period]
    indicators: list[Indicator]
    dimensions: list[Dimension]  # the dimensions the indicators are reported by, in order
    leaves: dict[str, list[Group]]  # dimension key → groups a value is reported by
    value_fields: list[str]
    lines: list[TemplateLine]
    previous: dict[int, Period | None]  # period id → the period before it

    @property
    def header(self) -> list[str]:
        return [
            "indicator",
            "period",
            *(d.key for d in self.dimensions),
            *self.value_fields,
            "missing",
            *IGNORED_COLUMNS,
        ]

    def notes(self, line: TemplateLine) -> str:
        ind = line.indicator
        text = f"{unit_text(ind)}: fill in {fill_in_text(ind)}"
        before = self.previous.get(line.period.pk)
        if line.last and before is not None:
            text += f"; last value is for {before.code}"
        return text

    def cells(self, line: TemplateLine) -> list[str]:
        """The row's cells, in header order."""
        return [
            line.indicator.code,
            line.period.code,
            *(line.groups.get(d.key, "") for d in self.dimensions),
            *(line.current.get(f, "") for f in self.value_fields),
            line.missing,
            line.label,
            line.indicator.name,
            line.last,
            self.notes(line),
        ]

    @property
    def file_stem(self) -> str:
        period = self.periods[0].code if len(self.periods) == 1 else "open-periods"
        return f"{self.initiative.slug}-{self.partner.organisation.slug}-{period}"


def _leaf_groups(dimension: Dimension, groups: list[Group]) -> list[Group]:
    """Groups a value is reported by: for places, the finest level of the hierarchy."""
    parents = {g.parent_id for g in groups if g.parent_id}
    return [g for g in groups if g.pk not in parents]


def values_template(
    *,
    initiative: Initiative,
    partner: Partner,
    periods: list[Period],
    indicators: list[Indicator],
    match_frequency: bool = False,
) -> ValuesTemplate:
    """The template's rows for `partner`: four queries, whatever the number of rows. With
    `match_frequency`, each period has the indicators reported at its frequency only."""
    links = list(
        IndicatorDimension.objects.filter(initiative=initiative, indicator__in=indicators)
        .select_related("dimension")
        .order_by("position")
    )
    dims_of: dict[int, list[Dimension]] = defaultdict(list)
    for link in links:
        dims_of[link.indicator_id].append(link.dimension)
    used: dict[int, Dimension] = {}
    for indicator in indicators:  # in the order the indicators name them
        for d in dims_of.get(indicator.pk, []):
            used.setdefault(d.pk, d)
    dimensions = list(used.values())
    groups: dict[int, list[Group]] = defaultdict(list)
    for g in Group.objects.filter(initiative=initiative, dimension_id__in=used).order_by(
        "position", "name"
    ):
        groups[g.dimension_id].append(g)
    leaves = {d.key: _leaf_groups(d, groups[d.pk]) for d in dimensions}
    dim_keys = {d.pk: d.key for d in dimensions}

    all_periods = list(Period.objects.filter(initiative=initiative).order_by("start"))
    previous: dict[int, Period | None] = {}
    for p in periods:
        earlier = [q for q in all_periods if q.kind == p.kind and q.start < p.start]
        previous[p.pk] = earlier[-1] if earlier else None
    period_ids = {p.pk for p in periods} | {q.pk for q in previous.values() if q}
    stored: dict[tuple[int, int, str], tuple] = {}
    for row in DataValue.objects.filter(
        initiative=initiative,
        partner=partner,
        indicator__in=indicators,
        period_id__in=period_ids,
    ).values_list(
        "indicator_id",
        "period_id",
        "cell__key",
        "value",
        "numerator",
        "denominator",
        "weight",
        "missing",
    ):
        stored[row[:3]] = row[3:]

    lines: list[TemplateLine] = []
    value_fields: set[str] = set()
    for period in periods:
        before = previous.get(period.pk)
        for indicator in indicators:
            if match_frequency and indicator.frequency != period.kind:
                continue
            fields = fields_for(indicator)
            value_fields.update(fields)
            dims = dims_of.get(indicator.pk, [])
            combos = [()] + (list(product(*(leaves[d.key] for d in dims))) if dims else [])
            for combo in combos:
                key = ".".join(str(i) for i in sorted(g.pk for g in combo))
                line = TemplateLine(
                    indicator=indicator,
                    period=period,
                    groups={dim_keys[g.dimension_id]: g.key for g in combo},
                    label=" × ".join(g.name for g in combo) or "Total",
                    fields=fields,
                )
                now = stored.get((indicator.pk, period.pk, key))
                if now is not None:
                    value, num, den, weight, reason = now
                    line.missing = label(reason)
                    line.current = {
                        "value": _number(value) if "value" in fields else "",
                        "numerator": _number(num),
                        "denominator": _number(den),
                        "n": _number(weight),
                    }
                if before is not None:
                    last = stored.get((indicator.pk, before.pk, key))
                    if last is not None:
                        line.last = value_text(indicator, *last)
                lines.append(line)
    return ValuesTemplate(
        initiative=initiative,
        partner=partner,
        periods=periods,
        indicators=indicators,
        dimensions=dimensions,
        leaves=leaves,
        value_fields=[f for f in VALUE_FIELDS if f in value_fields],
        lines=lines,
        previous=previous,
    )


# --- CSV -------------------------------------------------------------------------------


def template_csv(template: ValuesTemplate) -> HttpResponse:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(template.header)
    for line in template.lines:
        writer.writerow(template.cells(line))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{template.file_stem}.csv"'
    return response


# --- Excel -----------------------------------------------------------------------------


def template_workbook(template: ValuesTemplate):
    """The template as an openpyxl workbook: "values" (to fill in), "indicators" and
    "groups" (to read)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    unused_fill = PatternFill("solid", fgColor="D9D9D9")
    reference_fill = PatternFill("solid", fgColor="F2F2F2")
    reference_font = Font(italic=True, color="595959")

    wb = Workbook()
    ws = wb.active
    ws.title = "values"
    header = template.header
    ws.append(header)
    for cell in ws[1]:
        text_cell(cell)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"
    col = {name: i + 1 for i, name in enumerate(header)}
    text_columns = ["indicator", "period", *(d.key for d in template.dimensions), "missing"]
    for n, line in enumerate(template.lines, start=2):
        for i, value in enumerate(template.cells(line), start=1):
            cell = ws.cell(row=n, column=i)
            name = header[i - 1]
            if name in VALUE_FIELDS:
                cell.value = Decimal(value) if value else None
                if name not in line.fields:
                    cell.fill = unused_fill
            else:
                cell.value = value or None
                text_cell(cell)  # text stays text, whatever it starts with
                if name in text_columns:
                    cell.number_format = "@"
                else:
                    cell.fill = reference_fill
                    cell.font = reference_font
    last_row = max(len(template.lines) + 1, 2)
    widths = {
        "indicator": 28,
        "period": 12,
        "missing": 24,
        "groups": 30,
        "indicator name": 36,
        "notes": 60,
    }
    for name, i in col.items():
        ws.column_dimensions[get_column_letter(i)].width = widths.get(name, 14)

    groups_ws = wb.create_sheet("groups")
    groups_ws.append(["dimension", "group", "name"])
    row = 2
    for d in template.dimensions:
        first = row
        for g in template.leaves[d.key]:
            groups_ws.append([d.key, g.key, g.name])
            row += 1
        if row > first and row - first <= MAX_VALIDATION_GROUPS:
            letter = get_column_letter(col[d.key])
            rule = DataValidation(
                type="list",
                formula1=f"groups!$B${first}:$B${row - 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Unknown %(dimension)s") % {"dimension": d.name.lower()},
                error=_("Pick a group of %(dimension)s from the list (sheet “groups”).")
                % {"dimension": d.name},
            )
            rule.add(f"{letter}2:{letter}{last_row}")
            ws.add_data_validation(rule)
    numbers = DataValidation(
        type="decimal",
        operator="between",
        formula1="-99999999999999",
        formula2="99999999999999",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("A number"),
        error=_("Type a number, without text or formulas."),
    )
    for name in template.value_fields:
        letter = get_column_letter(col[name])
        numbers.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(numbers)
    letter = get_column_letter(col["missing"])
    reasons = DataValidation(
        type="list",
        formula1='"' + ",".join(str(text) for _, text in Missing.choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("A reason for a blank"),
        error=_("Pick why the value is blank from the list, or leave it empty."),
    )
    reasons.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(reasons)

    info = wb.create_sheet("indicators")
    info.append(
        [
            "indicator",
            "name",
            "unit",
            "fill in",
            "adds up as",
            "reported by",
            "definition",
            "numerator",
            "denominator",
        ]
    )
    dims_by_indicator: dict[str, list[str]] = defaultdict(list)
    for line in template.lines:
        for key in line.groups:
            if key not in dims_by_indicator[line.indicator.code]:
                dims_by_indicator[line.indicator.code].append(key)
    for ind in template.indicators:
        info.append(
            [
                ind.code,
                ind.name,
                unit_text(ind),
                fill_in_text(ind),
                ind.get_aggregation_display(),
                ", ".join(dims_by_indicator.get(ind.code, [])) or "total only",
                ind.definition,
                ind.numerator_definition,
                ind.denominator_definition,
            ]
        )
    for sheet in (groups_ws, info):
        for c in sheet[1]:
            c.font = header_font
            c.fill = header_fill
        sheet.freeze_panes = "A2"
        for r in sheet.iter_rows(min_row=2):
            for c in r:
                text_cell(c)
        for i in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(i)].width = 24
    return wb


def template_xlsx(template: ValuesTemplate) -> HttpResponse:
    buffer = io.BytesIO()
    template_workbook(template).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{template.file_stem}.xlsx"'
    return response
