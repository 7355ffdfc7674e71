"""One schemathesis check of one operation, shared by the areas' fuzzing files: generated
requests with the caller's credentials never make the API fail (5xx), and a valid request's
answer fits the schema. Path parameters: the slug of one initiative or the other, and a uuid
from the rows the area's fixture made (`fuzzed["uuids"]`)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode


def fuzz(operation, fuzzed: dict, who: str, mode, failures: list, *, examples: int) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def check(data):
        path = {"slug": data.draw(st.sampled_from(["riverton", "riverton", "lakeside"]))}
        if "{uuid}" in operation.path:
            path["uuid"] = data.draw(st.sampled_from(fuzzed["uuids"]))
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
