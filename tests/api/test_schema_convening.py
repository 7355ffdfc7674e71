"""The convening operations (working groups, meetings, attendance, decisions, action items,
proposals and votes, the decision rules) under schemathesis: generated requests, with a
partner's token and a staff member's personal token, never make the API fail (5xx) and every
answer fits the schema."""

import pytest
import schemathesis
from django.test import Client
from schemathesis import GenerationMode

from backbone.accounts.tokens import personal_token_create
from backbone.measurement.tokens import token_create
from tests.api.fuzzing import fuzz
from tests.api.test_schema_writes import OPERATIONS as WRITES
from tests.communication.conftest import groups  # noqa: F401 (fixture)
from tests.decisions.conftest import poll, propose
from tests.measurement.exchange.test_schema import wsgi_app  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

PATHS = (
    "/api/initiatives/{slug}/groups",
    "/api/initiatives/{slug}/groups/{uuid}",
    "/api/initiatives/{slug}/meetings",
    "/api/initiatives/{slug}/meetings/{uuid}",
    "/api/initiatives/{slug}/meetings/{uuid}/attendance",
    "/api/initiatives/{slug}/meetings/{uuid}/decisions",
    "/api/initiatives/{slug}/meetings/{uuid}/action-items",
    "/api/initiatives/{slug}/decisions",
    "/api/initiatives/{slug}/decisions/{uuid}",
    "/api/initiatives/{slug}/action-items",
    "/api/initiatives/{slug}/action-items/{uuid}",
    "/api/initiatives/{slug}/proposals",
    "/api/initiatives/{slug}/proposals/{uuid}",
    "/api/initiatives/{slug}/proposals/{uuid}/vote",
    "/api/initiatives/{slug}/decision-rules",
    "/api/initiatives/{slug}/decision-rules/all-partners",
    "/api/initiatives/{slug}/decision-rules/{uuid}",
)
EXAMPLES = 4


def test_schema_documents_the_convening_operations():
    raw = Client().get("/api/openapi.json").json()
    schemathesis.openapi.from_dict(raw).validate()
    for path in PATHS:
        assert path in raw["paths"]
    patch = raw["paths"]["/api/initiatives/{slug}/meetings/{uuid}"]["patch"]
    assert set(patch["responses"]) >= {"200", "401", "403", "404", "409", "422"}
    vote = raw["paths"]["/api/initiatives/{slug}/proposals/{uuid}/vote"]["put"]
    assert set(vote["responses"]) >= {"200", "401", "403", "404", "422"}


@pytest.fixture
def fuzzed(cast, groups):  # noqa: F811
    proposal = propose(cast)
    chosen = poll(cast, title="Pick a day")
    _, partner = token_create(partner=cast.partner_a, name="fuzz", by=cast.steward_a)
    _, personal = personal_token_create(person=cast.staff, initiative=cast.initiative, name="f")
    return {
        "uuids": [
            str(groups.open.uuid),
            str(groups.private.uuid),
            str(groups.open_meeting.decisions.get().uuid),
            str(groups.open_meeting.uuid),
            str(groups.all_partners.uuid),
            str(groups.action.uuid),
            str(proposal.uuid),
            str(chosen.uuid),
        ],
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
        if r.ok().path in PATHS and (r.ok().method.upper(), r.ok().path) not in WRITES
    ]  # the writes added later have their own file
    # with making and changing a working group, one decision, and reading, setting and
    # dropping the decision rules
    assert len(operations) == 23
    failures: list = []
    for operation in operations:
        fuzz(operation, fuzzed, who, mode, failures, examples=EXAMPLES)
    assert failures == []
