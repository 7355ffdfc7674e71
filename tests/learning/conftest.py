"""Things a learning log links to, in the cast's initiative and in the other one, and small
factories for questions, plan items and log entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backbone.activities.models import Activity
from backbone.communication.models import Meeting, WorkingGroup
from backbone.decisions.models import Proposal
from backbone.initiatives import services as initiatives
from backbone.learning import services
from backbone.learning.models import LearningQuestion, LogEntry, PlanItem
from backbone.measurement.models import Indicator

CHICAGO = ZoneInfo("America/Chicago")


@dataclass
class Linkable:
    indicator: Indicator
    hidden_indicator: Indicator  # members, not funders
    activity: Activity
    meeting: Meeting
    private_meeting: Meeting  # of steward_b's private group
    proposal: Proposal
    question: LearningQuestion


def make_meeting(initiative, title, group=None, private=False) -> Meeting:
    start = datetime(2025, 3, 10, 18, 0, tzinfo=CHICAGO)
    return Meeting.objects.create(
        initiative=initiative,
        group=group,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        time_zone="America/Chicago",
        is_private=private,
    )


def make_proposal(initiative, proposer, title="Share attendance monthly", group=None):
    return Proposal.objects.create(
        initiative=initiative,
        title=title,
        text=title,
        proposer=proposer,
        group=group,
        method="consent",
        unit="person",
        opens_at=datetime(2025, 3, 1, tzinfo=CHICAGO),
        closes_at=datetime(2025, 3, 15, tzinfo=CHICAGO),
    )


def make_question(initiative, text="Does summer reading hold up scores?", **extra):
    return services.question_save(
        question=LearningQuestion(initiative=initiative, text=text, **extra)
    )


def make_plan_item(initiative, title="Reading pilot review", questions=(), **extra):
    fields = {"stage": "early", "evaluation_type": "formative", **extra}
    return services.plan_item_save(
        item=PlanItem(initiative=initiative, title=title, **fields), questions=questions
    )


def make_entry(initiative, by=None, title="Tried reading buddies", on=date(2025, 1, 15), **links):
    entry = LogEntry(
        initiative=initiative,
        happened_on=on,
        title=title,
        tried="Paired readers",
        data_showed="Scores rose",
        changed="Kept it",
    )
    return services.log_entry_save(entry=entry, by=by, **links)


def _linkable(cast, initiative, partner, proposer, private_lead) -> Linkable:
    private_group = WorkingGroup.objects.create(
        initiative=initiative,
        name=f"Data sharing {initiative.slug}",
        lead=private_lead,
        is_private=True,
    )
    return Linkable(
        indicator=Indicator.objects.create(
            initiative=initiative,
            code="readiness",
            name="Kindergarten readiness",
            visibility="public",
        ),
        hidden_indicator=Indicator.objects.create(
            initiative=initiative,
            code="caseload",
            name="Caseload per coach",
            visibility="members",
        ),
        activity=Activity.objects.create(
            initiative=initiative,
            partner=partner,
            name="Reading buddies",
            starts_on=date(2024, 1, 1),
        ),
        meeting=make_meeting(initiative, "Reading action team — March 2025"),
        private_meeting=make_meeting(initiative, "Data agreement review", private_group),
        proposal=make_proposal(initiative, proposer),
        question=make_question(initiative),
    )


@pytest.fixture
def here(cast) -> Linkable:
    return _linkable(cast, cast.initiative, cast.partner_a, cast.staff, cast.steward_b)


@pytest.fixture
def there(cast) -> Linkable:
    """The same kinds of thing, in the other initiative."""
    org = initiatives.organisation_create(name="Lakeside Clinic", sector="health")
    partner = initiatives.partner_add(
        initiative=cast.other_initiative, organisation=org, joined_on=date(2024, 1, 1)
    )
    return _linkable(cast, cast.other_initiative, partner, cast.other_staff, cast.other_staff)
