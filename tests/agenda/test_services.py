"""Writes to the common agenda: the draft, publishing versions, sanitising, endorsements and
comments."""

from datetime import UTC, datetime

import pytest

from backbone.agenda import services
from backbone.agenda.models import Agenda, AgendaVersion, Comment, Endorsement, Goal, Strategy
from backbone.agenda.selectors import current_version, draft_of
from backbone.agenda.snapshots import snapshot_of
from backbone.deletion import DeleteRefused
from backbone.notifications.kinds import Kind
from backbone.notifications.models import Notification

from .conftest import make_grant, publish, versions

pytestmark = pytest.mark.integration

XSS = '<p onclick="steal()">Hello <script>alert(1)</script><img src=x onerror="alert(2)"></p>'


def test_publish_numbers_versions_from_one(cast):
    header = {"initiative": cast.initiative, "by": cast.staff, "problem_statement": "P"}
    services.agenda_update(**header, vision="V", community_aspirations="")
    first = publish(cast.initiative, cast.staff)
    services.agenda_update(**header, vision="V2", community_aspirations="")
    second = publish(cast.initiative, cast.staff, "Sharper vision")

    assert (first.number, second.number) == (1, 2)
    assert second.created_by == cast.staff
    assert second.note == "Sharper vision"
    assert second.changes == ["Vision changed"]
    assert second.snapshot["vision"] == "<p>V2</p>"


def test_version_numbers_are_per_initiative(cast, built):
    assert built.version.number == 4
    assert built.other_version.number == 3


def _edit_everything(cast, built) -> None:
    """One call of every edit service, each changing something."""
    by = cast.staff
    services.agenda_update(
        initiative=cast.initiative,
        by=by,
        problem_statement="Too few children are ready.",
        vision="Every child succeeds.",
        community_aspirations="",
    )
    goal = services.goal_create(initiative=cast.initiative, by=by, title="All students graduate")
    strategy = services.strategy_create(goal=goal, by=by, title="Mentors")
    services.action_create(strategy=strategy, by=by, title="Recruit 50 mentors")
    services.item_move(item=goal, by=by, up=True)
    services.goal_update(goal=built.goal, by=by, title="Ready for school", description="")
    services.strategy_update(
        strategy=built.strategy, by=by, title=built.strategy.title, description="More seats."
    )
    services.action_update(
        action=built.action, by=by, title=built.action.title, description="", status="done"
    )
    services.action_delete(action=built.action, by=by)
    services.strategy_delete(strategy=built.strategy, by=by)
    services.goal_delete(goal=built.goal, by=by)


def test_edits_make_no_version_and_notify_nobody(cast, built):
    told = Notification.objects.count()

    _edit_everything(cast, built)

    assert versions(cast.initiative) == 4
    assert Notification.objects.count() == told
    assert current_version(cast.initiative) == built.version


def test_edits_collect_in_the_draft_until_published_as_one_version(cast, built):
    _edit_everything(cast, built)

    draft = draft_of(cast.initiative)
    version = publish(cast.initiative, cast.staff, "After the retreat")

    assert draft.number == 5 and draft.published == built.version
    assert version.number == 5 and versions(cast.initiative) == 5
    assert (
        version.changes
        == draft.changes
        == [
            "Problem statement changed",
            "Vision changed",
            "Community aspirations removed",
            "Goal added: All students graduate",
            "Strategy added: Mentors (under All students graduate)",
            "Agreed action added: Recruit 50 mentors (under Mentors)",
            "Goal removed: Every child enters kindergarten ready",
        ]
    )
    assert version.snapshot == snapshot_of(cast.initiative)
    assert draft_of(cast.initiative).changes == []


def test_each_published_edit_records_its_change(cast, built):
    by = cast.staff
    services.goal_update(goal=built.goal, by=by, title="Ready for school", description="")
    publish(cast.initiative, by)
    services.strategy_update(
        strategy=built.strategy, by=by, title=built.strategy.title, description="More seats."
    )
    publish(cast.initiative, by)
    services.action_update(
        action=built.action, by=by, title=built.action.title, description="", status="done"
    )
    publish(cast.initiative, by)
    services.action_delete(action=built.action, by=by)
    publish(cast.initiative, by, "Done and dusted")
    services.strategy_delete(strategy=built.strategy, by=by)
    publish(cast.initiative, by)
    services.goal_delete(goal=built.goal, by=by)
    publish(cast.initiative, by)

    changes = list(
        AgendaVersion.objects.filter(initiative=cast.initiative, number__gt=4)
        .order_by("number")
        .values_list("number", "changes", "note")
    )
    assert changes == [
        (5, ["Goal renamed: Every child enters kindergarten ready → Ready for school"], ""),
        (6, ["Strategy description changed: Expand access to early learning"], ""),
        (7, ["Agreed action status: Open 300 new pre-K seats — Planned → Done"], ""),
        (8, ["Agreed action removed: Open 300 new pre-K seats"], "Done and dusted"),
        (9, ["Strategy removed: Expand access to early learning"], ""),
        (10, ["Goal removed: Ready for school"], ""),
    ]


def test_publish_asks_every_active_partners_stewards_once(cast, built):
    cast.partner_b.status = "paused"
    cast.partner_b.save()
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="Second goal")
    before = set(Notification.objects.values_list("pk", flat=True))

    version = publish(cast.initiative, cast.staff)

    told = Notification.objects.exclude(pk__in=before)
    assert [(n.person, n.kind) for n in told] == [(cast.steward_a, Kind.AGENDA_TO_ENDORSE)]
    assert f"Version {version.number} of the common agenda" in told.get().text
    assert told.get().url == f"/i/{cast.initiative.slug}/agenda/"


def test_publish_with_no_change_is_refused_clearly(cast, built):
    told = Notification.objects.count()

    with pytest.raises(services.PublishError) as refused:
        publish(cast.initiative, cast.staff)

    assert str(refused.value) == (
        "Nothing to publish: the draft is the same as version 4, the one partners already have."
    )
    assert versions(cast.initiative) == 4
    assert Notification.objects.count() == told


def test_publish_of_an_empty_agenda_is_refused(cast):
    with pytest.raises(services.PublishError, match="the agenda is still empty"):
        publish(cast.initiative, cast.staff)

    assert versions(cast.initiative) == 0


def test_publish_refuses_a_draft_that_changed_after_it_was_read(cast, built):
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="Read by the publisher")
    seen = draft_of(cast.initiative).fingerprint
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="Added meanwhile")

    with pytest.raises(services.PublishError, match="changed while you were reading"):
        services.version_publish(initiative=cast.initiative, by=cast.staff, seen=seen)
    version = services.version_publish(
        initiative=cast.initiative, by=cast.staff, seen=draft_of(cast.initiative).fingerprint
    )

    assert version.number == 5


def test_an_edit_that_changes_nothing_leaves_the_draft_as_published(cast, built):
    services.goal_update(
        goal=built.goal, by=cast.staff, title=built.goal.title, description=built.goal.description
    )
    agenda = services.agenda_update(
        initiative=cast.initiative,
        by=cast.staff,
        problem_statement=Agenda.objects.get(initiative=cast.initiative).problem_statement,
        vision="Every child in Riverton succeeds from cradle to career.",
        community_aspirations="Safe places to learn and play.",
    )

    assert agenda == Agenda.objects.get(initiative=cast.initiative)
    assert draft_of(cast.initiative).changes == []
    assert versions(cast.initiative) == 4


def test_item_move_swaps_neighbours_and_stops_at_the_ends(cast, built):
    second = services.goal_create(initiative=cast.initiative, by=cast.staff, title="Second")
    third = services.goal_create(initiative=cast.initiative, by=cast.staff, title="Third")
    Goal.objects.filter(pk=second.pk).update(position=0)  # a tie left by an earlier write
    publish(cast.initiative, cast.staff)

    def goals() -> list[Goal]:
        return list(Goal.objects.filter(initiative=cast.initiative))

    assert services.item_move(item=third, by=cast.staff, up=True) is True
    assert services.item_move(item=built.goal, by=cast.staff, up=True) is False
    assert goals() == [built.goal, third, second]
    assert services.item_move(item=second, by=cast.staff, up=False) is False
    assert services.item_move(item=built.goal, by=cast.staff, up=False) is True
    assert goals() == [third, built.goal, second]
    assert draft_of(cast.initiative).changes == ["Goals reordered"]
    assert versions(cast.initiative) == 5


def test_item_move_keeps_strategies_and_actions_under_their_parent(cast, built):
    other = services.strategy_create(goal=built.goal, by=cast.staff, title="Other")
    action = services.action_create(strategy=built.strategy, by=cast.staff, title="Second")

    services.item_move(item=other, by=cast.staff, up=True)
    services.item_move(item=action, by=cast.staff, up=True)

    assert list(built.goal.strategies.all()) == [other, built.strategy]
    assert list(built.strategy.actions.all()) == [action, built.action]


def test_version_record_returns_none_when_nothing_changed(cast, built):
    assert services.version_record(initiative=cast.initiative, by=cast.staff) is None


def test_version_record_on_an_empty_agenda_writes_nothing(cast):
    assert services.version_record(initiative=cast.initiative, by=cast.staff) is None
    assert versions(cast.initiative) == 0


def test_version_snapshot_holds_the_whole_agenda_with_uuids(cast, built):
    snapshot = built.version.snapshot

    goal = snapshot["goals"][0]
    action = goal["strategies"][0]["actions"][0]
    assert goal["uuid"] == str(built.goal.uuid)
    assert goal["strategies"][0]["title"] == "Expand access to early learning"
    assert action == {
        "uuid": str(built.action.uuid),
        "title": "Open 300 new pre-K seats",
        "description": "",
        "status": "planned",
    }


def test_publish_at_dates_a_version_in_the_past(cast):
    when = datetime(2023, 3, 15, 10, tzinfo=UTC)

    goal = services.goal_create(initiative=cast.initiative, by=cast.staff, title="G")
    services.version_publish(initiative=cast.initiative, by=cast.staff, at=when)

    assert current_version(cast.initiative).created_at == when
    assert goal.position == 0


def test_goal_create_appends_at_the_end(cast, built):
    goal = services.goal_create(initiative=cast.initiative, by=cast.staff, title="Second")

    assert list(Goal.objects.filter(initiative=cast.initiative)) == [built.goal, goal]


@pytest.mark.parametrize("field", ["problem_statement", "vision", "community_aspirations"])
def test_agenda_update_strips_scripts_and_handlers(cast, field):
    texts = {"problem_statement": "", "vision": "", "community_aspirations": ""} | {field: XSS}

    services.agenda_update(initiative=cast.initiative, by=cast.staff, **texts)
    publish(cast.initiative, cast.staff)

    stored = getattr(Agenda.objects.get(initiative=cast.initiative), field)
    snapshot = str(current_version(cast.initiative).snapshot)
    assert "Hello" in stored
    for bad in ("<script", "onerror", "onclick", "alert", "<img"):
        assert bad not in stored
        assert bad not in snapshot


def test_descriptions_and_comments_are_sanitised(cast, built):
    goal = services.goal_create(
        initiative=cast.initiative, by=cast.staff, title="<b>G</b>", description=XSS
    )
    strategy = services.strategy_create(goal=goal, by=cast.staff, title="S", description=XSS)
    action = services.action_create(strategy=strategy, by=cast.staff, title="A", description=XSS)
    comment = services.comment_create(
        initiative=cast.initiative, by=cast.community, body=XSS, goal=goal
    )

    for html in (goal.description, strategy.description, action.description, comment.body):
        assert "Hello" in html
        assert "<script" not in html and "onerror" not in html and "onclick" not in html
    assert goal.title == "<b>G</b>"  # titles are plain text, escaped when shown


def test_plain_text_keeps_its_paragraphs(cast):
    services.agenda_update(
        initiative=cast.initiative,
        by=cast.staff,
        problem_statement="First & foremost.\n\nSecond.",
        vision="",
        community_aspirations="",
    )

    agenda = Agenda.objects.get(initiative=cast.initiative)
    assert agenda.problem_statement == "<p>First &amp; foremost.</p>\n\n<p>Second.</p>"


def test_goal_create_refuses_an_empty_title(cast):
    with pytest.raises(services.AgendaError):
        services.goal_create(initiative=cast.initiative, by=cast.staff, title="   ")
    assert versions(cast.initiative) == 0


def test_action_create_refuses_an_unknown_status(cast, built):
    with pytest.raises(services.AgendaError):
        services.action_create(strategy=built.strategy, by=cast.staff, title="X", status="maybe")
    assert versions(cast.initiative) == 4


# --- endorsements ----------------------------------------------------------------------------


def test_endorsement_create_records_who_signed_and_when(cast, built):
    endorsement = services.endorsement_create(
        version=built.version, partner=cast.partner_a, by=cast.steward_a, note="Board approved"
    )

    assert endorsement.endorsed_by == cast.steward_a
    assert endorsement.initiative == cast.initiative
    assert endorsement.endorsed_at is not None
    assert endorsement.note == "Board approved"


def test_endorsement_create_refuses_an_older_version(cast, built):
    older = AgendaVersion.objects.get(initiative=cast.initiative, number=3)

    with pytest.raises(services.EndorsementError, match="no longer the current"):
        services.endorsement_create(version=older, partner=cast.partner_a, by=cast.steward_a)
    assert not Endorsement.objects.exists()


def test_endorsement_create_refuses_another_initiatives_version(cast, built):
    with pytest.raises(services.EndorsementError, match="not a partner"):
        services.endorsement_create(
            version=built.other_version, partner=cast.partner_a, by=cast.steward_a
        )
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("status", ["paused", "withdrawn"])
def test_endorsement_create_refuses_a_partner_that_is_not_active(cast, built, status):
    cast.partner_a.status = status
    cast.partner_a.save()

    with pytest.raises(services.EndorsementError, match="only active partners"):
        services.endorsement_create(
            version=built.version, partner=cast.partner_a, by=cast.steward_a
        )
    assert not Endorsement.objects.exists()


def test_endorsement_create_refuses_a_second_endorsement_of_a_version(cast, built):
    services.endorsement_create(version=built.version, partner=cast.partner_a, by=cast.steward_a)

    with pytest.raises(services.EndorsementError, match="already endorsed"):
        services.endorsement_create(
            version=built.version, partner=cast.partner_a, by=cast.steward_a
        )
    assert Endorsement.objects.count() == 1


def test_endorsement_of_a_new_version_is_allowed_after_an_old_one(cast, built):
    services.endorsement_create(version=built.version, partner=cast.partner_a, by=cast.steward_a)
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="Another goal")
    publish(cast.initiative, cast.staff)

    services.endorsement_create(
        version=current_version(cast.initiative), partner=cast.partner_a, by=cast.steward_a
    )

    assert Endorsement.objects.filter(partner=cast.partner_a).count() == 2


# --- comments --------------------------------------------------------------------------------


def test_comment_create_on_a_goal_and_on_a_strategy(cast, built):
    on_goal = services.comment_create(
        initiative=cast.initiative, by=cast.community, body="Include home care.", goal=built.goal
    )
    on_strategy = services.comment_create(
        initiative=cast.initiative, by=cast.member_a, body="Yes!", strategy=built.strategy
    )

    assert on_goal.body == "<p>Include home care.</p>"
    assert on_goal.author == cast.community
    assert list(built.strategy.comments.all()) == [on_strategy]


def test_comment_create_refuses_another_initiatives_goal(cast, built):
    with pytest.raises(services.CommentError):
        services.comment_create(
            initiative=cast.initiative, by=cast.community, body="Hi", goal=built.other_goal
        )
    with pytest.raises(services.CommentError):
        services.comment_create(
            initiative=cast.initiative, by=cast.community, body="Hi", strategy=built.other_strategy
        )
    assert not Comment.objects.exists()


def test_comment_create_needs_exactly_one_target(cast, built):
    with pytest.raises(services.CommentError):
        services.comment_create(initiative=cast.initiative, by=cast.community, body="Hi")
    with pytest.raises(services.CommentError):
        services.comment_create(
            initiative=cast.initiative,
            by=cast.community,
            body="Hi",
            goal=built.goal,
            strategy=built.strategy,
        )


def test_comment_create_refuses_a_body_that_is_only_a_script(cast, built):
    with pytest.raises(services.CommentError):
        services.comment_create(
            initiative=cast.initiative,
            by=cast.community,
            body="<script>alert(1)</script>",
            goal=built.goal,
        )
    assert not Comment.objects.exists()


def test_comments_do_not_make_versions(cast, built):
    services.comment_create(
        initiative=cast.initiative, by=cast.community, body="Hi", goal=built.goal
    )

    assert versions(cast.initiative) == 4
    assert Strategy.objects.filter(initiative=cast.initiative).count() == 1


@pytest.mark.parametrize("kind", ["goal", "strategy"])
def test_delete_of_a_funded_goal_or_strategy_is_refused_naming_the_grants(cast, built, kind):
    make_grant(cast.initiative, "Reading grant", strategy=built.strategy)
    make_grant(cast.initiative, "Pre-K grant", strategy=built.strategy)

    with pytest.raises(DeleteRefused) as refused:
        if kind == "goal":
            services.goal_delete(goal=built.goal, by=cast.staff)
        else:
            services.strategy_delete(strategy=built.strategy, by=cast.staff)

    assert refused.value.message() == (
        f"This {kind} cannot be deleted: 2 grants fund it (Pre-K grant, Reading grant). "
        "Those grants must all be moved elsewhere or deleted first."
    )
    assert "Reading grant" not in str(refused.value)  # names only for those who may see them
    assert Strategy.objects.filter(pk=built.strategy.pk).exists()
    assert versions(cast.initiative) == 4
