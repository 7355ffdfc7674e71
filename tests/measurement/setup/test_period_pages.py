"""Reporting periods: listed by kind, generated in runs, opened and closed."""

from datetime import date

import pytest

from backbone.measurement import services_setup as services
from backbone.measurement.models import Period
from backbone.measurement.selectors import periods_by_kind

pytestmark = pytest.mark.integration

BASE = "/i/riverton/measurement/periods/"


def _generate(client, **data):
    return client.post(BASE, {"action": "generate", "start_month": "1", **data})


def test_periods_page_lists_periods_by_kind_with_status_and_due_date(cast, measured, as_role):
    Period.objects.filter(code="SY2024-25").update(due=date(2025, 10, 29))

    text = as_role("steward_a").get(BASE).content.decode()

    assert text.index("Months") < text.index("School years") < text.index("Calendar years")
    assert "29 Oct 2025" in text and "Past due" in text
    assert "Closed" in text and "Open" in text
    assert "Generate periods" not in text


def test_staff_generate_school_years_starting_in_a_chosen_month(cast, as_role):
    response = _generate(
        as_role("staff"),
        kind="school_year",
        first="2020-09-15",
        last="2025-06-30",
        start_month="8",
        due_days="90",
    )

    assert response.status_code == 302
    years = Period.objects.filter(initiative=cast.initiative, kind="school_year").order_by("start")
    assert [p.code for p in years] == [
        "SY2020-21",
        "SY2021-22",
        "SY2022-23",
        "SY2023-24",
        "SY2024-25",
    ]
    assert (years[0].start, years[0].end, years[0].due) == (
        date(2020, 8, 1),
        date(2021, 7, 31),
        date(2021, 10, 29),
    )
    assert all(p.is_open for p in years)


def test_generating_again_keeps_existing_periods(cast, measured, as_role):
    Period.objects.filter(code="2024-01").update(status="closed")

    client = as_role("staff")
    response = _generate(client, kind="month", first="2024-01-01", last="2024-06-30")

    assert Period.objects.filter(initiative=cast.initiative, kind="month").count() == 6
    assert not Period.objects.get(code="2024-01").is_open
    response = client.get(response["Location"])
    assert (
        "3 periods created. 3 existed already: 2024-01, 2024-02, 2024-03."
        in response.content.decode()
    )


def test_fiscal_years_starting_in_july(cast):
    run = services.periods_generate(
        initiative=cast.initiative,
        kind="fiscal_year",
        first=date(2023, 7, 1),
        last=date(2024, 7, 1),
        start_month=7,
    )

    assert [(p.code, p.start, p.end) for p in run.created] == [
        ("FY2023-24", date(2023, 7, 1), date(2024, 6, 30)),
        ("FY2024-25", date(2024, 7, 1), date(2025, 6, 30)),
    ]


def test_a_run_that_ends_before_it_starts_is_refused(cast, as_role):
    response = _generate(as_role("staff"), kind="year", first="2025-01-01", last="2024-01-01")

    assert response.status_code == 200
    assert response.context["form"].errors["last"]
    assert not Period.objects.filter(initiative=cast.initiative).exists()


def test_a_run_of_too_many_periods_is_refused(cast, as_role):
    response = _generate(as_role("staff"), kind="month", first="1990-01-01", last="2025-01-01")

    assert "shorter run" in response.context["form"].errors["last"][0]
    assert not Period.objects.filter(initiative=cast.initiative).exists()


def test_closing_a_period_says_who_and_when(cast, measured, as_role):
    client = as_role("staff")

    response = client.post(BASE, {"action": "close", "period": "2024-02"}, follow=True)

    text = response.content.decode()
    assert "Feb 2024 closed by Sam Staff on" in text
    assert not Period.objects.get(initiative=cast.initiative, code="2024-02").is_open


def test_closing_a_closed_period_changes_nothing(cast, measured, as_role):
    response = as_role("staff").post(BASE, {"action": "close", "period": "2021"}, follow=True)

    assert "was closed already" in response.content.decode()


def test_reopening_a_period(cast, measured, as_role):
    response = as_role("staff").post(BASE, {"action": "open", "period": "2021"}, follow=True)

    assert "open for reporting again" in response.content.decode()
    assert Period.objects.get(initiative=cast.initiative, code="2021").is_open


def test_an_unknown_action_or_period_is_not_found(cast, measured, as_role):
    client = as_role("staff")

    assert client.post(BASE, {"action": "delete", "period": "2021"}).status_code == 404
    assert client.post(BASE, {"action": "close", "period": "1999"}).status_code == 404


def test_periods_by_kind_in_kind_order_and_time_order(cast, measured):
    grouped = periods_by_kind(cast.initiative)
    latest = periods_by_kind(cast.initiative, latest_first=True, kinds=["month"])

    assert list(grouped) == ["month", "school_year", "year"]
    assert [p.code for p in grouped["school_year"]] == ["SY2022-23", "SY2023-24", "SY2024-25"]
    assert [p.code for p in latest["month"]] == ["2024-03", "2024-02", "2024-01"]


def test_period_create_makes_code_and_end(cast):
    period = services.period_create(
        initiative=cast.initiative, kind="quarter", start=date(2025, 4, 1), due=date(2025, 7, 15)
    )

    assert (period.code, period.end, period.due) == ("2025Q2", date(2025, 6, 30), date(2025, 7, 15))
    with pytest.raises(services.SetupError):
        services.period_create(initiative=cast.initiative, kind="quarter", start=date(2025, 4, 1))
