"""Values out as CSV or Excel, with their history, streamed so a million values never sit in
memory. Every text cell that a spreadsheet could run as a formula is neutralised: an
apostrophe before it in CSV, an explicit text cell (marked "quote prefix") in Excel.

Who sees which partners' values is the caller's business: it passes `partner_ids`, or None
for every partner.

Each value says which series of its indicator it belongs to ("series from", "series break":
the first period and the reason of the latest break at or before it; blank in the first
series), so no one compares figures across a change of definition without seeing it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse

from backbone.initiatives.models import Initiative, Partner
from backbone.spreadsheets import SafeWriter, safe_cell, xlsx_row

from ..missing import label, read_change_reason
from ..models import (
    Cell,
    DataValue,
    Dimension,
    Group,
    Indicator,
    Period,
    SeriesBreak,
    ValueChange,
)
from ..numbers import as_text
from .templates import XLSX_TYPE

CHUNK_ROWS = 2000


@dataclass
class ExportFilter:
    indicators: list[str] = field(default_factory=list)  # indicator codes
    periods: list[str] = field(default_factory=list)  # period codes
    statuses: list[str] = field(default_factory=list)
    partner_ids: list[int] | None = None  # None: every partner


class Lookup:
    """Names for the ids a value row carries, read once per export (six queries)."""

    def __init__(self, initiative: Initiative):
        self.dimensions = list(Dimension.objects.filter(initiative=initiative))
        position = {d.pk: i for i, d in enumerate(self.dimensions)}
        self.indicators = {
            pk: (code, name)
            for pk, code, name in Indicator.objects.filter(initiative=initiative).values_list(
                "id", "code", "name"
            )
        }
        periods = Period.objects.filter(initiative=initiative).values_list("id", "code", "start")
        self.periods = {pk: code for pk, code, _ in periods}
        self.period_starts = {pk: start for pk, _, start in periods}
        self.breaks: dict[int, list[tuple]] = {}
        for indicator_id, *found in (
            SeriesBreak.objects.filter(initiative=initiative)
            .order_by("period__start")
            .values_list("indicator_id", "period__start", "period__code", "reason")
        ):
            self.breaks.setdefault(indicator_id, []).append(found)
        self.partners = {
            pk: (slug, name)
            for pk, slug, name in Partner.objects.filter(initiative=initiative).values_list(
                "id", "organisation__slug", "organisation__name"
            )
        }
        groups = {
            pk: (dim_id, key, name, pos)
            for pk, dim_id, key, name, pos in Group.objects.filter(
                initiative=initiative
            ).values_list("id", "dimension_id", "key", "name", "position")
        }
        members: dict[int, list[tuple]] = {}
        for cell_id, group_id in Cell.groups.through.objects.filter(
            cell__initiative=initiative
        ).values_list("cell_id", "group_id"):
            members.setdefault(cell_id, []).append(groups[group_id])
        width = len(self.dimensions)
        self.cells: dict[int, tuple[list[str], str]] = {}
        for cell_id, found in members.items():
            found.sort(key=lambda g: (position[g[0]], g[3], g[2]))
            keys = [""] * width
            for dim_id, key, _, _ in found:
                keys[position[dim_id]] = key
            self.cells[cell_id] = (keys, " × ".join(g[2] for g in found))
        self.total = ([""] * width, "Total")

    def series(self, indicator_id: int, period_id: int) -> list[str]:
        """[first period, reason] of the series a value belongs to; blank in the first."""
        start = self.period_starts[period_id]
        found = ["", ""]
        for at, code, reason in self.breaks.get(indicator_id, ()):
            if at <= start:
                found = [code, reason]
        return found

    def cell(self, cell_id: int) -> tuple[list[str], str]:
        return self.cells.get(cell_id, self.total)

    def where(self, indicator_id: int, period_id: int, partner_id: int, cell_id: int) -> list:
        code, name = self.indicators[indicator_id]
        slug, partner_name = self.partners[partner_id]
        keys, label = self.cell(cell_id)
        return [code, name, self.periods[period_id], slug, partner_name, *keys, label]


def _where_header(lookup: Lookup) -> list[str]:
    return [
        "indicator",
        "indicator name",
        "period",
        "partner",
        "partner name",
        *(d.key for d in lookup.dimensions),
        "groups",
    ]


VALUE_HEADER = [
    "value",
    "numerator",
    "denominator",
    "n",
    "missing",
    "status",
    "submitted at",
    "updated at",
    "series from",
    "series break",
]
HISTORY_HEADER = [
    "changed at",
    "changed by",
    "old value",
    "old numerator",
    "old denominator",
    "old n",
    "old missing",
    "new value",
    "new numerator",
    "new denominator",
    "new n",
    "new missing",
    "reason",
]


def _filtered(qs: QuerySet, flt: ExportFilter, prefix: str = "") -> QuerySet:
    if flt.indicators:
        qs = qs.filter(**{f"{prefix}indicator__code__in": flt.indicators})
    if flt.periods:
        qs = qs.filter(**{f"{prefix}period__code__in": flt.periods})
    if flt.statuses:
        qs = qs.filter(**{f"{prefix}status__in": flt.statuses})
    if flt.partner_ids is not None:
        qs = qs.filter(**{f"{prefix}partner_id__in": flt.partner_ids})
    return qs


def _n(value) -> Decimal | None:
    """A stored number, exact and without trailing zeros."""
    return None if value is None else Decimal(as_text(value))


def _when(moment) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def value_rows(initiative: Initiative, flt: ExportFilter, lookup: Lookup) -> Iterator[list]:
    """Every value that `flt` selects: where it belongs, its numbers (or why they are
    blank), status and dates."""
    qs = _filtered(DataValue.objects.filter(initiative=initiative), flt)
    rows = qs.order_by("indicator_id", "period__start", "partner_id", "cell_id").values_list(
        "indicator_id",
        "period_id",
        "partner_id",
        "cell_id",
        "value",
        "numerator",
        "denominator",
        "weight",
        "status",
        "submission__submitted_at",
        "updated_at",
        "missing",
    )
    for r in rows.iterator(chunk_size=CHUNK_ROWS):
        yield [
            *lookup.where(*r[:4]),
            _n(r[4]),
            _n(r[5]),
            _n(r[6]),
            _n(r[7]),
            label(r[11]),
            r[8],
            _when(r[9]),
            _when(r[10]),
            *lookup.series(r[0], r[1]),
        ]


def history_rows(initiative: Initiative, flt: ExportFilter, lookup: Lookup) -> Iterator[list]:
    """Every change of the selected values: who, when, old, new (or why blank) and why."""
    qs = _filtered(
        ValueChange.objects.filter(initiative=initiative, data_value__initiative=initiative),
        flt,
        "data_value__",
    )
    rows = qs.order_by("data_value_id", "changed_at", "id").values_list(
        "data_value__indicator_id",
        "data_value__period_id",
        "data_value__partner_id",
        "data_value__cell_id",
        "changed_at",
        "changed_by__name",
        "changed_by__email",
        "old_value",
        "old_numerator",
        "old_denominator",
        "old_weight",
        "new_value",
        "new_numerator",
        "new_denominator",
        "new_weight",
        "reason",
    )
    for r in rows.iterator(chunk_size=CHUNK_ROWS):
        why, old, new = read_change_reason(r[15])
        yield [
            *lookup.where(*r[:4]),
            _when(r[4]),
            r[5] or r[6] or "",
            *(_n(x) for x in r[7:11]),
            label(old),
            *(_n(x) for x in r[11:15]),
            label(new),
            why,
        ]


# --- CSV -------------------------------------------------------------------------------


def _csv_cell(value):
    """Numbers as exact text (a negative number is a number, not a formula); other text
    neutralised."""
    if isinstance(value, Decimal):
        return as_text(value)
    return safe_cell(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(header: list[str], rows: Iterator[list]) -> Iterator[str]:
    writer = SafeWriter(_Echo(), cell=_csv_cell)
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def export_csv(
    *, initiative: Initiative, flt: ExportFilter, history: bool = False, filename: str
) -> StreamingHttpResponse:
    lookup = Lookup(initiative)
    if history:
        header = _where_header(lookup) + HISTORY_HEADER
        rows = history_rows(initiative, flt, lookup)
    else:
        header = _where_header(lookup) + VALUE_HEADER
        rows = value_rows(initiative, flt, lookup)
    response = StreamingHttpResponse(
        _csv_stream(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Excel -----------------------------------------------------------------------------


def _append(ws, row: list, bold=None) -> None:
    """A row of explicit cells: text is always text (never a formula), numbers numbers."""
    ws.append(xlsx_row(ws, row, bold))


def export_workbook(*, initiative: Initiative, flt: ExportFilter, file) -> None:
    """Write the values (sheet "values") and their history (sheet "history") to `file`,
    streaming: openpyxl's write-only workbook keeps rows on disk, not in memory."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lookup = Lookup(initiative)
    bold = Font(bold=True)
    wb = Workbook(write_only=True)
    values = wb.create_sheet("values")
    values.freeze_panes = "A2"
    _append(values, _where_header(lookup) + VALUE_HEADER, bold)
    for row in value_rows(initiative, flt, lookup):
        _append(values, row)
    history = wb.create_sheet("history")
    history.freeze_panes = "A2"
    _append(history, _where_header(lookup) + HISTORY_HEADER, bold)
    for row in history_rows(initiative, flt, lookup):
        _append(history, row)
    wb.save(file)


def export_xlsx(*, initiative: Initiative, flt: ExportFilter, filename: str) -> FileResponse:
    spool = tempfile.TemporaryFile()
    export_workbook(initiative=initiative, flt=flt, file=spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
