"""The decision rules over the API: only the backbone reads and sets them (other members 403,
outsiders 404), a group either has its own or follows those for all partners, the rules
form's checks answer 422, a stale revision 409, and proposals then keep to what was set."""

from __future__ import annotations

import pytest
from django.test import Client

from backbone.accounts.tokens import personal_token_create
from backbone.decisions import services
from backbone.decisions.models import DecisionRules
from tests.api import callers
from tests.api.callers import EVERYONE, MEMBERS
from tests.decisions.conftest import make_group

pytestmark = pytest.mark.integration

call, tokens = callers.call, callers.tokens  # the API callers' fixtures

RULES = "/api/initiatives/riverton/decision-rules"
ALL_METHODS = ["consent", "consensus", "gradient", "poll"]


def expected(who: str, ok: int = 200) -> int:
    """The backbone only: 401 for a revoked token, 404 outside, 403 for other members."""
    if who == "revoked_token":
        return 401
    if who not in MEMBERS:
        return 404
    return ok if who == "staff" else 403


def rules(revision=0, methods=("consent", "poll"), unit="organisation") -> dict:
    return {"revision": revision, "allowed_methods": list(methods), "default_unit": unit}


def row(group=None, methods=ALL_METHODS, unit="person", own=False, revision=0) -> dict:
    return {
        "group": str(group.uuid) if group else None,
        "group_name": group.name if group else None,
        "allowed_methods": list(methods),
        "default_unit": unit,
        "own": own,
        "revision": revision,
    }


def own_rules(cast, group):
    return DecisionRules.objects.filter(initiative=cast.initiative, group=group).first()


# --- reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_the_rules_table_by_role(cast, world, call, who):
    make_group(cast.other_initiative, "Lakeside table", cast.other_staff, [])
    services.rules_save(
        initiative=cast.initiative, group=world.group, allowed=["poll"], default_unit="person"
    )
    response = call(who, "get", RULES)
    assert response.status_code == expected(who), response.content
    if response.status_code == 200:
        # none for all partners: every method, one vote per person; groups by name, the
        # private one too (the backbone sees it), none of the other initiative's
        assert response.json() == {
            "all_partners": row(),
            "groups": [
                row(world.private),
                row(world.group, methods=["poll"], own=True, revision=1),
            ],
        }


def test_a_group_without_its_own_follows_the_rules_for_all_partners(cast, world, call):
    services.rules_save(
        initiative=cast.initiative,
        group=None,
        allowed=["consensus", "gradient"],
        default_unit="organisation",
    )
    found = call("staff", "get", RULES).json()
    assert found["all_partners"] == row(
        methods=["consensus", "gradient"], unit="organisation", own=True, revision=1
    )
    following = row(world.group, methods=["consensus", "gradient"], unit="organisation")
    assert following in found["groups"]  # not its own: revision 0


# --- setting them ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_set_the_rules_for_all_partners_by_role(cast, world, call, who):
    response = call(who, "put", f"{RULES}/all-partners", rules())
    assert response.status_code == expected(who), response.content
    saved = own_rules(cast, None)
    assert (saved is not None) == (response.status_code == 200)
    if response.status_code == 200:
        assert response.json() == row(
            methods=["consent", "poll"], unit="organisation", own=True, revision=1
        )
        assert saved.revised_by == cast.staff
        # every group without its own now follows them
        table = call("staff", "get", RULES).json()
        assert (
            row(world.group, methods=["consent", "poll"], unit="organisation") in (table["groups"])
        )


@pytest.mark.parametrize("who", EVERYONE)
def test_set_a_groups_own_rules_by_role(cast, world, call, who):
    response = call(who, "put", f"{RULES}/{world.group.uuid}", rules(methods=["gradient"]))
    assert response.status_code == expected(who), response.content
    saved = own_rules(cast, world.group)
    assert (saved is not None) == (response.status_code == 200)
    if response.status_code == 200:
        assert response.json() == row(
            world.group, methods=["gradient"], unit="organisation", own=True, revision=1
        )
        assert (saved.allowed_methods, saved.default_unit) == (["gradient"], "organisation")
        assert own_rules(cast, None) is None  # all partners' untouched


@pytest.mark.parametrize("who", EVERYONE)
def test_drop_a_groups_own_rules_by_role(cast, world, call, who):
    services.rules_save(
        initiative=cast.initiative, group=world.group, allowed=["poll"], default_unit="person"
    )
    response = call(who, "delete", f"{RULES}/{world.group.uuid}")
    assert response.status_code == expected(who, 204), response.content
    assert (own_rules(cast, world.group) is None) == (response.status_code == 204)
    if response.status_code == 204:
        table = call("staff", "get", RULES).json()
        assert row(world.group) in table["groups"]  # follows all partners': none set


def test_a_staff_members_personal_token_sets_rules_in_their_name(cast, world):
    _, raw = personal_token_create(person=cast.staff, initiative=cast.initiative, name="rules")
    response = Client().put(
        f"{RULES}/{world.private.uuid}",
        rules(methods=["consensus"], unit="person"),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["group_name"] == "Data sharing"
    assert own_rules(cast, world.private).revised_by == cast.staff


def test_a_group_of_another_initiative_or_none_is_not_found(cast, world, call):
    theirs = make_group(cast.other_initiative, "Lakeside table", cast.other_staff, [])
    missing = "00000000-0000-4000-8000-000000000000"
    for uuid in (theirs.uuid, missing):
        assert call("staff", "put", f"{RULES}/{uuid}", rules()).status_code == 404
        assert call("staff", "delete", f"{RULES}/{uuid}").status_code == 404
    # a member is told 403 before anything about the group, as on the page
    assert call("steward_a", "put", f"{RULES}/{missing}", rules()).status_code == 403
    assert not DecisionRules.objects.exists()


# --- what the form refuses, and conflicts ------------------------------------------------------


def test_the_rules_forms_checks_answer_422_and_nothing_is_saved(cast, world, call):
    none = call("staff", "put", f"{RULES}/all-partners", rules(methods=[]))
    assert none.status_code == 422
    assert none.json()["detail"] == [
        {
            "type": "refused",
            "loc": ["body", "allowed_methods"],
            "msg": "Allow at least one decision method.",  # the page's words
        }
    ]
    for bad in (
        rules(methods=["vote"]),
        rules(unit="team"),
        {"allowed_methods": ["poll"], "default_unit": "person"},  # no revision
        rules(revision=-1),
    ):
        assert call("staff", "put", f"{RULES}/{world.group.uuid}", bad).status_code == 422
    assert not DecisionRules.objects.exists()


def test_methods_are_kept_once_and_in_their_order(cast, world, call):
    response = call("staff", "put", f"{RULES}/all-partners", rules(methods=["poll", "consent"]))
    assert response.json()["allowed_methods"] == ["consent", "poll"]
    assert own_rules(cast, None).allowed_methods == ["consent", "poll"]


def test_a_stale_revision_is_409_with_the_rules_as_they_stand(cast, world, call):
    path = f"{RULES}/all-partners"
    assert call("staff", "put", path, rules(methods=["consent"])).status_code == 200
    stale = call("staff", "put", path, rules(revision=0, methods=["poll"], unit="person"))
    assert stale.status_code == 409
    assert "Saved meanwhile by" in stale.json()["detail"]
    assert stale.json()["current"] == row(
        methods=["consent"], unit="organisation", own=True, revision=1
    )
    assert own_rules(cast, None).allowed_methods == ["consent"]
    again = call("staff", "put", path, rules(revision=1, methods=["poll"], unit="person"))
    assert again.status_code == 200 and again.json()["revision"] == 2


def test_a_groups_rules_conflict_when_saved_or_dropped_meanwhile(cast, world, call):
    path = f"{RULES}/{world.group.uuid}"
    # read while it had none of its own: a revision it never had is stale, nothing is made
    assert call("staff", "put", path, rules(revision=3)).status_code == 409
    assert own_rules(cast, world.group) is None
    assert call("staff", "put", path, rules(revision=0)).json()["revision"] == 1
    # dropping what was read before a save
    refused = call("staff", "delete", f"{path}?revision=0")
    assert refused.status_code == 409
    assert refused.json()["current"]["own"] is True
    assert own_rules(cast, world.group) is not None
    assert call("staff", "delete", f"{path}?revision=1").status_code == 204
    assert own_rules(cast, world.group) is None
    # dropped meanwhile: a change read before is refused and makes no rules of its own
    gone = call("staff", "put", path, rules(revision=1))
    assert gone.status_code == 409
    assert gone.json()["current"] == row(world.group)
    assert own_rules(cast, world.group) is None
    # none to drop: it already follows the rules for all partners
    assert call("staff", "delete", path).status_code == 204


def test_proposals_keep_to_the_rules_set_over_the_api(cast, world, call):
    call("staff", "put", f"{RULES}/{world.group.uuid}", rules(methods=["consent"]))
    proposed = call(
        "steward_a",
        "post",
        "/api/initiatives/riverton/proposals",
        {
            "title": "Meet monthly",
            "text": "The team meets on the first Tuesday.",
            "group": str(world.group.uuid),
            "method": "poll",
            "options": ["Yes", "No"],
            "closes_at": "2999-01-01T00:00:00Z",
        },
    )
    assert proposed.status_code == 422
    assert "allows consent" in proposed.json()["detail"][0]["msg"]
