"""Who may see and do what on the measurement set-up pages, for every member of the cast.

The cast's initiative is members-only: anonymous visitors, signed-in people without a role
(public) and the staff of another initiative get 404 for everything, POSTs included. Backbone
staff manage; the other members read, each indicator as its visibility allows.
"""

from datetime import date

import pytest

from backbone.measurement.models import Dimension, Group, Indicator, Period, Target
from tests.conftest import ROLES

from .conftest import make_public

pytestmark = pytest.mark.integration

BASE = "/i/riverton/measurement/"
OUTSIDERS = {"anonymous", "public", "other_staff"}
MEMBERS = set(ROLES) - OUTSIDERS
STAFF = {"staff"}


def _expected(role: str, allowed: set[str], ok: int, denied: int = 403) -> int:
    if role in OUTSIDERS:
        return 404
    return ok if role in allowed else denied


def _indicator_post(**extra) -> dict:
    data = {
        "code": "new-indicator",
        "name": "A new indicator",
        "definition": "",
        "kind": "population",
        "unit": "count",
        "rate_per": "100",
        "direction": "up",
        "aggregation": "sum",
        "decimals": "0",
        "frequency": "year",
        "visibility": "members",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_home_by_role(cast, measured, as_role, role):
    response = as_role(role).get(BASE)

    assert response.status_code == _expected(role, MEMBERS, 200)


@pytest.mark.parametrize("role", ROLES)
def test_members_indicator_page_by_role(cast, measured, as_role, role):
    """ "members" indicators are hidden from funders: a 404, never a hint."""
    response = as_role(role).get(f"{BASE}indicators/{measured.enrolled.code}/")

    assert response.status_code == _expected(role, MEMBERS - {"funder"}, 200, denied=404)


@pytest.mark.parametrize("role", ROLES)
def test_funders_indicator_page_by_role(cast, measured, as_role, role):
    Indicator.objects.filter(pk=measured.score.pk).update(visibility="funders")

    response = as_role(role).get(f"{BASE}indicators/{measured.score.code}/")

    assert response.status_code == _expected(role, MEMBERS, 200)


@pytest.mark.parametrize("role", ROLES)
def test_public_indicator_page_by_role(cast, measured, as_role, role):
    response = as_role(role).get(f"{BASE}indicators/{measured.readiness.code}/")

    assert response.status_code == _expected(role, MEMBERS, 200)


@pytest.mark.parametrize("role", ROLES)
def test_indicator_create_page_by_role(cast, measured, as_role, role):
    response = as_role(role).get(f"{BASE}indicators/new/")

    assert response.status_code == _expected(role, STAFF, 200)


@pytest.mark.parametrize("role", ROLES)
def test_indicator_create_by_role(cast, measured, as_role, role):
    response = as_role(role).post(f"{BASE}indicators/new/", _indicator_post())

    assert response.status_code == _expected(role, STAFF, 302)
    assert Indicator.objects.filter(code="new-indicator").exists() == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_indicator_edit_page_by_role(cast, measured, as_role, role):
    response = as_role(role).get(f"{BASE}indicators/{measured.readiness.code}/edit/")

    assert response.status_code == _expected(role, STAFF, 200)


@pytest.mark.parametrize("role", ROLES)
def test_indicator_edit_by_role(cast, measured, as_role, role):
    response = as_role(role).post(
        f"{BASE}indicators/{measured.caseload.code}/edit/",
        _indicator_post(code="open-cases", name="Open cases, renamed", aggregation="stock"),
    )

    assert response.status_code == _expected(role, STAFF, 302)
    measured.caseload.refresh_from_db()
    assert (measured.caseload.name == "Open cases, renamed") == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_targets_page_by_role(cast, measured, as_role, role):
    response = as_role(role).get(f"{BASE}indicators/{measured.readiness.code}/targets/")

    assert response.status_code == _expected(role, STAFF, 200)


@pytest.mark.parametrize("role", ROLES)
def test_set_target_by_role(cast, measured, as_role, role):
    period = measured.periods["SY2024-25"]

    response = as_role(role).post(
        f"{BASE}indicators/{measured.readiness.code}/targets/?kind=school_year",
        {f"target-{period.pk}-total": "55"},
    )

    assert response.status_code == _expected(role, STAFF, 302)
    assert Target.objects.filter(indicator=measured.readiness).exists() == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_dimensions_page_by_role(cast, measured, as_role, role):
    response = as_role(role).get(f"{BASE}dimensions/")

    assert response.status_code == _expected(role, MEMBERS, 200)


@pytest.mark.parametrize("role", ROLES)
def test_add_dimension_by_role(cast, measured, as_role, role):
    response = as_role(role).post(f"{BASE}dimensions/", {"key": "gender", "name": "Gender"})

    assert response.status_code == _expected(role, STAFF, 302)
    assert Dimension.objects.filter(key="gender").exists() == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_dimension_page_by_role(cast, measured, as_role, role):
    response = as_role(role).get(f"{BASE}dimensions/place/")

    assert response.status_code == _expected(role, MEMBERS, 200)


@pytest.mark.parametrize("role", ROLES)
def test_add_group_by_role(cast, measured, as_role, role):
    response = as_role(role).post(
        f"{BASE}dimensions/race/",
        {"action": "group_add", "group-key": "asian", "group-name": "Asian"},
    )

    assert response.status_code == _expected(role, STAFF, 302)
    assert Group.objects.filter(key="asian").exists() == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_rename_dimension_by_role(cast, measured, as_role, role):
    response = as_role(role).post(
        f"{BASE}dimensions/income/", {"action": "dimension", "dimension-name": "Family income"}
    )

    assert response.status_code == _expected(role, STAFF, 302)
    measured.income.refresh_from_db()
    assert (measured.income.name == "Family income") == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_edit_group_by_role(cast, measured, as_role, role):
    response = as_role(role).post(
        f"{BASE}dimensions/race/",
        {"action": "group_edit", "group": "black", "edit-name": "Black or African American"},
    )

    assert response.status_code == _expected(role, STAFF, 302)
    assert Group.objects.filter(name="Black or African American").exists() == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_periods_page_by_role(cast, measured, as_role, role):
    response = as_role(role).get(f"{BASE}periods/")

    assert response.status_code == _expected(role, MEMBERS, 200)


@pytest.mark.parametrize("role", ROLES)
def test_generate_periods_by_role(cast, measured, as_role, role):
    response = as_role(role).post(
        f"{BASE}periods/",
        {
            "action": "generate",
            "kind": "quarter",
            "first": "2025-01-01",
            "last": "2025-12-31",
            "start_month": "1",
        },
    )

    assert response.status_code == _expected(role, STAFF, 302)
    assert Period.objects.filter(kind="quarter").count() == (4 if role == "staff" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_close_period_by_role(cast, measured, as_role, role):
    response = as_role(role).post(f"{BASE}periods/", {"action": "close", "period": "2024-01"})

    assert response.status_code == _expected(role, STAFF, 302)
    status = Period.objects.get(initiative=cast.initiative, code="2024-01").status
    assert status == ("closed" if role == "staff" else "open")


@pytest.mark.parametrize("role", ROLES)
def test_open_period_by_role(cast, measured, as_role, role):
    response = as_role(role).post(f"{BASE}periods/", {"action": "open", "period": "2021"})

    assert response.status_code == _expected(role, STAFF, 302)
    status = Period.objects.get(initiative=cast.initiative, code="2021").status
    assert status == ("open" if role == "staff" else "closed")


# --- a public initiative ------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_home_of_a_public_initiative_by_role(cast, measured, as_role, role):
    """Everyone sees the list; those without a role in the initiative only public indicators."""
    make_public(cast)

    response = as_role(role).get(BASE)

    assert response.status_code == 200
    text = response.content.decode()
    assert measured.readiness.name in text
    sees_members_indicators = role in MEMBERS - {"funder"}
    assert (measured.enrolled.name in text) == sees_members_indicators


@pytest.mark.parametrize("role", ROLES)
def test_members_indicator_of_a_public_initiative_by_role(cast, measured, as_role, role):
    make_public(cast)

    response = as_role(role).get(f"{BASE}indicators/{measured.enrolled.code}/")

    assert response.status_code == (200 if role in MEMBERS - {"funder"} else 404)


@pytest.mark.parametrize("role", ROLES)
def test_public_indicator_of_a_public_initiative_by_role(cast, measured, as_role, role):
    make_public(cast)

    response = as_role(role).get(f"{BASE}indicators/{measured.readiness.code}/")

    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_managing_a_public_initiative_by_role(cast, measured, as_role, role):
    """Outsiders can see a public initiative but not change it: anonymous visitors are sent
    to sign in, signed-in people without the backbone role are refused."""
    make_public(cast)
    client = as_role(role)

    responses = [
        client.get(f"{BASE}indicators/new/"),
        client.post(f"{BASE}dimensions/", {"key": "gender", "name": "Gender"}),
        client.post(f"{BASE}periods/", {"action": "close", "period": "2024-01"}),
    ]

    expected = 302 if role in {"anonymous", "staff"} else 403
    assert [r.status_code for r in responses] == [200 if role == "staff" else expected] + [
        expected
    ] * 2
    if role == "anonymous":
        assert all("/accounts/login/" in r["Location"] for r in responses)
    assert Dimension.objects.filter(key="gender").exists() == (role == "staff")
    assert Period.objects.get(code="2024-01").is_open == (role != "staff")


def test_an_indicator_of_another_initiative_is_not_found(cast, measured, as_role):
    from tests.measurement.conftest import make_indicator

    make_indicator(cast.other_initiative, "asthma-admissions", "sum", visibility="public")
    staff = as_role("staff")

    assert staff.get(f"{BASE}indicators/asthma-admissions/").status_code == 404
    assert staff.get(f"{BASE}indicators/asthma-admissions/edit/").status_code == 404
    assert staff.get("/i/lakeside/measurement/").status_code == 404


def test_a_period_of_another_initiative_cannot_be_closed(cast, measured, as_role):
    from tests.measurement.conftest import make_period

    other = make_period(cast.other_initiative, "year", date(2030, 1, 1))

    response = as_role("staff").post(f"{BASE}periods/", {"action": "close", "period": "2030"})

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.is_open
