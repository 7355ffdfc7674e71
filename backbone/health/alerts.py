"""Engagement alerts: an active partner that has gone quiet, flagged before it withdraws.

`N` is the initiative's `AlertSetting.quiet_after_days` (90 unless the backbone changed it)
and the cut-off is `today − N days`. Something done on the cut-off day or later is recent;
a partner is quiet on a signal when the last time it did that thing is before the cut-off
(or it never did) while it was asked to:

- **reporting**: it sent no values (a submission, not a draft, not a backbone correction)
  since the cut-off, and it owes a report for a period that ended after the last period it
  reported on, and whose due date (its last day, when it has none) has passed. A partner
  that reports once a year and sent its last report on time is not quiet; one that owes
  nothing is not asked.
- **attending**: it was expected at two or more meetings since the cut-off — all-partners
  meetings, and those of working groups one of its people sits in — and none of its people
  came to any meeting since then. One missed meeting is a clash, not a pattern.
- **voting**: it has voted on structured decisions before, others voted since the cut-off,
  and it has not.
- **answering surveys**: the same, for assessments and the network survey together.
- **updating commitments**: it has open commitments (committed or in progress), and none of
  them has had a progress update, or started, since the cut-off.
- **endorsing**: it endorsed an earlier version of the agenda, but not the current one,
  recorded before the cut-off.

Only active partners are alerted (a paused or withdrawn partner is not), and only those that
have been partners for at least N days: one that joined last month has had no time to go quiet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext, pgettext_lazy

from backbone.advocacy.models import Commitment, CommitmentUpdate
from backbone.agenda.models import Endorsement
from backbone.agenda.selectors import current_version
from backbone.communication.models import Meeting, WorkingGroup
from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.initiatives.roles import PartnerStatus
from backbone.measurement.completeness.selectors import owes, reporting_partners
from backbone.measurement.models import DataValue, Indicator, Period, Submission
from backbone.permissions import PARTNER_ROLES

from . import sources
from .models import DEFAULT_QUIET_AFTER_DAYS, AlertSetting

MIN_EXPECTED_MEETINGS = 2

REPORTING, ATTENDING, VOTING, SURVEYS, COMMITMENTS, ENDORSING = (
    "reporting",
    "attending",
    "voting",
    "surveys",
    "commitments",
    "endorsing",
)
SIGNAL_LABELS = {
    REPORTING: gettext_lazy("Reporting"),
    ATTENDING: gettext_lazy("Attending meetings"),
    VOTING: gettext_lazy("Voting"),
    SURVEYS: gettext_lazy("Answering surveys"),
    COMMITMENTS: gettext_lazy("Updating commitments"),
    ENDORSING: gettext_lazy("Endorsing the agenda"),
}
#: What a partner stopped doing, as the sentence "… stopped reporting" goes on (in French
#: "… a cessé de déclarer ses données", the "de" with it).
STOPPED = {
    REPORTING: pgettext_lazy("what a partner stopped doing", "reporting"),
    ATTENDING: pgettext_lazy("what a partner stopped doing", "attending meetings"),
    VOTING: pgettext_lazy("what a partner stopped doing", "voting"),
    SURVEYS: pgettext_lazy("what a partner stopped doing", "answering surveys"),
    COMMITMENTS: pgettext_lazy("what a partner stopped doing", "updating commitments"),
    ENDORSING: pgettext_lazy("what a partner stopped doing", "endorsing the agenda"),
}


@dataclass(frozen=True)
class Quiet:
    """One signal that went quiet: since when (the last time the partner did it; None for
    never) and what the figures are."""

    signal: str
    since: date | None
    detail: str

    @property
    def label(self) -> str:
        return str(SIGNAL_LABELS[self.signal])


@dataclass(frozen=True)
class Alert:
    partner: Partner
    quiet: list[Quiet]

    @property
    def signals(self) -> list[str]:
        return [q.signal for q in self.quiet]

    @property
    def summary(self) -> str:
        return ", ".join(q.label.lower() for q in self.quiet)

    def sentence(self) -> SafeString:
        """ "<strong>Partner</strong> stopped reporting (since 3 Mar 2025) and voting (never).",
        in the reader's language, from translated pieces."""
        pieces = [
            gettext("%(signal)s (since %(date)s)")
            % {"signal": STOPPED[q.signal], "date": date_format(q.since, "j M Y")}
            if q.since
            else gettext("%(signal)s (never)") % {"signal": STOPPED[q.signal]}
            for q in self.quiet
        ]
        signals = pieces[-1]
        if len(pieces) > 1:
            signals = pgettext("the last of a list", "%(items)s and %(last)s") % {
                "items": ", ".join(pieces[:-1]),
                "last": pieces[-1],
            }
        return mark_safe(  # noqa: S308 - every piece is escaped
            escape(gettext("%(partner)s stopped %(signals)s."))
            % {
                "partner": format_html("<strong>{}</strong>", self.partner.organisation.name),
                "signals": escape(signals),
            }
        )


def quiet_after_days(initiative: Initiative) -> int:
    found = AlertSetting.objects.filter(initiative=initiative).values_list(
        "quiet_after_days", flat=True
    )
    return next(iter(found), DEFAULT_QUIET_AFTER_DAYS)


def _day(d: date | None) -> str:
    return date_format(d, "j M Y") if d else ""


def _local(at: datetime | None) -> date | None:
    return None if at is None else timezone.localdate(at)


def _is_quiet(last: date | None, cutoff: date) -> bool:
    return last is None or last < cutoff


def alertable(*, initiative: Initiative, cutoff: date) -> list[Partner]:
    """Active partners that joined on the cut-off day or before."""
    return list(
        Partner.objects.filter(
            initiative=initiative, status=PartnerStatus.ACTIVE, joined_on__lte=cutoff
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )


# --- one function per signal: partner id → Quiet, for the partners that went quiet --------


def _reported_ends(initiative: Initiative, partner_ids, since: date | None) -> dict[int, date]:
    """Partner id → the end of the latest period it sent values for (not drafts), looking only
    at periods ending on or after `since` when given, so the newest periods alone are read."""
    values = DataValue.objects.filter(initiative=initiative, partner_id__in=list(partner_ids))
    if since is not None:
        recent = Period.objects.filter(initiative=initiative, end__gte=since).values("pk")
        values = values.filter(period_id__in=recent)
    return dict(
        values.exclude(status=DataValue.Status.DRAFT)
        .values("partner_id")
        .annotate(end=Max("period__end"))
        .values_list("partner_id", "end")
    )


def reporting_quiet(
    *, initiative: Initiative, partners: list[Partner], today: date, cutoff: date
) -> dict[int, Quiet]:
    sent = dict(
        Submission.objects.filter(initiative=initiative, partner_id__in=[p.pk for p in partners])
        .exclude(status=Submission.Status.DRAFT)
        .exclude(channel=Submission.Channel.CORRECTION)
        .values("partner_id")
        .annotate(last=Max(Coalesce("submitted_at", "created_at")))
        .values_list("partner_id", "last")
    )
    # Per frequency, the latest period that came due.
    came_due: dict[str, Period] = {}
    for period in (
        Period.objects.filter(initiative=initiative)
        .filter(Q(due__lt=today) | Q(due__isnull=True, end__lt=today))
        .order_by("end")
    ):
        came_due[period.kind] = period
    indicators = list(
        Indicator.objects.filter(initiative=initiative).values_list("pk", "frequency")
    )
    assigned = reporting_partners(initiative=initiative)
    # For each partner silent since the cut-off: the latest period it owes that came due, by
    # completeness's one rule of what a partner owes.
    owed: dict[int, date] = {}
    for p in partners:
        if not _is_quiet(_local(sent.get(p.pk)), cutoff):
            continue
        ends = [
            came_due[kind].end
            for pk, kind in indicators
            if kind in came_due and owes(p, came_due[kind], assigned.get(pk))
        ]
        if ends:
            owed[p.pk] = max(ends)
    if not owed:
        return {}
    # Quiet when it sent nothing for that period (or a later one).
    caught_up = _reported_ends(initiative, owed, min(owed.values()))
    behind = [pk for pk, end in owed.items() if caught_up.get(pk, date.min) < end]
    last_ends = _reported_ends(initiative, behind, None) if behind else {}
    found = {}
    for pk in behind:
        last_sent, last_end = _local(sent.get(pk)), last_ends.get(pk)
        due = _day(owed[pk])
        if last_sent and last_end:
            detail = gettext(
                "No values sent since %(sent)s (the last for a period ending %(ended)s); "
                "reports through %(due)s are past due."
            ) % {"sent": _day(last_sent), "ended": _day(last_end), "due": due}
        elif last_sent:
            detail = gettext(
                "No values sent since %(sent)s; reports through %(due)s are past due."
            ) % {"sent": _day(last_sent), "due": due}
        else:
            detail = gettext("Has never sent values; reports through %(due)s are past due.") % {
                "due": due
            }
        found[pk] = Quiet(REPORTING, last_sent, detail)
    return found


def _people(initiative: Initiative, partners: list[Partner]) -> dict[int, set[int]]:
    """Partner id → the ids of the people who act for its organisation."""
    by_org = {p.organisation_id: p.pk for p in partners}
    people: dict[int, set[int]] = defaultdict(set)
    for person_id, org_id in Membership.objects.filter(
        initiative=initiative, organisation_id__in=by_org, role__in=PARTNER_ROLES
    ).values_list("person_id", "organisation_id"):
        people[by_org[org_id]].add(person_id)
    return people


def attendance_quiet(
    *, initiative: Initiative, partners: list[Partner], today: date, cutoff: date
) -> dict[int, Quiet]:
    now = timezone.now()
    people = _people(initiative, partners)
    everyone = set().union(*people.values()) if people else set()
    group_people: dict[int, set[int]] = defaultdict(set)
    for group_id, lead_id in WorkingGroup.objects.filter(initiative=initiative).values_list(
        "pk", "lead_id"
    ):
        group_people[group_id].add(lead_id)
    for group_id, person_id in WorkingGroup.members.through.objects.filter(
        workinggroup__initiative=initiative
    ).values_list("workinggroup_id", "person_id"):
        group_people[group_id].add(person_id)
    from_day = timezone.make_aware(datetime.combine(cutoff, time.min))
    recent = [
        (timezone.localdate(at), group_id)
        for at, group_id in Meeting.objects.filter(
            initiative=initiative, starts_at__gte=from_day, starts_at__lte=now
        ).values_list("starts_at", "group_id")
    ]
    last_at: dict[int, datetime] = dict(
        Meeting.attendees.through.objects.filter(
            meeting__initiative=initiative, meeting__starts_at__lte=now, person_id__in=everyone
        )
        .values("person_id")
        .annotate(last=Max("meeting__starts_at"))
        .values_list("person_id", "last")
    )
    found = {}
    for p in partners:
        mine = people.get(p.pk, set())
        expected = sum(
            1
            for day, group_id in recent
            if (group_id is None and p.joined_on <= day)
            or (mine & group_people.get(group_id, set()))
        )
        if expected < MIN_EXPECTED_MEETINGS:
            continue
        times = [last_at[person] for person in mine if person in last_at]
        last = _local(max(times)) if times else None
        if not _is_quiet(last, cutoff):
            continue
        values = {"expected": expected, "since": _day(cutoff), "last": _day(last)}
        if last:
            detail = ngettext(
                "Expected at %(expected)s meeting since %(since)s; last came on %(last)s.",
                "Expected at %(expected)s meetings since %(since)s; last came on %(last)s.",
                expected,
            )
        else:
            detail = ngettext(
                "Expected at %(expected)s meeting since %(since)s; has not come to a meeting.",
                "Expected at %(expected)s meetings since %(since)s; has not come to a meeting.",
                expected,
            )
        found[p.pk] = Quiet(ATTENDING, last, detail % values)
    return found


def _took_part_quiet(
    signal: str,
    last_by_org: dict[int, datetime] | None,
    partners: list[Partner],
    cutoff: date,
    what: str,
) -> dict[int, Quiet]:
    """Votes and survey answers: quiet when it took part before, others took part since the
    cut-off, and it did not."""
    if not last_by_org:
        return {}
    days = {org: _local(at) for org, at in last_by_org.items() if at is not None}
    if not any(d >= cutoff for d in days.values()):
        return {}  # nobody took part lately: nothing was asked of anyone
    found = {}
    for p in partners:
        last = days.get(p.organisation_id)
        if last is not None and last < cutoff:
            found[p.pk] = Quiet(
                signal, last, str(what) % {"last": _day(last), "since": _day(cutoff)}
            )
    return found


def voting_quiet(
    *, initiative: Initiative, partners: list[Partner], today: date, cutoff: date
) -> dict[int, Quiet]:
    what = pgettext_lazy("a quiet partner", "Last voted on %(last)s; others have since %(since)s.")
    return _took_part_quiet(VOTING, sources.last_votes(initiative), partners, cutoff, what)


def survey_quiet(
    *, initiative: Initiative, partners: list[Partner], today: date, cutoff: date
) -> dict[int, Quiet]:
    what = pgettext_lazy(
        "a quiet partner", "Last answered a survey on %(last)s; others have since %(since)s."
    )
    return _took_part_quiet(
        SURVEYS, sources.last_survey_answers(initiative), partners, cutoff, what
    )


def commitment_quiet(
    *, initiative: Initiative, partners: list[Partner], today: date, cutoff: date
) -> dict[int, Quiet]:
    open_ = Commitment.objects.filter(
        initiative=initiative,
        partner_id__in=[p.pk for p in partners],
        status__in=Commitment.OPEN,
    )
    started: dict[int, date] = {}
    counts: dict[int, int] = defaultdict(int)
    for partner_id, starts_on in open_.values_list("partner_id", "starts_on"):
        counts[partner_id] += 1
        if starts_on <= today and (partner_id not in started or starts_on > started[partner_id]):
            started[partner_id] = starts_on
    updated = dict(
        CommitmentUpdate.objects.filter(commitment__in=open_, on__lte=today)
        .values("commitment__partner_id")
        .annotate(last=Max("on"))
        .values_list("commitment__partner_id", "last")
    )
    found = {}
    for p in partners:
        if not counts.get(p.pk):
            continue
        last_update = updated.get(p.pk)
        last = max((d for d in (last_update, started.get(p.pk)) if d), default=None)
        if not _is_quiet(last, cutoff):
            continue
        n = counts[p.pk]
        if last_update:
            detail = ngettext(
                "%(count)s open commitment; last progress update on %(last)s.",
                "%(count)s open commitments; last progress update on %(last)s.",
                n,
            ) % {"count": n, "last": _day(last_update)}
        else:
            detail = ngettext(
                "%(count)s open commitment; no progress update yet.",
                "%(count)s open commitments; no progress update yet.",
                n,
            ) % {"count": n}
        found[p.pk] = Quiet(COMMITMENTS, last_update, detail)
    return found


def endorsement_quiet(
    *, initiative: Initiative, partners: list[Partner], today: date, cutoff: date
) -> dict[int, Quiet]:
    version = current_version(initiative)
    if version is None or timezone.localdate(version.created_at) >= cutoff:
        return {}
    latest: dict[int, tuple[int, datetime]] = {}
    for partner_id, number, at in (
        Endorsement.objects.filter(initiative=initiative, partner_id__in=[p.pk for p in partners])
        .order_by("partner_id", "-version__number")
        .values_list("partner_id", "version__number", "endorsed_at")
    ):
        latest.setdefault(partner_id, (number, at))
    found = {}
    for p in partners:
        if p.pk not in latest or latest[p.pk][0] >= version.number:
            continue
        number, at = latest[p.pk]
        found[p.pk] = Quiet(
            ENDORSING,
            _local(at),
            gettext(
                "Endorsed version %(number)s on %(day)s, not version %(current)s "
                "(recorded %(recorded)s)."
            )
            % {
                "number": number,
                "day": _day(_local(at)),
                "current": version.number,
                "recorded": _day(timezone.localdate(version.created_at)),
            },
        )
    return found


RULES = (
    reporting_quiet,
    attendance_quiet,
    voting_quiet,
    survey_quiet,
    commitment_quiet,
    endorsement_quiet,
)


def engagement_alerts(*, initiative: Initiative, today: date | None = None) -> list[Alert]:
    """Every active partner that went quiet on at least one signal, the quietest first (most
    signals), then by name. A fixed number of queries, whatever the number of partners."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=quiet_after_days(initiative))
    partners = alertable(initiative=initiative, cutoff=cutoff)
    if not partners:
        return []
    quiet: dict[int, list[Quiet]] = defaultdict(list)
    for rule in RULES:
        for partner_id, q in rule(
            initiative=initiative, partners=partners, today=today, cutoff=cutoff
        ).items():
            quiet[partner_id].append(q)
    alerts = [Alert(partner=p, quiet=quiet[p.pk]) for p in partners if quiet.get(p.pk)]
    alerts.sort(key=lambda a: (-len(a.quiet), a.partner.organisation.name))
    return alerts
