"""Webhooks through the API, for backbone staff: list, make (the secret in that answer
only), rotate and delete subscriptions, and list deliveries."""

from __future__ import annotations

import typing

import pytest

from backbone.api.urls import api
from backbone.webhooks import services
from backbone.webhooks.api import EventChoice
from backbone.webhooks.models import EventName, Subscription

from .conftest import subscribe

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("loopback_allowed")]

BASE = "/api/initiatives/riverton/webhooks"
HOOK = "https://93.184.215.14/backbone"


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("public", 404),
        ("other_staff", 404),
        ("community", 403),
        ("steward_a", 403),
        ("funder", 403),
        ("evaluator", 403),
        ("staff", 200),
    ],
)
def test_only_backbone_staff_read_and_manage_webhooks(cast, as_role, role, status):
    subscription = subscribe(cast, HOOK, ["submission.approved"])
    client = as_role(role)
    assert client.get(BASE).status_code == status
    assert client.get(f"{BASE}/deliveries").status_code == status
    made = _post(client, BASE, {"url": HOOK, "events": ["decision.taken"]})
    assert made.status_code == (201 if status == 200 else status)
    deleted = client.delete(f"{BASE}/{subscription.uuid}")
    assert deleted.status_code == (204 if status == 200 else status)


def test_the_secret_is_in_the_answer_that_makes_it_only(cast, as_role):
    staff = as_role("staff")
    made = _post(staff, BASE, {"url": HOOK, "events": ["decision.taken", "agenda.published"]})
    assert made.status_code == 201
    body = made.json()
    subscription = Subscription.objects.get()
    assert body["secret"] == subscription.secret
    assert body["events"] == ["decision.taken", "agenda.published"]
    listed = staff.get(BASE).json()
    assert listed["count"] == 1
    assert "secret" not in listed["items"][0]
    assert subscription.secret not in staff.get(BASE).content.decode()
    rotated = _post(staff, f"{BASE}/{subscription.uuid}/rotate", {})
    subscription.refresh_from_db()
    assert rotated.json()["secret"] == subscription.secret != body["secret"]


def test_a_refused_address_answers_422(cast, as_role, settings):
    staff = as_role("staff")
    answer = _post(staff, BASE, {"url": "http://93.184.215.14/hook", "events": ["decision.taken"]})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "url"]
    assert "https" in answer.json()["detail"][0]["msg"]
    assert _post(staff, BASE, {"url": HOOK, "events": []}).status_code == 422
    assert _post(staff, BASE, {"url": HOOK, "events": ["nonsense"]}).status_code == 422
    assert not Subscription.objects.exists()


def test_another_initiatives_subscription_is_not_found(cast, as_role):
    theirs = subscribe(
        cast, HOOK, ["decision.taken"], initiative=cast.other_initiative, by=cast.other_staff
    )
    staff = as_role("staff")
    assert staff.delete(f"{BASE}/{theirs.uuid}").status_code == 404
    assert staff.get(f"{BASE}/deliveries", {"subscription": str(theirs.uuid)}).status_code == 404
    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_deliveries_are_listed_newest_first_with_their_outcome(cast, as_role):
    subscription = subscribe(cast, HOOK, ["submission.approved"])
    (delivery,) = services.announce(
        initiative=cast.initiative, event="submission.approved", data={}
    )
    found = as_role("staff").get(f"{BASE}/deliveries", {"status": "pending"}).json()
    assert found["count"] == 1
    item = found["items"][0]
    assert item["uuid"] == str(delivery.uuid)
    assert item["subscription"] == str(subscription.uuid)
    assert item["event"] == "submission.approved"
    assert item["status"] == "pending" and item["attempts"] == 0


def test_the_api_offers_exactly_the_events_there_are():
    assert set(typing.get_args(EventChoice)) == set(EventName.values)
    paths = api.get_openapi_schema()["paths"]
    assert "/api/initiatives/{slug}/webhooks" in paths
    assert "/api/initiatives/{slug}/webhooks/deliveries" in paths
