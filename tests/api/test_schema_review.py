# ruff: noqa: F811 (pytest fixtures imported by name)
"""The review operations (submissions, completeness, learning, reports) under schemathesis:
generated requests, with a partner's token and a staff member's personal token, never make
the API fail (5xx) and every answer fits the schema."""

from datetime import date

import pytest
import schemathesis
from django.test import Client
from schemathesis import GenerationMode

from backbone.accounts.tokens import personal_token_create
from backbone.measurement.tokens import token_create
from backbone.reports.models import Report
from tests.api.fuzzing import fuzz
from tests.api.test_schema_writes import OPERATIONS as WRITES
from tests.learning.conftest import here, make_entry  # noqa: F401 (fixture)
from tests.measurement.conftest import measured  # noqa: F401 (fixture)
from tests.measurement.exchange.test_schema import wsgi_app  # noqa: F401 (fixture)
from tests.measurement.reporting.conftest import enrolled_rows, reporting, send  # noqa: F401

pytestmark = pytest.mark.integration

SUBMISSION = "/api/initiatives/{slug}/review/submissions/{uuid}"
PATHS = (
    "/api/initiatives/{slug}/review/submissions",
    SUBMISSION,
    "/api/initiatives/{slug}/review/values",
    f"{SUBMISSION}/approve",
    f"{SUBMISSION}/return",
    "/api/initiatives/{slug}/completeness",
    "/api/initiatives/{slug}/completeness/reports",
    "/api/initiatives/{slug}/learning/questions",
    "/api/initiatives/{slug}/learning/questions/{uuid}",
    "/api/initiatives/{slug}/learning/log",
    "/api/initiatives/{slug}/learning/log/{uuid}",
    "/api/initiatives/{slug}/reports",
    "/api/initiatives/{slug}/reports/{uuid}/pdf",
)
EXAMPLES = 4


def test_schema_documents_the_review_operations():
    raw = Client().get("/api/openapi.json").json()
    schemathesis.openapi.from_dict(raw).validate()
    for path in PATHS:
        assert path in raw["paths"], path
    approve = raw["paths"][f"{SUBMISSION}/approve"]["post"]
    assert set(approve["responses"]) >= {"200", "401", "403", "404", "409", "422"}
    pdf = raw["paths"]["/api/initiatives/{slug}/reports/{uuid}/pdf"]["get"]["responses"]["200"]
    assert pdf["content"]["application/pdf"]["schema"]["format"] == "binary"


@pytest.fixture
def fuzzed(cast, reporting, here):
    waiting = send(cast, enrolled_rows(period="2024-01"))
    entry = make_entry(cast.initiative, by=cast.staff, indicators=[here.indicator])
    report = Report.objects.create(
        initiative=cast.initiative,
        title="Q1",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 3, 31),
        shared_with_members=True,
    )
    _, partner = token_create(partner=cast.partner_a, name="fuzz", by=cast.steward_a)
    _, personal = personal_token_create(person=cast.staff, initiative=cast.initiative, name="f")
    return {
        "uuids": [str(waiting.uuid), str(entry.uuid), str(here.question.uuid), str(report.uuid)],
        "partner": {"Authorization": f"Bearer {partner}"},
        "personal": {"Authorization": f"Bearer {personal}"},
    }


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("who", ["partner", "personal"])
def test_generated_requests_fit_the_schema(cast, fuzzed, wsgi_app, who, mode):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [
        r.ok()
        for r in schema.get_all_operations()
        if r.ok().path in PATHS and (r.ok().method.upper(), r.ok().path) not in WRITES
    ]  # the writes added later have their own file
    assert len(operations) == 14  # one GET each, and POST the log
    failures: list = []
    for operation in operations:
        fuzz(operation, fuzzed, who, mode, failures, examples=EXAMPLES)
    assert failures == []
