"""Who may read and change reports, role by role, on every page, form and the PDF."""

from __future__ import annotations

import pytest

from backbone.reports.models import Report
from tests.conftest import ROLES, refused

from .conftest import END, START, report_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

BASE = "/i/riverton/reports/"
OUTSIDERS = {"anonymous", "public", "other_staff"}
MEMBERS = set(ROLES) - OUTSIDERS
READ_ALL = {"staff", "evaluator"}
PARTICIPANTS = {"community", "member_a", "steward_a", "steward_b"}
READERS = {
    "shared_with_funders": READ_ALL | {"funder"},
    "shared_with_members": READ_ALL | PARTICIPANTS,
    "unshared": READ_ALL,
}


def expected(role, allowed):
    if role in OUTSIDERS:
        return 404
    return 200 if role in allowed else 403


@pytest.fixture
def reports(cast):
    def make(title, funders, members):
        return Report.objects.create(
            initiative=cast.initiative,
            title=title,
            period_start=START,
            period_end=END,
            shared_with_funders=funders,
            shared_with_members=members,
            created_by=cast.staff,
        )

    return {
        "shared_with_funders": make("For funders", True, False),
        "shared_with_members": make("For members", False, True),
        "unshared": make("For the backbone", False, False),
    }


@pytest.mark.parametrize("role", ROLES)
def test_report_list_read_by_members_only(as_role, reports, role):
    assert as_role(role).get(BASE).status_code == expected(role, MEMBERS)


@pytest.mark.parametrize("role", ROLES)
def test_report_list_names_only_the_reports_the_reader_may_open(as_role, reports, role):
    response = as_role(role).get(BASE)
    if role in OUTSIDERS:
        return
    listed = {kind for kind, r in reports.items() if r.title in response.text}
    assert listed == {kind for kind, readers in READERS.items() if role in readers}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(READERS))
@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_report_page_and_pdf_by_sharing(as_role, reports, role, kind, suffix):
    response = as_role(role).get(report_url(reports[kind], suffix))
    assert response.status_code == expected(role, READERS[kind])
    if response.status_code == 200 and suffix:
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["new/", "{uuid}/edit/", "{uuid}/delete/"])
def test_report_forms_for_backbone_staff_only(as_role, reports, role, page):
    url = BASE + page.format(uuid=reports["shared_with_funders"].uuid)
    assert as_role(role).get(url).status_code == expected(role, {"staff"})


def _data(**extra):
    return {
        "title": "Made by a role",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "shared_with_funders": "on",
        **extra,
    }


@pytest.mark.parametrize("role", ROLES)
def test_report_created_by_backbone_staff_only(as_role, reports, role):
    response = as_role(role).post(BASE + "new/", _data())
    assert response.status_code == (302 if role == "staff" else expected(role, set()))
    assert Report.objects.filter(title="Made by a role").exists() == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_report_edited_by_backbone_staff_only(as_role, reports, role):
    report = reports["unshared"]
    response = as_role(role).post(report_url(report, "edit/"), _data(title="Renamed"))
    assert response.status_code == (302 if role == "staff" else expected(role, set()))
    report.refresh_from_db()
    assert (report.title == "Renamed") == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_report_deleted_by_backbone_staff_only(as_role, reports, role):
    report = reports["shared_with_members"]
    response = as_role(role).post(report_url(report, "delete/"))
    assert response.status_code == (302 if role == "staff" else expected(role, set()))
    assert Report.objects.filter(pk=report.pk).exists() == (role != "staff")


def test_other_initiatives_report_is_not_found_here(as_role, cast, reports):
    other = Report.objects.create(
        initiative=cast.other_initiative, title="Lakeside", period_start=START, period_end=END
    )
    client = as_role("staff")
    assert client.get(f"{BASE}{other.uuid}/").status_code == 404
    assert client.get(f"{BASE}{other.uuid}/pdf/").status_code == 404
    assert client.post(f"{BASE}{other.uuid}/delete/").status_code == 404
    assert Report.objects.filter(pk=other.pk).exists()
    assert as_role("other_staff").get(f"/i/lakeside/reports/{other.uuid}/").status_code == 200


def test_visitors_of_a_public_initiative_read_no_report(as_role, cast, reports):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    for role in ("anonymous", "public"):
        client = as_role(role)
        assert client.get(BASE).status_code == refused(role)
        assert client.get(report_url(reports["shared_with_members"])).status_code == refused(role)
        pdf = report_url(reports["shared_with_funders"], "pdf/")
        assert client.get(pdf).status_code == refused(role)
