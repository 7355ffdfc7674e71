"""What DHIS2's codes mean here: the roles of data elements (value, numerator, denominator,
n) and DHIS2's periods.
"""

from __future__ import annotations

import re
from datetime import date

from backbone.initiatives.models import Initiative

from ..models import (
    Aggregation,
    DataValue,
    Indicator,
    Period,
)

ROLES = ("value", "numerator", "denominator", "n")
ROLE_NAMES = {
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "n": "n (number of people behind an average)",
}
MAX_CODE_LENGTH = 50  # DHIS2 codes are at most 50 characters, uids 11
# The uid DHIS2 gives its "default" category option combo, on every instance; as an
# attributeOptionCombo it means no attribute: here, the partner sending the values.
DEFAULT_COMBO = "HllvX50cXC0"
MAX_COMMENT_LENGTH = DataValue._meta.get_field("comment").max_length
MAX_STORED_BY_LENGTH = DataValue._meta.get_field("stored_by").max_length

# --- roles of data elements ----------------------------------------------------------------


def stored_code(code: str, role: str) -> str:
    """The `Dhis2Mapping.code` of a data element mapped to `role`."""
    return code if role == "value" else f"{role}:{code}"


def element_code(stored: str) -> tuple[str, str]:
    """(DHIS2 code, role) of a stored data element mapping."""
    head, sep, rest = stored.partition(":")
    if sep and head in ROLES[1:]:
        return rest, head
    return stored, "value"


def roles_for(indicator: Indicator) -> tuple[str, ...]:
    """The numbers an indicator takes, in the order they are asked for."""
    if indicator.aggregation == Aggregation.RATE:
        return ("numerator", "denominator")
    if indicator.aggregation == Aggregation.WEIGHTED:
        return ("value", "n")
    return ("value",)


# --- periods ---------------------------------------------------------------------------------

FINANCIAL_MONTHS = {"April": 4, "July": 7, "Oct": 10, "Nov": 11}
_MONTHLY = re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")
_QUARTERLY = re.compile(r"^(\d{4})Q([1-4])$")
_YEARLY = re.compile(r"^(\d{4})$")
_FINANCIAL = re.compile(r"^(\d{4})(April|July|Oct|Nov)$")
_NOT_USED = [
    (re.compile(r"^\d{8}$"), "daily"),
    (re.compile(r"^\d{4}(Wed|Thu|Sat|Sun|Bi)?W\d{1,2}$"), "weekly"),
    (re.compile(r"^\d{4}(0[1-9]|1[0-2])B$"), "bi-monthly"),
    (re.compile(r"^\d{4}(April|Nov)?S[12]$"), "six-monthly"),
]


def dhis2_period_parse(text: str) -> tuple[str, date]:
    """(Backbone period kind, first day) of a DHIS2 period; ValueError saying why not."""
    text = text.strip()
    if m := _MONTHLY.match(text):
        return "month", date(int(m[1]), int(m[2]), 1)
    if m := _QUARTERLY.match(text):
        return "quarter", date(int(m[1]), 3 * int(m[2]) - 2, 1)
    if m := _YEARLY.match(text):
        return "year", date(int(m[1]), 1, 1)
    if m := _FINANCIAL.match(text):
        return "fiscal_year", date(int(m[1]), FINANCIAL_MONTHS[m[2]], 1)
    for pattern, name in _NOT_USED:
        if pattern.match(text):
            raise ValueError(f"{text} is a {name} DHIS2 period; Backbone has no {name} periods")
    shown = text if len(text) <= 30 else text[:29] + "…"
    raise ValueError(
        f"{shown!r} is not a DHIS2 period Backbone reads "
        "(monthly 202401, quarterly 2024Q1, yearly 2024, financial 2024April, 2024July, "
        "2024Oct or 2024Nov)"
    )


def dhis2_period_of(kind: str, start: date) -> str | None:
    """The DHIS2 code of a Backbone period, or None when DHIS2 has no such period."""
    if kind == "month":
        return f"{start.year}{start.month:02d}"
    if kind == "quarter" and start.month in (1, 4, 7, 10):
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if kind == "year" or (kind in ("fiscal_year", "school_year") and start.month == 1):
        return str(start.year)
    if kind in ("fiscal_year", "school_year"):
        for name, month in FINANCIAL_MONTHS.items():
            if start.month == month:
                return f"{start.year}{name}"
    return None


def periods_by_start(initiative: Initiative) -> dict[tuple[str, date], str]:
    """(kind, start) → Backbone period code; a financial year is found as a fiscal or a
    school year, a January one also as a calendar year."""
    found: dict[tuple[str, date], str] = {}
    rows = Period.objects.filter(initiative=initiative).values_list("kind", "start", "code")
    for kind, start, code in sorted(rows, key=lambda r: r[0] != "fiscal_year"):
        key_kind = "fiscal_year" if kind == "school_year" else kind
        found.setdefault((key_kind, start), code)
        if kind in ("fiscal_year", "school_year") and start.month == 1:
            found.setdefault(("year", start), code)
    return found
