"""Writes: opening and closing rounds, answering, and reminders.

Each write checks everything before it saves anything and runs in one transaction, so a
refused answer leaves no trace: no `Response`, and the `Respondent` still unanswered.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext

from backbone.accounts.languages import in_language_of
from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.initiatives.roles import PartnerStatus
from backbone.notifications.kinds import Kind
from backbone.notifications.selectors import e_mails_stopped
from backbone.notifications.services import unsubscribe_headers
from backbone.permissions import COMMUNITY_ROLES, PARTNER_ROLES, RESPONDENT_ROLES, STEWARD_ROLES
from backbone.revisions import revise
from backbone.web.links import site_url

from .models import Questionnaire, Respondent, Response, Round
from .scoring import Item, items_of

logger = logging.getLogger(__name__)

#: Roles a round may ask, in the order a person's capacity is chosen when they hold several.
ORG_ROLES = PARTNER_ROLES
MAX_TEXT = 2000
REMIND_EVERY_DAYS = 7
LAST_CALL_DAYS = 2


# --- which questionnaires fit an initiative ------------------------------------------


def questionnaires_for(initiative: Initiative):
    """The questionnaires written for the initiative's framework."""
    framework = initiative.framework
    if framework is None:
        return []
    return [q for q in Questionnaire.objects.order_by("name") if framework.slug in q.frameworks]


def questionnaire_for(initiative: Initiative, slug: str) -> Questionnaire | None:
    """One of the questionnaires written for the initiative's framework, by its slug."""
    return next((q for q in questionnaires_for(initiative) if q.slug == slug), None)


# --- opening and closing rounds -------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    person_id: int
    role: str
    organisation_id: int | None


def invitees(
    *, initiative: Initiative, roles: Iterable[str], partners: Iterable[Partner] = ()
) -> list[Invitee]:
    """Who a round asks: people holding one of `roles` — for the chosen partners (every
    active partner when none is chosen) where the role acts for an organisation.

    Choosing partners without an organisation role asks both their stewards and members. A
    person is asked once, in the first capacity they hold: steward before member before
    community member, and for organisations in name order.
    """
    roles = [r for r in RESPONDENT_ROLES if r in set(roles)]
    partners = list(partners)
    if partners and not any(r in ORG_ROLES for r in roles):
        roles = [*ORG_ROLES, *roles]
    if partners:
        org_ids = [p.organisation_id for p in partners]
    else:
        org_ids = list(
            Partner.objects.filter(initiative=initiative, status=PartnerStatus.ACTIVE).values_list(
                "organisation_id", flat=True
            )
        )
    wanted = Q(role__in=COMMUNITY_ROLES) if _any_community(roles) else Q(pk__in=[])
    org_roles = [r for r in roles if r in ORG_ROLES]
    if org_roles:
        wanted |= Q(role__in=org_roles, organisation_id__in=org_ids)
    rows = (
        Membership.objects.filter(wanted, initiative=initiative, person__is_active=True)
        .order_by("person_id", "organisation__name")
        .values_list("person_id", "role", "organisation_id")
    )
    rank = {role: n for n, role in enumerate(RESPONDENT_ROLES)}
    chosen: dict[int, Invitee] = {}
    for person_id, role, org_id in rows:
        found = chosen.get(person_id)
        if found is None or rank[role] < rank[found.role]:
            chosen[person_id] = Invitee(person_id, role, org_id)
    return sorted(chosen.values(), key=lambda i: i.person_id)


def audience_words(*, roles: Iterable[str], partners: Iterable[Partner]) -> str:
    """Who a round asked, in words: "partner stewards and partner members of every active
    partner; community members"."""
    roles, partners = set(roles), list(partners)
    org_roles = [r for r in ORG_ROLES if r in roles] or (list(ORG_ROLES) if partners else [])
    parts = []
    if org_roles:
        whose = (
            ", ".join(sorted(p.organisation.name for p in partners))
            if partners
            else gettext("every active partner")
        )
        if len(org_roles) > 1:
            people = gettext("partner stewards and partner members")
        elif org_roles[0] in STEWARD_ROLES:
            people = gettext("partner stewards")
        else:
            people = gettext("partner members")
        parts.append(
            pgettext("who a round asked", "%(people)s of %(partners)s")
            % {"people": people, "partners": whose}
        )
    if _any_community(roles):
        parts.append(gettext("community members"))
    return "; ".join(parts)[:300]


@transaction.atomic
def round_open(
    *,
    initiative: Initiative,
    questionnaire: Questionnaire,
    opens_on: date,
    closes_on: date,
    roles: Iterable[str],
    partners: Iterable[Partner] = (),
    title: str = "",
    anonymous: bool = True,
    results_shared: bool = False,
    by=None,
    today: date | None = None,
) -> Round:
    """Open a round of `questionnaire` for the people chosen now; they are asked once."""
    today = today or timezone.localdate()
    roles, partners = list(roles), list(partners)
    problems: dict[str, str] = {}
    fits = initiative.framework is not None and initiative.framework.slug in (
        questionnaire.frameworks
    )
    if not fits:
        problems["questionnaire"] = gettext(
            "This questionnaire is not written for the initiative's framework."
        )
    if any(p.initiative_id != initiative.pk for p in partners):
        problems["partners"] = gettext("Choose partners of this initiative.")
    if any(r not in RESPONDENT_ROLES for r in roles):
        problems["roles"] = gettext(
            "Rounds ask partner stewards, partner members and community members."
        )
    if not roles and not partners:
        problems["roles"] = gettext("Choose who is asked: by role, by partner, or both.")
    if closes_on < opens_on:
        problems["closes_on"] = gettext("A round cannot close before it opens.")
    elif closes_on < today:
        problems["closes_on"] = gettext("The closing date has passed already.")
    if problems:
        raise ValidationError(problems)
    asked = invitees(initiative=initiative, roles=roles, partners=partners)
    if not asked:
        raise ValidationError(
            {"roles": gettext("Nobody holds the chosen roles for the chosen partners.")}
        )
    month = date_format(opens_on, pgettext("month and year in a title", "F Y"))
    found = Round(
        initiative=initiative,
        questionnaire=questionnaire,
        questionnaire_data=questionnaire.data,
        title=title.strip()
        or pgettext("title of a round", "%(questionnaire)s, %(month)s")
        % {"questionnaire": questionnaire.name, "month": month},
        opens_on=opens_on,
        closes_on=closes_on,
        anonymous=anonymous,
        results_shared=results_shared,
        audience=audience_words(roles=roles, partners=partners),
        created_by=by,
    )
    found.full_clean()
    found.save()
    Respondent.objects.bulk_create(
        Respondent(
            initiative=initiative,
            round=found,
            person_id=i.person_id,
            role=i.role,
            organisation_id=i.organisation_id,
        )
        for i in asked
    )
    return found


def _locked(found: Round) -> Round:
    return Round.objects.select_for_update().get(pk=found.pk)


@transaction.atomic
def round_close(*, round: Round, now: datetime | None = None) -> Round:
    """Stop taking answers now. A closed round stays closed."""
    now = now or timezone.now()
    locked = _locked(round)
    if locked.is_closed(timezone.localdate(now)):
        raise ValidationError(gettext("This round is closed already."))
    locked.closed_at = now
    locked.save(update_fields=["closed_at"])
    round.closed_at = now
    return locked


@transaction.atomic
def round_set_closing(
    *,
    round: Round,
    closes_on: date,
    today: date | None = None,
    by=None,
    read_revision: int | None = None,
) -> Round:
    """Move the closing date of a round that has not closed; never into the past. Refused
    (EditConflict) when it was moved since the form was read at `read_revision`."""
    today = today or timezone.localdate()
    locked = _locked(round)
    revise(locked, read=read_revision, by=by)
    if locked.is_closed(today):
        raise ValidationError({"closes_on": gettext("A closed round does not reopen.")})
    if closes_on < max(today, locked.opens_on):
        raise ValidationError(
            {"closes_on": gettext("Choose today or a later day, on or after opening.")}
        )
    locked.closes_on = round.closes_on = closes_on
    locked.full_clean()
    locked.save(update_fields=["closes_on"])
    return locked


def round_share(*, round: Round, shared: bool) -> Round:
    round.results_shared = shared
    round.save(update_fields=["results_shared"])
    return round


# --- answering ------------------------------------------------------------------------


def item_name(item: Item) -> str:
    text = item.text if len(item.text) <= 100 else item.text[:99] + "…"
    return gettext("“%(text)s” (%(key)s)") % {"text": text, "key": item.key}


def _clean_scale(item: Item, value: Any) -> int:
    scale = item.scale
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value not in scale.values:
        raise ValidationError(
            gettext(
                "%(item)s: %(value)s is not on the scale "
                "(%(low)s %(low_label)s to %(high)s %(high_label)s)."
            )
            % {
                "item": item_name(item),
                "value": repr(value),
                "low": scale.low,
                "low_label": scale.label(scale.low).lower(),
                "high": scale.high,
                "high_label": scale.label(scale.high).lower(),
            }
        )
    return value


def clean_answers(items: list[Item], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers as stored, or a ValidationError naming each item that is wrong."""
    known = {item.key for item in items}
    problems: dict[str, str] = {
        key: gettext("%(key)s is not an item of this questionnaire.") % {"key": repr(key)}
        for key in answers
        if key not in known
    }
    cleaned: dict[str, Any] = {}
    for item in items:
        value = answers.get(item.key)
        empty = value is None or value == "" or value == []
        try:
            if item.type in ("scale", "single_choice") and empty:
                raise ValidationError(
                    gettext("%(item)s: please choose an answer.") % {"item": item_name(item)}
                )
            if item.type == "scale":
                cleaned[item.key] = _clean_scale(item, value)
            elif item.type == "single_choice":
                if value not in dict(item.options):
                    raise ValidationError(
                        gettext("%(item)s: %(value)s is not one of the options.")
                        % {"item": item_name(item), "value": repr(value)}
                    )
                cleaned[item.key] = value
            elif item.type == "multiple_choice":
                chosen = (
                    [] if empty else list(value) if isinstance(value, list | tuple) else [value]
                )
                wrong = [v for v in chosen if v not in dict(item.options)]
                if wrong:
                    raise ValidationError(
                        gettext("%(item)s: %(value)s is not one of the options.")
                        % {"item": item_name(item), "value": repr(wrong[0])}
                    )
                cleaned[item.key] = sorted(set(chosen), key=[k for k, _label in item.options].index)
            else:
                text = "" if empty else str(value).strip()
                if len(text) > MAX_TEXT:
                    raise ValidationError(
                        ngettext(
                            "%(item)s: please keep it under %(max)s character.",
                            "%(item)s: please keep it under %(max)s characters.",
                            MAX_TEXT,
                        )
                        % {"item": item_name(item), "max": MAX_TEXT}
                    )
                cleaned[item.key] = text
        except ValidationError as exc:
            problems[item.key] = exc.messages[0]
    if problems:
        raise ValidationError(problems)
    return cleaned


@transaction.atomic
def response_submit(
    *, round: Round, person, answers: Mapping[str, Any], now: datetime | None = None
) -> None:
    """Record a person's answers, once, while the round is open.

    Returns nothing: the caller learns that the answers were taken, not where they went.
    In an anonymous round the response keeps no person and no time (see models).
    """
    now = now or timezone.now()
    locked = _locked(round)  # a close running at the same moment waits, or wins
    respondent = (
        Respondent.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(round=locked, person=person)
        .first()
    )
    if respondent is None:
        raise ValidationError(gettext("You are not asked to answer this round."))
    if respondent.answered_at is not None:
        raise ValidationError(
            gettext("You have answered this round already; each person answers once.")
        )
    today = timezone.localdate(now)
    if locked.status(today) == Round.Status.SCHEDULED:
        raise ValidationError(
            gettext("This round opens on %(date)s.") % {"date": sentence_day(locked.opens_on)}
        )
    if locked.is_closed(today):
        raise ValidationError(
            gettext("This round closed on %(date)s.") % {"date": sentence_day(locked.closed_on)}
        )
    cleaned = clean_answers(items_of(locked.questionnaire_data), answers)
    is_community = respondent.role in COMMUNITY_ROLES
    Response.objects.create(
        initiative_id=locked.initiative_id,
        round=locked,
        sector=""
        if is_community or not respondent.organisation
        else respondent.organisation.sector,
        is_community_member=is_community,
        person=None if locked.anonymous else person,
        answers=cleaned,
    )
    respondent.answered_at = now
    respondent.save(update_fields=["answered_at"])


# --- reminders ------------------------------------------------------------------------


@dataclass
class ReminderSummary:
    sent: list[Respondent] = field(default_factory=list)
    failed: list[Respondent] = field(default_factory=list)


def answer_url(found: Round) -> str:
    path = reverse("assessments:answer", args=[found.initiative.slug, found.uuid])
    return site_url(path)


def is_reminder_due(respondent: Respondent, found: Round, today: date) -> bool:
    """The first reminder once the round is open, then every week, and each of the last
    two days; never twice in one day."""
    last = respondent.reminded_on
    if last is None:
        return True
    if last >= today:
        return False
    return (today - last).days >= REMIND_EVERY_DAYS or (found.closes_on - today).days < (
        LAST_CALL_DAYS
    )


def reminders_due(*, initiative: Initiative, today: date, round: Round | None = None):
    rounds = Round.objects.filter(
        initiative=initiative, opens_on__lte=today, closes_on__gte=today, closed_at__isnull=True
    )
    if round is not None:
        rounds = rounds.filter(pk=round.pk)
    waiting = (
        Respondent.objects.filter(
            round__in=rounds,
            answered_at__isnull=True,
            person__is_active=True,
            person__memberships__initiative=initiative,
        )
        .distinct()
        .select_related("person", "round", "round__initiative")
        .order_by("round_id", "person__email")
    )
    waiting = [r for r in waiting if is_reminder_due(r, r.round, today)]
    stopped = e_mails_stopped({r.person_id for r in waiting}, Kind.SURVEY_REMINDER)
    return [r for r in waiting if r.person_id not in stopped]


def reminder_message(respondent: Respondent, *, today: date) -> EmailMessage:
    found = respondent.round
    context = {
        "round": found,
        "initiative": found.initiative,
        "person": respondent.person,
        "link": answer_url(found),
        "today": today,
        "days_left": (found.closes_on - today).days,
    }
    with in_language_of(respondent.person):
        body = render_to_string("assessments/reminder_email.txt", context)
        by = date_format(found.closes_on, pgettext("day and month in an e-mail", "j F"))
        subject = gettext("%(initiative)s: please answer “%(round)s” by %(day)s") % {
            "initiative": found.initiative.name,
            "round": found.title,
            "day": by,
        }
    return EmailMessage(
        subject=subject,
        body=body,
        to=[respondent.person.email],
        headers=unsubscribe_headers(respondent.person, Kind.SURVEY_REMINDER),
    )


def reminders_send(
    *, initiative: Initiative, today: date | None = None, round: Round | None = None
) -> ReminderSummary:
    """E-mail everyone still to answer an open round whose reminder is due.

    The day is claimed on the row before the e-mail goes (a conditional update, so two runs
    at once cannot both send), inside a transaction that a failed send rolls back: that
    person is tried again next run, and the others are still sent.
    """
    today = today or timezone.localdate()
    summary = ReminderSummary()
    for respondent in reminders_due(initiative=initiative, today=today, round=round):
        message = reminder_message(respondent, today=today)
        try:
            with transaction.atomic():
                claimed = (
                    Respondent.objects.filter(pk=respondent.pk, answered_at__isnull=True)
                    .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
                    .update(reminded_on=today, reminders=respondent.reminders + 1)
                )
                if not claimed:
                    continue
                message.send()
        except (OSError, ValueError):  # smtplib's and the socket's errors; a bad header
            logger.exception("Could not send the survey reminder to %s", respondent.person.email)
            summary.failed.append(respondent)
        else:
            summary.sent.append(respondent)
    return summary


def reminders_send_everywhere(*, today: date | None = None) -> dict:
    """Every initiative's reminders: what the background worker runs once a day."""
    sent = failed = 0
    for initiative in Initiative.objects.order_by("pk"):
        summary = reminders_send(initiative=initiative, today=today)
        sent += len(summary.sent)
        failed += len(summary.failed)
    return {"sent": sent, "failed": failed}


def sentence_day(day: date) -> str:
    """A day in a sentence, in the reader's language: 5 March 2026."""
    return date_format(day, pgettext("date in a sentence", "j F Y"))


def _any_community(roles) -> bool:
    return any(role in COMMUNITY_ROLES for role in roles)
