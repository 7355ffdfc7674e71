"""How the API answers what it refuses, and how the OpenAPI schema documents it.

Every error body has `detail`: a sentence (400, 401, 403, 404) or, for a parameter or body
that does not validate (422), the list of what is wrong where. The schema documents 422 on
every operation that reads input, and 400 on every operation that reads a body unless it
documents its own (POST /values: its `problems`).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Schema
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

REF = "#/components/schemas/{model}"


class ErrorOut(Schema):
    detail: str


class ValidationIssue(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    detail: list[ValidationIssue]


class BodyUnreadable(ValueError):
    """A request body that is not UTF-8 JSON, with a reason a client can act on."""


class Utf8JsonParser(Parser):
    """JSON bodies are UTF-8 (RFC 8259; a byte-order mark is let through). The default
    parser guesses UTF-16 or UTF-32 from the first bytes and fails with a message about
    the wrong encoding; this one says which byte is not UTF-8."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            text = request.body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BodyUnreadable(
                f"the request body is not UTF-8: byte 0x{request.body[exc.start]:02x} at "
                f"position {exc.start}"
            ) from exc
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise BodyUnreadable(
                f"the request body is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from exc


def http_error_body(exc: HttpError) -> dict[str, Any]:
    """{"detail": …}; for a body that cannot be read (ninja raises HttpError(400) from the
    parser's error) also the `problems` and `total` of the values endpoint's documented 400,
    so that the one body fits whichever 400 an operation documents."""
    cause = exc.__cause__
    if not isinstance(cause, BodyUnreadable):
        return {"detail": str(exc)}
    reason = str(cause)
    return {
        "detail": reason[0].upper() + reason[1:] + ".",
        "problems": [{"row": None, "column": None, "reason": reason}],
        "total": 1,
    }


def _component(components: dict, model: type[Schema]) -> dict:
    schema = model.model_json_schema(ref_template=REF)
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def _response(description: str, ref: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def document_errors(schema: dict) -> dict:
    """Add the error bodies to a generated OpenAPI schema (ninja documents none)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error = _component(components, ErrorOut)
    invalid = _component(components, ValidationErrorOut)
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            responses = operation["responses"]
            documented = {str(code) for code in responses}
            # a bad, expired or revoked token is refused everywhere, even where no one is needed
            if "401" not in documented:
                responses[401] = _response("The token is unknown, revoked or expired.", error)
            # what the caller may not see answers as what does not exist
            if "{" in path and "404" not in documented:
                responses[404] = _response("No such thing, or not visible to the caller.", error)
            if "403" not in documented:
                responses[403] = _response("The caller may see it but not do this.", error)
            if "requestBody" in operation and "400" not in documented:
                responses[400] = _response("The body is not UTF-8 JSON.", error)
            elif operation.get("parameters") and "400" not in documented:
                responses[400] = _response("A parameter names nothing that can be used.", error)
            if (operation.get("parameters") or "requestBody" in operation) and (
                "422" not in documented
            ):
                responses[422] = _response("A parameter or the body does not validate.", invalid)
    return schema


def problem(name: str, message: str) -> ValidationError:
    """A 422 naming one field of the body and why."""
    return ValidationError([{"type": "refused", "loc": ["body", name], "msg": message}])


def refused(exc: DjangoValidationError, names: dict[str, str] | None = None) -> ValidationError:
    """A service's or form's refusal as a 422, each message at the body field it names (a
    form field's name mapped through `names`; one of no field at the body itself)."""
    names = names or {}
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    return ValidationError(
        [
            {
                "type": "refused",
                "loc": ["body", names.get(name, name)] if name and name != "__all__" else ["body"],
                "msg": message,
            }
            for name, messages in fields.items()
            for message in messages
        ]
    )
