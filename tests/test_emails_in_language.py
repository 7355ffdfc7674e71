"""Issue 17: what is sent to a person is written in their language, one person at a time, so
one run writes French to a French reader and English to an English one; and the funder report
PDF is in its reader's language."""

from __future__ import annotations

import io
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext
from pypdf import PdfReader

from backbone.initiatives.roles import Role
from backbone.initiatives.services import invitation_create
from backbone.measurement.completeness.services import Reminder, reminder_messages
from backbone.notifications.kinds import Kind
from backbone.notifications.models import Notification
from backbone.notifications.services import notification_message, notify
from backbone.updates.digests import Digest, digest_message

from .translations import compiled_catalogues

pytestmark = pytest.mark.integration

SINCE = timezone.make_aware(datetime(2026, 12, 1, 9, 30))


@pytest.fixture
def readers(cast):
    compiled_catalogues()
    cast.funder.language = "fr"
    cast.funder.save(update_fields=["language"])
    cast.steward_a.language = "en"
    cast.steward_a.save(update_fields=["language"])
    return cast.funder, cast.steward_a


def test_a_digest_run_writes_each_reader_in_their_language(readers):
    fr, en = readers
    french, english = (
        digest_message(Digest(person=p, frequency="weekly", since=SINCE, now=SINCE, sections=[]))
        for p in readers
    )
    assert french.subject == "Votre résumé hebdomadaire Backbone\u00a0: 0 nouvel élément"
    assert "Voici les nouveautés depuis le 1 décembre 2026 à 09:30." in french.body
    assert "Bonjour Fran Funder," in french.body
    assert english.subject == "Your weekly Backbone digest: 0 new items"
    assert "Here is what is new since 1 December 2026, 09:30." in english.body


def test_a_report_reminder_goes_to_each_steward_in_their_language(readers, cast):
    fr, en = readers
    report = SimpleNamespace(
        indicator=SimpleNamespace(name="Children Enrolled"),
        period=SimpleNamespace(label="Jan 2024", due=date(2024, 2, 15)),
        state="missing",
        comment="",
    )
    reminder = Reminder(cast.partner_a, [fr.email, en.email], Role.PARTNER_STEWARD, [report] * 2)
    french, english = reminder_messages(
        reminder, initiative=cast.initiative, today=date(2024, 3, 10)
    )
    assert french.to == [fr.email] and english.to == [en.email]
    assert "2 rapports à transmettre" in french.subject
    assert "pas encore transmis; en retard depuis le 15 février 2024" in french.body
    assert "2 reports to send" in english.subject
    assert "not sent yet; overdue since 15 February 2024" in english.body


def test_an_invitation_is_written_in_the_invitees_language(
    readers, cast, django_capture_on_commit_callbacks
):
    fr, en = readers
    with django_capture_on_commit_callbacks(execute=True):
        for person in readers:
            invitation_create(
                initiative=cast.other_initiative, by=cast.admin, email=person.email,
                role=Role.FUNDER,
            )  # fmt: skip
    french, english = mail.outbox[-2:]
    assert french.subject.startswith("Rejoignez ")
    assert "en tant que bailleur de fonds." in french.body
    assert "il est valable 14 jours" in french.body
    assert english.subject.startswith("Join ")
    assert "on Backbone as funder." in english.body


def test_a_notification_is_written_and_e_mailed_in_each_persons_language(readers, cast):
    fr, en = readers
    due = date(2026, 12, 24)
    notify(
        initiative=cast.initiative,
        people=readers,
        kind=Kind.PROPOSAL_CLOSING,
        key="test:closing",
        text=lambda: (
            gettext("Overdue since %(due)s: %(text)s")
            % {"due": f"{due:%d}", "text": "Book the gym"}
        ),
        url="/",
    )
    french = notification_message(Notification.objects.get(person=fr, key="test:closing"))
    english = notification_message(Notification.objects.get(person=en, key="test:closing"))
    assert "En retard depuis le 24\u00a0: Book the gym" in french.subject
    assert "votre choix pour «\u00a0Une proposition sur laquelle" in french.body
    assert "Overdue since 24: Book the gym" in english.subject
    assert "your choice for “A proposal I have not voted on" in english.body


def test_a_password_reset_is_written_in_the_account_holders_language(readers, client):
    for person in readers:
        client.post("/accounts/password-reset/", {"email": person.email})
    french, english = mail.outbox[-2:]
    assert french.subject == "Réinitialisez votre mot de passe Backbone"
    assert "Pour choisir un nouveau mot de passe" in french.body
    assert english.subject == "Reset your Backbone password"
    assert "To choose a new password" in english.body


def test_the_funder_report_pdf_is_in_its_readers_language(cast, tmp_path):
    compiled_catalogues()
    cast.staff.language = "es"
    cast.staff.save(update_fields=["language"])
    out = tmp_path / "es.pdf"
    call_command(
        "report", cast.initiative.slug, "--start", "2026-04-01", "--end", "2026-06-30",
        "--out", str(out), "--as", cast.staff.email,
    )  # fmt: skip
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Agenda común" in text
    assert "Indicadores y brechas de equidad" in text
    assert "Del 1 de abril de 2026 al 30 de junio de 2026" in text
