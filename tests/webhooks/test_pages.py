"""The webhooks page: backbone staff list, add (the secret shown once), pause, rotate and
delete (after a confirmation) subscriptions, and read and resend deliveries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from backbone.web.navigation import navigation
from backbone.webhooks import services
from backbone.webhooks.models import Delivery, Event, Subscription

from .conftest import queued, subscribe

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("loopback_allowed")]

PAGE = "/i/riverton/webhooks/"
HOOK = "https://93.184.215.14/backbone"


def _announce(cast, event="submission.approved"):
    return services.announce(
        initiative=cast.initiative,
        event=event,
        data={"submission": {"uuid": "0" * 32, "status": "approved"}},
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("public", 404),
        ("other_staff", 404),
        ("community", 403),
        ("member_a", 403),
        ("steward_a", 403),
        ("funder", 403),
        ("evaluator", 403),
        ("staff", 200),
        ("admin", 200),
    ],
)
def test_the_webhooks_page_is_for_backbone_staff(cast, as_role, role, status):
    subscription = subscribe(cast, HOOK, ["submission.approved"])
    assert as_role(role).get(PAGE).status_code == status
    post = as_role(role).post(f"{PAGE}{subscription.uuid}/delete/")
    assert post.status_code == (302 if status == 200 else status)
    assert Subscription.objects.filter(pk=subscription.pk).exists() == (status != 200)


def test_another_initiatives_staff_see_none_of_its_webhooks(cast, as_role):
    subscription = subscribe(cast, HOOK, ["submission.approved"])
    (delivery,) = _announce(cast)
    other = as_role("other_staff")
    assert HOOK not in other.get("/i/lakeside/webhooks/").content.decode()
    assert other.get(f"/i/lakeside/webhooks/{subscription.uuid}/rotate/").status_code == 404
    assert other.post(f"/i/lakeside/webhooks/{subscription.uuid}/delete/").status_code == 404
    assert other.post(f"/i/lakeside/webhooks/deliveries/{delivery.uuid}/resend/").status_code == 404
    assert Delivery.objects.count() == 1


def test_the_backbone_area_links_the_page_for_staff_only(cast):
    def links(person):
        return {str(link.label) for link in navigation(person, cast.initiative, "webhooks").pages}

    assert "Webhooks" in links(cast.staff)
    assert "Webhooks" not in links(cast.evaluator)


def test_adding_a_webhook_shows_its_secret_once(cast, as_role):
    staff = as_role("staff")
    response = staff.post(
        PAGE, {"url": HOOK, "description": "Data warehouse", "events": ["decision.taken"]}
    )
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.events == ["decision.taken"]
    assert subscription.created_by == cast.staff
    assert subscription.secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert subscription.secret not in staff.get(PAGE).content.decode()


def test_a_refused_address_is_explained_beside_the_field(cast, as_role, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = as_role("staff").post(
        PAGE, {"url": "http://127.0.0.1:8000/hook", "events": ["decision.taken"]}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_url_error"' in page and "Use https://" in page
    response = as_role("staff").post(PAGE, {"url": "http://93.184.215.14/h", "events": []})
    assert "Choose at least one event." in response.content.decode()
    assert not Subscription.objects.exists()


def test_deleting_asks_first(cast, as_role):
    subscription = subscribe(cast, HOOK, ["submission.approved"])
    asked = as_role("staff").get(f"{PAGE}{subscription.uuid}/delete/")
    assert asked.status_code == 200
    assert "Delete the webhook" in asked.content.decode()
    assert Subscription.objects.exists()
    assert as_role("staff").post(f"{PAGE}{subscription.uuid}/delete/").status_code == 302
    assert not Subscription.objects.exists()


def test_rotating_shows_the_new_secret_once(cast, as_role):
    subscription = subscribe(cast, HOOK, ["submission.approved"])
    old = subscription.secret
    assert (
        "Make a new secret"
        in as_role("staff").get(f"{PAGE}{subscription.uuid}/rotate/").content.decode()
    )
    response = as_role("staff").post(f"{PAGE}{subscription.uuid}/rotate/")
    subscription.refresh_from_db()
    assert subscription.secret != old
    assert subscription.secret in response.content.decode()


def test_pausing_and_resuming(cast, as_role):
    subscription = subscribe(cast, HOOK, ["submission.approved"])
    as_role("staff").post(f"{PAGE}{subscription.uuid}/active/", {"active": "0"})
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert _announce(cast) == []
    as_role("staff").post(f"{PAGE}{subscription.uuid}/active/", {"active": "1"})
    subscription.refresh_from_db()
    assert subscription.is_active


def test_deliveries_are_listed_with_their_outcome_and_resent(
    cast, as_role, django_capture_on_commit_callbacks
):
    subscribe(cast, HOOK, ["submission.approved"])
    (delivery,) = _announce(cast)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED, attempts=6, last_status_code=502
    )
    page = as_role("staff").get(PAGE).content.decode()
    assert "Failed" in page and "HTTP 502" in page and "6 of 6" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("staff").post(f"{PAGE}deliveries/{delivery.uuid}/resend/")
    assert response.status_code == 302
    assert Delivery.objects.filter(event=delivery.event).count() == 2
    assert Event.objects.count() == 1
    assert len(queued()) == 1
    assert as_role("steward_a").post(f"{PAGE}deliveries/{delivery.uuid}/resend/").status_code == 403


def test_the_page_makes_as_many_queries_for_three_webhooks_as_for_one(cast):
    client = Client()
    client.force_login(cast.staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(PAGE).status_code == 200
        return len(ctx.captured_queries)

    subscribe(cast, HOOK, ["submission.approved"])
    _announce(cast)
    one = queries()
    subscribe(cast, HOOK + "/2", ["submission.approved"])
    subscribe(cast, HOOK + "/3", ["submission.approved"])
    _announce(cast)
    assert queries() == one
