"""Telling people: a notification is kept for the in-app list, and e-mailed at once, put in
the digest or left in the app, as its person chose for its kind.

A notification is written in the transaction of the event it tells of, so a rolled-back
event tells nobody; its key makes telling twice of one event a no-op (two sweeps at once, a
page submitted twice). E-mails go after the commit, by the worker, each marked sent in the
transaction of its sending: a failed send is tried again, a sent one never twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from backbone.accounts.languages import in_language_of
from backbone.accounts.models import Person
from backbone.initiatives.models import Initiative
from backbone.web.links import site_url

from .kinds import DEFAULT_DELIVERY, Delivery, Kind, label_in_language
from .models import Notification, Preference

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "backbone.notifications.unsubscribe"
#: What a one-click unsubscribe may stop besides a kind: the digest.
DIGEST_TOPIC = "digest"


def deliveries(person_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """Each person's chosen delivery per kind; a kind not chosen takes its default."""
    return {
        (person_id, kind): delivery
        for person_id, kind, delivery in Preference.objects.filter(
            person_id__in=list(person_ids)
        ).values_list("person_id", "kind", "delivery")
    }


def delivery_of(person_id: int, kind: str, chosen: dict[tuple[int, str], str]) -> str:
    return chosen.get((person_id, kind), DEFAULT_DELIVERY[Kind(kind)])


def notify(
    *,
    initiative: Initiative,
    people: Iterable[Person],
    kind: str,
    key: str,
    text: str | Callable[[], str],
    url: str,
    by: Person | None = None,
) -> int:
    """Tell each person (but `by`, who did it, and anyone inactive) once per `key`; returns
    how many were told for the first time. `text` may be a function that writes it: it is
    called in each person's language, so that each reads it (in the app and by e-mail) in
    theirs."""
    recipients = {
        p.pk: p for p in people if p is not None and p.is_active and (by is None or p.pk != by.pk)
    }
    if not recipients:
        return 0
    chosen = deliveries(recipients)
    already = set(
        Notification.objects.filter(
            initiative=initiative, person_id__in=recipients, key=key
        ).values_list("person_id", flat=True)
    )
    fresh = [
        Notification(
            initiative=initiative,
            person_id=pk,
            kind=kind,
            key=key[:120],
            text=_written_for(recipients[pk], text)[:300],
            url=url[:300],
            delivery=delivery_of(pk, kind, chosen),
        )
        for pk in recipients
        if pk not in already
    ]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    if any(n.delivery == Delivery.IMMEDIATELY for n in fresh):
        transaction.on_commit(_enqueue_sending)
    return len(fresh)


def _written_for(person: Person, text: str | Callable[[], str]) -> str:
    if not callable(text):
        return text
    with in_language_of(person):
        return str(text())


def _enqueue_sending() -> None:
    from .tasks import send_notifications

    send_notifications.enqueue()


# --- e-mail ---------------------------------------------------------------------------------


def unsubscribe_token(person: Person, topic: str) -> str:
    return signing.dumps({"p": person.pk, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_headers(person: Person | None, topic: str) -> dict[str, str]:
    """`List-Unsubscribe` for an e-mail: one-click (RFC 8058) for one person's topic; for an
    e-mail to several people, the page where each chooses what reaches them."""
    if person is None:
        return {"List-Unsubscribe": f"<{site_url(reverse('notifications:settings'))}>"}
    token = unsubscribe_token(person, topic)
    link = site_url(reverse("notifications:unsubscribe", args=[token]))
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


class BadToken(Exception):
    """An unsubscribe link that was altered or is not ours."""


def unsubscribe_read(token: str) -> tuple[Person, str]:
    try:
        found = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        person = Person.objects.get(pk=found["p"])
        topic = found["t"]
    except (signing.BadSignature, Person.DoesNotExist, KeyError, TypeError) as e:
        raise BadToken("This unsubscribe link is not valid.") from e
    if topic != DIGEST_TOPIC and topic not in Kind.values:
        raise BadToken("This unsubscribe link is not valid.")
    return person, topic


def topic_label(topic: str) -> str:
    return gettext("Your digest") if topic == DIGEST_TOPIC else label_in_language(topic)


@transaction.atomic
def unsubscribe(person: Person, topic: str) -> None:
    """Stop the e-mails of one topic: a kind becomes app-only, the digest stops."""
    if topic == DIGEST_TOPIC:
        from backbone.updates.models import DigestSchedule

        DigestSchedule.objects.update_or_create(
            person=person, defaults={"frequency": DigestSchedule.Frequency.NONE}
        )
        return
    preference_set(person=person, kind=topic, delivery=Delivery.NEVER)


def notification_message(notification: Notification) -> EmailMessage:
    """The e-mail of one notification, in its person's language (the text itself was written
    in it when the notification was made)."""
    initiative = notification.initiative
    context = {
        "notification": notification,
        "initiative": initiative,
        "link": site_url(notification.url),
        "settings_link": site_url(reverse("notifications:settings")),
    }
    with in_language_of(notification.person):
        context["kind"] = label_in_language(notification.kind)
        body = render_to_string("notifications/notification_email.txt", context)
        subject = pgettext("subject of a notification e-mail", "%(initiative)s: %(text)s") % {
            "initiative": initiative.name,
            "text": notification.text,
        }
    return EmailMessage(
        subject=subject[:200],
        body=body,
        to=[notification.person.email],
        headers=unsubscribe_headers(notification.person, notification.kind),
    )


@dataclass
class SendSummary:
    sent: int = 0
    failed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed}


def notifications_send(*, now: datetime | None = None) -> SendSummary:
    """E-mail every notification due at once and not yet sent. Each is claimed by a
    conditional update inside the transaction of its sending: two workers never send one
    twice, and a failed send rolls the claim back for the next run."""
    summary = SendSummary()
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(delivery=Delivery.IMMEDIATELY, emailed_at__isnull=True)
        .select_related("person", "initiative")
        .order_by("pk")
    )
    for notification in waiting.iterator(chunk_size=200):
        try:
            with transaction.atomic():
                claimed = Notification.objects.filter(
                    pk=notification.pk, emailed_at__isnull=True
                ).update(emailed_at=now)
                if claimed:
                    notification_message(notification).send()
                    summary.sent += 1
        except Exception:  # one bad address must not stop the others
            logger.exception("Could not e-mail notification %s", notification.pk)
            summary.failed.append(notification.pk)
    return summary


# --- the reader's side ---------------------------------------------------------------------


def mark_read(*, person: Person, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read: those given, or all."""
    unread = Notification.objects.filter(person=person, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def preference_set(*, person: Person, kind: str, delivery: str) -> Preference:
    """Choose how one kind reaches the person; notifications already made keep theirs."""
    Kind(kind)
    Delivery(delivery)
    preference, _ = Preference.objects.update_or_create(
        person=person, kind=kind, defaults={"delivery": delivery}
    )
    return preference
