"""Working groups made and changed over the API, as on the working groups pages: the backbone
makes them, a group's lead (or the backbone) changes it; a stale revision is refused with the
group as it stands; what the form refuses is a 422 naming the field."""

from __future__ import annotations

import pytest

from backbone.communication.models import WorkingGroup
from tests.api import callers
from tests.api.callers import EVERYONE

from .test_api import BASE, expected

pytestmark = pytest.mark.integration

call, tokens = callers.call, callers.tokens  # the API callers' fixtures


def _new(cast, name="Attendance team") -> dict:
    return {
        "name": name,
        "purpose": "Fewer children missing school.",
        "lead": str(cast.steward_a.uuid),
        "members": [str(cast.member_a.uuid), str(cast.community.uuid)],
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_backbone_makes_a_group(cast, groups, call, who):
    made = call(who, "post", f"{BASE}/groups", _new(cast))
    wanted = expected(who, {"staff"})
    assert made.status_code == (201 if wanted == 200 else wanted), made.content
    exists = WorkingGroup.objects.filter(name="Attendance team").exists()
    assert exists == (made.status_code == 201)
    if made.status_code == 201:
        body = made.json()
        assert body["lead"]["uuid"] == str(cast.steward_a.uuid)
        assert {m["uuid"] for m in body["members"]} == {
            str(cast.member_a.uuid),
            str(cast.community.uuid),
        }


@pytest.mark.parametrize("who", EVERYONE)
def test_the_lead_or_the_backbone_changes_a_group(cast, groups, call, who):
    before = groups.open.revision
    changed = call(
        who,
        "patch",
        f"{BASE}/groups/{groups.open.uuid}",
        {"revision": before, "purpose": "Every child reads by eight."},
    )
    assert changed.status_code == expected(who, {"staff", "steward_a", "personal_token"})
    groups.open.refresh_from_db()
    if changed.status_code == 200:
        assert groups.open.purpose == "Every child reads by eight."
        assert changed.json()["revision"] == before + 1
        assert groups.open.name == "Reading action team"  # what was left out stays
    else:
        assert groups.open.revision == before


def test_a_private_group_is_no_one_elses_to_change(cast, groups, call):
    hidden = call(
        "steward_a", "patch", f"{BASE}/groups/{groups.private.uuid}", {"revision": 0, "name": "X"}
    )
    assert hidden.status_code == 404


def test_a_stale_revision_is_refused_with_the_group_as_it_stands(cast, groups, call):
    read = groups.open.revision
    url = f"{BASE}/groups/{groups.open.uuid}"
    assert call("staff", "patch", url, {"revision": read, "name": "A"}).status_code == 200
    stale = call("staff", "patch", url, {"revision": read})
    assert stale.status_code == 409
    assert stale.json()["current"]["name"] == "A"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "Data sharing"}, "name"),  # the private group's name: taken
        ({"lead": "00000000-0000-4000-8000-000000000000"}, "lead"),
        ({"strategy": "00000000-0000-4000-8000-000000000000"}, "strategy"),
    ],
)
def test_what_the_form_refuses_is_a_422_at_its_field(cast, groups, call, change, field):
    refused = call(
        "staff",
        "patch",
        f"{BASE}/groups/{groups.open.uuid}",
        {"revision": groups.open.revision, **change},
    )
    assert refused.status_code == 422, refused.content
    assert [d["loc"][-1] for d in refused.json()["detail"]] == [field]


def test_a_person_of_another_initiative_leads_nothing_here(cast, groups, call):
    new = {**_new(cast), "lead": str(cast.other_staff.uuid)}
    refused = call("staff", "post", f"{BASE}/groups", new)
    assert refused.status_code == 422
    assert not WorkingGroup.objects.filter(name="Attendance team").exists()
