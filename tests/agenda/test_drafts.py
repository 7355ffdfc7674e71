"""The draft of the agenda: what those who edit it see and do with it, and that nobody else
ever reads a word of it, on a page or through the API."""

import pytest

from backbone.agenda import services
from backbone.agenda.models import AgendaVersion, Goal
from backbone.agenda.selectors import draft_of
from backbone.notifications.kinds import Kind
from backbone.notifications.models import Notification
from tests.conftest import ROLES

from .conftest import publish, versions

pytestmark = pytest.mark.integration

BASE = "/i/riverton/agenda/"
API = "/api/initiatives/riverton/agenda"
SECRET = "Unpublished"  # in every text the draft changes


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def drafted(cast, built):
    """Version 4 published, then a draft that touches every kind of text, with comments on
    a published goal (renamed in the draft) and on a goal only the draft has."""
    by = cast.staff
    services.agenda_update(
        initiative=cast.initiative,
        by=by,
        problem_statement=f"{SECRET} problem.",
        vision=f"{SECRET} vision.",
        community_aspirations=f"{SECRET} aspirations.",
    )
    services.goal_update(goal=built.goal, by=by, title=f"{SECRET} goal title", description="")
    services.strategy_update(
        strategy=built.strategy, by=by, title=built.strategy.title, description=f"{SECRET} text"
    )
    services.action_update(
        action=built.action, by=by, title=f"{SECRET} action", description="", status="done"
    )
    new_goal = services.goal_create(
        initiative=cast.initiative, by=by, title=f"{SECRET} new goal", description=f"{SECRET} d"
    )
    new_strategy = services.strategy_create(goal=new_goal, by=by, title=f"{SECRET} strategy")
    new_action = services.action_create(strategy=new_strategy, by=by, title=f"{SECRET} step")
    services.comment_create(
        initiative=cast.initiative,
        by=cast.community,
        body="Published goal comment",
        goal=built.goal,
    )
    services.comment_create(
        initiative=cast.initiative, by=cast.staff, body="Comment on a draft goal", goal=new_goal
    )
    return new_goal, new_strategy, new_action


# --- what staff see ---------------------------------------------------------------------------


def test_staff_see_the_published_agenda_and_a_draft_panel(cast, built, drafted, as_role):
    html = _html(as_role("staff").get(BASE))

    assert "Every child enters kindergarten ready" in html  # the published title
    assert 'id="draft"' in html
    assert "10 changes not published yet</strong> since version 4" in html
    assert "Goal renamed: Every child enters kindergarten ready → Unpublished goal title" in html
    assert f'href="{BASE}versions/compare/?b=draft"' in html
    assert f'href="{BASE}?view=draft"' in html
    assert f'action="{BASE}publish/"' in html
    assert "Publish as version 5" in html
    assert f'value="{draft_of(cast.initiative).fingerprint}"' in html


def test_staff_preview_the_draft_as_readers_will_see_it(cast, built, drafted, as_role):
    html = _html(as_role("staff").get(f"{BASE}?view=draft"))

    assert "Preview of the draft." in html
    assert "Goal 1: Unpublished goal title" in html
    assert "Goal 2: Unpublished new goal" in html
    assert 'Unpublished action <span class="badge good">Done</span>' in html
    assert "Comment on a draft goal" in html and "Published goal comment" in html
    assert "Back to the published agenda" in html


def test_staff_see_no_changes_when_the_draft_is_published(cast, built, as_role):
    html = _html(as_role("staff").get(BASE))

    assert "No unpublished changes: the draft is version 4." in html
    assert "Publish as version" not in html


def test_edit_page_counts_the_unpublished_changes(cast, built, drafted, as_role):
    html = _html(as_role("staff").get(f"{BASE}edit/"))

    assert "10 changes not published yet." in html
    assert f'href="{BASE}#draft"' in html
    assert "Everyone else reads version 4" in html


def test_compare_the_draft_with_the_published_version(cast, built, drafted, as_role):
    response = as_role("staff").get(f"{BASE}versions/compare/?b=draft")

    html = _html(response)
    assert response.status_code == 200
    assert "Compare version 4 with the draft" in html
    assert "<ins>Unpublished goal title</ins>" in html
    assert "<del>Every child enters kindergarten ready</del>" in html
    assert '<option value="draft" selected>' in html


def test_compare_an_older_version_with_the_draft(cast, built, drafted, as_role):
    first = AgendaVersion.objects.get(initiative=cast.initiative, number=1)

    html = _html(as_role("staff").get(f"{BASE}versions/compare/?a={first.uuid}&b=draft"))

    assert "Compare version 1 with the draft" in html
    assert "<strong>Version 4</strong>" in html  # the published steps on the way
    assert "Agreed action added: Unpublished step (under Unpublished strategy)" in html


@pytest.mark.parametrize("role", ["steward_a", "member_a", "community", "funder", "evaluator"])
def test_compare_with_the_draft_is_for_staff_only(cast, built, drafted, as_role, role):
    response = as_role(role).get(f"{BASE}versions/compare/?b=draft")

    assert response.status_code == 403
    assert SECRET not in _html(response)


def test_compare_versions_offers_the_draft_to_staff_only(cast, built, as_role):
    assert 'value="draft"' in _html(as_role("staff").get(f"{BASE}versions/compare/"))
    assert 'value="draft"' not in _html(as_role("steward_a").get(f"{BASE}versions/compare/"))


# --- publishing -------------------------------------------------------------------------------


def test_publish_makes_one_version_and_asks_every_active_partners_stewards(
    cast, built, drafted, as_role
):
    told = set(Notification.objects.values_list("pk", flat=True))
    client = as_role("staff")
    seen = draft_of(cast.initiative).fingerprint

    response = client.post(f"{BASE}publish/", {"note": "After the retreat", "seen": seen})

    assert response.status_code == 302 and response["Location"] == BASE
    assert versions(cast.initiative) == 5
    version = AgendaVersion.objects.filter(initiative=cast.initiative).first()
    assert (version.number, version.note, version.created_by) == (
        5,
        "After the retreat",
        cast.staff,
    )
    fresh = Notification.objects.exclude(pk__in=told)
    assert {(n.person, n.kind) for n in fresh} == {
        (cast.steward_a, Kind.AGENDA_TO_ENDORSE),
        (cast.steward_b, Kind.AGENDA_TO_ENDORSE),
    }
    page = _html(client.get(BASE))
    assert "Version 5 is published." in page
    assert "No unpublished changes: the draft is version 5." in page
    assert SECRET in _html(as_role("steward_a").get(BASE))  # now it is what readers see


def test_publish_with_no_change_is_refused_with_a_clear_message(cast, built, as_role):
    told = Notification.objects.count()

    response = as_role("staff").post(f"{BASE}publish/", {"note": "Again"})

    assert response.status_code == 409
    assert "Nothing to publish: the draft is the same as version 4" in _html(response)
    assert 'role="alert"' in _html(response)
    assert versions(cast.initiative) == 4
    assert Notification.objects.count() == told


def test_publish_of_a_draft_changed_since_it_was_read_is_refused(cast, built, drafted, as_role):
    seen = draft_of(cast.initiative).fingerprint
    services.goal_create(initiative=cast.initiative, by=cast.other_staff, title="Meanwhile")

    response = as_role("staff").post(f"{BASE}publish/", {"seen": seen})

    assert response.status_code == 409
    assert "The draft changed while you were reading it." in _html(response)
    assert "Meanwhile" in _html(response)  # the page now lists the change to read
    assert versions(cast.initiative) == 4
    now = draft_of(cast.initiative).fingerprint
    assert f'value="{now}"' in _html(response)  # so publishing again publishes what is read
    assert as_role("staff").post(f"{BASE}publish/", {"seen": now}).status_code == 302
    assert versions(cast.initiative) == 5


def test_publish_by_get_is_not_allowed(cast, built, drafted, as_role):
    assert as_role("staff").get(f"{BASE}publish/").status_code == 405
    assert versions(cast.initiative) == 4


def test_edit_forms_ask_for_no_note(cast, built, as_role):
    client = as_role("staff")
    for path in ("edit/", f"goals/{built.goal.uuid}/edit/", f"goals/{built.goal.uuid}/delete/"):
        assert "What changed and why" not in _html(client.get(BASE + path))


# --- reordering -------------------------------------------------------------------------------


def test_move_a_goal_down_reorders_the_draft(cast, built, as_role):
    second = services.goal_create(initiative=cast.initiative, by=cast.staff, title="Second")
    publish(cast.initiative, cast.staff)
    client = as_role("staff")
    assert 'aria-label="Move down goal: Every child' in _html(client.get(f"{BASE}edit/"))

    response = client.post(f"{BASE}goals/{built.goal.uuid}/move/", {"direction": "down"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"{BASE}edit/#goal-{built.goal.uuid}")
    assert list(Goal.objects.filter(initiative=cast.initiative)) == [second, built.goal]
    assert draft_of(cast.initiative).changes == ["Goals reordered"]
    assert versions(cast.initiative) == 5


def test_move_without_a_direction_is_a_bad_request(cast, built, as_role):
    url = f"{BASE}strategies/{built.strategy.uuid}/move/"

    assert as_role("staff").post(url, {"direction": "sideways"}).status_code == 400


# --- readers never see the draft --------------------------------------------------------------


READERS = ["steward_a", "steward_b", "member_a", "community", "funder", "evaluator"]


def _agenda_urls(cast, built, drafted) -> list[str]:
    """Every page of the agenda a person might try, with the uuids of every item."""
    new_goal, new_strategy, new_action = drafted
    versions_ = AgendaVersion.objects.filter(initiative=cast.initiative)
    urls = [
        BASE,
        f"{BASE}?view=draft",
        f"{BASE}edit/",
        f"{BASE}goals/new/",
        f"{BASE}versions/",
        f"{BASE}versions/compare/",
        f"{BASE}versions/compare/?b=draft",
        f"{BASE}versions/compare/?a=draft&b=draft",
        f"{BASE}versions/compare/?show=all",
        "/i/riverton/",
        "/",
    ]
    urls += [f"{BASE}versions/compare/?a={v.uuid}&b=draft&show=all" for v in versions_]
    for goal in (built.goal, new_goal):
        urls += [BASE + f"goals/{goal.uuid}/{p}" for p in ("edit/", "delete/", "comments/")]
        urls.append(f"{BASE}goals/{goal.uuid}/strategies/new/")
    for strategy in (built.strategy, new_strategy):
        urls += [
            BASE + f"strategies/{strategy.uuid}/{p}" for p in ("edit/", "delete/", "comments/")
        ]
        urls.append(f"{BASE}strategies/{strategy.uuid}/actions/new/")
    for action in (built.action, new_action):
        urls += [BASE + f"actions/{action.uuid}/{p}" for p in ("edit/", "delete/")]
    urls += [API, f"{API}/draft", f"{API}/versions", f"{API}/endorsements"]
    urls += [f"{API}/versions/{n}" for n in range(1, 7)]
    return urls


@pytest.mark.parametrize("role", [*READERS, "public", "anonymous", "other_staff"])
def test_no_reader_sees_draft_text_anywhere(cast, built, drafted, as_role, role):
    cast.initiative.visibility = "public"  # the public may read the agenda too
    cast.initiative.save()
    client = as_role(role)

    for url in _agenda_urls(cast, built, drafted):
        response = client.get(url, follow=True)
        assert SECRET not in _html(response), url
        assert "Comment on a draft goal" not in _html(response), url


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_published_agenda_with_comments_by_uuid(
    cast, built, drafted, as_role, role
):
    html = _html(as_role(role).get(BASE))

    assert "Goal 1: Every child enters kindergarten ready" in html
    assert "Goal 2" not in html
    assert 'Open 300 new pre-K seats <span class="badge">Planned</span>' in html
    assert "Published goal comment" in html  # on the live goal of the same uuid
    assert 'id="draft"' not in html and "/publish/" not in html


def test_a_reader_cannot_comment_on_a_goal_only_the_draft_has(cast, built, drafted, as_role):
    new_goal, new_strategy, _ = drafted
    client = as_role("community")

    for url in (
        f"{BASE}goals/{new_goal.uuid}/comments/",
        f"{BASE}strategies/{new_strategy.uuid}/comments/",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "Found it"}).status_code == 404


def test_a_renamed_goals_thread_shows_its_published_title(cast, built, drafted, as_role):
    response = as_role("community").get(f"{BASE}goals/{built.goal.uuid}/comments/")

    assert response.status_code == 200
    assert "Comments on the goal “Every child enters kindergarten ready”" in _html(response)
    assert "Published goal comment" in _html(response)


def test_a_goal_deleted_in_the_draft_stays_published_without_comments(cast, built, as_role):
    services.comment_create(
        initiative=cast.initiative, by=cast.community, body="Soon gone", goal=built.goal
    )
    services.goal_delete(goal=built.goal, by=cast.staff)

    html = _html(as_role("community").get(BASE))

    assert "Goal 1: Every child enters kindergarten ready" in html
    assert "Soon gone" not in html
    assert "/comments/" not in html  # nothing left to comment on


@pytest.mark.parametrize("role", [*READERS, "anonymous"])
def test_before_anything_is_published_readers_are_told_so(cast, as_role, role):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    services.goal_create(initiative=cast.initiative, by=cast.staff, title=f"{SECRET} first goal")

    html = _html(as_role(role).get(BASE))

    assert "The common agenda has not been published yet" in html
    assert SECRET not in html
    assert as_role(role).get(API).status_code in (403, 404)


def test_before_anything_is_published_staff_see_the_draft_to_publish(cast, as_role):
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="First goal")

    html = _html(as_role("staff").get(BASE))

    assert "The common agenda has not been published yet" in html
    assert "1 change not published yet</strong>." in html
    assert "Publish as version 1" in html
    assert "Compare with version" not in html


# --- the API ------------------------------------------------------------------------------------


def test_api_draft_for_staff(cast, built, drafted, as_role):
    body = as_role("staff").get(f"{API}/draft").json()

    assert (body["based_on"], body["number"]) == (4, 5)
    assert len(body["changes"]) == 10
    assert body["agenda"]["goals"][1]["title"] == "Unpublished new goal"
    assert as_role("staff").get(API).json()["number"] == 4  # the agenda is the published one


@pytest.mark.parametrize("role", ROLES)
def test_api_draft_by_role(cast, built, drafted, as_role, role):
    status = as_role(role).get(f"{API}/draft").status_code

    if role == "staff":
        assert status == 200
    elif role in ("anonymous", "public", "other_staff"):
        assert status == 404
    else:
        assert status == 403
