import json
import re

import jsonschema
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


# --- errors: bounded pagination, unreadable bodies, in the documented schema -----------------


def _schema() -> dict:
    from backbone.api.urls import api

    return json.loads(json.dumps(api.get_openapi_schema()))  # keys as served: "422", not 422


def _documented(schema: dict, path: str, method: str, status: int) -> dict:
    """The operation's documented body for `status`, with the components to resolve it."""
    response = schema["paths"][path][method]["responses"][str(status)]
    body = response["content"]["application/json"]["schema"]
    return {**body, "components": schema["components"]}


def _paginated(schema: dict) -> list[str]:
    paths = [
        path
        for path, operations in schema["paths"].items()
        if "get" in operations
        and any(p["name"] == "limit" for p in operations["get"].get("parameters", []))
    ]
    assert "/api/initiatives" in paths and "/api/initiatives/{slug}/values" in paths
    return paths


HUGE = 10**20
OUT_OF_BOUNDS = [
    f"limit={HUGE}",
    f"offset={HUGE}",
    f"limit={-HUGE}",
    f"offset={-HUGE}",
    "limit=-1",
    "offset=-1",
    "limit=0",
    "limit=501",
    "offset=10000001",
]


NO_SUCH = "00000000-0000-4000-8000-000000000000"


def test_every_list_documents_a_maximum_limit_and_offset(cast):
    schema = _schema()
    for path in _paginated(schema):
        parameters = {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}
        assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 500), path
        assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (
            0,
            10_000_000,
        ), path


def test_every_list_refuses_a_limit_or_offset_out_of_bounds_with_a_documented_422(cast, as_role):
    schema = _schema()
    client = as_role("staff")
    for path in _paginated(schema):
        # the bounds are checked before anything is looked up: a list under a row of no
        # existence (a policy's events) refuses them the same, and then answers 404
        url = re.sub(r"\{\w+\}", NO_SUCH, path.replace("{slug}", "riverton"))
        for query in OUT_OF_BOUNDS:
            response = client.get(f"{url}?{query}")
            assert response.status_code == 422, (url, query, response.status_code)
            jsonschema.validate(response.json(), _documented(schema, path, "get", 422))
        within = client.get(f"{url}?limit=500&offset=10000000").status_code
        assert within == (404 if NO_SUCH in url else 200), url


UNREADABLE = [
    (b'\xff\xfe{"a":1}', "not UTF-8: byte 0xff at position 0"),
    ('{"values": ["caf\u00e9"]}'.encode("latin-1"), "not UTF-8: byte 0xe9"),
    (b'{"values": [', "not JSON"),
]


@pytest.mark.parametrize(("body", "reason"), UNREADABLE)
def test_an_unreadable_body_answers_400_in_the_documented_schema(cast, as_role, body, reason):
    path = "/api/initiatives/{slug}/values"
    response = as_role("steward_a").post(
        path.replace("{slug}", "riverton"), body, content_type="application/json"
    )

    assert response.status_code == 400
    jsonschema.validate(response.json(), _documented(_schema(), path, "post", 400))
    assert reason in response.json()["detail"]
    assert reason in response.json()["problems"][0]["reason"]


def test_every_body_and_parameter_error_is_documented(cast):
    schema = _schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if "requestBody" in operation:
                assert "400" in responses, (method, path)
            if operation.get("parameters") or "requestBody" in operation:
                assert "422" in responses, (method, path)
