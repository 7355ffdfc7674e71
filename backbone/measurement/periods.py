"""Period arithmetic: codes, labels and the periods of each kind around a date."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, pgettext


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def period_bounds(kind: str, start: date) -> tuple[date, date]:
    """First and last day of the period of `kind` starting on `start`."""
    length = {"month": 1, "quarter": 3}.get(kind, 12)
    return start, _add_months(start, length) - timedelta(days=1)


def period_code(kind: str, start: date) -> str:
    if kind == "month":
        return f"{start.year}-{start.month:02d}"
    if kind == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if kind == "year":
        return str(start.year)
    prefix = "SY" if kind == "school_year" else "FY"
    if start.month == 1:
        return f"{prefix}{start.year}"
    return f"{prefix}{start.year}-{(start.year + 1) % 100:02d}"


def period_label(kind: str, start: date) -> str:
    """The period as the reader's language writes it: Jan 2024, enero de 2024, T1 2024."""
    return _label(kind, start, get_language())


@lru_cache(maxsize=8192)
def _label(kind: str, start: date, language: str | None) -> str:
    """One label in one language, written once: a page of ten years of months asks for
    each period's label several times, and formatting a date is not cheap."""
    if kind == "month":
        return date_format(start, pgettext("the label of a month's period", "M Y"))
    if kind == "quarter":
        quarter = (start.month - 1) // 3 + 1
        return gettext("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": start.year}
    if kind == "year":
        return str(start.year)
    if start.month == 1:
        if kind == "school_year":
            return gettext("School year %(year)s") % {"year": start.year}
        return gettext("Fiscal year %(year)s") % {"year": start.year}
    years = {"year": start.year, "next": f"{(start.year + 1) % 100:02d}"}
    if kind == "school_year":
        return gettext("School year %(year)s–%(next)s") % years
    return gettext("Fiscal year %(year)s–%(next)s") % years


def period_start(kind: str, day: date, *, start_month: int = 1) -> date:
    """Start of the period of `kind` that contains `day` (school and fiscal years start in
    `start_month`)."""
    if kind == "month":
        return date(day.year, day.month, 1)
    if kind == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if kind == "year":
        return date(day.year, 1, 1)
    year = day.year if day.month >= start_month else day.year - 1
    return date(year, start_month, 1)
