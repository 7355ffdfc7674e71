"""Who is told of each event, and in what words: the one place that knows, called by the
services where the events happen (in their transactions) and by the worker's sweep."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from backbone.accounts.models import Person
from backbone.initiatives.models import Membership, Partner
from backbone.initiatives.roles import PartnerStatus
from backbone.permissions import STEWARD_ROLES

from .kinds import Kind
from .services import notify


def submission_reviewed(submission, *, by) -> int:
    """The person who submitted a report hears that it was approved or returned."""
    initiative = submission.initiative
    partner = submission.partner
    returned = submission.status == submission.Status.RETURNED
    name = partner.organisation.name
    if returned:
        kind = Kind.SUBMISSION_RETURNED

        def text():
            return gettext("Your report for %(organisation)s was returned: %(comment)s") % {
                "organisation": name,
                "comment": submission.review_comment,
            }
    else:
        kind = Kind.SUBMISSION_APPROVED

        def text():
            return gettext("Your report for %(organisation)s was approved.") % {
                "organisation": name
            }

    url = reverse("measurement:submission", args=[initiative.slug, submission.uuid])
    return notify(
        initiative=initiative,
        people=[submission.created_by],
        kind=kind,
        key=f"submission-{submission.status}:{submission.uuid}:"
        f"{int(submission.reviewed_at.timestamp())}",
        text=text,
        url=url,
        by=by,
    )


def agenda_published(version, *, by) -> int:
    """Stewards of every active partner: a new version waits for their organisation."""
    initiative = version.initiative
    partners = Partner.objects.filter(initiative=initiative, status=PartnerStatus.ACTIVE)
    stewards = Person.objects.filter(
        memberships__initiative=initiative,
        memberships__role__in=STEWARD_ROLES,
        memberships__organisation__in=partners.values("organisation"),
    ).distinct()
    return notify(
        initiative=initiative,
        people=stewards,
        kind=Kind.AGENDA_TO_ENDORSE,
        key=f"agenda-version:{initiative.pk}:{version.number}",
        text=lambda: (
            gettext(
                "Version %(number)s of the common agenda awaits your organisation’s endorsement."
            )
            % {"number": version.number}
        ),
        url=reverse("agenda:detail", args=[initiative.slug]),
        by=by,
    )


def action_assigned(action, *, by) -> int:
    meeting = action.meeting

    def text():
        if action.due_on:
            message = gettext("Action item for you from “%(meeting)s”, due %(due)s: %(text)s")
        else:
            message = gettext("Action item for you from “%(meeting)s”: %(text)s")
        return message % {
            "meeting": meeting.title,
            "due": _day(action.due_on) if action.due_on else "",
            "text": action.text,
        }

    return notify(
        initiative=meeting.initiative,
        people=[action.owner],
        kind=Kind.ACTION_ASSIGNED,
        key=f"action-assigned:{action.uuid}:{action.owner_id}",
        text=text,
        url=reverse("communication:meeting", args=[meeting.initiative.slug, meeting.uuid]),
        by=by,
    )


def comment_posted(comment) -> int:
    """The update's author and everyone who commented on it before."""
    update = comment.update
    earlier = update.comments.filter(created_at__lte=comment.created_at).exclude(pk=comment.pk)
    people = Person.objects.filter(
        Q(pk=update.author_id) | Q(pk__in=earlier.values("author"))
    ).distinct()

    def text():
        if comment.author:
            return gettext("%(name)s commented on “%(title)s”.") % {
                "name": comment.author.get_short_name(),
                "title": update.title,
            }
        return gettext("Someone commented on “%(title)s”.") % {"title": update.title}

    return notify(
        initiative=update.initiative,
        people=people,
        kind=Kind.COMMENT_REPLY,
        key=f"comment:{comment.uuid}",
        text=text,
        url=reverse("updates:detail", args=[update.initiative.slug, update.uuid]),
        by=comment.author,
    )


def _day(day) -> str:
    return date_format(day, pgettext("date in a notification", "j F Y"))


# --- the sweep: what time makes due -------------------------------------------------------


def _voters_waiting(proposal) -> list[Person]:
    """Everyone whose vote (or whose organisation's vote) the proposal still waits for."""
    from backbone.decisions.selectors import PARTNER_ROLES, electorate, votes_of

    waiting = [v for v in electorate(proposal, votes_of(proposal)) if v.vote is None]
    people = [v.person for v in waiting if v.person is not None]
    org_ids = [v.organisation.pk for v in waiting if v.organisation is not None]
    if org_ids:
        members = Membership.objects.filter(
            initiative=proposal.initiative, role__in=PARTNER_ROLES, organisation_id__in=org_ids
        ).select_related("person")
        if proposal.group_id:
            members = members.filter(
                Q(person__in=proposal.group.members.all()) | Q(person_id=proposal.group.lead_id)
            )
        people += [m.person for m in members]
    return people


def proposals_swept(now: datetime) -> int:
    """Open proposals are announced to their voters, and a day before closing those still
    to vote are reminded. Keys make a second sweep tell nobody again."""
    from backbone.decisions.models import Proposal

    told = 0
    proposals = Proposal.objects.filter(
        status=Proposal.Status.OPEN, opens_at__lte=now, closes_at__gt=now
    ).select_related("initiative", "group")
    for proposal in proposals:
        url = reverse("decisions:proposal", args=[proposal.initiative.slug, proposal.uuid])
        waiting = _voters_waiting(proposal)
        told += notify(
            initiative=proposal.initiative,
            people=waiting,
            kind=Kind.PROPOSAL_OPEN,
            key=f"proposal-open:{proposal.uuid}",
            text=lambda proposal=proposal: (
                gettext("“%(title)s” is open for your vote until %(until)s.")
                % {
                    "title": proposal.title,
                    "until": date_format(
                        timezone.localtime(proposal.closes_at),
                        pgettext("day, month and time in a notification", "j F H:i"),
                    ),
                }
            ),
            url=url,
            by=proposal.proposer,
        )
        if proposal.closes_at - now <= timedelta(days=1):
            told += notify(
                initiative=proposal.initiative,
                people=waiting,
                kind=Kind.PROPOSAL_CLOSING,
                key=f"proposal-closing:{proposal.uuid}",
                text=lambda proposal=proposal: (
                    gettext("“%(title)s” closes within a day and waits for your vote.")
                    % {"title": proposal.title}
                ),
                url=url,
            )
    return told


def actions_swept(today) -> int:
    from backbone.communication.models import ActionItem

    told = 0
    overdue = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN, due_on__lt=today
    ).select_related("meeting__initiative", "owner")
    for action in overdue:
        meeting = action.meeting
        told += notify(
            initiative=meeting.initiative,
            people=[action.owner],
            kind=Kind.ACTION_OVERDUE,
            key=f"action-overdue:{action.uuid}:{action.due_on.isoformat()}",
            text=lambda action=action: (
                gettext("Overdue since %(due)s: %(text)s")
                % {
                    "due": date_format(
                        action.due_on, pgettext("day and month in a notification", "j F")
                    ),
                    "text": action.text,
                }
            ),
            url=reverse("communication:meeting", args=[meeting.initiative.slug, meeting.uuid]),
        )
    return told
