"""The updates pages: who may read, comment and choose what they follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backbone.initiatives.models import Initiative
from backbone.updates.models import Following, Update, UpdateComment
from tests.conftest import ROLES, client_as

from .factories import make_decision, make_meeting, make_update

pytestmark = pytest.mark.integration

MEMBERS = {"community", "member_a", "steward_a", "steward_b", "funder", "evaluator", "staff"}
COMMENTERS = {"community", "member_a", "steward_a", "steward_b", "staff"}


def _public(cast):
    Initiative.objects.filter(pk=cast.initiative.pk).update(visibility="public")


@pytest.mark.parametrize("role", ROLES)
def test_feed_private_initiative_by_role(cast, as_role, role):
    update = make_update(cast.initiative, author=cast.staff)
    response = as_role(role).get(reverse("updates:feed", args=["riverton"]))
    assert response.status_code == (200 if role in MEMBERS else 404)
    if role in MEMBERS:
        assert update.title in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "public", "other_staff"])
def test_feed_public_initiative_readable_by_outsiders(cast, as_role, role):
    _public(cast)
    make_update(cast.initiative, title="Summer reading starts")
    response = as_role(role).get(reverse("updates:feed", args=["riverton"]))
    assert response.status_code == 200
    assert "Summer reading starts" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_update_page_private_initiative_by_role(cast, as_role, role):
    update = make_update(cast.initiative)
    url = reverse("updates:detail", args=["riverton", update.uuid])
    assert as_role(role).get(url).status_code == (200 if role in MEMBERS else 404)


def test_update_page_other_initiatives_update_is_404(cast, as_role):
    elsewhere = make_update(cast.other_initiative)
    url = reverse("updates:detail", args=["riverton", elsewhere.uuid])
    assert as_role("staff").get(url).status_code == 404


def test_update_page_public_hides_comments_from_outsiders(cast, as_role):
    _public(cast)
    update = make_update(cast.initiative)
    UpdateComment.objects.create(
        initiative=cast.initiative, update=update, author=cast.community, body="Secret-ish"
    )
    url = reverse("updates:detail", args=["riverton", update.uuid])
    assert "Secret-ish" not in as_role("anonymous").get(url).content.decode()
    assert "Secret-ish" in as_role("funder").get(url).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_comment_post_by_role(cast, as_role, role):
    update = make_update(cast.initiative)
    url = reverse("updates:comment", args=["riverton", update.uuid])
    response = as_role(role).post(url, {"body": "We will share it with parents."})
    if role in COMMENTERS:
        assert response.status_code == 302
        assert UpdateComment.objects.get().author == cast.person(role)
    else:
        assert response.status_code == (403 if role in MEMBERS else 404)
        assert not UpdateComment.objects.exists()


def test_comment_post_public_initiative_anonymous_signs_in_first(cast, as_role):
    _public(cast)
    update = make_update(cast.initiative)
    url = reverse("updates:comment", args=["riverton", update.uuid])
    response = as_role("anonymous").post(url, {"body": "Hello"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert as_role("public").post(url, {"body": "Hello"}).status_code == 403
    assert not UpdateComment.objects.exists()


def test_comment_post_htmx_returns_the_list(cast, as_role):
    update = make_update(cast.initiative)
    url = reverse("updates:comment", args=["riverton", update.uuid])
    response = as_role("community").post(
        url, {"body": "Line one\nline two"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="update-comments"' in html
    assert "<html" not in html
    assert "Line one<br>line two" in html


def test_comment_post_empty_shows_the_error(cast, as_role):
    update = make_update(cast.initiative)
    url = reverse("updates:comment", args=["riverton", update.uuid])
    response = as_role("community").post(url, {"body": "   "})
    assert response.status_code == 400
    assert "Write a comment first." in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_following_page_by_role(cast, as_role, role):
    response = as_role(role).get(reverse("updates:following", args=["riverton"]))
    assert response.status_code == (200 if role in MEMBERS else 404)


def test_following_page_saves_choices(cast, as_role):
    url = reverse("updates:following", args=["riverton"])
    response = as_role("funder").post(url, {"news": "on", "frequency": "daily"})
    assert response.status_code == 302
    following = Following.objects.get(person=cast.funder)
    assert (following.news, following.data_releases, following.decisions) == (True, False, False)
    assert cast.funder.digest_schedule.frequency == "daily"


@pytest.mark.parametrize("role", ROLES)
def test_update_create_by_role(cast, as_role, role):
    url = reverse("updates:create", args=["riverton"])
    data = {"kind": "data_release", "title": "Third-grade reading, 2026", "body": "Up 4 points."}
    response = as_role(role).post(url, data)
    if role == "staff":
        assert response.status_code == 302
        assert Update.objects.get().author == cast.staff
    else:
        assert response.status_code in {403, 404}
        assert response.status_code == (403 if role in MEMBERS else 404)
        assert not Update.objects.exists()


def test_feed_decisions_of_open_meetings_only_for_members(cast, as_role):
    _public(cast)
    make_decision(make_meeting(cast.initiative), text="Open decision")
    make_decision(make_meeting(cast.initiative, is_private=True), text="Private decision")
    url = reverse("updates:feed", args=["riverton"])
    member_page = as_role("community").get(url).content.decode()
    assert "Open decision" in member_page
    assert "Private decision" not in member_page
    assert "Open decision" not in as_role("anonymous").get(url).content.decode()


def _feed_queries(cast, count: int) -> int:
    meeting = make_meeting(cast.initiative)
    for n in range(count):
        update = make_update(cast.initiative, title=f"Update {n}", author=cast.staff)
        UpdateComment.objects.create(
            initiative=cast.initiative, update=update, author=cast.community, body="Thanks"
        )
        make_decision(meeting, text=f"Decision {n}")
    client = client_as(cast.community)
    url = reverse("updates:feed", args=["riverton"])
    client.get(url)  # the session and the like, once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_feed_query_count_constant(cast):
    few = _feed_queries(cast, 1)
    Update.objects.all().delete()
    many = _feed_queries(cast, 3)
    assert few == many


def test_feed_paginates_newest_first(cast, as_role):
    for n in range(25):
        make_update(cast.initiative, title=f"Update number {n:02d}")
    url = reverse("updates:feed", args=["riverton"])
    first = as_role("staff").get(url).content.decode()
    assert "Update number 24" in first and "Update number 04" not in first
    second = as_role("staff").get(url, {"page": 2}).content.decode()
    assert "Update number 04" in second and "Update number 24" not in second


def test_feed_orders_by_the_date_each_item_shows(cast, as_role):
    now = timezone.now()
    old_meeting = make_meeting(cast.initiative, starts=now - timedelta(days=90))
    decision = make_decision(
        old_meeting, text="Adopt the attendance goal.", decided_on=old_meeting.starts_at.date()
    )
    yesterday = make_update(cast.initiative, title="Yesterday's news", at=now - timedelta(days=1))
    html = as_role("staff").get(reverse("updates:feed", args=["riverton"])).content.decode()
    assert html.index(f'id="update-{yesterday.uuid}"') < html.index(f'id="decision-{decision.pk}"')


def test_feed_decision_recorded_today_for_an_old_meeting_is_on_page_two(cast, as_role):
    now = timezone.now()
    for n in range(20):
        make_update(cast.initiative, title=f"Update number {n:02d}", at=now - timedelta(days=1 + n))
    old_meeting = make_meeting(cast.initiative, starts=now - timedelta(days=90))
    make_decision(
        old_meeting, text="Adopt the attendance goal.", decided_on=old_meeting.starts_at.date()
    )
    url = reverse("updates:feed", args=["riverton"])
    first = as_role("staff").get(url).content.decode()
    assert "Adopt the attendance goal." not in first
    assert "Update number 00" in first and "Update number 19" in first
    assert 'href="?page=2" rel="next"' in first
    second = as_role("staff").get(url, {"page": 2}).content.decode()
    assert "Adopt the attendance goal." in second and "Update number" not in second
    assert 'href="?page=1" rel="prev"' in second


def test_feed_same_day_items_keep_their_order_across_requests(cast, as_role):
    at = timezone.now() - timedelta(days=2)
    for n in range(5):
        make_update(cast.initiative, title=f"Same moment {n}", at=at)
    url = reverse("updates:feed", args=["riverton"])
    for _ in range(2):
        html = as_role("staff").get(url).content.decode()
        positions = [html.index(f"Same moment {n}") for n in range(5)]
        assert positions == sorted(positions, reverse=True)


def test_feed_is_not_a_numbered_list(cast, as_role):
    make_update(cast.initiative)
    html = as_role("staff").get(reverse("updates:feed", args=["riverton"])).content.decode()
    assert "<ol" not in html.split("<main", 1)[-1]
