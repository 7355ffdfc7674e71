"""The updates feed over the API: the feed each caller reads (decisions for members only),
who posts updates and comments, no leak across initiatives, what the services refuse."""

# ruff: noqa: F811 (the `call` fixture is imported from tests.api.callers and asked for by name)
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from backbone.updates.models import Update, UpdateComment
from tests.api.callers import EVERYONE, MEMBERS, call, tokens  # noqa: F401 (fixtures)
from tests.updates.factories import make_comment, make_decision, make_meeting, make_update

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/updates"
COMMENTERS = {"community", "member_a", "steward_a", "steward_b", "staff", "partner_token"}
COMMENTERS |= {"personal_token"}


def read(who: str) -> int:
    if who == "revoked_token":
        return 401
    return 200 if who in MEMBERS else 404


def write(who: str, writers: set[str]) -> int:
    expected = read(who)
    return expected if expected != 200 else (201 if who in writers else 403)


@pytest.fixture
def rows(cast):
    old = make_update(
        cast.initiative,
        title="Library opens",
        author=cast.staff,
        at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    new = make_update(
        cast.initiative,
        title="Data release",
        kind="data_release",
        at=datetime(2026, 12, 2, tzinfo=UTC),
    )
    make_comment(old, author=cast.steward_a)
    make_decision(make_meeting(cast.initiative), decided_on=date(2026, 11, 20))
    make_decision(make_meeting(cast.initiative, is_private=True), text="Secret")
    other = make_update(cast.other_initiative, title="Lakeside news")
    return old, new, other


@pytest.mark.parametrize("who", EVERYONE)
def test_feed_and_reads_by_role(cast, rows, call, who):
    old, new, other = rows
    feed = call(who, "get", BASE)
    assert feed.status_code == read(who)
    assert call(who, "get", f"{BASE}/{old.uuid}").status_code == read(who)
    assert call(who, "get", f"{BASE}/{old.uuid}/comments").status_code == read(who)
    if feed.status_code == 200:
        items = feed.json()["items"]
        assert [i["type"] for i in items] == ["update", "decision", "update"]
        assert items[0]["update"]["title"] == "Data release"
        assert items[1]["decision"]["text"].startswith("Adopt")
        assert items[2]["update"]["comments"] == 1
        assert items[2]["update"]["author"] == "Sam Staff"
        comments = call(who, "get", f"{BASE}/{old.uuid}/comments").json()["items"]
        assert [c["author"] for c in comments] == ["Ada Steward"]
    assert call(who, "get", f"{BASE}/{other.uuid}").status_code in {401, 404}


def test_visitors_of_a_public_initiative_read_updates_without_decisions_or_comments(
    cast, rows, call
):
    old, *_ = rows
    cast.initiative.visibility = "public"
    cast.initiative.save()
    for who in ("anonymous", "public"):
        items = call(who, "get", BASE).json()["items"]
        assert [i["type"] for i in items] == ["update", "update"]
        assert call(who, "get", f"{BASE}/{old.uuid}").status_code == 200
        assert call(who, "get", f"{BASE}/{old.uuid}/comments").status_code == 404
    body = {"body": "Hello"}
    assert call("anonymous", "post", f"{BASE}/{old.uuid}/comments", body).status_code == 401
    assert call("public", "post", f"{BASE}/{old.uuid}/comments", body).status_code == 403
    assert call("other_initiative_token", "get", BASE).status_code == 404


def test_feed_pages(cast, rows, call):
    first = call("staff", "get", BASE, limit=2).json()
    assert first["count"] == 3 and len(first["items"]) == 2
    rest = call("staff", "get", BASE, limit=2, offset=2).json()["items"]
    assert [i["update"]["title"] for i in rest] == ["Library opens"]
    assert call("staff", "get", BASE, limit=0).status_code == 422


@pytest.mark.parametrize("who", EVERYONE)
def test_posting_by_role(cast, rows, call, who):
    old, *_ = rows
    posted = call(who, "post", BASE, {"kind": "news", "title": "Hello", "body": "Text"})
    assert posted.status_code == write(who, {"staff"}), posted.content
    commented = call(who, "post", f"{BASE}/{old.uuid}/comments", {"body": "Good"})
    assert commented.status_code == write(who, COMMENTERS), commented.content
    if posted.status_code == 201:
        made = Update.objects.get(uuid=posted.json()["uuid"])
        assert made.author == cast.staff and made.initiative == cast.initiative
        assert posted.json()["url"] == f"/i/riverton/updates/{made.uuid}/"
    assert UpdateComment.objects.filter(body="Good").exists() == (who in COMMENTERS)


def test_what_the_services_refuse_is_422(cast, rows, call):
    old, *_ = rows
    blank = call("staff", "post", BASE, {"kind": "news", "title": "Hello", "body": "   "})
    assert blank.status_code == 422
    assert blank.json()["detail"][0]["msg"] == "Write something first."
    empty = call("steward_a", "post", f"{BASE}/{old.uuid}/comments", {"body": "  "})
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["msg"] == "Write a comment first."
    assert (
        call("staff", "post", BASE, {"kind": "gossip", "title": "x", "body": "y"}).status_code
        == 422
    )
