"""Who may read, change and export activities, role by role."""

from __future__ import annotations

import pytest

from backbone.activities.models import Activity
from tests.agenda.conftest import make_grant
from tests.conftest import ROLES

from .conftest import make_activity

pytestmark = pytest.mark.integration

BASE = "/i/riverton/activities/"
OUTSIDERS = {"anonymous", "public", "other_staff"}
OWN_PEOPLE = {"staff", "steward_a", "member_a"}  # partner A's activity


@pytest.fixture
def activity(cast, plan):
    return make_activity(cast.partner_a, strategies=[plan.reading], places=[plan.millbrook])


def expected(role, allowed, *, denied=403):
    if role in OUTSIDERS:
        return 404
    return 200 if role in allowed else denied


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["", "alignment/", "{uuid}/"])
def test_activity_pages_read_by_members_only(as_role, activity, role, page):
    response = as_role(role).get(BASE + page.format(uuid=activity.uuid))
    assert response.status_code == expected(role, set(ROLES) - OUTSIDERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_activity_exports_for_members_only(as_role, activity, role, kind):
    response = as_role(role).get(f"{BASE}export.{kind}")
    assert response.status_code == expected(role, set(ROLES) - OUTSIDERS)


@pytest.mark.parametrize("role", ROLES)
def test_activity_create_by_partners_and_staff(as_role, plan, role):
    response = as_role(role).get(BASE + "new/")
    assert response.status_code == expected(role, {"staff", "steward_a", "member_a", "steward_b"})


@pytest.mark.parametrize("role", ROLES)
def test_activity_edit_by_own_partner_and_staff(as_role, activity, role):
    response = as_role(role).get(f"{BASE}{activity.uuid}/edit/")
    assert response.status_code == expected(role, OWN_PEOPLE)


@pytest.mark.parametrize("role", ROLES)
def test_activity_delete_by_own_partner_and_staff(as_role, activity, role):
    response = as_role(role).post(f"{BASE}{activity.uuid}/delete/")
    assert response.status_code == (302 if role in OWN_PEOPLE else expected(role, set()))
    assert Activity.objects.filter(pk=activity.pk).exists() == (role not in OWN_PEOPLE)


@pytest.mark.parametrize(
    ("role", "names"), [("staff", True), ("steward_a", False), ("member_a", False)]
)
def test_activity_a_grant_funds_is_not_deleted_and_the_page_says_why(
    as_role, cast, activity, role, names
):
    make_grant(cast.initiative, "Reading grant", activity=activity)
    url = f"{BASE}{activity.uuid}/delete/"

    page = as_role(role).get(url).content.decode()
    response = as_role(role).post(url)

    assert "This activity cannot be deleted: 1 grant funds it" in page
    assert ("Reading grant" in page) is names  # a partner does not see the backbone's grants
    assert response.status_code == 409
    assert "This activity cannot be deleted" in response.content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_activity_of_another_partner_not_editable_by_steward(as_role, cast, plan):
    theirs = make_activity(cast.partner_b, strategies=[plan.reading])
    response = as_role("steward_a").post(
        f"{BASE}{theirs.uuid}/edit/",
        {"partner": cast.partner_a.pk, "name": "Taken over", "strategies": [plan.reading.pk]},
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.name == "Reading buddies" and theirs.partner == cast.partner_b


def test_activity_create_for_another_partner_refused(as_role, cast, plan):
    response = as_role("steward_a").post(
        BASE + "new/",
        {
            "partner": cast.partner_b.pk,
            "name": "For them",
            "strategies": [plan.reading.pk],
            "starts_on": "2024-01-01",
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "partner" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_activity_of_withdrawn_partner_not_editable_by_its_steward(as_role, cast, activity):
    cast.partner_a.status = "withdrawn"
    cast.partner_a.save()
    assert as_role("steward_a").get(f"{BASE}{activity.uuid}/edit/").status_code == 403
    assert as_role("staff").get(f"{BASE}{activity.uuid}/edit/").status_code == 200


@pytest.fixture
def public_initiative(cast):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    return cast.initiative


@pytest.mark.parametrize("page", ["", "alignment/", "{uuid}/"])
def test_activity_pages_public_initiative_read_by_anyone(
    as_role, public_initiative, activity, page
):
    response = as_role("anonymous").get(BASE + page.format(uuid=activity.uuid))
    assert response.status_code == 200


def test_activity_export_public_initiative_needs_sign_in(as_role, public_initiative, activity):
    assert as_role("anonymous").get(BASE + "export.csv").status_code == 302
    assert as_role("public").get(BASE + "export.csv").status_code == 403


@pytest.mark.parametrize("role", ["anonymous", "public"])
def test_activity_changes_public_initiative_refused(as_role, public_initiative, activity, role):
    client = as_role(role)
    for url in (BASE + "new/", f"{BASE}{activity.uuid}/edit/", f"{BASE}{activity.uuid}/delete/"):
        assert client.post(url).status_code == (302 if role == "anonymous" else 403)
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_activity_nav_link_for_members(as_role, activity):
    assert b">Activities</a>" in as_role("funder").get(BASE).content
