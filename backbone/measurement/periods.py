"""Period arithmetic: codes, labels and the periods of each kind around a date."""

from __future__ import annotations

from datetime import date, timedelta

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


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
    if kind == "month":
        return f"{MONTHS[start.month - 1]} {start.year}"
    if kind == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if kind == "year":
        return str(start.year)
    word = "School year" if kind == "school_year" else "Fiscal year"
    if start.month == 1:
        return f"{word} {start.year}"
    return f"{word} {start.year}–{(start.year + 1) % 100:02d}"


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
