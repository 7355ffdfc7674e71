"""Who may read and change the power map, role by role: members read, backbone staff edit,
outsiders of a members-only initiative get 404; on a public initiative the map stays members
only: signed-out visitors are sent to sign in, signed-in outsiders get 403."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.powermap.models import Body, Placement, Seat, Stakeholder
from tests.conftest import ROLES

from .conftest import make_body, make_seat, make_stakeholder

pytestmark = pytest.mark.integration

BASE = "/i/riverton/power-map/"
OUTSIDERS = {"anonymous", "public", "other_staff"}
MEMBERS = set(ROLES) - OUTSIDERS


def expected(role, allowed):
    if role in OUTSIDERS:
        return 404
    return 200 if role in allowed else 403


@pytest.fixture
def things(cast):
    body = make_body(cast.initiative)
    return {
        "stakeholder": make_stakeholder(cast.initiative),
        "body": body,
        "seat": make_seat(body, person=cast.steward_a, organisation=cast.org_a),
    }


READ_PAGES = ["", "stakeholders/{stakeholder}/", "seats/"]
STAFF_PAGES = [
    "stakeholders/new/",
    "stakeholders/{stakeholder}/edit/",
    "seats/bodies/new/",
    "seats/bodies/{body}/edit/",
    "seats/bodies/{body}/seats/new/",
    "seats/{seat}/edit/",
]


def url(page, things):
    return BASE + page.format(
        stakeholder=things["stakeholder"].uuid, body=things["body"].uuid, seat=things["seat"].uuid
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", READ_PAGES)
def test_power_map_pages_read_by_every_member_only(as_role, things, role, page):
    assert as_role(role).get(url(page, things)).status_code == expected(role, MEMBERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_power_map_forms_for_backbone_staff_only(as_role, things, role, page):
    assert as_role(role).get(url(page, things)).status_code == expected(role, {"staff"})


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_place_a_stakeholder(as_role, things, role):
    response = as_role(role).post(
        BASE + "stakeholders/new/",
        {
            "name": "School Board",
            "kind": "group",
            "influence": 5,
            "interest": 5,
            "stance": "champion",
        },
    )
    assert response.status_code == (302 if role == "staff" else expected(role, set()))
    assert Stakeholder.objects.filter(name="School Board").exists() == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_move_a_stakeholder(as_role, things, role):
    response = as_role(role).post(
        url("stakeholders/{stakeholder}/edit/", things),
        {
            "name": "City Council",
            "kind": "group",
            "influence": 2,
            "interest": 4,
            "stance": "sceptic",
        },
    )
    assert response.status_code == (302 if role == "staff" else expected(role, set()))
    things["stakeholder"].refresh_from_db()
    assert (things["stakeholder"].influence == 2) == (role == "staff")
    assert Placement.objects.count() == (2 if role == "staff" else 1)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_remove_a_stakeholder(as_role, things, role):
    response = as_role(role).post(url("stakeholders/{stakeholder}/delete/", things))
    assert response.status_code == (302 if role == "staff" else expected(role, set()))
    assert Stakeholder.objects.exists() == (role != "staff")


def test_removing_asks_first_but_outsiders_still_see_404(as_role, things):
    delete = url("stakeholders/{stakeholder}/delete/", things)
    asked = as_role("staff").get(delete)
    assert asked.status_code == 200
    assert "Remove from the power map</button>" in asked.content.decode()
    assert as_role("public").get(delete).status_code == 404
    assert Stakeholder.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_add_bodies_and_seats(as_role, things, cast, role):
    client = as_role(role)
    body = client.post(BASE + "seats/bodies/new/", {"name": "Funders' table", "kind": "funders"})
    seat = client.post(
        url("seats/bodies/{body}/seats/new/", things),
        {"person": cast.community.pk, "since": "2024-05-01", "title": "Resident member"},
    )
    edit = client.post(
        url("seats/{seat}/edit/", things),
        {
            "person": cast.steward_a.pk,
            "organisation": cast.org_a.pk,
            "since": "2024-01-01",
            "until": "2024-12-31",
        },
    )
    codes = {body.status_code, seat.status_code, edit.status_code}
    assert codes == ({302} if role == "staff" else {expected(role, set())})
    assert Body.objects.count() == (2 if role == "staff" else 1)
    assert Seat.objects.count() == (2 if role == "staff" else 1)
    assert Seat.objects.filter(until=date(2024, 12, 31)).exists() == (role == "staff")


@pytest.mark.parametrize("role", ["anonymous", "public", "other_staff"])
def test_power_map_is_never_public(as_role, things, cast, role):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    assert as_role("anonymous").get("/i/riverton/").status_code == 200  # the initiative is
    for page in READ_PAGES + STAFF_PAGES:
        response = as_role(role).get(url(page, things))
        if role == "anonymous":
            assert response.status_code == 302, page
            assert response["Location"].startswith("/accounts/login/?next=/i/riverton/")
        else:
            assert response.status_code == 403, page
            assert "not open to you" in response.content.decode()


def test_another_initiatives_stakeholder_is_not_found(as_role, things, cast):
    theirs = make_stakeholder(cast.other_initiative, "Lakeside council")
    assert as_role("staff").get(f"{BASE}stakeholders/{theirs.uuid}/").status_code == 404
    assert (
        as_role("other_staff").get(f"/i/lakeside/power-map/stakeholders/{theirs.uuid}/").status_code
        == 200
    )
