"""Completeness reads in the same number of queries for a small initiative as for a larger
one: more partners, indicators, periods and reports."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.measurement.completeness.selectors import completeness
from backbone.measurement.completeness.services import assignments_set

from .conftest import TODAY, A, add_partner, dated_period, indicator, send

pytestmark = pytest.mark.integration

STATUSES = ["submitted", "approved", "returned", "draft", None]


def grow(cast, *, partners: int, indicators: int, months: int, tag: str) -> None:
    """Add partners, monthly indicators (the first assigned to two partners) and months, with
    a report of every status among them."""
    i = cast.initiative
    new_partners = [add_partner(cast, f"Partner {tag} {n}") for n in range(partners)]
    everyone = [cast.partner_a, cast.partner_b, *new_partners]
    inds = [indicator(i, f"ind-{tag}-{n}", "month") for n in range(indicators)]
    periods = [dated_period(i, "month", date(2024, m, 1)) for m in months_for(tag, months)]
    assignments_set(initiative=i, reporters={inds[0]: everyone[:2]}, by=cast.staff)
    n = 0
    for period in periods:
        for ind in inds:
            for partner in everyone:
                status = STATUSES[n % len(STATUSES)]
                n += 1
                if status:
                    send(cast, partner, ind, period, status=status)


def months_for(tag: str, count: int) -> list[int]:
    first = 1 if tag == "small" else 3
    return list(range(first, first + count))


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def test_completeness_reads_in_a_fixed_number_of_queries(cast):
    grow(cast, partners=0, indicators=2, months=2, tag="small")
    small = completeness(initiative=cast.initiative, today=TODAY)
    queries_small = count(lambda: completeness(initiative=cast.initiative, today=TODAY))
    grow(cast, partners=4, indicators=3, months=4, tag="large")
    large = completeness(initiative=cast.initiative, today=TODAY)
    queries_large = count(lambda: completeness(initiative=cast.initiative, today=TODAY))
    assert len(large.reports) > 3 * len(small.reports)
    assert large.overall.returned and small.overall.returned
    assert queries_small == queries_large == 6


def page_queries(client, url) -> int:
    def get():
        assert client.get(url).status_code == 200

    return count(get)


def test_pages_read_in_a_fixed_number_of_queries(cast, as_role):
    staff, steward = as_role("staff"), as_role("steward_a")
    overview, own = "/i/riverton/completeness/", f"/i/riverton/completeness/{A}/"
    grow(cast, partners=0, indicators=2, months=2, tag="small")
    small = (
        page_queries(staff, overview),
        page_queries(staff, overview + "?period=2024-01"),
        page_queries(steward, own),
    )
    grow(cast, partners=4, indicators=3, months=4, tag="large")
    large = (
        page_queries(staff, overview),
        page_queries(staff, overview + "?period=2024-01"),
        page_queries(steward, own),
    )
    assert small == large
