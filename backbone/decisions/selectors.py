"""Reads of proposals, votes and outcomes, always scoped to an initiative.

Who may see and vote is decided by the rules in backbone.permissions; the `Seat` below gives
them the facts about one person and one proposal (do they sit in its working group, which
active partners do they act for, did they propose it), from rows fetched once per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.communication.models import WorkingGroup
from backbone.initiatives.models import Initiative, Membership, Organisation, Partner
from backbone.initiatives.roles import PartnerStatus
from backbone.permissions import PARTICIPANT_ROLES, PARTNER_ROLES, STAFF_ROLES, can, standing

from .models import DecisionRules, Method, Outcome, Proposal, Vote, VoteChange
from .tally import Tally, tally


@dataclass(frozen=True)
class Seat:
    """One person's place before one proposal."""

    restricted: bool = False  # put to a private working group
    inside: bool = False  # member or lead of the proposal's working group
    has_group: bool = False
    per_organisation: bool = False
    acting_for: frozenset[int] = frozenset()  # active partners the person is steward/member of
    proposes: bool = False
    owns: bool = False  # owner of the outcome


def active_partner_ids(initiative: Initiative) -> frozenset[int]:
    """Organisation ids of the initiative's active partners (cached per initiative object)."""
    cached = initiative.__dict__.get("_active_partner_ids")
    if cached is None:
        cached = frozenset(
            Partner.objects.filter(initiative=initiative, status=PartnerStatus.ACTIVE).values_list(
                "organisation_id", flat=True
            )
        )
        initiative.__dict__["_active_partner_ids"] = cached
    return cached


def _group_member_ids(group: WorkingGroup) -> set[int]:
    return {m.pk for m in group.members.all()} | {group.lead_id}


def acting_for(person, initiative: Initiative) -> frozenset[int]:
    """The active partner organisations a person may speak for, as steward or member."""
    s = standing(person, initiative)
    ids: set[int] = set()
    for role in PARTNER_ROLES:
        ids |= s.organisation_ids.get(role, frozenset())
    return frozenset(ids) & active_partner_ids(initiative)


def seat_of(proposal: Proposal, person) -> Seat:
    pk = getattr(person, "pk", None)
    group = proposal.group
    outcome = proposal.outcome if not proposal.is_open else None
    return Seat(
        restricted=bool(group and group.is_private),
        inside=bool(group and pk is not None and pk in _group_member_ids(group)),
        has_group=group is not None,
        per_organisation=proposal.per_organisation,
        acting_for=acting_for(person, proposal.initiative) if pk else frozenset(),
        proposes=pk is not None and pk == proposal.proposer_id,
        owns=outcome is not None and pk == outcome.owner_id,
    )


def group_choices(*, initiative: Initiative, person) -> list[WorkingGroup]:
    """Working groups the person may put a proposal to (every group for the backbone)."""
    from backbone.communication.selectors import group_seat

    groups = WorkingGroup.objects.filter(initiative=initiative).prefetch_related(
        Prefetch("members", queryset=Person.objects.only("pk"))
    )
    return [
        g for g in groups if can(person, "decisions.propose", initiative, group_seat(g, person))
    ]


# --- proposals ------------------------------------------------------------------------


def _proposals(initiative: Initiative) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(initiative=initiative)
        .select_related("group", "proposer")
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.select_related("owner")),
            Prefetch("group__members", queryset=Person.objects.only("pk")),
        )
    )


def _visible(initiative, person, proposals) -> list[tuple[Proposal, Seat]]:
    found = []
    for p in proposals:
        p.initiative = initiative
        seat = seat_of(p, person)
        if can(person, "decision.view", initiative, seat):
            found.append((p, seat))
    return found


@dataclass(frozen=True)
class Listed:
    proposal: Proposal
    seat: Seat
    votes: int
    may_vote: bool
    my_vote: Vote | None


def proposals_listed(*, initiative: Initiative, person) -> tuple[list[Listed], list[Listed]]:
    """Open proposals (closing soonest first) and closed ones (latest first), with how many
    votes each has and the person's own vote (or their organisation's)."""
    proposals = _proposals(initiative).annotate(vote_count=Count("votes"))
    visible = _visible(initiative, person, proposals)
    mine = _my_votes(person, initiative, [p for p, _ in visible if p.is_open])
    listed = [
        Listed(
            p,
            seat,
            p.vote_count,
            can(person, "decision.vote", initiative, seat),
            mine.get(p.pk),
        )
        for p, seat in visible
    ]
    opened = sorted((x for x in listed if x.proposal.is_open), key=lambda x: x.proposal.closes_at)
    closed = sorted(
        (x for x in listed if not x.proposal.is_open),
        key=lambda x: x.proposal.outcome.closed_at,
        reverse=True,
    )
    return opened, closed


def proposals_about(
    *, initiative: Initiative, person, meeting=None, strategy=None, indicator=None
) -> list[Proposal]:
    """Proposals linked to a meeting, a strategy or an indicator that the person may see,
    newest first: for those objects' own pages."""
    found = _proposals(initiative)
    for name, linked in (("meeting", meeting), ("strategy", strategy), ("indicator", indicator)):
        if linked is not None:
            found = found.filter(**{name: linked})
    return [p for p, _ in _visible(initiative, person, found.order_by("-opens_at", "-pk"))]


def proposal_get(*, initiative: Initiative, person, uuid) -> tuple[Proposal, Seat]:
    """The proposal and the person's seat before it; 404 for one they may not see."""
    proposal = (
        _proposals(initiative)
        .select_related("meeting", "strategy", "indicator")
        .prefetch_related("options")
        .filter(uuid=uuid)
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal.")
    found = _visible(initiative, person, [proposal])
    if not found:
        raise Http404("No such proposal.")
    return found[0]


def votes_of(proposal: Proposal) -> list[Vote]:
    return list(
        Vote.objects.filter(proposal=proposal)
        .select_related("voter", "organisation", "option")
        .order_by("cast_at", "pk")
    )


def history_of(proposal: Proposal) -> list[VoteChange]:
    return list(
        VoteChange.objects.filter(proposal=proposal)
        .select_related("by", "organisation")
        .order_by("at", "pk")
    )


def answers_of(proposal: Proposal, votes: list[Vote]) -> list:
    if proposal.method == Method.GRADIENT:
        return [v.level for v in votes]
    if proposal.method == Method.POLL:
        return [v.option.label for v in votes]
    return [v.choice for v in votes]


def tally_of(proposal: Proposal, votes: list[Vote] | None = None) -> Tally:
    """The running tally of an open proposal, or the frozen one of a closed proposal."""
    outcome = None if proposal.is_open else proposal.outcome
    if outcome is not None:
        return Tally.from_json(outcome.tally)
    votes = votes_of(proposal) if votes is None else votes
    options = [o.label for o in proposal.options.all()]
    return tally(proposal.method, answers_of(proposal, votes), options)


def my_vote(proposal: Proposal, person, organisation_id: int | None = None) -> Vote | None:
    if not getattr(person, "pk", None):
        return None
    votes = Vote.objects.filter(proposal=proposal).select_related("option", "organisation")
    if proposal.per_organisation:
        return votes.filter(organisation_id=organisation_id).first() if organisation_id else None
    return votes.filter(voter=person, organisation__isnull=True).first()


def _my_votes(person, initiative, proposals: list[Proposal]) -> dict[int, Vote]:
    """Per proposal, the person's vote, or in per-organisation ones, a vote of an organisation
    they act for (the one they would change)."""
    if not proposals or not getattr(person, "pk", None):
        return {}
    orgs = acting_for(person, initiative)
    rows = Vote.objects.filter(proposal__in=proposals).filter(
        Q(voter=person, organisation__isnull=True) | Q(organisation_id__in=orgs)
    )
    per_org = {p.pk for p in proposals if p.per_organisation}
    found: dict[int, Vote] = {}
    for v in rows.select_related("organisation", "option"):
        if (v.proposal_id in per_org) == (v.organisation_id is not None):
            found.setdefault(v.proposal_id, v)
    return found


# --- who may vote ---------------------------------------------------------------------


@dataclass(frozen=True)
class Voter:
    """One vote the proposal waits for: a person, or an organisation."""

    name: str
    person: Person | None
    organisation: Organisation | None
    vote: Vote | None


def electorate(proposal: Proposal, votes: list[Vote]) -> list[Voter]:
    """Everyone (or every organisation) the proposal is put to, with the vote cast, if any.
    The same facts as the `decision.vote` rule, read for all at once."""
    initiative = proposal.initiative
    active = active_partner_ids(initiative)
    group_ids = _group_member_ids(proposal.group) if proposal.group_id else None
    memberships = Membership.objects.filter(initiative=initiative).select_related(
        "person", "organisation"
    )
    if group_ids is not None:
        memberships = memberships.filter(person_id__in=group_ids)
    if proposal.per_organisation:
        orgs = {
            m.organisation_id: m.organisation
            for m in memberships.filter(role__in=PARTNER_ROLES, organisation_id__in=active)
        }
        by_org = {v.organisation_id: v for v in votes}
        return [
            Voter(o.name, None, o, by_org.get(o.pk))
            for o in sorted(orgs.values(), key=lambda o: o.name)
        ]
    if group_ids is not None:
        eligible = memberships.filter(role__in=PARTICIPANT_ROLES)
    else:
        eligible = memberships.filter(
            Q(role__in=STAFF_ROLES) | Q(role__in=PARTNER_ROLES, organisation_id__in=active)
        )
    people = {m.person_id: m.person for m in eligible}
    by_person = {v.voter_id: v for v in votes}
    return [
        Voter(p.name or p.email, p, None, by_person.get(p.pk))
        for p in sorted(people.values(), key=lambda p: (p.name, p.email))
    ]


# --- rules ----------------------------------------------------------------------------


def rules_for(*, initiative: Initiative, group: WorkingGroup | None) -> DecisionRules | None:
    """The group's own rules, else the initiative's, else None (every method allowed)."""
    rows = {
        r.group_id: r
        for r in DecisionRules.objects.filter(initiative=initiative).filter(
            Q(group__isnull=True) | Q(group=group)
        )
    }
    return rows.get(group.pk if group else None) or rows.get(None)


def body_rules(
    *, initiative: Initiative, group: WorkingGroup | None
) -> tuple[DecisionRules | None, bool]:
    """The rules a body works by (as `rules_for`), and whether they are its own."""
    current = rules_for(initiative=initiative, group=group)
    return current, current is not None and current.group_id == (group.pk if group else None)


def rules_table(
    *, initiative: Initiative
) -> list[tuple[WorkingGroup | None, DecisionRules | None, bool]]:
    """Every body with the rules it works by, and whether they are its own."""
    rows = {r.group_id: r for r in DecisionRules.objects.filter(initiative=initiative)}
    table = [(None, rows.get(None), None in rows)]
    for group in WorkingGroup.objects.filter(initiative=initiative).order_by("name"):
        table.append((group, rows.get(group.pk) or rows.get(None), group.pk in rows))
    return table


# --- what other apps read -------------------------------------------------------------


def _bounds(start: date | datetime, end: date | datetime) -> tuple[datetime, datetime, bool]:
    """Dates are whole days in the current time zone; a datetime is an instant."""
    tz = timezone.get_current_timezone()
    if not isinstance(start, datetime):
        start = datetime.combine(start, time.min, tz)
    if not isinstance(end, datetime):
        return start, datetime.combine(end + timedelta(days=1), time.min, tz), False
    return start, end, True


def decided_between(initiative: Initiative, start, end) -> list[Outcome]:
    """Outcomes whose proposal closed from `start` to `end` (both included), earliest first,
    each with its proposal (and the proposal's group) loaded."""
    lower, upper, inclusive = _bounds(start, end)
    upper_q = Q(closed_at__lte=upper) if inclusive else Q(closed_at__lt=upper)
    return list(
        Outcome.objects.filter(initiative=initiative, closed_at__gte=lower)
        .filter(upper_q)
        .select_related("proposal__group", "owner")
        .order_by("closed_at", "pk")
    )


def last_vote_by_organisation(initiative: Initiative) -> dict[int, datetime]:
    """Organisation id → when someone acting for it last voted, in any mode: its own votes in
    per-organisation proposals, and per-person votes of its stewards and members."""
    found: dict[int, datetime] = dict(
        VoteChange.objects.filter(initiative=initiative, organisation__isnull=False)
        .values("organisation_id")
        .annotate(last=Max("at"))
        .values_list("organisation_id", "last")
    )
    per_person = dict(
        VoteChange.objects.filter(initiative=initiative, organisation__isnull=True)
        .values("by_id")
        .annotate(last=Max("at"))
        .values_list("by_id", "last")
    )
    for person_id, org_id in Membership.objects.filter(
        initiative=initiative, person_id__in=per_person, role__in=PARTNER_ROLES
    ).values_list("person_id", "organisation_id"):
        when = per_person[person_id]
        if org_id not in found or found[org_id] < when:
            found[org_id] = when
    return found


def open_for(person, initiative: Initiative, now: datetime | None = None) -> list[Proposal]:
    """Open proposals the person may vote in now, closing soonest first. Each carries
    `my_vote`: their vote (or their organisation's), or None while it waits for them."""
    if not getattr(person, "pk", None) or not standing(person, initiative).is_member:
        return []
    now = now or timezone.now()
    proposals = [
        p
        for p in _proposals(initiative).filter(
            status=Proposal.Status.OPEN, opens_at__lte=now, closes_at__gt=now
        )
    ]
    found = [
        p
        for p, seat in _visible(initiative, person, proposals)
        if can(person, "decision.vote", initiative, seat)
    ]
    mine = _my_votes(person, initiative, found)
    for p in found:
        p.my_vote = mine.get(p.pk)
    return sorted(found, key=lambda p: (p.closes_at, p.pk))


def waiting_for_vote(person) -> list[Proposal]:
    """Across the person's initiatives, open proposals still waiting for their vote."""
    if not getattr(person, "is_authenticated", False):
        return []
    initiatives = Initiative.objects.filter(
        memberships__person=person, proposals__status=Proposal.Status.OPEN
    ).distinct()
    waiting = []
    for initiative in initiatives:
        waiting += [p for p in open_for(person, initiative) if p.my_vote is None]
    return sorted(waiting, key=lambda p: (p.closes_at, p.pk))


def due_for_review(person, today: date | None = None, initiative=None) -> list[Outcome]:
    """Outcomes the person owns whose review date has come, in initiatives they still
    belong to (or in one)."""
    if not getattr(person, "is_authenticated", False):
        return []
    today = today or timezone.localdate()
    found = Outcome.objects.filter(
        owner=person, review_on__lte=today, initiative__memberships__person=person
    )
    if initiative is not None:
        found = found.filter(initiative=initiative)
    return list(
        found.distinct().select_related("proposal", "initiative").order_by("review_on", "pk")
    )


# --- what the API reads -----------------------------------------------------------------


def acting_organisations(seat: Seat) -> list[Organisation]:
    """The active partners a person may vote for in a per-organisation proposal, by name."""
    return list(Organisation.objects.filter(pk__in=seat.acting_for).order_by("name"))


def vote_of(proposal: Proposal, votes: list[Vote], person, seat: Seat) -> Vote | None:
    """The vote the person would change, as the proposal page shows it: their own, or in a
    per-organisation proposal the vote of an organisation they act for."""
    pk = getattr(person, "pk", None)
    if pk is None:
        return None
    if proposal.per_organisation:
        return next((v for v in votes if v.organisation_id in seat.acting_for), None)
    return next((v for v in votes if v.voter_id == pk and v.organisation_id is None), None)


def reviews_of(outcome: Outcome) -> list:
    return list(outcome.reviews.select_related("by"))


# --- what an API caller names ----------------------------------------------------------------


def proposal_links_named(
    *, initiative: Initiative, person, meeting=None, strategy=None, indicator: str | None = None
) -> tuple[dict, dict[str, str]]:
    """The meeting (uuid), strategy (uuid) and indicator (code) a new proposal is to be
    linked to, as the proposal form offers them: of this initiative, a meeting only when
    `person` may see its group. Returns the links and, by field, what names nothing here."""
    from backbone.agenda.models import Strategy
    from backbone.communication.models import Meeting
    from backbone.communication.selectors import meeting_seat
    from backbone.measurement.models import Indicator

    links: dict = {"meeting": None, "strategy": None, "indicator": None}
    problems: dict[str, str] = {}
    if meeting is not None:
        found = (
            Meeting.objects.filter(initiative=initiative, uuid=meeting)
            .select_related("group__lead")
            .prefetch_related("group__members")
            .first()
        )
        if found is None or not can(person, "group.view", initiative, meeting_seat(found, person)):
            problems["meeting"] = "Choose a meeting of this initiative."
        links["meeting"] = found
    if strategy is not None:
        links["strategy"] = Strategy.objects.filter(initiative=initiative, uuid=strategy).first()
        if links["strategy"] is None:
            problems["strategy"] = "Choose a strategy of this initiative."
    if indicator is not None:
        links["indicator"] = Indicator.objects.filter(initiative=initiative, code=indicator).first()
        if links["indicator"] is None:
            problems["indicator"] = "Choose an indicator of this initiative."
    return links, problems


def member_person(*, initiative: Initiative, uuid) -> Person | None:
    """The person of `uuid` when they hold a role here (an outcome's owner), else None."""
    return Person.objects.filter(memberships__initiative=initiative, uuid=uuid).distinct().first()


def group_seen(*, initiative: Initiative, person, uuid) -> WorkingGroup | None:
    """The working group of `uuid` when `person` may see it (a private one: its people and
    the backbone), else None: to tell a group one may not propose to from no group at all."""
    from backbone.communication.selectors import group_seat

    group = (
        WorkingGroup.objects.filter(initiative=initiative, uuid=uuid)
        .prefetch_related(Prefetch("members", queryset=Person.objects.only("pk")))
        .first()
    )
    if group is None or not can(person, "group.view", initiative, group_seat(group, person)):
        return None
    return group
