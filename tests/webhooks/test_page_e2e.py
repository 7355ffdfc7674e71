"""The webhooks page in a real browser: backbone staff add a webhook and copy its secret,
read the deliveries; at a desktop's and a phone's width, without sideways scrolling, and
passing axe-core. Screenshots land in test-artifacts/."""

from __future__ import annotations

import pytest

from backbone.webhooks import services
from backbone.webhooks.models import Delivery
from tests.browser import accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDER_THAN_WINDOW = "() => document.documentElement.scrollWidth > window.innerWidth"


def test_staff_add_a_webhook_and_read_its_deliveries(cast, page):
    earlier = services.subscription_create(
        initiative=cast.initiative,
        by=cast.staff,
        url="https://93.184.215.14/hooks/backbone-events-for-the-data-warehouse",
        events=["submission.approved", "submission.returned"],
        description="Evaluation partner's data warehouse",
    )
    for status, code, error in [
        (Delivery.Status.DELIVERED, 204, ""),
        (Delivery.Status.PENDING, None, "Could not connect: ConnectionRefusedError"),
        (Delivery.Status.FAILED, 502, ""),
    ]:
        (delivery,) = services.announce(
            initiative=cast.initiative, event="submission.approved", data={}
        )
        Delivery.objects.filter(pk=delivery.pk).update(
            status=status, attempts=1, last_status_code=code, last_error=error
        )
    sign_in(page, cast.staff.email, "correct horse battery")
    page.goto("/i/riverton/webhooks/")
    page.get_by_label("Address").fill("https://93.184.215.14/decisions")
    page.get_by_label("A decision is taken (a proposal's outcome)").check()
    page.get_by_role("button", name="Add webhook").click()
    page.wait_for_load_state("networkidle")
    secret = page.get_by_label("Signing secret").input_value()
    assert secret.startswith("whsec_")
    assert earlier.secret not in page.content()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"webhooks-{width}")
        assert not page.evaluate(WIDER_THAN_WINDOW), f"scrolls sideways at {width}px"
    assert accessibility_violations(page) == []
