"""Who may read and change policies, public will and commitments, role by role."""

from __future__ import annotations

import pytest

from backbone.advocacy.models import Commitment, CommitmentUpdate
from tests.conftest import ROLES, refused

from .conftest import make_commitment, make_item, make_policy

pytestmark = pytest.mark.integration

BASE = "/i/riverton/advocacy/"
OUTSIDERS = {"anonymous", "public", "other_staff"}
MEMBERS = set(ROLES) - OUTSIDERS
A_PEOPLE = {"staff", "steward_a", "member_a"}


def expected(role, allowed):
    if role in OUTSIDERS:
        return 404
    return 200 if role in allowed else 403


@pytest.fixture
def things(cast):
    return {
        "policy": make_policy(cast.initiative),
        "item": make_item(cast.initiative),
        "commitment": make_commitment(cast.partner_a),
    }


READ_PAGES = [
    "",
    "policies/{policy}/",
    "public-will/",
    "commitments/",
    "commitments/riverton-public-library/",
]
STAFF_PAGES = [
    "policies/new/",
    "policies/{policy}/edit/",
    "policies/{policy}/events/new/",
    "public-will/new/",
    "public-will/{item}/edit/",
]
PARTNER_A_PAGES = [
    "commitments/riverton-public-library/new/",
    "commitments/c/{commitment}/edit/",
    "commitments/c/{commitment}/progress/",
]


def url(page, things):
    return BASE + page.format(
        policy=things["policy"].uuid, item=things["item"].uuid, commitment=things["commitment"].uuid
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", READ_PAGES)
def test_advocacy_pages_read_by_members_only(as_role, things, role, page):
    assert as_role(role).get(url(page, things)).status_code == expected(role, MEMBERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_policy_and_public_will_forms_for_staff_only(as_role, things, role, page):
    assert as_role(role).get(url(page, things)).status_code == expected(role, {"staff"})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PARTNER_A_PAGES)
def test_commitment_forms_for_own_partner_and_staff(as_role, things, role, page):
    assert as_role(role).get(url(page, things)).status_code == expected(role, A_PEOPLE)


@pytest.mark.parametrize("role", ROLES)
def test_commitment_progress_posted_only_by_own_partner_and_staff(as_role, things, role):
    response = as_role(role).post(
        url("commitments/c/{commitment}/progress/", things), {"on": "2024-03-01", "text": "Done"}
    )
    assert response.status_code == (302 if role in A_PEOPLE else expected(role, set()))
    assert CommitmentUpdate.objects.exists() == (role in A_PEOPLE)


def test_steward_b_never_edits_partner_a_commitments(as_role, things):
    commitment = things["commitment"]
    client = as_role("steward_b")
    edit = client.post(
        url("commitments/c/{commitment}/edit/", things),
        {"kind": "budget", "description": "Taken over", "starts_on": "2024-01-01"},
    )
    create = client.post(
        BASE + "commitments/riverton-public-library/new/",
        {"kind": "budget", "description": "For them", "starts_on": "2024-01-01"},
    )
    assert (edit.status_code, create.status_code) == (403, 403)
    commitment.refresh_from_db()
    assert commitment.description == "Move money"
    assert Commitment.objects.count() == 1


def test_steward_b_records_own_commitment(as_role, cast):
    response = as_role("steward_b").post(
        BASE + "commitments/northside-food-bank/new/",
        {
            "kind": "data",
            "description": "Monthly data",
            "starts_on": "2024-01-01",
            "status": "committed",
        },
    )
    assert response.status_code == 302
    assert Commitment.objects.get().partner == cast.partner_b


def test_public_policies_on_public_initiative_seen_by_visitors(as_role, cast):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    shown = make_policy(cast.initiative, "Open data ordinance", is_public=True)
    hidden = make_policy(cast.initiative, "Private strategy")
    client = as_role("anonymous")
    page = client.get(BASE)
    assert page.status_code == 200
    assert "Open data ordinance" in page.text and "Private strategy" not in page.text
    assert client.get(f"{BASE}policies/{shown.uuid}/").status_code == 200
    assert client.get(f"{BASE}policies/{hidden.uuid}/").status_code == 404
    assert client.get(BASE + "public-will/").status_code == refused("anonymous")
    assert as_role("public").get(f"{BASE}policies/{hidden.uuid}/").status_code == 404
