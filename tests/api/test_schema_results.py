"""The results operations (assessments, network waves and results, health, the power map)
under schemathesis: generated requests, with a partner's token and a staff member's personal
token, never make the API fail (5xx) and every positive answer fits the schema."""

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from backbone.accounts.tokens import personal_token_create
from backbone.measurement.tokens import token_create
from tests.assessments.conftest import (
    answers_for,
    open_round,
    questionnaires,  # noqa: F401 (fixture)
)
from tests.assessments.conftest import initiative as assessed  # noqa: F401 (fixture)
from tests.measurement.exchange.test_schema import wsgi_app  # noqa: F401 (fixture)
from tests.network.conftest import answer, open_wave
from tests.powermap.conftest import make_body, make_seat, make_stakeholder

pytestmark = pytest.mark.integration

PREFIXES = (
    "/api/initiatives/{slug}/assessments/",
    "/api/initiatives/{slug}/health",
    "/api/initiatives/{slug}/power-map/",
    "/api/initiatives/{slug}/network/waves",
)
EXAMPLES = 4


def _ours(path: str) -> bool:
    return path.startswith(PREFIXES) and not path.endswith("/map")


def test_schema_documents_the_results_operations():
    raw = Client().get("/api/openapi.json").json()
    schemathesis.openapi.from_dict(raw).validate()
    ours = {p: ops for p, ops in raw["paths"].items() if _ours(p)}
    assert len(ours) == 17  # with the decision seats overview
    for path, operations in ours.items():
        for method, operation in operations.items():
            expected = {"401", "404", "422"} | ({"403"} if method != "get" else set())
            assert expected <= set(operation["responses"]), (method, path)
    patch = raw["paths"]["/api/initiatives/{slug}/power-map/stakeholders/{uuid}"]["patch"]
    assert "409" in patch["responses"]


@pytest.fixture
def fuzzed(cast, assessed, questionnaires):  # noqa: F811
    found = open_round(assessed, questionnaires["conditions"], results_shared=True)
    from backbone.assessments import services

    for person in (cast.steward_a, cast.member_a, cast.steward_b):
        services.response_submit(round=found, person=person, answers=answers_for(found))
    services.round_close(round=found)
    wave = open_wave(cast.initiative, partners=[cast.partner_a, cast.partner_b])
    answer(wave, cast.partner_a, [cast.partner_a, cast.partner_b], {cast.partner_b.pk: 3})
    stakeholder = make_stakeholder(cast.initiative)
    body = make_body(cast.initiative)
    seat = make_seat(body, person=cast.steward_a)
    _, partner = token_create(partner=cast.partner_a, name="fuzz", by=cast.steward_a)
    _, personal = personal_token_create(person=cast.staff, initiative=cast.initiative, name="f")
    return {
        "uuids": [str(x.uuid) for x in (found, wave, stakeholder, body, seat)],
        "partner": {"Authorization": f"Bearer {partner}"},
        "personal": {"Authorization": f"Bearer {personal}"},
    }


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("who", ["partner", "personal"])
def test_generated_requests_fit_the_schema(cast, fuzzed, wsgi_app, who, mode):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [r.ok() for r in schema.get_all_operations() if _ours(r.ok().path)]
    assert len(operations) == 23
    failures: list = []
    for operation in operations:
        _fuzz(operation, fuzzed, who, mode, failures)
    assert failures == []


def _fuzz(operation, fuzzed: dict, who: str, mode, failures: list) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def check(data):
        path = {"slug": data.draw(st.sampled_from(["riverton", "riverton", "lakeside"]))}
        if "{uuid}" in operation.path:
            path["uuid"] = data.draw(st.sampled_from(fuzzed["uuids"]))
        if "{questionnaire}" in operation.path:
            path["questionnaire"] = data.draw(st.sampled_from(["conditions", "nope"]))
        case = data.draw(operation.as_strategy(mode, path_parameters=path))
        response = case.call(headers=fuzzed[who])
        if response.status_code >= 500:
            failures.append((operation.label, case.path_parameters, case.query, case.body))
        assert response.status_code < 500, response.text[:500]
        if mode == GenerationMode.POSITIVE:
            case.validate_response(
                response, checks=[schemathesis.checks.response_schema_conformance]
            )

    try:
        check()
    except Unsatisfiable:
        assert mode == GenerationMode.NEGATIVE
