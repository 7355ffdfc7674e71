import pytest

from backbone.agenda import services

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/agenda"


def test_current_agenda_holds_the_goal_tree(cast, built, as_role):
    body = as_role("community").get(BASE).json()
    assert body["number"] == 4
    goal = body["agenda"]["goals"][0]
    assert goal["title"] == "Every child enters kindergarten ready"
    assert goal["strategies"][0]["actions"][0]["title"] == "Open 300 new pre-K seats"


def test_history_lists_versions_newest_first(cast, built, as_role):
    body = as_role("evaluator").get(f"{BASE}/versions").json()
    assert [v["number"] for v in body["items"]] == [4, 3, 2, 1]
    assert body["items"][0]["created_by"] == "Sam Staff"
    first = as_role("evaluator").get(f"{BASE}/versions/1").json()
    assert first["agenda"]["goals"] == []


def test_unknown_version_is_not_found(cast, built, as_role):
    assert as_role("staff").get(f"{BASE}/versions/99").status_code == 404


def test_endorsements_show_each_partner(cast, built, as_role):
    services.endorsement_create(version=built.version, partner=cast.partner_a, by=cast.steward_a)
    body = as_role("funder").get(f"{BASE}/endorsements").json()
    by_org = {row["organisation"]: row for row in body}
    assert by_org["Riverton Public Library"]["state"] == "current"
    assert by_org["Riverton Public Library"]["version"] == 4
    assert by_org["Northside Food Bank"]["state"] == "none"


@pytest.mark.parametrize("role", ["anonymous", "public", "other_staff"])
def test_outsiders_get_nothing_of_a_private_agenda(cast, built, as_role, role):
    for path in ("", "/versions", "/versions/1", "/endorsements"):
        assert as_role(role).get(BASE + path).status_code == 404


def test_public_agenda_is_readable_but_its_history_is_for_members(cast, built, as_role):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    assert as_role("anonymous").get(BASE).status_code == 200
    assert as_role("anonymous").get(f"{BASE}/versions").status_code == 403


def test_the_agenda_is_the_published_version_for_everyone(cast, built, as_role):
    services.goal_update(goal=built.goal, by=cast.staff, title="Draft title", description="")

    for role in ("staff", "steward_a", "funder"):
        body = as_role(role).get(BASE).json()
        assert body["number"] == 4
        assert body["agenda"]["goals"][0]["title"] == "Every child enters kindergarten ready"


def test_no_agenda_before_the_first_version_is_published(cast, as_role):
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="Draft goal")

    assert as_role("steward_a").get(BASE).status_code == 404
    assert as_role("staff").get(f"{BASE}/draft").json()["based_on"] is None


def test_the_draft_is_documented_in_the_schema(cast, as_role):
    schema = as_role("anonymous").get("/api/openapi.json").json()

    assert "/api/initiatives/{slug}/agenda/draft" in schema["paths"]
