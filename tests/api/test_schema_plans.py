"""The plans' operations (policies, public will, commitments, updates, the work plan and
funding, the phase tracker) under schemathesis: generated requests, with a partner's token
and a staff member's personal token, never make the API fail (5xx), and every answer fits
the schema."""

from datetime import date
from decimal import Decimal

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from backbone.accounts.tokens import personal_token_create
from backbone.frameworks.loader import load_all
from backbone.measurement.tokens import token_create
from backbone.workplan import services as workplan
from tests.advocacy.conftest import make_commitment, make_item, make_policy
from tests.measurement.exchange.test_schema import wsgi_app  # noqa: F401 (fixture)
from tests.phases.conftest import record
from tests.updates.factories import make_update

pytestmark = pytest.mark.integration

PREFIXES = (
    "/api/initiatives/{slug}/policies",
    "/api/initiatives/{slug}/public-will",
    "/api/initiatives/{slug}/commitments",
    "/api/initiatives/{slug}/updates",
    "/api/initiatives/{slug}/workplan",
    "/api/initiatives/{slug}/funding",
    "/api/initiatives/{slug}/phases",
)
OPERATIONS = 38
EXAMPLES = 4


def _ours(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PREFIXES)


def test_schema_documents_the_plans_operations():
    raw = Client().get("/api/openapi.json").json()
    schemathesis.openapi.from_dict(raw).validate()
    operations = [(p, m) for p, ops in raw["paths"].items() if _ours(p) for m in ops]
    assert len(operations) == OPERATIONS
    for path, method in operations:
        responses = raw["paths"][path][method]["responses"]
        assert {"401", "404", "422"} <= set(responses), (method, path)
        if method != "get":
            assert "403" in responses, (method, path)
        if method in ("patch", "put") and "{" in path.rsplit("/", 1)[-1]:
            assert "409" in responses, (method, path)


@pytest.fixture
def fuzzed(cast):
    framework = {f.slug: f for f in load_all()}["collective-impact"]
    cast.initiative.framework = framework
    cast.initiative.save()
    policy = make_policy(cast.initiative, is_public=True)
    item = make_item(cast.initiative)
    commitment = make_commitment(cast.partner_a)
    update = make_update(cast.initiative, author=cast.staff)
    role = workplan.backbone_roles(cast.initiative)[0]["key"]
    task = workplan.task_create(
        initiative=cast.initiative,
        data=workplan.TaskData(title="Convene", owner=cast.staff, role=role),
    )
    funder = workplan.funder_create(initiative=cast.initiative, name="City")
    grant = workplan.grant_create(
        initiative=cast.initiative,
        data=workplan.GrantData(
            funder=funder,
            title="Core",
            amount=Decimal(100),
            currency="USD",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
        ),
    )
    record(cast.initiative, "initiate_action", "strategic_planning", by=cast.staff)
    _, partner = token_create(partner=cast.partner_a, name="fuzz", by=cast.steward_a)
    _, personal = personal_token_create(person=cast.staff, initiative=cast.initiative, name="f")
    return {
        "uuids": [str(o.uuid) for o in (policy, item, commitment, update, task, grant)],
        "partner": {"Authorization": f"Bearer {partner}"},
        "personal": {"Authorization": f"Bearer {personal}"},
    }


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("who", ["partner", "personal"])
def test_generated_requests_fit_the_schema(cast, fuzzed, wsgi_app, who, mode):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [r.ok() for r in schema.get_all_operations() if _ours(r.ok().path)]
    assert len(operations) == OPERATIONS
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
        if "{phase}" in operation.path:
            path["phase"] = data.draw(st.sampled_from(["initiate_action", "no_such"]))
            path["component"] = data.draw(
                st.sampled_from(["strategic_planning", "governance_and_infrastructure"])
            )
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
