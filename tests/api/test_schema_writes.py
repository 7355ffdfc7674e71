"""The writes of proposals, invitations and learning under schemathesis: generated requests,
with a partner's token and a staff member's personal token, never make the API fail (5xx)
and every answer fits the schema."""

import pytest
import schemathesis
from django.test import Client
from django.utils import timezone
from schemathesis import GenerationMode

from backbone.accounts.tokens import personal_token_create
from backbone.decisions import services as decisions
from backbone.measurement.tokens import token_create
from tests.api.fuzzing import fuzz
from tests.decisions.conftest import propose
from tests.learning.conftest import make_entry, make_plan_item, make_question
from tests.measurement.exchange.test_schema import wsgi_app  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

OPERATIONS = {
    ("POST", "/api/initiatives/{slug}/proposals"),
    ("POST", "/api/initiatives/{slug}/proposals/{uuid}/close"),
    ("POST", "/api/initiatives/{slug}/proposals/{uuid}/review"),
    ("POST", "/api/initiatives/{slug}/invitations"),
    ("POST", "/api/initiatives/{slug}/learning/questions"),
    ("PATCH", "/api/initiatives/{slug}/learning/questions/{uuid}"),
    ("PATCH", "/api/initiatives/{slug}/learning/log/{uuid}"),
    ("GET", "/api/initiatives/{slug}/learning/plan"),
    ("POST", "/api/initiatives/{slug}/learning/plan"),
    ("GET", "/api/initiatives/{slug}/learning/plan/{uuid}"),
    ("PATCH", "/api/initiatives/{slug}/learning/plan/{uuid}"),
}
EXAMPLES = 4


def test_schema_documents_the_writes():
    raw = Client().get("/api/openapi.json").json()
    schemathesis.openapi.from_dict(raw).validate()
    for method, path in OPERATIONS:
        responses = raw["paths"][path][method.lower()]["responses"]
        if method != "GET":
            assert set(responses) >= {"401", "403", "404", "422"}, (method, path)
    for path in ("questions/{uuid}", "log/{uuid}", "plan/{uuid}"):
        patch = raw["paths"][f"/api/initiatives/{{slug}}/learning/{path}"]["patch"]
        assert "409" in patch["responses"]


@pytest.fixture
def fuzzed(cast):
    open_one = propose(cast)
    closed = propose(cast, title="Closed one")
    decisions.proposal_close(
        proposal=closed,
        by=cast.staff,
        summary="Adopted.",
        owner=cast.staff,
        review_on=timezone.localdate(),
    )
    question = make_question(cast.initiative)
    entry = make_entry(cast.initiative, by=cast.steward_a, questions=[question])
    item = make_plan_item(cast.initiative, questions=[question])
    _, partner = token_create(partner=cast.partner_a, name="fuzz", by=cast.steward_a)
    _, personal = personal_token_create(person=cast.staff, initiative=cast.initiative, name="f")
    return {
        "uuids": [str(x.uuid) for x in (open_one, closed, question, entry, item)],
        "partner": {"Authorization": f"Bearer {partner}"},
        "personal": {"Authorization": f"Bearer {personal}"},
    }


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("who", ["partner", "personal"])
def test_generated_requests_fit_the_schema(cast, fuzzed, wsgi_app, who, mode):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [
        r.ok()
        for r in schema.get_all_operations()
        if (r.ok().method.upper(), r.ok().path) in OPERATIONS
    ]
    assert len(operations) == len(OPERATIONS)
    failures: list = []
    for operation in operations:
        fuzz(operation, fuzzed, who, mode, failures, examples=EXAMPLES)
    assert failures == []
