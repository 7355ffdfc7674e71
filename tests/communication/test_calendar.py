"""Calendar feeds: valid iCalendar, times round-trip with their zones, and a token reveals only
what its own person may see, until revoked."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from backbone.communication.calendar import calendar_build
from backbone.communication.models import CalendarFeed
from backbone.communication.tokens import feed_create, token_hash
from tests.conftest import client_as

from .conftest import CHICAGO, meeting

pytestmark = pytest.mark.integration


def events(body: bytes) -> dict:
    return {str(e["summary"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def read_feed(cast, person, group=None):
    _, raw = feed_create(initiative=cast.initiative, person=person, group=group)
    return client_as(None).get(reverse("communication:feed", args=["riverton", raw])), raw


def test_calendar_round_trips_instant_and_zone(cast, db):
    from datetime import datetime

    start = datetime(2025, 11, 2, 1, 30, tzinfo=CHICAGO)  # the morning clocks go back
    m = meeting(cast, "Night shift check-in", start=start)
    tokyo = meeting(cast, "Tokyo call", start=datetime(2025, 6, 1, 9, 0, tzinfo=CHICAGO))
    tokyo.time_zone = "Asia/Tokyo"
    tokyo.save()
    cal = Calendar.from_ical(calendar_build(name="Test", meetings=[m, tokyo]))
    found = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    for source in (m, tokyo):
        event = found[source.title]
        assert event["dtstart"].params["TZID"] == source.time_zone
        start_back = event.decoded("dtstart")
        assert start_back == source.starts_at
        assert start_back.tzinfo.key == source.time_zone
        assert event.decoded("dtend") == source.ends_at
    assert {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")} == {"America/Chicago", "Asia/Tokyo"}


def test_person_feed_shows_own_groups_and_all_partners_only(groups, cast):
    response, _ = read_feed(cast, cast.member_a)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert set(events(response.content)) == {
        "Reading March",
        "Reading budget talk",  # private meeting of member_a's own group
        "All partners spring",
    }


def test_person_feed_never_reveals_another_persons_meetings(groups, cast):
    response, _ = read_feed(cast, cast.steward_b)
    assert set(events(response.content)) == {"Data agreement review", "All partners spring"}
    response, _ = read_feed(cast, cast.funder)
    assert set(events(response.content)) == {"All partners spring"}


def test_group_feed_hides_private_meetings_from_outsiders_of_the_group(groups, cast):
    response, _ = read_feed(cast, cast.evaluator, groups.open)
    assert set(events(response.content)) == {"Reading March"}
    response, _ = read_feed(cast, cast.community, groups.open)
    assert set(events(response.content)) == {"Reading March", "Reading budget talk"}


def test_group_feed_of_private_group_is_404_for_outsider(groups, cast):
    response, _ = read_feed(cast, cast.steward_a, groups.private)
    assert response.status_code == 404


def test_revoked_or_unknown_token_is_404(groups, cast, as_role):
    response, raw = read_feed(cast, cast.steward_a)
    assert response.status_code == 200
    feed = CalendarFeed.objects.get(token_hash=token_hash(raw))
    assert raw not in str(CalendarFeed.objects.values_list().get(pk=feed.pk))  # only the hash
    as_role("steward_a").post(
        reverse("communication:feeds", args=["riverton"]), {"revoke": feed.uuid}
    )
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    anon = client_as(None)
    assert anon.get(reverse("communication:feed", args=["riverton", raw])).status_code == 404
    assert anon.get(reverse("communication:feed", args=["riverton", "nope"])).status_code == 404
    assert anon.get(reverse("communication:feed", args=["lakeside", raw])).status_code == 404


def test_person_may_not_revoke_another_persons_feed(groups, cast, as_role):
    feed, _ = feed_create(initiative=cast.initiative, person=cast.steward_a)
    response = as_role("steward_b").post(
        reverse("communication:feeds", args=["riverton"]), {"revoke": feed.uuid}
    )
    feed.refresh_from_db()
    assert response.status_code == 404 and feed.revoked_at is None


def test_feed_page_shows_new_link_once(groups, cast, as_role):
    client = as_role("steward_a")
    response = client.post(reverse("communication:feeds", args=["riverton"]))
    link = response.context["new_link"]
    assert "/i/riverton/groups/calendar/" in link and link.endswith(".ics")
    assert (
        link not in client.get(reverse("communication:feeds", args=["riverton"])).content.decode()
    )
    assert client_as(None).get(link.split("testserver")[1]).status_code == 200


def test_feed_empties_when_person_leaves_the_initiative(groups, cast):
    from backbone.initiatives.models import Membership

    _, raw = feed_create(initiative=cast.initiative, person=cast.member_a)
    Membership.objects.filter(person=cast.member_a).delete()
    body = client_as(None).get(reverse("communication:feed", args=["riverton", raw])).content
    assert events(body) == {}


def test_revoking_a_calendar_link_asks_first(groups, cast, as_role):
    feed, _ = feed_create(initiative=cast.initiative, person=cast.steward_a)
    url = reverse("communication:feeds", args=["riverton"])
    assert f"?revoke={feed.uuid}" in as_role("steward_a").get(url).content.decode()

    asked = as_role("steward_a").get(url, {"revoke": feed.uuid})

    assert asked.status_code == 200 and "Revoke the link</button>" in asked.content.decode()
    feed.refresh_from_db()
    assert feed.revoked_at is None
    assert as_role("steward_b").get(url, {"revoke": feed.uuid}).status_code == 404
    assert as_role("steward_a").get(url, {"revoke": "not-a-uuid"}).status_code == 404
