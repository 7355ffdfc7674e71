"""Every answer of the API, in every test, is checked against the OpenAPI schema it publishes.

The test client's requests to /api/ pass through `check`: the operation is found by its path
template and method, and the answer's status must be one the operation documents, with a body
that validates against the documented schema. A test that calls the API therefore also proves
the schema true for what it called — the way Zulip tests every response against its OpenAPI
file. Answers of no operation (a wrong address, a wrong method) are Django's, not the API's.
"""

from __future__ import annotations

import json
import re
from functools import cache

from jsonschema import Draft202012Validator

#: Bodies no schema describes: a PDF or a CSV is checked by its content type only.
BINARY = ("application/pdf", "text/csv")


@cache
def _schema() -> dict:
    from django.core.serializers.json import DjangoJSONEncoder

    from backbone.api.urls import api

    # as /api/openapi.json serves it: status codes become strings
    return json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))


@cache
def _operations() -> list[tuple[re.Pattern, str, int]]:
    """(path pattern, template, number of parameters): literal segments win over parameters."""
    found = []
    for template in _schema()["paths"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        found.append((re.compile(f"^{pattern}/?$"), template, template.count("{")))
    return sorted(found, key=lambda item: item[2])


def operation_of(method: str, path: str) -> tuple[str, dict] | None:
    for pattern, template, _ in _operations():
        if pattern.match(path):
            operation = _schema()["paths"][template].get(method.lower())
            if operation is not None:
                return template, operation
    return None


def problems(method: str, path: str, response) -> list[str]:
    """What is wrong with an answer, by the schema; [] when it fits or is no operation's."""
    if not path.startswith("/api/") or response.status_code in (405,):
        return []
    found = operation_of(method, path)
    if found is None:
        return []
    template, operation = found
    where = f"{method.upper()} {template} → {response.status_code}"
    documented = operation.get("responses", {})
    answer = documented.get(str(response.status_code))
    if answer is None:
        return [f"{where}: status not documented (documented: {sorted(documented)})"]
    content = answer.get("content")
    kind = response.get("Content-Type", "").split(";")[0]
    if getattr(response, "streaming", False):
        return [] if content and kind in content else [f"{where}: {kind} not documented"]
    if not content:
        if response.status_code != 204 and response.content and kind == "application/json":
            return [f"{where}: a body the schema does not describe"]
        return []
    if kind in BINARY:
        return [] if kind in content else [f"{where}: {kind} not documented"]
    if kind != "application/json" or "application/json" not in content:
        return [f"{where}: content type {kind!r} not documented ({sorted(content)})"]
    schema = content["application/json"].get("schema", {})
    body = json.loads(response.content)
    validator = Draft202012Validator({**schema, "components": _schema().get("components", {})})
    return [
        f"{where}: {'/'.join(map(str, error.absolute_path)) or 'body'}: {error.message[:200]}"
        for error in validator.iter_errors(body)
    ][:5]
