"""Reads: endorsement status per partner and versions compared side by side."""

import pytest

from backbone.agenda import selectors, services
from backbone.agenda.models import AgendaVersion

from .conftest import publish

pytestmark = pytest.mark.integration


def test_endorsement_status_tells_current_earlier_and_none(cast, built):
    services.endorsement_create(version=built.version, partner=cast.partner_a, by=cast.steward_a)
    services.endorsement_create(version=built.version, partner=cast.partner_b, by=cast.steward_b)
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="New goal")
    current = publish(cast.initiative, cast.staff)
    services.endorsement_create(version=current, partner=cast.partner_b, by=cast.steward_b)

    status = selectors.endorsement_status(cast.initiative)

    rows = {row.partner: row for row in status.rows}
    assert rows[cast.partner_a].state == "earlier"
    assert rows[cast.partner_a].latest.version.number == 4
    assert rows[cast.partner_b].state == "current"
    assert rows[cast.partner_b].latest.endorsed_by == cast.steward_b
    assert (status.endorsed, status.total) == (1, 2)


def test_endorsement_status_lists_only_active_partners(cast, built):
    cast.partner_b.status = "withdrawn"
    cast.partner_b.save()

    status = selectors.endorsement_status(cast.initiative)

    assert [row.partner for row in status.rows] == [cast.partner_a]
    assert status.rows[0].state == "none"


def test_endorsement_status_without_versions_is_none_for_all(cast):
    status = selectors.endorsement_status(cast.initiative)

    assert status.version is None
    assert {row.state for row in status.rows} == {"none"}


def test_version_in_finds_only_this_initiatives_versions(cast, built):
    assert selectors.version_in(cast.initiative, str(built.version.uuid)) == built.version
    assert selectors.version_in(cast.initiative, built.other_version.uuid) is None
    assert selectors.version_in(cast.initiative, "not-a-uuid") is None
    assert selectors.version_in(cast.initiative, None) is None


def test_version_compare_marks_words_and_matches_items(cast, built):
    first = AgendaVersion.objects.get(initiative=cast.initiative, number=1)
    services.goal_update(
        goal=built.goal, by=cast.staff, title="Every child enters school ready", description=""
    )
    services.agenda_update(
        initiative=cast.initiative,
        by=cast.staff,
        problem_statement="<p>Too few <em>children</em> & families are ready.</p>",
        vision="Every child in Riverton succeeds from cradle to career.",
        community_aspirations="Safe places to learn and play.",
    )
    latest = publish(cast.initiative, cast.staff)

    comparison = selectors.version_compare(first, latest)

    rows = {row.key: row for row in comparison.rows}
    problem = rows["problem_statement"].fields[0]
    assert problem.changed
    assert "<del>" in problem.old and "<ins>" in problem.new
    assert "<em>" not in problem.new  # compared as text, tags stripped
    assert "&amp;" in problem.new  # and escaped again before marking
    assert rows["vision"].state == "same"
    assert rows[str(built.goal.uuid)].state == "added"
    assert [row.title for row in comparison.added][0] == "Every child enters school ready"
    assert comparison.removed == []


def test_versions_between_lists_the_steps_in_order(cast, built):
    first = AgendaVersion.objects.get(initiative=cast.initiative, number=1)

    steps = selectors.versions_between(built.version, first)

    assert [v.number for v in steps] == [2, 3, 4]


def test_agenda_tree_orders_goals_strategies_and_actions(cast, built):
    second = services.strategy_create(goal=built.goal, by=cast.staff, title="Second strategy")

    tree = selectors.agenda_tree(cast.initiative, with_comments=True)

    assert tree == [built.goal]
    assert list(tree[0].strategies.all()) == [built.strategy, second]
    assert list(tree[0].strategies.all()[0].actions.all()) == [built.action]


def test_pending_endorsements_lists_the_stewards_unsigned_partner(cast, built):
    services.endorsement_create(version=built.version, partner=cast.partner_b, by=cast.steward_b)

    assert [w["partner"] for w in selectors.pending_endorsements(cast.steward_a)] == [
        cast.partner_a
    ]
    assert selectors.pending_endorsements(cast.steward_b) == []


# --- the draft and the published agenda -------------------------------------------------------


def test_draft_of_lists_what_changed_since_the_published_version(cast, built):
    services.goal_update(goal=built.goal, by=cast.staff, title="Ready for school", description="")

    draft = selectors.draft_of(cast.initiative)

    assert draft.published == built.version
    assert draft.number == 5
    assert draft.changes == [
        "Goal renamed: Every child enters kindergarten ready → Ready for school"
    ]
    assert draft.snapshot["goals"][0]["title"] == "Ready for school"


def test_draft_of_an_agenda_never_published(cast):
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="First")

    draft = selectors.draft_of(cast.initiative)

    assert (draft.published, draft.number, draft.changes) == (None, 1, ["Goal added: First"])


def test_draft_fingerprint_changes_with_the_draft(cast, built):
    before = selectors.draft_of(cast.initiative).fingerprint
    assert selectors.draft_of(cast.initiative).fingerprint == before

    services.action_update(
        action=built.action, by=cast.staff, title=built.action.title, description="", status="done"
    )

    assert selectors.draft_of(cast.initiative).fingerprint != before


def test_agenda_document_reads_a_version_with_comments_of_live_items(cast, built):
    services.comment_create(
        initiative=cast.initiative, by=cast.community, body="On the goal", goal=built.goal
    )
    services.comment_create(
        initiative=cast.initiative, by=cast.community, body="Yes", strategy=built.strategy
    )
    services.goal_update(
        goal=built.goal, by=cast.staff, title="Renamed in the draft", description=""
    )
    services.strategy_delete(strategy=built.strategy, by=cast.staff)

    document = selectors.agenda_document(
        cast.initiative, built.version.snapshot, with_comments=True
    )

    goal = document.goals[0]
    strategy = goal.strategies.all()[0]
    assert goal.title == "Every child enters kindergarten ready" and goal.is_live
    assert strategy.title == "Expand access to early learning" and not strategy.is_live
    assert [c.body for c in goal.comments] == ["<p>On the goal</p>"]
    assert list(strategy.comments) == []  # deleted with its row
    assert strategy.actions.all()[0].get_status_display() == "Planned"
    assert document.texts.vision == "<p>Every child in Riverton succeeds from cradle to career.</p>"


def test_agenda_summary_shows_the_published_agenda(cast, built):
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="Draft goal")
    services.strategy_create(goal=built.goal, by=cast.staff, title="Draft strategy")

    summary = selectors.agenda_summary(cast.initiative)

    assert [g.title for g in summary["goals"]] == ["Every child enters kindergarten ready"]
    assert len(summary["goals"][0].strategies.all()) == 1
    assert summary["version"] == built.version
    assert "Riverton succeeds" in summary["agenda"].vision


def test_agenda_summary_before_anything_is_published(cast):
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="Draft goal")

    summary = selectors.agenda_summary(cast.initiative)

    assert (summary["agenda"], summary["goals"], summary["version"]) == (None, [], None)


def test_published_item_knows_only_published_goals_and_strategies(cast, built):
    draft_goal = services.goal_create(initiative=cast.initiative, by=cast.staff, title="Draft")

    assert selectors.published_item(cast.initiative, built.goal.uuid)["title"] == (
        "Every child enters kindergarten ready"
    )
    assert selectors.published_item(cast.initiative, built.strategy.uuid) is not None
    assert selectors.published_item(cast.initiative, built.action.uuid) is None
    assert selectors.published_item(cast.initiative, draft_goal.uuid) is None
    assert selectors.published_item(cast.initiative, built.other_goal.uuid) is None
