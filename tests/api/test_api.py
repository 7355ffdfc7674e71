import pytest

pytestmark = pytest.mark.integration


def test_openapi_schema_is_served_and_describes_the_endpoints(cast, as_role):
    schema = as_role("anonymous").get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/initiatives/{slug}/partners" in schema["paths"]


def test_member_lists_own_initiatives(cast, as_role):
    body = as_role("steward_a").get("/api/initiatives").json()
    assert [i["slug"] for i in body["items"]] == ["riverton"]


def test_person_without_roles_sees_only_public_initiatives(cast, as_role):
    assert as_role("public").get("/api/initiatives").json()["items"] == []
    cast.other_initiative.visibility = "public"
    cast.other_initiative.save()
    assert [i["slug"] for i in as_role("public").get("/api/initiatives").json()["items"]] == [
        "lakeside"
    ]


@pytest.mark.parametrize("role", ["anonymous", "public", "other_staff"])
def test_private_initiative_is_not_found_for_outsiders(cast, as_role, role):
    assert as_role(role).get("/api/initiatives/riverton").status_code == 404
    assert as_role(role).get("/api/initiatives/riverton/partners").status_code == 404


def test_partners_filter_by_sector(cast, as_role):
    body = as_role("funder").get("/api/initiatives/riverton/partners?sector=education").json()
    assert [p["organisation"] for p in body["items"]] == ["Riverton Public Library"]
    assert body["count"] == 1
