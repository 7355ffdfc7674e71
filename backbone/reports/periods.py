"""The quick choices of a report's period, relative to a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backbone.measurement.periods import period_label, period_start


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    start: date
    end: date


def last_quarter(today: date) -> tuple[date, date]:
    """The calendar quarter before the one `today` falls in."""
    this_quarter = period_start("quarter", today)
    end = this_quarter - timedelta(days=1)
    return period_start("quarter", end), end


def year_to_date(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), today


def choices(today: date) -> list[Choice]:
    q_start, q_end = last_quarter(today)
    y_start, y_end = year_to_date(today)
    return [
        Choice(
            "last-quarter",
            _("Last quarter (%(quarter)s)") % {"quarter": period_label("quarter", q_start)},
            q_start,
            q_end,
        ),
        Choice(
            "year-to-date",
            _("This year so far (%(year)s)") % {"year": y_start.year},
            y_start,
            y_end,
        ),
    ]


def choice(key: str, today: date) -> Choice | None:
    return next((c for c in choices(today) if c.key == key), None)


def suggested_title(start: date, end: date) -> str:
    """ "Progress report to funders, Q3 2026" for a calendar quarter, else the dates; in the
    language of whoever makes the report (the title is stored as written)."""
    if period_start("quarter", start) == start and last_quarter(end + timedelta(days=1)) == (
        start,
        end,
    ):
        return _("Progress report to funders, %(period)s") % {
            "period": period_label("quarter", start)
        }
    if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return _("Progress report to funders, %(period)s") % {"period": start.year}
    if start == date(start.year, 1, 1) and end.year == start.year:
        return _("Progress report to funders, %(year)s so far") % {"year": start.year}
    return _("Progress report to funders, %(start)s to %(end)s") % {
        "start": date_format(start, "j M Y"),
        "end": date_format(end, "j M Y"),
    }
