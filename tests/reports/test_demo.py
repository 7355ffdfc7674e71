"""The demo's report: last quarter's, shared with funders, read by the demo's funder."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from backbone.measurement.models import Indicator
from backbone.reports import periods
from backbone.reports.demo import reports_demo
from backbone.reports.models import Report
from backbone.reports.selectors import SECTIONS

from .conftest import pdf_pages_as_pictures, pdf_text, report_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def signed_in(email: str) -> Client:
    from backbone.accounts.models import Person

    client = Client()
    client.force_login(Person.objects.get(email=email))
    return client


def test_demo_funder_reads_last_quarters_report_and_its_pdf(demo):
    start, end = periods.last_quarter(timezone.localdate())
    report = Report.objects.get(initiative=demo)
    assert (report.period_start, report.period_end) == (start, end)
    assert report.title == f"Progress report to funders, Q{(start.month - 1) // 3 + 1} {start.year}"
    assert (report.shared_with_funders, report.shared_with_members) == (True, False)
    assert report.created_by.email == "maya.okafor@riverton.example"

    client = signed_in("helen.park@riverton.example")
    assert report.title in client.get(f"/i/{demo.slug}/reports/").text
    page = client.get(report_url(report))
    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    members_only = Indicator.objects.filter(initiative=demo, visibility="members")
    assert members_only.exists()
    for indicator in members_only:
        assert indicator.name not in text
    assert "Programme officer expects a site visit." not in text
    assert "Secured by your organisation for" in text and "hours were logged in the period" in text
    pdf = client.get(report_url(report, "pdf/"))
    assert pdf.status_code == 200
    printed = pdf_text(pdf.content)
    for n, (_, heading) in enumerate(SECTIONS, start=1):
        assert f"{n}. {heading}" in printed
    latest = re.findall(r'<td class="latest"><strong>([^<]+)</strong>', page.text)
    assert latest
    for value in latest:
        assert value in printed
    assert pdf_pages_as_pictures(pdf.content, "report-demo-funder")

    resident = signed_in("rosa.delgado@riverton.example")
    assert resident.get(report_url(report)).status_code == 403
    assert report.title not in resident.get(f"/i/{demo.slug}/reports/").text


def test_reports_demo_on_its_own_is_deterministic_and_can_run_again(cast):
    first = reports_demo(initiative=cast.initiative)
    again = reports_demo(initiative=cast.initiative)
    assert Report.objects.filter(initiative=cast.initiative).count() == 1
    assert (first.title, first.period_start, first.period_end) == (
        again.title,
        again.period_start,
        again.period_end,
    )
    assert again.created_by == cast.staff and again.shared_with_funders
