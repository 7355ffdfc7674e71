"""Helpers for framework tests: the shipped files, and broken copies of them."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from backbone.frameworks.loader import load_all, load_file
from backbone.frameworks.models import Framework

SHIPPED = Path(settings.FRAMEWORKS_DIR)
THREE_PHASES = SHIPPED / "collective-impact.yaml"
FIVE_PHASES = SHIPPED / "collective-impact-five-phases.yaml"


@pytest.fixture
def shipped_data() -> dict:
    """A fresh copy of the three-phase framework's content, to change freely."""
    return copy.deepcopy(load_file(THREE_PHASES))


@pytest.fixture
def write_framework(tmp_path) -> Callable[..., Path]:
    """`write_framework(data_or_text, name="x.yaml")` writes a framework file into tmp_path."""

    def write(content: dict | str, name: str = "broken.yaml") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def frameworks(db) -> dict[str, Framework]:
    return {framework.slug: framework for framework in load_all()}


@pytest.fixture
def framework_initiative(cast, frameworks):
    """The cast's initiative, working by the three-phase framework, in its second phase."""
    initiative = cast.initiative
    initiative.framework = frameworks["collective-impact"]
    initiative.phase = "organise_for_impact"
    initiative.save()
    return initiative
