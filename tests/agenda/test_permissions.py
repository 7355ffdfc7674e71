"""Who may do what on the common agenda, for every member of the cast.

The cast's initiative is members-only: anonymous visitors, signed-in people without a role
(public) and the staff of another initiative get 404 for everything, POSTs included.
"""

import pytest

from backbone.agenda.models import AgendaVersion, Comment, Endorsement, Goal
from backbone.agenda.selectors import draft_of
from tests.conftest import ROLES

from .conftest import versions

pytestmark = pytest.mark.integration

BASE = "/i/riverton/agenda/"
OUTSIDERS = {"anonymous", "public", "other_staff"}
MEMBERS = set(ROLES) - OUTSIDERS


def _expected(role: str, allowed: set[str], ok: int) -> int:
    if role in OUTSIDERS:
        return 404
    return ok if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_view_agenda_by_role(cast, built, as_role, role):
    response = as_role(role).get(BASE)

    assert response.status_code == _expected(role, MEMBERS, 200)


@pytest.mark.parametrize("role", ROLES)
def test_view_history_by_role(cast, built, as_role, role):
    response = as_role(role).get(f"{BASE}versions/")

    assert response.status_code == _expected(role, MEMBERS, 200)


@pytest.mark.parametrize("role", ROLES)
def test_compare_versions_by_role(cast, built, as_role, role):
    first = AgendaVersion.objects.get(initiative=cast.initiative, number=1)

    response = as_role(role).get(f"{BASE}versions/compare/?a={first.uuid}&b={built.version.uuid}")

    assert response.status_code == _expected(role, MEMBERS, 200)


@pytest.mark.parametrize("role", ROLES)
def test_edit_header_by_role(cast, built, as_role, role):
    response = as_role(role).post(
        f"{BASE}edit/", {"problem_statement": "Changed", "vision": "V", "community_aspirations": ""}
    )

    assert response.status_code == _expected(role, {"staff"}, 302)
    assert draft_of(cast.initiative).is_changed == (role == "staff")
    assert versions(cast.initiative) == 4


@pytest.mark.parametrize("role", ROLES)
def test_edit_page_by_role(cast, built, as_role, role):
    response = as_role(role).get(f"{BASE}edit/")

    assert response.status_code == _expected(role, {"staff"}, 200)


@pytest.mark.parametrize("role", ROLES)
def test_add_goal_by_role(cast, built, as_role, role):
    response = as_role(role).post(f"{BASE}goals/new/", {"title": "A new goal"})

    assert response.status_code == _expected(role, {"staff"}, 302)
    assert Goal.objects.filter(title="A new goal").exists() == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_publish_by_role(cast, built, as_role, role):
    Goal.objects.filter(pk=built.goal.pk).update(title="Changed in the draft")

    response = as_role(role).post(f"{BASE}publish/", {"note": "Now"})

    assert response.status_code == _expected(role, {"staff"}, 302)
    assert versions(cast.initiative) == (5 if role == "staff" else 4)


@pytest.mark.parametrize("role", ROLES)
def test_compare_with_the_draft_by_role(cast, built, as_role, role):
    response = as_role(role).get(f"{BASE}versions/compare/?b=draft")

    assert response.status_code == _expected(role, {"staff"}, 200)


@pytest.mark.parametrize("role", ROLES)
def test_move_a_strategy_by_role(cast, built, as_role, role):
    response = as_role(role).post(
        f"{BASE}strategies/{built.strategy.uuid}/move/", {"direction": "down"}
    )

    assert response.status_code == _expected(role, {"staff"}, 302)


@pytest.mark.parametrize("role", ROLES)
def test_endorse_for_org_a_by_role(cast, built, as_role, role):
    response = as_role(role).post(
        f"{BASE}endorse/{cast.org_a.slug}/", {"version": str(built.version.uuid)}
    )

    assert response.status_code == _expected(role, {"steward_a"}, 302)
    assert Endorsement.objects.filter(partner=cast.partner_a).exists() == (role == "steward_a")


@pytest.mark.parametrize("role", ROLES)
def test_comment_by_role(cast, built, as_role, role):
    response = as_role(role).post(
        f"{BASE}goals/{built.goal.uuid}/comments/", {"body": "A thought."}
    )

    participants = {"staff", "steward_a", "steward_b", "member_a", "community"}
    assert response.status_code == _expected(role, participants, 302)
    assert Comment.objects.exists() == (role in participants)


@pytest.mark.parametrize("role", ROLES)
def test_read_comment_thread_by_role(cast, built, as_role, role):
    response = as_role(role).get(f"{BASE}strategies/{built.strategy.uuid}/comments/")

    assert response.status_code == _expected(role, MEMBERS, 200)


def test_platform_admin_may_edit_any_initiatives_agenda(cast, built, as_role):
    response = as_role("admin").post(f"{BASE}goals/new/", {"title": "Admin goal"})

    assert response.status_code == 302


# --- a public initiative ----------------------------------------------------------------------


@pytest.fixture
def public(cast):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    return cast.initiative


def test_public_agenda_is_readable_anonymously(public, built, as_role):
    response = as_role("anonymous").get(BASE)

    assert response.status_code == 200
    assert "Every child enters kindergarten ready" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["versions/", "versions/compare/", "versions/compare/?b=draft", "edit/"]
)
def test_public_agenda_history_asks_anonymous_to_sign_in(public, built, as_role, path):
    response = as_role("anonymous").get(BASE + path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_public_agenda_history_is_forbidden_to_signed_in_non_members(public, built, as_role):
    assert as_role("public").get(f"{BASE}versions/").status_code == 403


def test_public_agenda_publish_by_anonymous_asks_to_sign_in(public, built, as_role):
    Goal.objects.filter(pk=built.goal.pk).update(title="Changed in the draft")

    response = as_role("anonymous").post(f"{BASE}publish/", {"note": ""})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={BASE}"
    assert versions(public) == 4


def test_public_agenda_endorse_by_anonymous_asks_to_sign_in(public, built, as_role):
    response = as_role("anonymous").post(
        f"{BASE}endorse/{public.partners.first().organisation.slug}/",
        {"version": str(built.version.uuid)},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={BASE}"
    assert not Endorsement.objects.exists()


def test_public_agenda_comment_by_a_non_member_is_forbidden(public, built, as_role):
    response = as_role("public").post(
        f"{BASE}goals/{built.goal.uuid}/comments/", {"body": "Drive-by"}
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()
