"""A field's value as JSON and back, exactly: decimals as their digits, times in ISO 8601.

A float would round a decimal and a time zone name could shift a time, so every value the
archive holds reads back as the value that was written, whatever database wrote it or reads
it (SQLite and PostgreSQL both)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models

UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def encode(field: models.Field, value: Any) -> Any:
    """The value read from the database (`values_list`), as JSON can hold it exactly."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (bool, int, str)):
        return value
    raise TypeError(f"{field.model._meta.label}.{field.name}: cannot archive {type(value)}")


def decode(field: models.Field, value: Any) -> Any:
    """The archived value as the field holds it; a value the field refuses raises."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.FileField):
        return value
    return field.to_python(value)


class Rewriter:
    """Texts that name rows by UUID, or pages by the initiative's address, as they must read
    after an import that gave rows fresh UUIDs or the initiative another slug: an agenda
    version's snapshot names its goals by UUID, a link in a text names a page."""

    def __init__(self, uuids: dict[str, str], old_slug: str, new_slug: str):
        self.uuids = uuids
        self.slug = (f"/i/{old_slug}/", f"/i/{new_slug}/") if old_slug != new_slug else None

    def __bool__(self) -> bool:
        return bool(self.uuids or self.slug)

    def text(self, value: str) -> str:
        if self.uuids and "-" in value:
            value = UUID_TEXT.sub(lambda m: self.uuids.get(m[0], m[0]), value)
        if self.slug and self.slug[0] in value:
            value = value.replace(*self.slug)
        return value

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {self.text(k): self.json(v) for k, v in value.items()}
        return value

    def field(self, field: models.Field, value: Any) -> Any:
        if not self or value is None:
            return value
        if isinstance(field, models.JSONField):
            return self.json(value)
        if isinstance(value, str) and isinstance(field, (models.CharField, models.TextField)):
            return self.text(value)
        return value
