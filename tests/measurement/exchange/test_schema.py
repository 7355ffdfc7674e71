"""The OpenAPI schema is valid, and generated requests never make the API fail (5xx)."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from backbone.measurement.tokens import token_create

from .helpers import full_report, report

pytestmark = pytest.mark.integration

MEASUREMENT_PATHS = (
    "/api/initiatives/{slug}/indicators",
    "/api/initiatives/{slug}/indicators/{code}",
    "/api/initiatives/{slug}/indicators/{code}/series",
    "/api/initiatives/{slug}/periods",
    "/api/initiatives/{slug}/dimensions",
    "/api/initiatives/{slug}/values",
    "/api/initiatives/{slug}/submissions",
    "/api/initiatives/{slug}/submissions/{uuid}",
)
EXAMPLES_PER_OPERATION = 15
CSRF = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # 32 characters, as Django's CSRF secret


def test_openapi_schema_is_valid_and_describes_measurement(cast, measured):
    raw = Client().get("/api/openapi.json").json()
    schemathesis.openapi.from_dict(raw).validate()  # raises on an invalid schema
    for path in MEASUREMENT_PATHS:
        assert path in raw["paths"]
    post = raw["paths"]["/api/initiatives/{slug}/values"]["post"]
    assert set(post["responses"]) >= {"201", "400"}
    schemes = raw["components"]["securitySchemes"]
    bearer = {"type": "http", "scheme": "bearer"}.items()
    assert any(bearer <= scheme.items() for scheme in schemes.values())


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, called in this thread; like the test client, it keeps the
    test's database connection open between requests."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def fuzzed(cast, measured):
    """Values to find, and the credentials to send: a partner's token, a staff session."""
    report(cast, cast.partner_a, full_report("2024-01"), approve=True)
    report(cast, cast.partner_b, full_report("2024-02"), by=cast.steward_b)
    _, raw = token_create(partner=cast.partner_a, name="fuzz", by=cast.steward_a)
    staff = Client()
    staff.force_login(cast.staff)
    return {
        "token": {"Authorization": f"Bearer {raw}"},
        "session": {"sessionid": staff.cookies["sessionid"].value, "csrftoken": CSRF},
    }


def _fuzz(operation, credentials: dict, failures: list, mode: GenerationMode) -> None:
    """Send generated requests to one operation; note any server error."""
    codes = ["kindergarten-readiness", "children-enrolled", "reading-score", "no-such"]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def check(data):
        path = {"slug": data.draw(st.sampled_from(["riverton", "riverton", "lakeside"]))}
        if "{code}" in operation.path:
            path["code"] = data.draw(st.sampled_from(codes))
        case = data.draw(operation.as_strategy(mode, path_parameters=path))
        if "Authorization" in credentials:
            response = case.call(headers=credentials)
        else:  # the session speaks for the caller, not a generated token
            if case.headers:
                case.headers.pop("Authorization", None)
            response = case.call(cookies=credentials, headers={"X-CSRFToken": CSRF})
        if response.status_code >= 500:
            failures.append((operation.label, case.path_parameters, case.query, case.body))
        assert response.status_code < 500, response.text[:500]

    try:
        check()
    except Unsatisfiable:
        # nothing of the operation may be made invalid: its only parameter is the path's
        # (drawn from real slugs), and no credentials is valid too (public reads)
        assert mode == GenerationMode.NEGATIVE


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("who", ["token", "session"])
def test_generated_requests_never_cause_a_server_error(cast, fuzzed, wsgi_app, who, mode):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path in MEASUREMENT_PATHS
    ]
    assert len(operations) == len(MEASUREMENT_PATHS) + 1  # GET and POST on /values
    failures: list = []
    for operation in operations:
        _fuzz(operation, fuzzed[who], failures, mode)
    assert failures == []
