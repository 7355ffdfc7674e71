"""Who gets what on the initiative pages: each role against PRODUCT.md §1."""

import pytest

from backbone.initiatives.models import Invitation, Partner
from tests.conftest import ROLES

pytestmark = pytest.mark.integration

OUTSIDERS = {"public", "other_staff"}
MEMBERS = set(ROLES) - OUTSIDERS - {"anonymous"}


def expected(role, *, allowed, login_required=False):
    if role == "anonymous":
        return 302 if login_required else 404
    if role in OUTSIDERS:
        return 404
    return 200 if role in allowed else 403


READ_PAGES = [
    ("/i/riverton/", MEMBERS, False),
    ("/i/riverton/partners/", MEMBERS, False),
    ("/i/riverton/partners/riverton-public-library/", MEMBERS, False),
    ("/i/riverton/edit/", {"staff"}, True),
    ("/i/riverton/people/", {"staff", "evaluator", "steward_a", "steward_b"}, True),
    ("/i/riverton/partners/riverton-public-library/profile/", {"staff", "steward_a"}, True),
    ("/i/riverton/partners/northside-food-bank/profile/", {"staff", "steward_b"}, True),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "allowed", "login_required"), READ_PAGES)
def test_page_access_matches_role(cast, as_role, role, url, allowed, login_required):
    response = as_role(role).get(url)
    assert response.status_code == expected(role, allowed=allowed, login_required=login_required)


@pytest.mark.parametrize("role", ROLES)
def test_partner_status_change_only_by_staff(cast, as_role, role):
    response = as_role(role).post(
        "/i/riverton/partners/northside-food-bank/",
        {"status": "paused", "joined_on": "2024-02-01", "commitment": ""},
    )
    status = Partner.objects.get(pk=cast.partner_b.pk).status
    if role == "staff":
        assert response.status_code == 302
        assert status == "paused"
    else:
        assert response.status_code == expected(role, allowed=set())
        assert status == "active"


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_partner_only_by_staff(cast, as_role, role):
    response = as_role(role).post(
        "/i/riverton/partners/",
        {"name": "Eastside Clinic", "sector": "health", "joined_on": "2025-01-10"},
    )
    added = Partner.objects.filter(
        initiative=cast.initiative, organisation__name="Eastside Clinic"
    ).exists()
    assert added == (role == "staff")
    assert response.status_code == (302 if role == "staff" else expected(role, allowed=set()))


@pytest.mark.parametrize("role", ROLES)
def test_inviting_a_member_of_org_a(cast, as_role, role):
    response = as_role(role).post(
        "/i/riverton/people/",
        {
            "email": "new.person@example.org",
            "role": "partner_member",
            "organisation": cast.org_a.pk,
        },
    )
    created = Invitation.objects.filter(email="new.person@example.org").exists()
    if role in {"staff", "steward_a"}:
        assert response.status_code == 302
        assert created
    elif role == "steward_b":
        # org_a is not among the organisations steward_b may choose: a field error.
        assert response.status_code == 200
        assert b"Select a valid choice" in response.content
        assert not created
    else:
        assert response.status_code == expected(role, allowed=set(), login_required=True)
        assert not created


def test_steward_cannot_invite_backbone_staff(cast, as_role):
    response = as_role("steward_a").post(
        "/i/riverton/people/",
        {"email": "sneaky@example.org", "role": "backbone_staff", "organisation": ""},
    )
    assert response.status_code == 200
    assert not Invitation.objects.filter(email="sneaky@example.org").exists()


def test_steward_sees_only_own_organisations_people(cast, as_role):
    content = as_role("steward_a").get("/i/riverton/people/").content.decode()
    assert "Mo Member" in content
    assert "Ada Steward" in content
    assert "Bea Steward" not in content
    assert "Fran Funder" not in content


def test_staff_sees_everyone(cast, as_role):
    content = as_role("staff").get("/i/riverton/people/").content.decode()
    for name in ("Mo Member", "Bea Steward", "Fran Funder", "Cam Resident", "Eve Evaluator"):
        assert name in content


def test_partner_people_hidden_from_other_organisation(cast, as_role):
    page = as_role("steward_b").get("/i/riverton/partners/riverton-public-library/")
    assert page.status_code == 200
    assert b"Mo Member" not in page.content
    page = as_role("steward_a").get("/i/riverton/partners/riverton-public-library/")
    assert b"Mo Member" in page.content


@pytest.mark.parametrize("role", ["anonymous", "public", "other_staff"])
def test_public_initiative_overview_is_open_to_everyone(cast, as_role, role):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    assert as_role(role).get("/i/riverton/").status_code == 200
    assert as_role(role).get("/i/riverton/edit/").status_code in {302, 403}


@pytest.mark.parametrize("role", ROLES)
def test_staff_of_another_initiative_sees_nothing_here_and_vice_versa(cast, as_role, role):
    response = as_role(role).get("/i/lakeside/")
    assert response.status_code == (200 if role == "other_staff" else 404)


@pytest.mark.parametrize(("person", "status"), [("admin", 200), ("staff", 302), ("public", 302)])
def test_django_admin_is_for_the_platform_administrator_only(cast, person, status):
    from tests.conftest import client_as

    cast.staff.is_staff = True  # even a person flagged as admin staff is kept out
    cast.staff.save()
    response = client_as(cast.person(person)).get("/admin/")
    assert response.status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_partner_export_for_staff_and_evaluators(cast, as_role, role):
    response = as_role(role).get("/i/riverton/partners.csv")
    assert response.status_code == expected(
        role, allowed={"staff", "evaluator"}, login_required=True
    )
