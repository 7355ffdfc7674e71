"""The list and the report cost the same queries whether they hold a little or more."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.activities.models import Activity
from backbone.advocacy.models import PublicWillItem
from backbone.links import keyed
from backbone.reports.models import Report
from backbone.workplan.models import Funder, Grant

from .conftest import END, START, report_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def _reports(cast, n):
    for k in range(n):
        Report.objects.create(
            initiative=cast.initiative,
            title=f"Report {k}",
            period_start=START,
            period_end=END,
            shared_with_members=True,
            created_by=cast.staff,
        )


@pytest.mark.parametrize("role", ["staff", "community"])
def test_report_list_queries_do_not_grow_with_reports(cast, as_role, role):
    client = as_role(role)
    _reports(cast, 1)
    one = queries(client, "/i/riverton/reports/")
    _reports(cast, 2)
    assert queries(client, "/i/riverton/reports/") == one


def test_report_queries_do_not_grow_with_activities_grants_and_items(quarter, as_role):
    client = as_role("staff")
    url = report_url(quarter.shared_with_funders)
    queries(client, url)  # the dashboards' cache fills on the first reading
    before = queries(client, url)
    i = quarter.initiative
    funder = Funder.objects.create(initiative=i, name="Another Foundation")
    for k in range(3):
        activity = Activity.objects.create(
            initiative=i,
            partner=quarter.cast.partner_b,
            name=f"More reading {k}",
            status="active",
            starts_on=date(2026, 4, 1),
        )
        activity.strategies.set([quarter.strategies[2]], through_defaults=keyed(activity))
        Grant.objects.create(
            initiative=i,
            funder=funder,
            title=f"Grant {k}",
            amount=1000,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            status="committed",
        )
        PublicWillItem.objects.create(
            initiative=i, kind="media", title=f"Article {k}", starts_on=date(2026, 5, 1), reach=10
        )
    assert queries(client, url) == before
