"""Blanks with a reason over the REST API: a value's `missing` in, the reason out in the
values list (never a zero), problems listed like any other, and the schema that says so."""

import pytest
from django.test import Client

from backbone.measurement.models import DataValue

pytestmark = pytest.mark.integration

API = "/api/initiatives/riverton"
ENROLLED = {"indicator": "children-enrolled", "period": "2024-02"}


def post(client, body):
    return client.post(API + "/values", body, content_type="application/json")


def test_a_value_may_be_blank_with_a_reason(cast, measured, token_client):
    client, _ = token_client()
    body = {
        "values": [
            {**ENROLLED, "groups": {"place": "north"}, "value": 4},
            {**ENROLLED, "groups": {"place": "south"}, "missing": "Suppressed at the source"},
            {"indicator": "kindergarten-readiness", "period": "2024-02", "missing": "[z]"},
        ]
    }

    response = post(client, body)

    assert response.status_code == 201, response.content
    south = DataValue.objects.get(cell__groups__key="south")
    assert (south.value, south.missing) == (None, "suppressed")
    readiness = DataValue.objects.get(indicator__code="kindergarten-readiness")
    assert (readiness.numerator, readiness.missing) == (None, "not_applicable")


def test_the_values_list_gives_the_reason_and_no_number(cast, measured, token_client):
    client, _ = token_client()
    post(
        client,
        {
            "values": [
                {**ENROLLED, "missing": "not_collected"},
                {**ENROLLED, "groups": {"place": "north"}, "value": 0},
            ]
        },
    )

    items = client.get(API + "/values").json()["items"]

    blank = next(i for i in items if not i["groups"])
    zero = next(i for i in items if i["groups"])
    assert (blank["value"], blank["missing"]) == (None, "not_collected")
    assert (zero["value"], zero["missing"]) == ("0", None)


def test_problems_with_reasons_are_listed_by_row_and_column(cast, measured, as_role):
    body = {
        "values": [
            {**ENROLLED, "groups": {"place": "north"}, "value": 4, "missing": "not_collected"},
            {**ENROLLED, "groups": {"place": "south"}, "missing": "lost"},
            {**ENROLLED},
        ]
    }

    response = post(as_role("steward_a"), body)

    assert response.status_code == 400
    problems = response.json()["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [
        (1, "missing"),
        (2, "missing"),
        (3, "value"),
    ]
    assert problems[0]["reason"] == "a value and a reason for its absence; give one"
    assert problems[1]["reason"].startswith("unknown reason for a blank 'lost': give not_collected")
    assert problems[2]["reason"] == "value is missing"
    assert not DataValue.objects.exists()


def test_the_schema_documents_the_reason_in_and_out(cast, measured):
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]

    given = schemas["ValueIn"]["properties"]["missing"]
    shown = schemas["ValueOut"]["properties"]["missing"]
    assert "not_collected" in given["description"] and "never a zero" in given["description"]
    assert "not_applicable" in shown["description"]
    assert "missing" not in schemas["ValueIn"].get("required", [])
