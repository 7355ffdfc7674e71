"""The 4W rows as CSV and Excel, with text that looks like a formula kept as text."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.http import HttpResponse

from backbone.spreadsheets import csv_response, xlsx_row

from .models import Activity

HEADER = [
    "partner",
    "sector",
    "what",
    "strategies",
    "where",
    "for whom",
    "starts",
    "ends",
    "status",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def where(activity: Activity) -> str:
    return "; ".join(p.name for p in activity.places.all()) or activity.place_text


def for_whom(activity: Activity) -> str:
    return "; ".join(g.name for g in activity.groups.all()) or "Everyone"


def rows(activities: Iterable[Activity]) -> Iterable[list]:
    for a in activities:
        yield [
            a.partner.organisation.name,
            a.partner.organisation.get_sector_display(),
            a.name,
            "; ".join(s.title for s in a.strategies.all()),
            where(a),
            for_whom(a),
            a.starts_on.isoformat(),
            a.ends_on.isoformat() if a.ends_on else "",
            a.get_status_display(),
        ]


def four_w_csv(activities: Iterable[Activity], filename: str) -> HttpResponse:
    return csv_response(filename, HEADER, rows(activities))


def four_w_xlsx(activities: Iterable[Activity], filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("activities")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    ws.append(xlsx_row(ws, HEADER, bold))
    for row in rows(activities):
        ws.append(xlsx_row(ws, row))
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
