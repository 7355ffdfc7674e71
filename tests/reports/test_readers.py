"""One report, several readers: each sees it as the scorecard and the funding page show things
to them — members-only indicators, small numbers and private notes stay with those allowed."""

from __future__ import annotations

import re

import pytest

from backbone.initiatives import services
from backbone.initiatives.roles import Role
from backbone.reports.selectors import build_report
from backbone.workplan.models import Funder, Grant
from tests.conftest import client_as, make_person

from .conftest import PRIVATE_NOTE, SMALL_RATE, pdf_text, report_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

NORTH_RATE = "71.1%"  # north's readiness in Q2: hidden with south, or south could be worked out
TOTAL_RATE = "69.1%"  # the total: 67 of 97 children, shown to everyone who sees the indicator
MEMBERS_ONLY = "Home visits to families"


def page_and_pdf(client, report) -> tuple[str, str]:
    page = client.get(report_url(report))
    pdf = client.get(report_url(report, "pdf/"))
    assert (page.status_code, pdf.status_code) == (200, 200)
    return " ".join(re.sub(r"<[^>]+>", " ", page.text).split()), pdf_text(pdf.content)


def test_funder_reads_no_small_number_no_members_indicator_no_private_note(quarter, as_role):
    for text in page_and_pdf(as_role("funder"), quarter.shared_with_funders):
        assert TOTAL_RATE in text and "Kindergarten readiness" in text
        assert SMALL_RATE not in text and NORTH_RATE not in text
        assert MEMBERS_ONLY not in text
        assert PRIVATE_NOTE not in text and "Private note" not in text
        assert "Figures from fewer than 10 people are hidden" in text
        assert "Secured by your organisation for 2026" in text


def test_backbone_staff_read_every_figure_and_the_private_note(quarter, as_role):
    for text in page_and_pdf(as_role("staff"), quarter.shared_with_funders):
        assert TOTAL_RATE in text and SMALL_RATE in text and NORTH_RATE in text
        assert MEMBERS_ONLY in text
        assert PRIVATE_NOTE in text
        assert "Figures from fewer than" not in text


def test_evaluator_reads_small_numbers_and_grants_but_no_private_note(quarter, as_role):
    for text in page_and_pdf(as_role("evaluator"), quarter.unshared):
        assert SMALL_RATE in text and MEMBERS_ONLY in text
        assert "Operating support" in text  # the grants themselves
        assert PRIVATE_NOTE not in text


def test_community_member_reads_members_indicators_without_small_numbers_or_funding(
    quarter, as_role
):
    for text in page_and_pdf(as_role("community"), quarter.shared_with_members):
        assert MEMBERS_ONLY in text and TOTAL_RATE in text
        assert SMALL_RATE not in text and NORTH_RATE not in text
        assert "Funding figures are shared with the backbone, evaluators and funders" in text
        assert "Secured for" not in text and "Operating support" not in text
        assert PRIVATE_NOTE not in text


def test_funder_sees_the_totals_of_funding_but_not_the_grants(quarter, as_role):
    page = as_role("funder").get(report_url(quarter.shared_with_funders)).text
    assert 'id="pipeline-caption"' in page and 'id="grants-caption"' not in page
    assert "Operating support" not in page


def test_report_not_shared_with_funders_is_refused_to_a_funder(quarter, as_role):
    client = as_role("funder")
    for report in (quarter.shared_with_members, quarter.unshared):
        assert client.get(report_url(report)).status_code == 403
        assert client.get(report_url(report, "pdf/")).status_code == 403


def test_funder_of_an_organisation_reads_its_own_grants_only(quarter):
    hale = services.organisation_create(name="Hale Family Foundation", sector="philanthropy")
    Funder.objects.filter(name="Hale Family Foundation").update(organisation=hale)
    person = make_person("hal@hale.example.org", "Hal Hale")
    services.membership_grant(
        initiative=quarter.initiative, person=person, role=Role.FUNDER, organisation=hale
    )
    for text in page_and_pdf(client_as(person), quarter.shared_with_funders):
        assert "Your organisation's grants running in the period" in text
        assert "Operating support" in text and "Parent ambassadors" in text  # Hale's
        assert "Data system" not in text and "Summer learning" not in text  # the bank's
        assert PRIVATE_NOTE not in text and "Private note" not in text
    # Every funding figure the report gives Hale is of Hale's grants: counts and sums by status.
    doc = build_report(quarter.shared_with_funders, person)
    own = Grant.objects.filter(initiative=quarter.initiative, funder__organisation=hale)
    for row in doc.funding.pipeline:
        mine = own.filter(status=row.status)
        assert row.count == mine.count()
        assert dict(row.sums) == {
            c: sum(g.amount for g in mine if g.currency == c) for c in {g.currency for g in mine}
        }
