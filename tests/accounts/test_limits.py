"""Sign-in, password resets and invitations cannot be tried or sent without end: an account
and an address each wait after their own number of failures, the wait ends by itself, a
password reset lifts an account's; reset e-mails are counted per hour."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.integration

LOGIN = "/accounts/login/"
RESET = "/accounts/password-reset/"
PASSWORD = "correct horse battery"
STEWARD = "steward.a@example.org"


@pytest.fixture
def limits(settings):
    settings.BACKBONE_SIGN_IN_FAILURES_PER_ACCOUNT = 3
    settings.BACKBONE_SIGN_IN_FAILURES_PER_ADDRESS = 5
    settings.BACKBONE_RESETS_PER_ACCOUNT = 2
    settings.BACKBONE_RESETS_PER_ADDRESS = 4
    return settings


def sign_in(email: str, password: str, address: str = "203.0.113.7", **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    return client, client.post(LOGIN, {"username": email, "password": password})


def fail(email: str, times: int, address: str = "203.0.113.7") -> None:
    """Wrong passwords: the one that reaches a limit is answered with the pause."""
    for _ in range(times):
        assert sign_in(email, "wrong", address)[1].status_code in (200, 429)


def is_paused(response) -> bool:
    return response.status_code == 429 and "Signing in is paused" in response.content.decode()


def test_an_account_waits_after_its_failures_even_with_the_right_password(cast, limits):
    fail(STEWARD, 2)
    assert sign_in(STEWARD, PASSWORD)[1].status_code == 302  # under the limit
    fail(STEWARD, 1)
    _, response = sign_in(STEWARD, PASSWORD)
    assert is_paused(response)
    assert "Try again in 15 minutes" in response.content.decode()
    assert 'href="/accounts/password-reset/"' in response.content.decode()
    # from another address too: the account is paused, not the address
    assert is_paused(sign_in(STEWARD, PASSWORD, "198.51.100.9")[1])
    assert sign_in("staff@example.org", PASSWORD)[1].status_code == 302


def test_the_sign_in_address_is_counted_as_an_email_address_is_read(cast, limits):
    fail("Steward.A@Example.org ", 3)
    assert is_paused(sign_in(STEWARD, PASSWORD)[1])


def test_an_address_waits_after_its_own_larger_number_of_failures(cast, limits):
    for email in ("a@example.org", "b@example.org", "c@example.org", "d@example.org"):
        fail(email, 1)
    assert sign_in(STEWARD, PASSWORD)[1].status_code == 302
    fail("e@example.org", 1)
    assert is_paused(sign_in(STEWARD, PASSWORD)[1])
    assert sign_in(STEWARD, PASSWORD, "198.51.100.9")[1].status_code == 302


def test_a_pause_ends_by_itself_however_often_it_is_tried(cast, limits):
    fail(STEWARD, 3)
    fail(STEWARD, 4)  # more tries while paused do not lengthen it
    assert is_paused(sign_in(STEWARD, PASSWORD)[1])
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(STEWARD, PASSWORD)[1].status_code == 302


def test_a_password_reset_lifts_the_accounts_pause(cast, limits):
    fail(STEWARD, 3)
    client = Client()
    client.post(RESET, {"email": STEWARD})
    link = re.search(r"http://\S+?(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    new = "a much longer passphrase"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert sign_in(STEWARD, new)[1].status_code == 302


def test_a_forwarded_address_counts_only_behind_the_proxy(cast, limits, settings):
    """A client can write any X-Forwarded-For; only the entry the proxy adds is believed,
    and only from a proxy: one on this machine, or one Backbone is told it sits behind."""
    for n in range(5):
        sign_in(f"x{n}@example.org", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert is_paused(sign_in(STEWARD, PASSWORD)[1])  # the forged header changed nothing

    AccessAttempt.objects.all().delete()
    settings.BACKBONE_BEHIND_PROXY = True
    for n in range(5):  # the client varies what it forges; the proxy adds 10.0.0.1
        sign_in(f"x{n}@example.org", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 10.0.0.1")
    assert is_paused(sign_in(STEWARD, PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.1")[1])
    response = sign_in(STEWARD, PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.0, 10.0.0.2")[1]
    assert response.status_code == 302


def test_reset_emails_are_limited_per_account_without_saying_so(cast, limits):
    for _ in range(3):
        response = Client(REMOTE_ADDR=f"198.51.100.{_}").post(RESET, {"email": STEWARD})
        assert response.status_code == 302  # the same "sent" page each time
    assert len(mail.outbox) == 2


def test_reset_requests_are_limited_per_address_and_said(cast, limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(4):
        assert client.post(RESET, {"email": f"n{n}@example.org"}).status_code == 302
    response = client.post(RESET, {"email": STEWARD})
    assert response.status_code == 429
    assert "Too many password resets were asked for from your network" in (
        response.content.decode()
    )
    assert mail.outbox == []
    assert Client(REMOTE_ADDR="198.51.100.9").post(RESET, {"email": STEWARD}).status_code == 302
    assert len(mail.outbox) == 1


def test_a_proxy_on_this_machine_is_believed_without_being_named(cast, limits):
    for n in range(5):
        sign_in(f"x{n}@example.org", "wrong", "127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert is_paused(
        sign_in(STEWARD, PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")[1]
    )
    response = sign_in(STEWARD, PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.5")[1]
    assert response.status_code == 302  # another client of the same proxy
