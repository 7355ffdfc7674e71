"""Proposing, voting and closing through the services: outcomes recomputed from the votes
table, every refusal a clear error with nothing saved, one vote per person or organisation."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from backbone.decisions import selectors, services
from backbone.decisions.models import (
    DecisionRules,
    Outcome,
    PollOption,
    Proposal,
    Vote,
    VoteChange,
)
from backbone.initiatives import services as initiatives
from backbone.initiatives.models import Membership
from backbone.initiatives.roles import Role
from backbone.permissions import can, forget_standing

from .conftest import poll, propose

pytestmark = pytest.mark.integration


def close(proposal, by, **extra):
    fields = {"summary": "Decided.", "owner": by, "review_on": timezone.localdate(), **extra}
    return services.proposal_close(proposal=proposal, by=by, **fields)


def votes_frame(proposal) -> pd.DataFrame:
    """The votes table, read independently of the selectors."""
    rows = Vote.objects.filter(proposal=proposal).values(
        "voter_id", "organisation_id", "choice", "level", "option__label"
    )
    return pd.DataFrame(
        list(rows), columns=["voter_id", "organisation_id", "choice", "level", "option__label"]
    )


def snapshot_counts(outcome) -> dict:
    return {r["key"]: r["count"] for r in outcome.tally["rows"]}


# --- each method, recomputed from the votes table -------------------------------------------


def test_consent_in_a_group_adopted_when_nobody_objects(cast, world):
    p = propose(cast, group=world.group)
    for person in (cast.steward_a, cast.member_a, cast.community):
        services.vote_cast(proposal=p, person=person, choice="no_objection")
    outcome = close(p, cast.steward_a)
    frame = votes_frame(p)
    assert (frame["choice"] == "objection").sum() == 0 and len(frame) == 3
    assert outcome.result == "adopted"
    assert (
        snapshot_counts(outcome)
        == frame["choice"]
        .value_counts()
        .reindex(["no_objection", "objection"], fill_value=0)
        .to_dict()
    )


def test_consent_objection_stops_it_and_its_reason_is_kept(cast, world):
    p = propose(cast, group=world.group)
    services.vote_cast(proposal=p, person=cast.steward_a, choice="no_objection")
    services.vote_cast(
        proposal=p, person=cast.community, choice="objection", reason="Not in Spanish yet."
    )
    outcome = close(p, cast.staff)
    assert outcome.result == "not_adopted"
    assert Vote.objects.get(voter=cast.community).reason == "Not in Spanish yet."


def test_consensus_per_organisation_block_blocks(cast):
    p = propose(cast, method="consensus", unit="organisation")
    services.vote_cast(proposal=p, person=cast.steward_a, choice="agree")
    services.vote_cast(proposal=p, person=cast.steward_b, choice="block", reason="Privacy.")
    outcome = close(p, cast.staff)
    frame = votes_frame(p)
    assert sorted(frame["organisation_id"]) == sorted([cast.org_a.pk, cast.org_b.pk])
    assert (frame["choice"] == "block").any()
    assert outcome.result == "blocked"


@pytest.mark.parametrize(
    ("a", "b", "staff", "result"),
    [
        ("agree", "disagree", "agree", "adopted"),
        ("agree", "disagree", "abstain", "not_adopted"),
        ("abstain", "abstain", "agree", "adopted"),
        ("disagree", "abstain", "agree", "not_adopted"),
    ],
)
def test_consensus_per_person_more_agree_than_disagree(cast, a, b, staff, result):
    p = propose(cast, method="consensus")
    for person, choice in ((cast.steward_a, a), (cast.steward_b, b), (cast.staff, staff)):
        services.vote_cast(proposal=p, person=person, choice=choice)
    outcome = close(p, cast.staff)
    c = Counter(votes_frame(p)["choice"])
    expected = (
        "blocked" if c["block"] else "adopted" if c["agree"] > c["disagree"] else "not_adopted"
    )
    assert outcome.result == expected == result


def test_gradient_distribution_and_mean_from_the_table(cast):
    p = propose(cast, method="gradient")
    levels = {cast.steward_a: 5, cast.steward_b: 2, cast.member_a: 3, cast.staff: 4}
    for person, level in levels.items():
        services.vote_cast(proposal=p, person=person, level=level)
    outcome = close(p, cast.staff)
    frame = votes_frame(p)
    mean = frame["level"].mean()
    assert outcome.tally["mean"] == pytest.approx(round(mean, 2))
    vetoed = (frame["level"] == 1).any()
    expected = "blocked" if vetoed else "adopted" if mean >= 3 else "not_adopted"
    assert outcome.result == expected == "adopted"
    assert snapshot_counts(outcome) == {
        str(k): int((frame["level"] == k).sum()) for k in range(1, 6)
    }


def test_gradient_one_veto_blocks(cast):
    p = propose(cast, method="gradient")
    for person, level in ((cast.steward_a, 5), (cast.staff, 5), (cast.steward_b, 1)):
        services.vote_cast(proposal=p, person=person, level=level)
    assert close(p, cast.staff).result == "blocked"


def test_poll_winner_and_tie(cast):
    p = poll(cast)
    day = {o.label: o for o in p.options.all()}
    services.vote_cast(proposal=p, person=cast.steward_a, option=day["Tuesday"])
    services.vote_cast(proposal=p, person=cast.steward_b, option=day["Thursday"])
    tie = services.tally_preview(p)
    services.vote_cast(proposal=p, person=cast.staff, option=day["Thursday"])
    outcome = close(p, cast.staff)
    picks = Counter(votes_frame(p)["option__label"])
    top = max(picks.values())
    assert outcome.tally["winners"] == [o for o in day if picks[o] == top] == ["Thursday"]
    assert outcome.result == "chosen"
    assert (tie.result, tie.winners) == ("tie", ["Tuesday", "Thursday"])


# --- bad input ---------------------------------------------------------------------------


def test_vote_after_the_closing_date_is_refused(cast):
    p = propose(cast)
    with pytest.raises(ValidationError, match="Voting closed on"):
        services.vote_cast(
            proposal=p,
            person=cast.steward_a,
            choice="no_objection",
            now=p.closes_at + timedelta(seconds=1),
        )
    assert not Vote.objects.exists() and not VoteChange.objects.exists()


def test_vote_on_a_closed_proposal_is_refused_and_votes_never_change(cast):
    p = propose(cast)
    services.vote_cast(proposal=p, person=cast.steward_a, choice="no_objection")
    outcome = close(p, cast.staff)
    frozen = outcome.tally
    for person, choice in ((cast.steward_a, "objection"), (cast.steward_b, "no_objection")):
        with pytest.raises(ValidationError, match="closed"):
            services.vote_cast(proposal=p, person=person, choice=choice, reason="Late")
    assert list(Vote.objects.values_list("voter", "choice")) == [
        (cast.steward_a.pk, "no_objection")
    ]
    assert VoteChange.objects.count() == 1
    outcome.refresh_from_db()
    assert outcome.tally == frozen


def test_the_snapshot_never_changes_even_if_rows_do(cast):
    p = propose(cast)
    services.vote_cast(proposal=p, person=cast.steward_a, choice="no_objection")
    close(p, cast.staff)
    Vote.objects.update(choice="objection")  # what no service does
    p = Proposal.objects.prefetch_related("outcomes").get(pk=p.pk)
    assert selectors.tally_of(p).result == "adopted"


def test_method_not_allowed_by_the_group_names_both(cast, world):
    services.rules_save(
        initiative=cast.initiative, group=world.group, allowed=["consent"], default_unit="person"
    )
    with pytest.raises(ValidationError) as error:
        poll(cast, group=world.group)
    message = error.value.message_dict["method"][0]
    assert "poll" in message and "Reading action team" in message and "consent" in message
    assert not Proposal.objects.exists() and not PollOption.objects.exists()


def test_initiative_rules_cover_all_partners_and_groups_without_rules(cast, world):
    services.rules_save(
        initiative=cast.initiative, group=None, allowed=["consensus"], default_unit="organisation"
    )
    with pytest.raises(ValidationError, match="All partners does not decide by consent"):
        propose(cast)
    with pytest.raises(ValidationError, match="Reading action team"):
        propose(cast, group=world.group)
    made = propose(cast, group=world.group, method="consensus", unit="")
    assert made.unit == "organisation"  # the default voting unit


def test_no_rules_allow_every_method(cast):
    assert not DecisionRules.objects.exists()
    for method in ("consent", "consensus", "gradient"):
        propose(cast, method=method)
    poll(cast)
    assert Proposal.objects.count() == 4


def test_consent_objection_without_reason_is_refused(cast):
    p = propose(cast)
    with pytest.raises(ValidationError) as error:
        services.vote_cast(proposal=p, person=cast.steward_a, choice="objection", reason="  ")
    assert "reason" in error.value.message_dict
    assert not Vote.objects.exists()


def test_poll_option_of_another_proposal_is_refused(cast):
    mine, other = poll(cast), poll(cast, options=("Red", "Blue"))
    with pytest.raises(ValidationError) as error:
        services.vote_cast(proposal=mine, person=cast.staff, option=other.options.first())
    assert "option" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.vote_cast(proposal=mine, person=cast.staff, choice="agree")
    assert not Vote.objects.exists()


def test_answer_of_another_method_is_refused(cast):
    p = propose(cast, method="consensus")
    for answer in ({"choice": "no_objection"}, {"level": 3}, {"choice": ""}):
        with pytest.raises(ValidationError):
            services.vote_cast(proposal=p, person=cast.staff, **answer)
    assert not Vote.objects.exists()


@pytest.mark.parametrize("link", ["meeting", "strategy", "indicator"])
def test_link_to_another_initiatives_record_is_refused(cast, world, link):
    with pytest.raises(ValidationError) as error:
        propose(cast, **{link: getattr(world, f"other_{link}")})
    assert "not one of this initiative's" in error.value.message_dict[link][0]
    assert not Proposal.objects.exists()


def test_links_of_the_same_initiative_are_kept(cast, world):
    p = propose(cast, meeting=world.meeting, strategy=world.strategy, indicator=world.indicator)
    assert (p.meeting, p.strategy, p.indicator) == (world.meeting, world.strategy, world.indicator)


def test_group_of_another_initiative_is_refused(cast):
    from .conftest import make_group

    foreign = make_group(cast.other_initiative, "Lakeside team", cast.other_staff, [])
    with pytest.raises(ValidationError) as error:
        propose(cast, group=foreign)
    assert "group" in error.value.message_dict
    assert not Proposal.objects.exists()


def test_poll_needs_two_distinct_options_and_others_none(cast):
    for options in ([], ["Only"], ["Same", "same"]):
        with pytest.raises(ValidationError, match="option"):
            poll(cast, options=options)
    with pytest.raises(ValidationError, match="Only a poll has options"):
        propose(cast, options=["A", "B"])
    assert not Proposal.objects.exists()


def test_closing_date_in_the_past_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        propose(cast, closes_at=timezone.now() - timedelta(hours=1))
    assert "closes_at" in error.value.message_dict
    assert not Proposal.objects.exists()


def test_vote_before_it_opens_is_refused(cast):
    p = propose(
        cast,
        opens_at=timezone.now() + timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=3),
    )
    with pytest.raises(ValidationError, match="Voting opens"):
        services.vote_cast(proposal=p, person=cast.staff, choice="no_objection")


@pytest.mark.parametrize(
    "name", ["funder", "evaluator", "steward_b", "public", "other_staff", "admin"]
)
def test_person_outside_the_group_may_not_vote(cast, world, name):
    p = propose(cast, group=world.group)
    with pytest.raises(ValidationError, match="not one of those this proposal is put to"):
        services.vote_cast(proposal=p, person=getattr(cast, name), choice="no_objection")
    assert not Vote.objects.exists()


@pytest.mark.parametrize("name", ["funder", "evaluator", "community", "public", "other_staff"])
def test_all_partners_proposals_are_for_partners_and_the_backbone(cast, name):
    p = propose(cast)
    with pytest.raises(ValidationError, match="not one of those"):
        services.vote_cast(proposal=p, person=getattr(cast, name), choice="no_objection")
    assert not Vote.objects.exists()


def test_community_members_vote_in_a_group_per_person_not_per_organisation(cast, world):
    per_person = propose(cast, group=world.group)
    services.vote_cast(proposal=per_person, person=cast.community, choice="no_objection")
    per_org = propose(cast, group=world.group, unit="organisation")
    with pytest.raises(ValidationError, match="not one of those"):
        services.vote_cast(proposal=per_org, person=cast.community, choice="no_objection")
    assert Vote.objects.filter(proposal=per_org).count() == 0


def test_paused_partner_does_not_vote(cast):
    cast.partner_b.status = "paused"
    cast.partner_b.save()
    p = propose(cast, unit="organisation")
    with pytest.raises(ValidationError, match="not one of those"):
        services.vote_cast(proposal=p, person=cast.steward_b, choice="no_objection")


# --- one vote per person, per organisation ----------------------------------------------


def test_changing_a_vote_keeps_one_vote_and_the_history(cast):
    p = propose(cast, method="consensus")
    services.vote_cast(proposal=p, person=cast.steward_a, choice="agree")
    services.vote_cast(proposal=p, person=cast.steward_a, choice="disagree", reason="Second look")
    services.vote_cast(proposal=p, person=cast.steward_a, choice="disagree", reason="Second look")
    assert list(Vote.objects.values_list("choice", flat=True)) == ["disagree"]
    assert list(VoteChange.objects.values_list("choice", flat=True)) == ["agree", "disagree"]


def test_second_person_of_an_organisation_changes_its_vote_never_adds_one(cast):
    p = propose(cast, unit="organisation", method="consensus")
    services.vote_cast(proposal=p, person=cast.steward_a, choice="agree")
    services.vote_cast(proposal=p, person=cast.member_a, choice="block", reason="Our board says no")
    vote = Vote.objects.get()
    assert (vote.organisation, vote.voter, vote.choice) == (cast.org_a, cast.member_a, "block")
    changes = VoteChange.objects.order_by("at", "pk")
    assert [(c.by, c.choice) for c in changes] == [
        (cast.steward_a, "agree"),
        (cast.member_a, "block"),
    ]


def test_person_acting_for_two_organisations_chooses_which(cast):
    initiatives.membership_grant(
        initiative=cast.initiative,
        person=cast.steward_a,
        role=Role.PARTNER_MEMBER,
        organisation=cast.org_b,
    )
    forget_standing(cast.steward_a)
    p = propose(cast, unit="organisation")
    with pytest.raises(ValidationError) as error:
        services.vote_cast(proposal=p, person=cast.steward_a, choice="no_objection")
    assert "organisation" in error.value.message_dict
    for org in (cast.org_a, cast.org_b):
        services.vote_cast(
            proposal=p, person=cast.steward_a, choice="no_objection", organisation=org
        )
    assert Vote.objects.count() == 2


def test_steward_may_not_vote_for_another_organisation(cast):
    p = propose(cast, unit="organisation")
    with pytest.raises(ValidationError, match="only for an active partner"):
        services.vote_cast(
            proposal=p, person=cast.steward_a, choice="no_objection", organisation=cast.org_b
        )
    assert not Vote.objects.exists()


def test_database_holds_one_vote_per_person(cast):
    p = propose(cast)
    Vote.objects.create(
        initiative=cast.initiative, proposal=p, voter=cast.staff, choice="no_objection"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            initiative=cast.initiative, proposal=p, voter=cast.staff, choice="objection"
        )


def test_database_holds_one_vote_per_organisation(cast):
    p = propose(cast, unit="organisation")
    Vote.objects.create(
        initiative=cast.initiative,
        proposal=p,
        voter=cast.steward_a,
        organisation=cast.org_a,
        choice="no_objection",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            initiative=cast.initiative,
            proposal=p,
            voter=cast.member_a,
            organisation=cast.org_a,
            choice="objection",
        )


# --- closing and review -----------------------------------------------------------------


def test_closing_twice_is_refused(cast):
    p = propose(cast)
    close(p, cast.staff)
    with pytest.raises(ValidationError, match="already closed"):
        close(p, cast.staff)
    assert Outcome.objects.count() == 1


def test_close_needs_a_summary_an_owner_of_the_initiative_and_a_review_date(cast):
    p = propose(cast)
    with pytest.raises(ValidationError) as error:
        services.proposal_close(
            proposal=p,
            by=cast.staff,
            summary=" ",
            owner=cast.public,
            review_on=timezone.localdate() - timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"summary", "owner", "review_on"}
    p.refresh_from_db()
    assert p.is_open and not Outcome.objects.exists()


def test_close_due_closes_only_proposals_past_their_closing_date(cast):
    due = propose(cast, title="Due")
    later = propose(cast, title="Later", closes_at=timezone.now() + timedelta(days=30))
    services.vote_cast(proposal=due, person=cast.steward_a, choice="no_objection")
    closed = services.close_due(timezone.now() + timedelta(days=8))
    assert [o.proposal_id for o in closed] == [due.pk]
    outcome = Outcome.objects.get()
    assert (outcome.result, outcome.owner, outcome.closed_by) == ("adopted", cast.staff, None)
    assert outcome.review_on == timezone.localdate(due.closes_at) + services.AUTO_REVIEW_AFTER
    later.refresh_from_db()
    assert later.is_open
    assert services.close_due(timezone.now() + timedelta(days=8)) == []


def test_close_due_gives_a_departed_proposers_outcome_to_the_backbone(cast, world):
    p = propose(cast, group=world.group, by=cast.member_a)
    cast.member_a.memberships.all().delete()
    services.close_due(timezone.now() + timedelta(days=8))
    assert Outcome.objects.get(proposal=p).owner == cast.staff


def test_review_moves_the_review_date_or_ends_it(cast):
    p = propose(cast)
    outcome = close(p, cast.staff)
    assert selectors.due_for_review(cast.staff) == [outcome]
    later = timezone.localdate() + timedelta(days=90)
    services.outcome_review(
        outcome=outcome, by=cast.staff, note="Still right", next_review_on=later
    )
    assert selectors.due_for_review(cast.staff) == []
    assert selectors.due_for_review(cast.staff, later) == [outcome]
    services.outcome_review(outcome=outcome, by=cast.staff, note="Done with it")
    outcome.refresh_from_db()
    assert outcome.review_on is None and outcome.reviews.count() == 2


def test_review_needs_a_note_and_a_future_next_date(cast):
    outcome = close(propose(cast), cast.staff)
    with pytest.raises(ValidationError) as error:
        services.outcome_review(
            outcome=outcome, by=cast.staff, note="", next_review_on=timezone.localdate()
        )
    assert set(error.value.message_dict) == {"note", "next_review_on"}
    assert not outcome.reviews.exists()


# --- who may vote: the electorate and the rule agree ------------------------------------


@pytest.mark.parametrize("unit", ["person", "organisation"])
@pytest.mark.parametrize("to_group", [True, False])
def test_electorate_is_exactly_who_the_rule_lets_vote(cast, world, unit, to_group):
    p = propose(cast, group=world.group if to_group else None, unit=unit)
    p = Proposal.objects.select_related("group").get(pk=p.pk)
    listed = selectors.electorate(p, [])
    names = [
        "staff",
        "steward_a",
        "steward_b",
        "member_a",
        "community",
        "funder",
        "evaluator",
        "public",
        "other_staff",
        "admin",
    ]
    voting = {
        n
        for n in names
        if can(
            getattr(cast, n),
            "decision.vote",
            cast.initiative,
            selectors.seat_of(p, getattr(cast, n)),
        )
    }
    if unit == "person":
        assert {v.person.pk for v in listed} == {getattr(cast, n).pk for n in voting}
    else:
        orgs = set().union(
            *(selectors.acting_for(getattr(cast, n), cast.initiative) for n in voting)
        )
        assert {v.organisation.pk for v in listed} == orgs
    expected = {
        (True, "person"): {"steward_a", "member_a", "community"},
        (False, "person"): {"staff", "steward_a", "steward_b", "member_a"},
        (True, "organisation"): {"steward_a", "member_a"},
        (False, "organisation"): {"steward_a", "steward_b", "member_a"},
    }
    assert voting == expected[(to_group, unit)]


# --- what other apps read ---------------------------------------------------------------


def test_decided_between_takes_the_closing_day_range(cast):
    early, late = propose(cast, title="Early"), propose(cast, title="Late")
    now = timezone.now()
    services.proposal_close(
        proposal=early,
        by=cast.staff,
        summary="x",
        owner=cast.staff,
        review_on=timezone.localdate(now - timedelta(days=10)),
        now=now - timedelta(days=10),
    )
    services.proposal_close(
        proposal=late,
        by=cast.staff,
        summary="y",
        owner=cast.staff,
        review_on=timezone.localdate(),
        now=now,
    )
    today = timezone.localdate(now)
    found = selectors.decided_between(cast.initiative, today - timedelta(days=3), today)
    assert [o.proposal.title for o in found] == ["Late"]
    both = selectors.decided_between(cast.initiative, today - timedelta(days=10), today)
    assert [o.proposal.title for o in both] == ["Early", "Late"]
    assert selectors.decided_between(cast.other_initiative, today - timedelta(days=30), today) == []


def test_last_vote_by_organisation_reads_both_modes(cast):
    now = timezone.now()
    yesterday = now - timedelta(days=1)
    per_org = propose(cast, unit="organisation", opens_at=yesterday)
    per_person = propose(cast, opens_at=yesterday)
    services.vote_cast(
        proposal=per_org, person=cast.steward_a, choice="no_objection", now=now - timedelta(hours=5)
    )
    services.vote_cast(
        proposal=per_person,
        person=cast.member_a,
        choice="no_objection",
        now=now - timedelta(hours=1),
    )
    services.vote_cast(
        proposal=per_person,
        person=cast.steward_b,
        choice="no_objection",
        now=now - timedelta(hours=3),
    )
    services.vote_cast(proposal=per_person, person=cast.staff, choice="no_objection", now=now)
    found = selectors.last_vote_by_organisation(cast.initiative)
    changes = pd.DataFrame(list(VoteChange.objects.values("by_id", "organisation_id", "at")))
    members = pd.DataFrame(
        list(
            Membership.objects.filter(
                initiative=cast.initiative, role__in=["partner_steward", "partner_member"]
            ).values("person_id", "organisation_id")
        )
    )
    own = changes.dropna(subset=["organisation_id"])
    through_people = changes[changes["organisation_id"].isna()].drop(columns="organisation_id")
    through_people = through_people.merge(members, left_on="by_id", right_on="person_id")
    both = pd.concat([own[["organisation_id", "at"]], through_people[["organisation_id", "at"]]])
    expected = both.groupby("organisation_id")["at"].max()
    assert found == {int(k): v.to_pydatetime() for k, v in expected.items()}
    assert found[cast.org_a.pk] == now - timedelta(hours=1)  # member_a, after steward_a


def test_open_for_lists_what_the_person_may_vote_in(cast, world):
    group_p = propose(cast, group=world.group, title="Group")
    all_p = propose(cast, title="All", closes_at=timezone.now() + timedelta(days=2))
    closed = propose(cast, title="Closed")
    close(closed, cast.staff)
    services.vote_cast(proposal=all_p, person=cast.steward_a, choice="no_objection")
    found = selectors.open_for(cast.steward_a, cast.initiative)
    assert [p.title for p in found] == ["All", "Group"]
    assert [p.my_vote is not None for p in found] == [True, False]
    assert [p.title for p in selectors.open_for(cast.community, cast.initiative)] == ["Group"]
    assert selectors.open_for(cast.funder, cast.initiative) == []
    assert selectors.open_for(cast.other_staff, cast.initiative) == []
    assert [p.title for p in selectors.waiting_for_vote(cast.steward_a)] == [group_p.title]


def test_deleting_the_initiative_or_the_group_removes_its_decisions(cast, world):
    voted = poll(cast, group=world.group)
    services.vote_cast(proposal=voted, person=cast.steward_a, option=voted.options.first())
    close(propose(cast, group=world.group), cast.staff)
    world.group.delete()  # a rebuilt demo deletes its groups
    assert not Proposal.objects.filter(group__isnull=False).exists()
    survivor = propose(cast)
    services.vote_cast(proposal=survivor, person=cast.staff, choice="no_objection")
    cast.initiative.delete()
    assert not Proposal.objects.exists() and not Vote.objects.exists()
    assert not VoteChange.objects.exists() and not Outcome.objects.exists()
