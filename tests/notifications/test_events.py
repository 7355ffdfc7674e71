"""Who is told of what: each event reaches the people it concerns, never the one who did it,
never twice, and only after its transaction commits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from backbone.agenda import services as agenda
from backbone.communication.forms import ActionItemForm
from backbone.communication.services import action_record
from backbone.decisions import services as decisions
from backbone.notifications.events import actions_swept, proposals_swept
from backbone.notifications.kinds import Kind
from backbone.notifications.models import Notification
from backbone.updates.services import comment_create
from tests.decisions.conftest import make_group, make_meeting, propose
from tests.updates.factories import make_update

pytestmark = pytest.mark.integration


def _told(kind) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("person__email", flat=True))


def test_a_new_agenda_version_asks_every_active_partners_stewards(cast):
    agenda.agenda_update(
        initiative=cast.initiative,
        by=cast.staff,
        problem_statement="Too few children read by third grade.",
        vision="Every child reads by third grade.",
        community_aspirations="",
    )
    assert not _told(Kind.AGENDA_TO_ENDORSE)  # a draft asks nobody
    agenda.version_publish(initiative=cast.initiative, by=cast.staff)
    assert _told(Kind.AGENDA_TO_ENDORSE) == {cast.steward_a.email, cast.steward_b.email}
    notification = Notification.objects.filter(person=cast.steward_a).get()
    assert notification.initiative == cast.initiative
    assert notification.url == f"/i/{cast.initiative.slug}/agenda/"
    # A paused partner's steward is not asked; a second version asks the others again.
    cast.partner_b.status = "paused"
    cast.partner_b.save()
    agenda.agenda_update(
        initiative=cast.initiative,
        by=cast.staff,
        problem_statement="Too few children read well by third grade.",
        vision="Every child reads by third grade.",
        community_aspirations="",
    )
    agenda.version_publish(initiative=cast.initiative, by=cast.staff)
    counts = {
        email: Notification.objects.filter(person__email=email).count()
        for email in (cast.steward_a.email, cast.steward_b.email)
    }
    assert counts == {cast.steward_a.email: 2, cast.steward_b.email: 1}


def test_an_action_item_tells_its_owner_and_when_overdue_once(cast):
    meeting = make_meeting(cast.initiative, "Partners' meeting")
    form = ActionItemForm(
        {"text": "Send the reading list", "owner": cast.steward_a.pk, "due_on": "2025-01-10"},
        initiative=cast.initiative,
    )
    assert form.is_valid(), form.errors
    action = action_record(form=form, meeting=meeting, by=cast.staff)
    assert _told(Kind.ACTION_ASSIGNED) == {cast.steward_a.email}
    assert actions_swept(date(2025, 1, 10)) == 0  # due today is not overdue
    assert actions_swept(date(2025, 1, 11)) == 1
    assert actions_swept(date(2025, 1, 12)) == 0
    assert _told(Kind.ACTION_OVERDUE) == {cast.steward_a.email}
    action.status = action.Status.DONE
    action.save()
    assert actions_swept(date(2025, 2, 1)) == 0


def test_a_comment_tells_the_author_and_earlier_commenters_but_not_its_writer(cast):
    update = make_update(cast.initiative, author=cast.staff)
    comment_create(update=update, by=cast.steward_a, body="Good news.")
    assert _told(Kind.COMMENT_REPLY) == {cast.staff.email}
    comment_create(update=update, by=cast.community, body="Thank you.")
    told = Notification.objects.filter(kind=Kind.COMMENT_REPLY)
    assert sorted(told.values_list("person__email", flat=True)) == sorted(
        [cast.staff.email, cast.staff.email, cast.steward_a.email]
    )
    assert not told.filter(person=cast.community).exists()


def test_proposals_are_announced_to_their_voters_and_the_late_are_reminded(cast):
    group = make_group(cast.initiative, "Reading team", cast.steward_a, [cast.member_a])
    proposal = propose(cast, group=group, closes_at=timezone.now() + timedelta(days=3))
    now = timezone.now()
    proposals_swept(now)
    assert _told(Kind.PROPOSAL_OPEN) == {cast.steward_a.email, cast.member_a.email}
    assert proposals_swept(now) == 0  # a second sweep tells nobody again
    decisions.vote_cast(proposal=proposal, person=cast.steward_a, choice="no_objection")
    assert not _told(Kind.PROPOSAL_CLOSING)
    proposals_swept(proposal.closes_at - timedelta(hours=20))
    assert _told(Kind.PROPOSAL_CLOSING) == {cast.member_a.email}


def test_a_proposal_opening_later_is_announced_when_it_opens(cast):
    now = timezone.now()
    propose(cast, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=5))
    assert proposals_swept(now) == 0
    proposals_swept(now + timedelta(days=1, minutes=1))
    told = _told(Kind.PROPOSAL_OPEN)
    # Put to all partners: their people and the backbone, but not the proposer.
    assert {cast.steward_a.email, cast.steward_b.email, cast.member_a.email} <= told
    assert cast.staff.email not in told and cast.community.email not in told


def test_an_event_rolled_back_tells_nobody(cast):
    update = make_update(cast.initiative, author=cast.staff)
    with pytest.raises(RuntimeError), transaction.atomic():
        comment_create(update=update, by=cast.steward_a, body="Good news.")
        raise RuntimeError
    assert not Notification.objects.exists()


def test_an_inactive_person_is_not_told(cast):
    cast.staff.is_active = False
    cast.staff.save()
    update = make_update(cast.initiative, author=cast.staff)
    comment_create(update=update, by=cast.steward_a, body="Good news.")
    assert not Notification.objects.exists()
