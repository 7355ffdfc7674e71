"""One meeting decision over the API, by its uuid: read by who may see its meeting, and 404
alike for one that does not exist, one of another initiative and one of a meeting the caller
may not see."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.communication.models import Decision
from tests.api import callers
from tests.api.callers import EVERYONE

from .conftest import meeting
from .test_api import LEADS_OPEN, OPEN_GROUP, READERS, expected

pytestmark = pytest.mark.integration

call, tokens = callers.call, callers.tokens  # the API callers' fixtures

BASE = "/api/initiatives/riverton"


def decide(cast, at, text="Meet monthly", initiative=None) -> Decision:
    return Decision.objects.create(
        initiative=initiative or cast.initiative,
        meeting=at,
        text=text,
        decided_on=date(2025, 3, 12),
        decided_by="The group, by consensus",
    )


@pytest.mark.parametrize("who", EVERYONE)
def test_one_decision_by_role(cast, groups, call, who):
    adopted = Decision.objects.get(meeting=groups.open_meeting)
    one = call(who, "get", f"{BASE}/decisions/{adopted.uuid}")
    assert one.status_code == expected(who, READERS), one.content
    if one.status_code == 200:
        found = one.json()
        assert found.pop("created_at")
        assert found == {
            "uuid": str(adopted.uuid),
            "meeting": str(groups.open_meeting.uuid),
            "text": "Adopt the shared referral form",
            "decided_on": "2025-03-10",
            "decided_by": "The group",
        }
    # a private meeting of the open group: its people and the backbone
    budget = decide(cast, groups.private_meeting, "Spend the book grant")
    hidden = call(who, "get", f"{BASE}/decisions/{budget.uuid}")
    assert hidden.status_code == expected(who, OPEN_GROUP | {"staff"}, hidden=True)
    # the private group's meeting: steward B, its one member, and the backbone
    agreement = decide(cast, groups.private_group_meeting, "Sign the data agreement")
    private = call(who, "get", f"{BASE}/decisions/{agreement.uuid}")
    assert private.status_code == expected(who, {"staff", "steward_b"}, hidden=True)
    if private.status_code == 200:
        assert private.json()["text"] == "Sign the data agreement"


def test_missing_theirs_and_hidden_answer_the_same_404(cast, groups, call):
    hidden = decide(cast, groups.private_all_partners, "Hire a data lead")
    lakeside = meeting(cast, "Lakeside board")
    lakeside.initiative = cast.other_initiative
    lakeside.save()
    theirs = decide(cast, lakeside, "Lakeside's own", initiative=cast.other_initiative)
    answers = [
        call("steward_a", "get", f"{BASE}/decisions/{uuid}")
        for uuid in ("00000000-0000-4000-8000-000000000000", theirs.uuid, hidden.uuid)
    ]
    assert {(a.status_code, a.content) for a in answers} == {(404, b'{"detail": "Not found."}')}
    # the backbone sees the private one; the other initiative's only in its own initiative
    assert call("staff", "get", f"{BASE}/decisions/{hidden.uuid}").status_code == 200
    assert call("staff", "get", f"{BASE}/decisions/{theirs.uuid}").status_code == 404
    mine = call(
        "other_initiative_token", "get", f"/api/initiatives/lakeside/decisions/{theirs.uuid}"
    )
    assert mine.status_code == 200 and mine.json()["text"] == "Lakeside's own"


def test_what_is_recorded_and_listed_is_read_back_by_its_uuid(cast, groups, call):
    body = {"text": "Meet monthly", "decided_on": "2025-03-12", "decided_by": "The group"}
    assert "personal_token" in LEADS_OPEN
    made = call(
        "personal_token", "post", f"{BASE}/meetings/{groups.open_meeting.uuid}/decisions", body
    )
    assert made.status_code == 201
    uuid = made.json()["uuid"]
    assert Decision.objects.get(uuid=uuid).text == "Meet monthly"
    listed = call("member_a", "get", f"{BASE}/decisions").json()["items"]
    assert [d["uuid"] for d in listed] == [uuid, str(groups.open_meeting.decisions.last().uuid)]
    one = call("member_a", "get", f"{BASE}/decisions/{uuid}").json()
    assert one == next(d for d in listed if d["uuid"] == uuid)


def test_every_decision_has_its_own_uuid(cast, groups):
    made = [decide(cast, groups.all_partners, f"Decision {n}") for n in range(3)]
    uuids = {d.uuid for d in made} | {Decision.objects.get(meeting=groups.open_meeting).uuid}
    assert len(uuids) == 4
