"""The schema names each body by its class: two classes of one name would publish one of
them under both, and the API would answer outside its own schema."""

import pytest
from ninja import Schema

import backbone.api.urls  # noqa: F401 (every router, so every schema class, is loaded)


def _schemas(cls):
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("backbone."):
            yield sub
        yield from _schemas(sub)


@pytest.mark.unit
def test_no_two_schema_classes_share_a_name():
    by_name: dict[str, set[str]] = {}
    for cls in _schemas(Schema):
        by_name.setdefault(cls.__name__, set()).add(cls.__module__)
    assert len(by_name) > 50
    assert {name: mods for name, mods in by_name.items() if len(mods) > 1} == {}
