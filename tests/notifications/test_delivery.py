"""How notifications reach people: e-mailed at once, in the digest or only in the app, as
each chose; never e-mailed twice; every e-mail carries List-Unsubscribe, and its one click
works without signing in."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from backbone.notifications import services
from backbone.notifications.kinds import Delivery, Kind
from backbone.notifications.models import Notification, Preference
from backbone.updates.digests import digests_send
from backbone.updates.models import DigestSchedule
from tests.conftest import client_as

pytestmark = pytest.mark.integration


def _notify(cast, person, kind=Kind.ACTION_ASSIGNED, key="k1", text="Send the list"):
    return services.notify(
        initiative=cast.initiative,
        people=[person],
        kind=kind,
        key=key,
        text=text,
        url=f"/i/{cast.initiative.slug}/updates/",
    )


def test_each_kind_follows_the_persons_choice(cast):
    services.preference_set(person=cast.steward_a, kind=Kind.ACTION_ASSIGNED, delivery="never")
    services.preference_set(person=cast.steward_b, kind=Kind.ACTION_ASSIGNED, delivery="digest")
    for person in (cast.steward_a, cast.steward_b, cast.member_a):
        _notify(cast, person)
    delivery = dict(Notification.objects.values_list("person__email", "delivery"))
    assert delivery == {
        cast.steward_a.email: Delivery.NEVER,
        cast.steward_b.email: Delivery.DIGEST,
        cast.member_a.email: Delivery.IMMEDIATELY,  # the kind's default
    }
    summary = services.notifications_send()
    assert summary.sent == 1
    assert [m.to for m in mail.outbox] == [[cast.member_a.email]]


def test_an_e_mail_is_sent_once_and_a_failed_one_is_tried_again(cast):
    _notify(cast, cast.steward_a, key="a")
    _notify(cast, cast.steward_b, key="b")
    real_send = mail.EmailMessage.send

    def failing(message, *args, **kwargs):
        if cast.steward_a.email in message.to:
            raise ConnectionError("mail server down")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", failing):
        summary = services.notifications_send()
    assert summary.sent == 1 and len(summary.failed) == 1
    assert Notification.objects.get(person=cast.steward_a).emailed_at is None
    assert services.notifications_send().sent == 1
    assert services.notifications_send().sent == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.steward_a.email, cast.steward_b.email]
    )


def test_the_same_event_is_told_once(cast):
    assert _notify(cast, cast.steward_a) == 1
    assert _notify(cast, cast.steward_a) == 0
    assert Notification.objects.count() == 1


def test_a_notification_e_mail_links_to_its_page_and_unsubscribes_in_one_click(cast):
    _notify(cast, cast.steward_a)
    services.notifications_send()
    (message,) = mail.outbox
    assert "/i/riverton/updates/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    path = link.split("://", 1)[-1].split("/", 1)[1]
    # A mail client posts without a session or a CSRF token.
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.get("/" + path).status_code == 200  # asks first
    assert not Preference.objects.exists()
    assert anonymous.post("/" + path).status_code == 200
    preference = Preference.objects.get(person=cast.steward_a)
    assert (preference.kind, preference.delivery) == (Kind.ACTION_ASSIGNED, Delivery.NEVER)


def test_an_altered_unsubscribe_link_does_nothing(cast):
    token = services.unsubscribe_token(cast.steward_a, Kind.ACTION_ASSIGNED)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert Client().post(f"/notifications/unsubscribe/{forged}/").status_code == 404
    assert not Preference.objects.exists()


def test_the_digest_carries_what_was_chosen_for_it_and_unsubscribes_from_itself(cast):
    services.preference_set(person=cast.steward_a, kind=Kind.AGENDA_TO_ENDORSE, delivery="digest")
    _notify(cast, cast.steward_a, kind=Kind.AGENDA_TO_ENDORSE, text="Version 2 awaits you")
    digests_send(now=timezone.now() + timedelta(seconds=1))
    (message,) = [m for m in mail.outbox if cast.steward_a.email in m.to]
    assert "For you:" in message.body and "Version 2 awaits you" in message.body
    link = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    Client().post("/" + link.split("://", 1)[-1].split("/", 1)[1])
    schedule = DigestSchedule.objects.get(person=cast.steward_a)
    assert schedule.frequency == DigestSchedule.Frequency.NONE


def test_the_inbox_shows_only_ones_own_and_marks_them_read(cast, as_role):
    _notify(cast, cast.steward_a, text="For Ada")
    _notify(cast, cast.steward_b, text="For Bea")
    html = as_role("steward_a").get("/notifications/").content.decode()
    assert "For Ada" in html and "For Bea" not in html
    theirs = Notification.objects.get(person=cast.steward_b)
    assert as_role("steward_a").get(f"/notifications/{theirs.pk}/").status_code == 404
    mine = Notification.objects.get(person=cast.steward_a)
    response = as_role("steward_a").get(f"/notifications/{mine.pk}/")
    assert response.status_code == 302 and response.url == mine.url
    mine.refresh_from_db()
    assert mine.read_at is not None
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client_as(None).get("/notifications/").status_code == 302  # to sign in


def test_the_settings_page_saves_each_choice(cast, as_role):
    client = as_role("member_a")
    html = unescape(client.get("/notifications/settings/").content.decode())
    for kind in Kind:
        assert kind.label in html
    choices = {kind.value: "digest" for kind in Kind}
    choices[Kind.REPORT_REMINDER] = "never"
    choices[Kind.SURVEY_REMINDER] = "digest"  # not offered: reminders come or do not
    assert client.post("/notifications/settings/", choices).status_code == 200
    assert not Preference.objects.exists()
    choices[Kind.SURVEY_REMINDER] = "immediately"
    assert client.post("/notifications/settings/", choices).status_code == 302
    saved = dict(Preference.objects.filter(person=cast.member_a).values_list("kind", "delivery"))
    assert saved[Kind.REPORT_REMINDER] == "never" and saved[Kind.PROPOSAL_OPEN] == "digest"
