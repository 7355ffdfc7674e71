"""The new operations (activities, the 4W, the network map) under schemathesis: generated
requests, with a partner's token and a staff member's personal token, never make the API
fail (5xx) and every answer fits the schema."""

import pytest
import schemathesis
from django.test import Client
from schemathesis import GenerationMode

from backbone.accounts.tokens import personal_token_create
from backbone.measurement.tokens import token_create
from tests.activities.conftest import make_activity, plan  # noqa: F401 (fixture)
from tests.api.fuzzing import fuzz
from tests.measurement.exchange.test_schema import wsgi_app  # noqa: F401 (fixture)
from tests.network.conftest import answer, open_wave

pytestmark = pytest.mark.integration

PATHS = (
    "/api/initiatives/{slug}/activities",
    "/api/initiatives/{slug}/activities/4w",
    "/api/initiatives/{slug}/activities/{uuid}",
    "/api/initiatives/{slug}/network/waves/{uuid}/map",
)
EXAMPLES = 4


def test_schema_documents_the_new_operations_and_their_security():
    raw = Client().get("/api/openapi.json").json()
    schemathesis.openapi.from_dict(raw).validate()
    for path in PATHS:
        assert path in raw["paths"]
    patch = raw["paths"]["/api/initiatives/{slug}/activities/{uuid}"]["patch"]
    assert set(patch["responses"]) >= {"200", "401", "403", "404", "409", "422"}
    schemes = raw["components"]["securitySchemes"]
    assert schemes["TokenOrSession"]["scheme"] == "bearer"
    assert schemes["session"]["in"] == "cookie"
    assert {} in raw["paths"]["/api/initiatives"]["get"]["security"]  # public reads
    members = raw["paths"]["/api/initiatives/{slug}/members"]["get"]["security"]
    assert {} not in members


@pytest.fixture
def fuzzed(cast, plan):  # noqa: F811
    activity = make_activity(cast.partner_a, strategies=[plan.reading], places=[plan.millbrook])
    wave = open_wave(cast.initiative, partners=[cast.partner_a, cast.partner_b])
    answer(wave, cast.partner_a, [cast.partner_a, cast.partner_b], {cast.partner_b.pk: 3})
    _, partner = token_create(partner=cast.partner_a, name="fuzz", by=cast.steward_a)
    _, personal = personal_token_create(person=cast.staff, initiative=cast.initiative, name="f")
    return {
        "uuids": [str(activity.uuid), str(wave.uuid)],
        "partner": {"Authorization": f"Bearer {partner}"},
        "personal": {"Authorization": f"Bearer {personal}"},
    }


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("who", ["partner", "personal"])
def test_generated_requests_fit_the_schema(cast, fuzzed, wsgi_app, who, mode):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [r.ok() for r in schema.get_all_operations() if r.ok().path in PATHS]
    assert len(operations) == 7  # GET and POST; GET; GET, PATCH and DELETE; GET
    failures: list = []
    for operation in operations:
        fuzz(operation, fuzzed, who, mode, failures, examples=EXAMPLES)
    assert failures == []
