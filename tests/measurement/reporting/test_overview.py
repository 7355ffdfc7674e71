"""The reporting overview: every indicator × period a partner reports, and where each stands."""

from datetime import date

import pytest

from backbone.initiatives.roles import Role
from backbone.initiatives.services import membership_grant
from backbone.measurement import approval
from backbone.measurement import reporting as selectors
from backbone.measurement.intake import Reported
from backbone.measurement.models import Period

from .conftest import BASE, enrolled_rows, send

pytestmark = pytest.mark.integration


def reports_of(cast, partner, today=date(2024, 3, 1)):
    return {
        (r.indicator.code, p.code): r
        for p, rows in selectors.partner_reports(
            initiative=cast.initiative, partner=partner, today=today
        )
        for r in rows
    }


def test_each_indicator_appears_in_the_periods_of_its_frequency(cast, reporting):
    cast.partner_a.joined_on = date(2020, 1, 1)
    cast.partner_a.save()
    reports = reports_of(cast, cast.partner_a)
    assert ("children-enrolled", "2024-03") in reports
    assert ("kindergarten-readiness", "SY2024-25") in reports
    assert ("families-served", "2021") in reports  # the recent closed year
    assert ("children-enrolled", "SY2024-25") not in reports
    assert ("kindergarten-readiness", "2024-01") not in reports


def test_a_partner_owes_no_period_that_ended_before_it_joined(cast, reporting):
    reports = reports_of(cast, cast.partner_a)  # joined on 1 January 2024
    assert ("families-served", "2021") not in reports
    assert ("children-enrolled", "2024-03") in reports


def test_an_indicator_assigned_to_other_partners_is_not_expected(cast, reporting):
    from backbone.measurement.completeness.services import assignments_set
    from backbone.measurement.models import Indicator

    indicator = Indicator.objects.get(initiative=cast.initiative, code="children-enrolled")
    assignments_set(
        initiative=cast.initiative, reporters={indicator: [cast.partner_b]}, by=cast.staff
    )
    assert not any(code == "children-enrolled" for code, _ in reports_of(cast, cast.partner_a))
    assert ("children-enrolled", "2024-03") in reports_of(cast, cast.partner_b)


def test_open_periods_come_before_closed_ones(cast, reporting):
    periods = selectors.reporting_periods(cast.initiative)
    assert [p.code for p in periods][-1] == "2021"
    assert all(p.is_open for p in periods[:-1])


def test_only_the_most_recent_closed_periods_are_listed(cast, reporting):
    for year in (2018, 2019, 2020):
        Period.objects.create(
            initiative=cast.initiative,
            kind="year",
            code=str(year),
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            status="closed",
        )
    codes = [p.code for p in selectors.reporting_periods(cast.initiative)]
    assert "2021" in codes and "2020" in codes and "2019" not in codes


def test_statuses_follow_the_values(cast, reporting):
    send(cast, enrolled_rows(period="2024-01"), status="draft")
    submitted = send(cast, enrolled_rows(period="2024-02"))
    send(cast, enrolled_rows(period="2024-03"))
    approval.submission_approve(submission=submitted, by=cast.staff)
    reports = reports_of(cast, cast.partner_a)
    assert reports[("children-enrolled", "2024-01")].status == "draft"
    assert reports[("children-enrolled", "2024-02")].status == "approved"
    assert reports[("children-enrolled", "2024-03")].status == "submitted"
    assert reports[("open-cases", "2024-03")].status == "missing"
    assert reports[("children-enrolled", "2024-03")].value_count == 3


def test_a_returned_report_carries_the_comment(cast, reporting):
    submission = send(cast, enrolled_rows(period="2024-02"))
    approval.submission_return(submission=submission, by=cast.staff, comment="South looks low")
    report = reports_of(cast, cast.partner_a)[("children-enrolled", "2024-02")]
    assert report.status == "returned" and report.comment == "South looks low"
    assert report.submission == submission


def test_a_report_is_late_after_its_due_date_until_submitted(cast, reporting):
    before = reports_of(cast, cast.partner_a, today=date(2024, 2, 15))
    after = reports_of(cast, cast.partner_a, today=date(2024, 2, 16))
    assert not before[("children-enrolled", "2024-01")].is_late
    assert after[("children-enrolled", "2024-01")].is_late
    assert not after[("children-enrolled", "2024-02")].is_late  # no due date
    send(cast, enrolled_rows(period="2024-01"))
    assert not reports_of(cast, cast.partner_a)[("children-enrolled", "2024-01")].is_late


def test_one_partners_values_do_not_count_for_another(cast, reporting):
    send(cast, enrolled_rows(period="2024-02"), partner="b")
    assert reports_of(cast, cast.partner_a)[("children-enrolled", "2024-02")].status == "missing"


def test_page_shows_status_due_date_late_flag_and_links(cast, reporting, as_role):
    submission = send(cast, enrolled_rows(period="2024-02"))
    approval.submission_return(submission=submission, by=cast.staff, comment="Check south")
    html = as_role("steward_a").get(f"{BASE}/report/").content.decode()
    assert "Riverton Public Library" in html
    assert "Due 15 Feb 2024" in html
    assert '<span class="badge bad">Late</span>' in html
    assert '<span class="badge bad">Returned</span>' in html and "Check south" in html
    assert f"{BASE}/report/children-enrolled/2024-03/" in html
    assert f"{BASE}/submissions/{submission.uuid}/" in html


def test_a_person_of_several_partners_chooses_one(cast, reporting, as_role):
    membership_grant(
        initiative=cast.initiative,
        person=cast.steward_a,
        role=Role.PARTNER_MEMBER,
        organisation=cast.org_b,
    )
    client = as_role("steward_a")
    html = client.get(f"{BASE}/report/").content.decode()
    assert "?partner=riverton-public-library" in html and "?partner=northside-food-bank" in html
    chosen = client.get(f"{BASE}/report/?partner=northside-food-bank").content.decode()
    assert "Northside Food Bank" in chosen
    assert "?partner=northside-food-bank" in chosen  # the form links keep the choice


def test_staff_and_evaluators_choose_a_partner_and_see_its_reports(cast, reporting, as_role):
    client = as_role("staff")
    assert "?partner=northside-food-bank" in client.get(f"{BASE}/report/").content.decode()
    html = client.get(f"{BASE}/report/?partner=northside-food-bank").content.decode()
    assert "Northside Food Bank" in html
    assert ">Correct<" in html and "Web form" not in html  # staff correct, with a reason
    evaluator = as_role("evaluator").get(f"{BASE}/report/?partner=northside-food-bank")
    assert ">View<" in evaluator.content.decode()


def test_template_links_appear_once_the_files_pages_exist(cast, reporting, as_role):
    from django.urls import NoReverseMatch, reverse

    html = as_role("steward_a").get(f"{BASE}/report/").content.decode()
    try:
        template = reverse("measurement:template", args=["riverton"])
    except NoReverseMatch:
        pytest.skip("the files pages are not there yet")
    assert f"{template}?format=xlsx&amp;period=2024-03&amp;indicator=children-enrolled" in html
    assert reverse("measurement:upload", args=["riverton"]) in html


def test_reported_rows_use_the_same_cell_as_the_intake(cast, reporting):
    """The form's cell keys are the intake's, so current values land in the right inputs."""
    layout = selectors.form_layout(reporting.readiness)
    send(
        cast,
        [
            Reported(
                "kindergarten-readiness",
                "SY2024-25",
                {"race": "latino", "income": "low"},
                numerator=1,
                denominator=2,
                row=1,
            )
        ],
    )
    state = selectors.form_state(
        layout=layout, partner=cast.partner_a, period=reporting.periods["SY2024-25"]
    )
    latino_low = next(c for c in layout.cells if c.label == "Latino × Low income")
    assert state.initial == {
        f"c{latino_low.row}_numerator": "1",
        f"c{latino_low.row}_denominator": "2",
    }
