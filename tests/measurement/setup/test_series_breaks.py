"""Series breaks on the set-up pages: backbone staff record where an indicator's series starts
again, and why, and remove a break; no one else can. The service refuses a break without a
reason, at a period of another frequency or initiative, or twice at one period."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.measurement.breaks import (
    break_at_or_before,
    breaks_of,
    series_break_add,
    series_break_remove,
    series_start,
)
from backbone.measurement.models import SeriesBreak
from backbone.measurement.services_setup import SetupError
from tests.conftest import ROLES
from tests.measurement.conftest import make_period

pytestmark = pytest.mark.integration

BASE = "/i/riverton/measurement/indicators"
OUTSIDERS = {"anonymous", "public", "other_staff"}
REASON = "New kindergarten entry assessment"


def _expected(role: str, ok: int) -> int:
    if role in OUTSIDERS:
        return 404
    return ok if role == "staff" else 403


@pytest.fixture
def readiness(cast, measured):
    """Kindergarten readiness, reported by school year (SY2022-23 to SY2024-25)."""
    indicator = measured.readiness
    indicator.frequency = "school_year"
    indicator.save()
    return indicator


def add(cast, indicator, code="SY2023-24", reason=REASON) -> SeriesBreak:
    period = cast.initiative.periods.get(code=code)
    return series_break_add(indicator=indicator, period=period, reason=reason, by=cast.staff)


# --- the service -----------------------------------------------------------------------------


def test_break_is_recorded_with_its_reason_and_author(cast, readiness):
    found = add(cast, readiness, reason="  New kindergarten   entry assessment ")

    assert (found.period.code, found.reason, found.created_by) == (
        "SY2023-24",
        REASON,
        cast.staff,
    )
    assert found.initiative == cast.initiative
    assert [b.period.code for b in breaks_of(readiness)] == ["SY2023-24"]


@pytest.mark.parametrize(
    "code, reason, field",
    [
        ("SY2023-24", "   ", "reason"),
        ("SY2023-24", "x" * 301, "reason"),
        ("2024-01", REASON, "period"),  # a month: the indicator is reported by school year
    ],
)
def test_break_is_refused_without_a_reason_or_at_a_period_of_another_frequency(
    cast, readiness, code, reason, field
):
    with pytest.raises(SetupError) as exc:
        add(cast, readiness, code=code, reason=reason)

    assert exc.value.field == field
    assert not SeriesBreak.objects.exists()


def test_break_is_refused_at_a_period_of_another_initiative(cast, readiness):
    other = make_period(cast.other_initiative, "school_year", date(2023, 8, 1))

    with pytest.raises(SetupError):
        series_break_add(indicator=readiness, period=other, reason=REASON, by=cast.staff)

    assert not SeriesBreak.objects.exists()


def test_break_is_recorded_once_per_period(cast, readiness):
    add(cast, readiness)

    with pytest.raises(SetupError, match="already starts again at School year 2023–24"):
        add(cast, readiness, reason="Said twice")

    assert SeriesBreak.objects.count() == 1


def test_removed_break_is_gone(cast, readiness):
    found = add(cast, readiness)

    series_break_remove(series_break=found, by=cast.staff)

    assert breaks_of(readiness) == []


def test_current_series_runs_from_the_latest_break_at_or_before_the_last_period(
    cast, readiness, measured
):
    years = [measured.periods[c] for c in ("SY2022-23", "SY2023-24", "SY2024-25")]
    assert series_start(readiness, years) == years  # no break: one series

    add(cast, readiness)

    assert series_start(readiness, years) == years[1:]
    assert series_start(readiness, years[:1]) == years[:1]  # as it stood before the break
    found = breaks_of(readiness)
    assert break_at_or_before(found, years[0].start) is None
    assert break_at_or_before(found, years[2].start).period == years[1]


# --- the pages -------------------------------------------------------------------------------


def test_staff_record_a_break_on_its_page_and_see_it_on_the_indicator(cast, readiness, as_role):
    staff = as_role("staff")
    period = cast.initiative.periods.get(code="SY2023-24")

    response = staff.post(
        f"{BASE}/{readiness.code}/breaks/",
        {"action": "add", "period": period.pk, "reason": REASON},
        follow=True,
    )

    html = response.content.decode()
    assert "A new series starts at School year 2023–24" in html
    assert SeriesBreak.objects.get().reason == REASON
    page = as_role("evaluator").get(f"{BASE}/{readiness.code}/").content.decode()
    assert REASON in page and "School year 2023–24" in page
    assert "action=remove" not in page  # reading, not managing


def test_break_page_offers_only_periods_of_the_indicators_frequency(cast, readiness, as_role):
    html = as_role("staff").get(f"{BASE}/{readiness.code}/breaks/").content.decode()

    assert "School year 2024–25" in html and "School year 2022–23" in html
    assert "Jan 2024" not in html


def test_break_without_a_reason_is_shown_again_with_the_error(cast, readiness, as_role):
    period = cast.initiative.periods.get(code="SY2023-24")

    response = as_role("staff").post(
        f"{BASE}/{readiness.code}/breaks/", {"action": "add", "period": period.pk, "reason": " "}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not SeriesBreak.objects.exists()


def test_edit_page_points_to_the_breaks_when_the_definition_changes(cast, readiness, as_role):
    html = as_role("staff").get(f"{BASE}/{readiness.code}/edit/").content.decode()

    assert f"{BASE}/{readiness.code}/breaks/" in html


@pytest.mark.parametrize("role", ROLES)
def test_break_page_by_role(cast, readiness, as_role, role):
    response = as_role(role).get(f"{BASE}/{readiness.code}/breaks/")

    assert response.status_code == _expected(role, 200)


@pytest.mark.parametrize("role", ROLES)
def test_add_break_by_role(cast, readiness, as_role, role):
    period = cast.initiative.periods.get(code="SY2023-24")

    response = as_role(role).post(
        f"{BASE}/{readiness.code}/breaks/",
        {"action": "add", "period": period.pk, "reason": REASON},
    )

    assert response.status_code == _expected(role, 302)
    assert SeriesBreak.objects.filter(indicator=readiness).exists() == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_remove_break_by_role(cast, readiness, as_role, role):
    add(cast, readiness)

    response = as_role(role).post(
        f"{BASE}/{readiness.code}/breaks/", {"action": "remove", "period": "SY2023-24"}
    )

    assert response.status_code == _expected(role, 302)
    assert SeriesBreak.objects.filter(indicator=readiness).exists() == (role != "staff")


def test_break_of_another_initiatives_indicator_is_not_found(cast, readiness, as_role):
    response = as_role("other_staff").post(
        f"{BASE}/{readiness.code}/breaks/", {"action": "remove", "period": "SY2023-24"}
    )

    assert response.status_code == 404


def test_removing_a_break_that_is_not_there_is_not_found(cast, readiness, as_role):
    response = as_role("staff").post(
        f"{BASE}/{readiness.code}/breaks/", {"action": "remove", "period": "SY2022-23"}
    )

    assert response.status_code == 404


def test_removing_a_break_asks_first(cast, readiness, as_role):
    add(cast, readiness)
    staff = as_role("staff")
    page = staff.get(f"{BASE}/{readiness.code}/breaks/").content.decode()
    assert "?action=remove&amp;period=SY2023-24" in page

    asked = staff.get(
        f"{BASE}/{readiness.code}/breaks/", {"action": "remove", "period": "SY2023-24"}
    )

    html = asked.content.decode()
    assert asked.status_code == 200 and REASON in html
    assert '<input type="hidden" name="period" value="SY2023-24">' in html
    assert SeriesBreak.objects.exists()
    assert (
        staff.get(f"{BASE}/{readiness.code}/breaks/", {"action": "remove", "period": "nope"})
    ).status_code == 404
    assert (
        as_role("evaluator")
        .get(f"{BASE}/{readiness.code}/breaks/", {"action": "remove", "period": "SY2023-24"})
        .status_code
        == 403
    )
