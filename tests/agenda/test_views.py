"""Every page and form of the common agenda, through HTTP as people use it."""

import pytest

from backbone.agenda import services
from backbone.agenda.models import AgendaVersion, AgreedAction, Comment, Endorsement, Goal, Strategy
from backbone.agenda.selectors import draft_of

from .conftest import make_grant, publish, versions

pytestmark = pytest.mark.integration

BASE = "/i/riverton/agenda/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _html(response) -> str:
    return response.content.decode()


# --- the agenda page -------------------------------------------------------------------------


def test_agenda_page_shows_texts_goals_strategies_actions_and_version(cast, built, as_role):
    response = as_role("community").get(BASE)

    html = _html(response)
    assert response.status_code == 200
    assert "Fewer than half of the children arrive" in html
    assert "Every child in Riverton succeeds" in html
    assert "Safe places to learn and play." in html
    assert "Goal 1: Every child enters kindergarten ready" in html
    assert "Strategy: Expand access to early learning" in html
    assert 'Open 300 new pre-K seats <span class="badge">Planned</span>' in html
    assert "Version 4 of" in html and "published by Sam Staff" in html


def test_agenda_page_shows_action_status_badges(cast, built, as_role):
    services.action_update(
        action=built.action, by=cast.staff, title=built.action.title, description="", status="done"
    )
    publish(cast.initiative, cast.staff)

    html = _html(as_role("steward_a").get(BASE))

    assert '<span class="badge good">Done</span>' in html


def test_agenda_page_counts_endorsements_of_the_current_version(cast, built, as_role):
    services.endorsement_create(version=built.version, partner=cast.partner_a, by=cast.steward_a)

    html = _html(as_role("funder").get(BASE))

    assert "1 of 2 partners endorse version 4" in html
    assert "Endorses version 4" in html and "Not endorsed" in html
    assert "Ada Steward" in html


def test_agenda_page_shows_partners_that_endorsed_an_earlier_version(cast, built, as_role):
    services.endorsement_create(version=built.version, partner=cast.partner_a, by=cast.steward_a)
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="Second goal")
    publish(cast.initiative, cast.staff)

    html = _html(as_role("staff").get(BASE))

    assert "0 of 2 partners endorse version 5" in html
    assert "Endorsed version 4" in html
    assert f"?a={built.version.uuid}" in html  # "what changed since" links to the comparison


def test_agenda_page_offers_a_steward_the_endorse_button_for_their_partner(cast, built, as_role):
    html = _html(as_role("steward_a").get(BASE))

    assert f'action="{BASE}endorse/{cast.org_a.slug}/"' in html
    assert f'value="{built.version.uuid}"' in html
    assert f"endorse/{cast.org_b.slug}/" not in html


def test_agenda_page_hides_the_endorse_button_once_endorsed(cast, built, as_role):
    services.endorsement_create(version=built.version, partner=cast.partner_a, by=cast.steward_a)

    html = _html(as_role("steward_a").get(BASE))

    assert "/endorse/" not in html


@pytest.mark.parametrize("role", ["staff", "member_a", "community", "funder", "evaluator"])
def test_agenda_page_shows_no_endorse_button_to_others(cast, built, as_role, role):
    assert "/endorse/" not in _html(as_role(role).get(BASE))


def test_agenda_page_links_editing_only_for_staff(cast, built, as_role):
    assert f'href="{BASE}edit/"' in _html(as_role("staff").get(BASE))
    assert f'href="{BASE}edit/"' not in _html(as_role("steward_a").get(BASE))


def test_agenda_page_shows_comments_and_their_forms_to_participants(cast, built, as_role):
    services.comment_create(
        initiative=cast.initiative, by=cast.community, body="Include home care.", goal=built.goal
    )

    html = _html(as_role("member_a").get(BASE))

    assert "Include home care." in html
    assert f'hx-post="{BASE}goals/{built.goal.uuid}/comments/"' in html
    assert f'hx-post="{BASE}strategies/{built.strategy.uuid}/comments/"' in html


def test_agenda_page_shows_comments_without_forms_to_funders(cast, built, as_role):
    services.comment_create(
        initiative=cast.initiative, by=cast.community, body="Include home care.", goal=built.goal
    )

    html = _html(as_role("funder").get(BASE))

    assert "Include home care." in html
    assert "hx-post" not in html


def test_agenda_page_escapes_titles(cast, built, as_role):
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="<b>Bold</b> goal")
    publish(cast.initiative, cast.staff)

    html = _html(as_role("staff").get(BASE))

    assert "&lt;b&gt;Bold&lt;/b&gt; goal" in html
    assert "<b>Bold</b>" not in html


def test_agenda_page_before_anything_is_written(cast, as_role):
    response = as_role("staff").get(BASE)

    assert response.status_code == 200
    assert "has not been written yet" in _html(response)
    assert "No version published yet." in _html(response)
    assert "Publish as version" not in _html(response)


def test_agenda_page_of_a_public_initiative_hides_comments_from_anonymous(cast, built, as_role):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    services.comment_create(
        initiative=cast.initiative, by=cast.community, body="Members only words", goal=built.goal
    )

    response = as_role("anonymous").get(BASE)

    assert response.status_code == 200
    assert "Every child enters kindergarten ready" in _html(response)
    assert "Members only words" not in _html(response)
    assert "Version history" not in _html(response)


# --- editing ----------------------------------------------------------------------------------


def _header(**extra) -> dict:
    return {
        "problem_statement": "Too few children are ready.",
        "vision": "Every child succeeds.",
        "community_aspirations": "Safe places.",
    } | extra


def _publish(client, note: str = "", **extra):
    return client.post(f"{BASE}publish/", {"note": note, **extra})


def test_edit_page_shows_texts_as_editable_words(cast, built, as_role):
    response = as_role("staff").get(f"{BASE}edit/")

    html = _html(response)
    assert response.status_code == 200
    assert "Every child in Riverton succeeds from cradle to career.</textarea>" in html
    assert "&lt;p&gt;" not in html
    assert f'href="{BASE}goals/{built.goal.uuid}/edit/"' in html
    assert f'href="{BASE}strategies/{built.strategy.uuid}/actions/new/"' in html
    assert f'href="{BASE}actions/{built.action.uuid}/delete/"' in html


def test_edit_header_saves_the_draft_and_publishing_records_the_note(cast, built, as_role):
    client = as_role("staff")

    response = client.post(f"{BASE}edit/", _header(), follow=True)

    assert "Saved in the draft: 3 changes not published yet." in _html(response)
    assert versions(cast.initiative) == 4
    published = _publish(client, "After the data walk")
    assert published.status_code == 302 and published["Location"] == BASE
    version = AgendaVersion.objects.filter(initiative=cast.initiative).first()
    assert version.number == 5
    assert version.note == "After the data walk"
    assert version.created_by == cast.staff
    assert "Vision changed" in version.changes


def test_edit_header_saved_unchanged_records_no_version(cast, built, as_role):
    client = as_role("staff")
    form = client.get(f"{BASE}edit/").context["form"]
    unchanged = {name: form.initial.get(name, "") for name in form.fields}
    unchanged = {k: v.replace("\n", "\r\n") for k, v in unchanged.items()}  # as browsers send

    response = client.post(f"{BASE}edit/", unchanged, follow=True)

    assert versions(cast.initiative) == 4
    assert "Nothing changed in the draft." in _html(response)


def test_publish_with_a_note_too_long_changes_nothing(cast, built, as_role):
    client = as_role("staff")
    client.post(f"{BASE}edit/", _header())

    response = _publish(client, "x" * 301)

    assert response.status_code == 200
    assert "Ensure this value has at most 300 characters" in _html(response)
    assert versions(cast.initiative) == 4


def test_add_goal_saves_it_in_the_draft(cast, built, as_role):
    response = as_role("staff").post(
        f"{BASE}goals/new/", {"title": "All students graduate", "description": "On time."}
    )

    goal = Goal.objects.get(title="All students graduate")
    assert response.status_code == 302
    assert response["Location"].endswith(f"{BASE}edit/#goal-{goal.uuid}")
    assert goal.description == "<p>On time.</p>"
    assert versions(cast.initiative) == 4
    assert draft_of(cast.initiative).changes == ["Goal added: All students graduate"]


def test_add_goal_invalid_shows_errors_and_changes_nothing(cast, built, as_role):
    response = as_role("staff").post(f"{BASE}goals/new/", {"title": "", "description": "D"})

    assert response.status_code == 200
    assert "This field is required." in _html(response)
    assert Goal.objects.filter(initiative=cast.initiative).count() == 1
    assert versions(cast.initiative) == 4


def test_edit_goal_page_and_save(cast, built, as_role):
    client = as_role("staff")
    assert client.get(f"{BASE}goals/{built.goal.uuid}/edit/").status_code == 200

    response = client.post(
        f"{BASE}goals/{built.goal.uuid}/edit/", {"title": "Ready for school", "description": ""}
    )

    built.goal.refresh_from_db()
    assert response.status_code == 302
    assert built.goal.title == "Ready for school"
    assert versions(cast.initiative) == 4
    assert draft_of(cast.initiative).changes == [
        "Goal renamed: Every child enters kindergarten ready → Ready for school"
    ]


def test_edit_goal_invalid_changes_nothing(cast, built, as_role):
    response = as_role("staff").post(
        f"{BASE}goals/{built.goal.uuid}/edit/", {"title": "x" * 301, "description": ""}
    )

    built.goal.refresh_from_db()
    assert response.status_code == 200
    assert built.goal.title == "Every child enters kindergarten ready"
    assert versions(cast.initiative) == 4


def test_delete_goal_asks_then_deletes_with_its_strategies(cast, built, as_role):
    client = as_role("staff")
    page = client.get(f"{BASE}goals/{built.goal.uuid}/delete/")
    assert "1 strategy" in _html(page) and "1 agreed action" in _html(page)

    response = client.post(f"{BASE}goals/{built.goal.uuid}/delete/")

    assert response.status_code == 302
    assert not Goal.objects.filter(pk=built.goal.pk).exists()
    assert not Strategy.objects.filter(pk=built.strategy.pk).exists()
    assert draft_of(cast.initiative).changes == [
        "Goal removed: Every child enters kindergarten ready"
    ]
    assert versions(cast.initiative) == 4


@pytest.mark.parametrize("path", ["goals/{goal}/delete/", "strategies/{strategy}/delete/"])
def test_delete_of_a_funded_goal_or_strategy_says_why_instead_of_failing(
    cast, built, as_role, path
):
    make_grant(cast.initiative, "Reading grant", strategy=built.strategy)
    url = BASE + path.format(goal=built.goal.uuid, strategy=built.strategy.uuid)
    client = as_role("staff")

    page = client.get(url)
    response = client.post(url, {"note": "Merged"})

    reason = "cannot be deleted: 1 grant funds it (Reading grant)"
    assert page.status_code == 200 and reason in _html(page)
    assert 'class="danger">Delete<' not in _html(page)
    assert response.status_code == 409 and reason in _html(response)
    assert Strategy.objects.filter(pk=built.strategy.pk).exists()
    assert versions(cast.initiative) == 4


def test_add_edit_and_delete_a_strategy(cast, built, as_role):
    client = as_role("staff")
    assert client.get(f"{BASE}goals/{built.goal.uuid}/strategies/new/").status_code == 200

    client.post(f"{BASE}goals/{built.goal.uuid}/strategies/new/", {"title": "Home visits"})
    _publish(client)
    strategy = Strategy.objects.get(title="Home visits")
    client.post(
        f"{BASE}strategies/{strategy.uuid}/edit/", {"title": "Home visiting", "description": ""}
    )
    _publish(client)
    client.post(f"{BASE}strategies/{strategy.uuid}/delete/")
    _publish(client)

    assert strategy.goal == built.goal
    assert not Strategy.objects.filter(pk=strategy.pk).exists()
    changes = [v.changes for v in AgendaVersion.objects.filter(number__gt=4).order_by("number")]
    assert changes == [
        ["Strategy added: Home visits (under Every child enters kindergarten ready)"],
        ["Strategy renamed: Home visits → Home visiting"],
        ["Strategy removed: Home visiting"],
    ]


def test_add_edit_and_delete_an_agreed_action(cast, built, as_role):
    client = as_role("staff")
    new_url = f"{BASE}strategies/{built.strategy.uuid}/actions/new/"
    assert client.get(new_url).status_code == 200

    client.post(new_url, {"title": "Hire coaches", "description": "", "status": "under_way"})
    action = AgreedAction.objects.get(title="Hire coaches")
    assert client.get(f"{BASE}actions/{action.uuid}/edit/").status_code == 200
    client.post(
        f"{BASE}actions/{action.uuid}/edit/",
        {"title": "Hire coaches", "description": "", "status": "done"},
    )
    action.refresh_from_db()
    assert action.status == "done"
    assert client.get(f"{BASE}actions/{action.uuid}/delete/").status_code == 200
    client.post(f"{BASE}actions/{action.uuid}/delete/")

    assert not AgreedAction.objects.filter(pk=action.pk).exists()
    assert versions(cast.initiative) == 4
    assert draft_of(cast.initiative).changes == []  # added and removed again


def test_add_action_with_an_unknown_status_changes_nothing(cast, built, as_role):
    response = as_role("staff").post(
        f"{BASE}strategies/{built.strategy.uuid}/actions/new/",
        {"title": "Hire coaches", "status": "someday"},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in _html(response)
    assert versions(cast.initiative) == 4


@pytest.mark.parametrize(
    "path",
    [
        "goals/{other_goal}/edit/",
        "goals/{other_goal}/delete/",
        "goals/{other_goal}/strategies/new/",
        "goals/{other_goal}/comments/",
        "strategies/{other_strategy}/edit/",
        "strategies/{other_strategy}/delete/",
        "strategies/{other_strategy}/actions/new/",
        "strategies/{other_strategy}/comments/",
        "actions/{other_action}/edit/",
        "actions/{other_action}/delete/",
    ],
)
def test_another_initiatives_items_are_not_found(cast, built, as_role, path):
    url = BASE + path.format(
        other_goal=built.other_goal.uuid,
        other_strategy=built.other_strategy.uuid,
        other_action=built.other_action.uuid,
    )

    client = as_role("staff")

    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Hijack", "body": "Hi", "status": "done"}).status_code == 404
    assert versions(cast.other_initiative) == 3
    assert not Comment.objects.exists()


@pytest.mark.parametrize("kind", ["goals", "strategies", "actions"])
def test_another_initiatives_items_are_not_moved(cast, built, as_role, kind):
    item = {"goals": built.other_goal, "strategies": built.other_strategy}.get(
        kind, built.other_action
    )

    response = as_role("staff").post(f"{BASE}{kind}/{item.uuid}/move/", {"direction": "up"})

    assert response.status_code == 404
    assert draft_of(cast.other_initiative).changes == []


# --- history and comparison -----------------------------------------------------------------------


def test_history_lists_versions_with_who_when_note_and_changes(cast, built, as_role):
    response = as_role("evaluator").get(f"{BASE}versions/")

    html = _html(response)
    assert response.status_code == 200
    assert "4 versions, newest first" in html
    assert "Adopted at the launch" in html
    assert "Goal added: Every child enters kindergarten ready" in html
    assert "Sam Staff" in html
    assert f"compare/?b={built.version.uuid}" in html


def test_compare_without_parameters_shows_the_last_change(cast, built, as_role):
    response = as_role("staff").get(f"{BASE}versions/compare/")

    html = _html(response)
    assert response.status_code == 200
    assert "Compare version 3 with version 4" in html
    assert "<ins>Open 300 new pre-K seats</ins>" in html


def test_compare_shows_two_versions_side_by_side(cast, built, as_role):
    first = AgendaVersion.objects.get(initiative=cast.initiative, number=1)
    services.agenda_update(
        initiative=cast.initiative,
        by=cast.staff,
        problem_statement="Fewer than half of the children <strong>and youth</strong> thrive.",
        vision="Every child in Riverton succeeds from cradle to career.",
        community_aspirations="Safe places to learn and play.",
    )
    latest = publish(cast.initiative, cast.staff)

    response = as_role("steward_b").get(f"{BASE}versions/compare/?a={latest.uuid}&b={first.uuid}")

    html = _html(response)
    assert response.status_code == 200
    assert "Compare version 1 with version 5" in html  # the older one goes left
    assert "<ins>and youth thrive.</ins>" in html
    assert "<del>arrive at kindergarten ready to learn.</del>" in html
    assert "<strong>and youth</strong>" not in html
    assert "Goal: Every child enters kindergarten ready" in html


def test_compare_shows_what_changed_unless_asked_for_everything(cast, built, as_role):
    first = AgendaVersion.objects.get(initiative=cast.initiative, number=1)
    url = f"{BASE}versions/compare/?a={first.uuid}&b={built.version.uuid}"

    changes = _html(as_role("staff").get(url))
    everything = _html(as_role("staff").get(url + "&show=all"))

    assert "Unchanged" in everything
    assert '<span class="badge">Unchanged</span>' not in changes


@pytest.mark.parametrize("value", ["garbage", "00000000-0000-0000-0000-000000000000", "other"])
def test_compare_with_a_foreign_or_garbage_version_is_not_found(cast, built, as_role, value):
    if value == "other":
        value = built.other_version.uuid
    client = as_role("staff")

    assert (
        client.get(f"{BASE}versions/compare/?a={value}&b={built.version.uuid}").status_code == 404
    )
    assert (
        client.get(f"{BASE}versions/compare/?a={built.version.uuid}&b={value}").status_code == 404
    )


def test_compare_before_any_version_is_not_found(cast, as_role):
    assert as_role("staff").get(f"{BASE}versions/compare/").status_code == 404


# --- endorsing ------------------------------------------------------------------------------


def _endorse(client, org, version):
    return client.post(f"{BASE}endorse/{org.slug}/", {"version": str(version)})


def test_endorse_records_the_steward_and_goes_back_to_the_agenda(cast, built, as_role):
    response = _endorse(as_role("steward_a"), cast.org_a, built.version.uuid)

    assert response.status_code == 302
    assert response["Location"] == BASE
    endorsement = Endorsement.objects.get()
    assert (endorsement.partner, endorsement.version) == (cast.partner_a, built.version)
    assert endorsement.endorsed_by == cast.steward_a


def test_endorse_an_older_version_is_refused(cast, built, as_role):
    older = AgendaVersion.objects.get(initiative=cast.initiative, number=2)

    response = _endorse(as_role("steward_a"), cast.org_a, older.uuid)

    assert response.status_code == 400
    assert "no longer the current agenda" in _html(response)
    assert not Endorsement.objects.exists()


def test_endorse_twice_is_refused(cast, built, as_role):
    client = as_role("steward_a")
    _endorse(client, cast.org_a, built.version.uuid)

    response = _endorse(client, cast.org_a, built.version.uuid)

    assert response.status_code == 400
    assert "already endorsed" in _html(response)
    assert Endorsement.objects.count() == 1


@pytest.mark.parametrize("value", ["garbage", "", "other"])
def test_endorse_a_foreign_or_garbage_version_is_not_found(cast, built, as_role, value):
    if value == "other":
        value = built.other_version.uuid

    response = _endorse(as_role("steward_a"), cast.org_a, value)

    assert response.status_code == 404
    assert not Endorsement.objects.exists()


def test_endorse_for_a_paused_partner_is_forbidden(cast, built, as_role):
    cast.partner_a.status = "paused"
    cast.partner_a.save()

    response = _endorse(as_role("steward_a"), cast.org_a, built.version.uuid)

    assert response.status_code == 403
    assert not Endorsement.objects.exists()


def test_endorse_for_an_organisation_that_is_no_partner_is_not_found(cast, built, as_role):
    from backbone.initiatives.services import organisation_create

    stranger = organisation_create(name="Elsewhere Trust", sector="philanthropy")

    response = _endorse(as_role("steward_a"), stranger, built.version.uuid)

    assert response.status_code == 404


def test_endorse_by_get_is_not_allowed(cast, built, as_role):
    assert as_role("steward_a").get(f"{BASE}endorse/{cast.org_a.slug}/").status_code == 405


# --- comments -----------------------------------------------------------------------------------


def test_comment_without_javascript_redirects_to_the_thread(cast, built, as_role):
    url = f"{BASE}goals/{built.goal.uuid}/comments/"
    client = as_role("community")

    response = client.post(url, {"body": "Include home-based care."})

    assert response.status_code == 302
    assert response["Location"] == url
    thread = client.get(url)
    assert "Include home-based care." in _html(thread)
    assert "your comment is posted" in _html(thread)


def test_comment_with_htmx_answers_the_partial(cast, built, as_role):
    url = f"{BASE}strategies/{built.strategy.uuid}/comments/"

    response = as_role("steward_b").post(url, {"body": "Bus routes matter."}, **HTMX)

    html = _html(response)
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="comments-{built.strategy.uuid}"' in html
    assert "Bus routes matter." in html and "Bea Steward" in html
    assert 'hx-swap-oob="true">1</span>' in html
    assert Comment.objects.get().strategy == built.strategy


def test_comment_empty_shows_the_error_and_saves_nothing(cast, built, as_role):
    url = f"{BASE}goals/{built.goal.uuid}/comments/"
    client = as_role("community")

    plain = client.post(url, {"body": "   "})
    partial = client.post(url, {"body": "<script>alert(1)</script>"}, **HTMX)

    assert plain.status_code == 200 and "<html" in _html(plain)
    assert "This field is required." in _html(plain)
    assert partial.status_code == 200 and "<html" not in _html(partial)
    assert "Write a comment first." in _html(partial)
    assert not Comment.objects.exists()


def test_comment_body_is_sanitised(cast, built, as_role):
    as_role("member_a").post(
        f"{BASE}goals/{built.goal.uuid}/comments/",
        {"body": '<p>Nice <img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a></p>'},
    )

    body = Comment.objects.get().body
    assert "onerror" not in body and "javascript:" not in body and "<img" not in body


def test_comment_thread_page_lists_comments(cast, built, as_role):
    services.comment_create(
        initiative=cast.initiative, by=cast.community, body="First!", strategy=built.strategy
    )

    response = as_role("evaluator").get(f"{BASE}strategies/{built.strategy.uuid}/comments/")

    assert response.status_code == 200
    assert "First!" in _html(response)
    assert "<textarea" not in _html(response)  # evaluators read, they do not comment
