"""Making, changing and deleting a report: the quick periods, and a period that ends before it
starts refused with a clear message and nothing saved."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from backbone.reports import periods, services
from backbone.reports.models import Report

from .conftest import END, START, report_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

BASE = "/i/riverton/reports/"
REFUSED = "The period cannot end before it starts: choose an end on or after 1 July 2026."


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (date(2026, 12, 1), date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 1, 15), date(2025, 10, 1), date(2025, 12, 31)),
        (date(2026, 4, 1), date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 6, 30), date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_last_quarter_is_the_calendar_quarter_before_today(today, start, end):
    assert periods.last_quarter(today) == (start, end)


def test_quick_choices_and_titles():
    found = {c.key: c for c in periods.choices(date(2026, 12, 1))}
    assert found["last-quarter"].label == "Last quarter (Q3 2026)"
    assert (found["year-to-date"].start, found["year-to-date"].end) == (
        date(2026, 1, 1),
        date(2026, 12, 1),
    )
    assert periods.suggested_title(date(2026, 7, 1), date(2026, 9, 30)) == (
        "Progress report to funders, Q3 2026"
    )
    assert periods.suggested_title(date(2026, 1, 1), date(2026, 12, 1)) == (
        "Progress report to funders, 2026 so far"
    )
    assert periods.suggested_title(date(2026, 2, 3), date(2026, 3, 4)) == (
        "Progress report to funders, 3 Feb 2026 to 4 Mar 2026"
    )


def test_quick_choice_fills_the_form(cast, as_role, monkeypatch):
    monkeypatch.setattr("backbone.reports.views.timezone.localdate", lambda: date(2026, 12, 1))
    page = as_role("staff").get(BASE + "new/?period=last-quarter").text
    assert 'value="2026-07-01"' in page and 'value="2026-09-30"' in page
    assert 'value="Progress report to funders, Q3 2026"' in page
    assert "Last quarter (Q3 2026)" in page and "This year so far (2026)" in page


def test_report_made_with_who_and_when(cast, as_role):
    response = as_role("staff").post(
        BASE + "new/",
        {
            "title": "Progress report to funders, Q3 2026",
            "period_start": "2026-07-01",
            "period_end": "2026-09-30",
            "shared_with_funders": "on",
            "introduction": "Thank you.",
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report_url(report)
    assert (report.initiative, report.created_by) == (cast.initiative, cast.staff)
    assert (report.shared_with_funders, report.shared_with_members) == (True, False)
    assert report.created_at is not None


def test_period_ending_before_it_starts_is_refused_and_nothing_saved(cast, as_role):
    response = as_role("staff").post(
        BASE + "new/",
        {"title": "Backwards", "period_start": "2026-07-01", "period_end": "2026-06-30"},
    )
    assert response.status_code == 200
    assert REFUSED in response.text
    assert not Report.objects.exists()


def test_edit_with_a_backwards_period_changes_nothing(cast, as_role):
    report = Report.objects.create(
        initiative=cast.initiative, title="Q2", period_start=START, period_end=END
    )
    response = as_role("staff").post(
        report_url(report, "edit/"),
        {"title": "Renamed", "period_start": "2026-07-01", "period_end": "2026-04-01"},
    )
    assert response.status_code == 200 and REFUSED in response.text
    report.refresh_from_db()
    assert (report.title, report.period_start, report.period_end) == ("Q2", START, END)


def test_missing_dates_are_named(cast, as_role):
    response = as_role("staff").post(BASE + "new/", {"title": "No dates"})
    assert response.status_code == 200
    assert response.text.count("This field is required.") == 2
    assert not Report.objects.exists()


def test_service_refuses_a_backwards_period_too(cast):
    with pytest.raises(ValidationError) as caught:
        services.report_create(
            initiative=cast.initiative,
            by=cast.staff,
            data={"title": "x", "period_start": date(2026, 7, 1), "period_end": date(2026, 6, 1)},
        )
    assert caught.value.message_dict == {"period_end": [REFUSED]}
    assert not Report.objects.exists()


def test_delete_asks_first_then_deletes(cast, as_role):
    report = Report.objects.create(
        initiative=cast.initiative, title="Q2", period_start=START, period_end=END
    )
    client = as_role("staff")
    assert "Delete the report" in client.get(report_url(report, "delete/")).text
    assert Report.objects.exists()
    assert client.post(report_url(report, "delete/"))["Location"] == BASE
    assert not Report.objects.exists()
