"""Bad input is a field error and saves nothing; events move a policy and keep history."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.advocacy.models import Policy, PolicyEvent, PublicWillItem
from backbone.advocacy.services import policy_event_add

from .conftest import make_policy

pytestmark = pytest.mark.integration

BASE = "/i/riverton/advocacy/"
ITEM = {
    "kind": "campaign",
    "title": "Ready by Five",
    "starts_on": "2024-03-01",
    "reach_basis": "estimated",
}


def test_campaign_ending_before_start_is_field_error(as_role):
    response = as_role("staff").post(BASE + "public-will/new/", {**ITEM, "ends_on": "2024-02-01"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "ends_on": ["A campaign cannot end before it starts."]
    }
    assert not PublicWillItem.objects.exists()


def test_negative_reach_is_field_error(as_role):
    response = as_role("staff").post(BASE + "public-will/new/", {**ITEM, "reach": "-5"})
    assert response.context["form"].errors == {
        "reach": ["Reach is a count of people: zero or more."]
    }
    assert not PublicWillItem.objects.exists()


def test_campaign_with_good_dates_saved(as_role):
    response = as_role("staff").post(
        BASE + "public-will/new/", {**ITEM, "ends_on": "2024-03-01", "reach": "0"}
    )
    assert response.status_code == 302
    assert PublicWillItem.objects.get().reach == 0


POLICY = {
    "title": "Universal pre-K",
    "level": "local",
    "body": "Council",
    "position": "support",
    "status": "idea",
}


def test_next_step_owner_outside_initiative_is_field_error(as_role, cast):
    response = as_role("staff").post(
        BASE + "policies/new/", {**POLICY, "next_step_owner": cast.other_staff.pk}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["next_step_owner"]
    assert "person of this initiative" in response.context["form"].errors["next_step_owner"][0]
    assert not Policy.objects.exists()


def test_next_step_owner_of_initiative_saved(as_role, cast):
    response = as_role("staff").post(
        BASE + "policies/new/", {**POLICY, "next_step_owner": cast.steward_a.pk}
    )
    assert response.status_code == 302
    assert Policy.objects.get().next_step_owner == cast.steward_a


def test_service_refuses_owner_outside_initiative(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        make_policy(cast.initiative, next_step_owner=cast.other_staff)
    assert list(err.value.message_dict) == ["next_step_owner"]
    assert not Policy.objects.exists()


def test_event_moves_status_and_keeps_history(as_role, cast):
    policy = make_policy(cast.initiative)
    as_role("staff").post(
        f"{BASE}policies/{policy.uuid}/events/new/",
        {"happened_on": "2024-04-01", "description": "Introduced", "status_after": "introduced"},
    )
    policy.refresh_from_db()
    policy_event_add(policy=policy, happened_on=date(2024, 5, 1), description="Hearing")
    policy.refresh_from_db()
    assert policy.status == "introduced"
    assert list(PolicyEvent.objects.values_list("status_before", "status_after")) == [
        ("idea", "introduced"),
        ("introduced", ""),
    ]
    page = as_role("member_a").get(f"{BASE}policies/{policy.uuid}/")
    assert "Idea → Introduced" in page.text
