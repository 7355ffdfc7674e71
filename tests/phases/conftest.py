"""The cast's initiative working by a shipped framework, and a way to record cells."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.frameworks.loader import load_all
from backbone.phases import services


@pytest.fixture
def frameworks(db) -> dict:
    return {framework.slug: framework for framework in load_all()}


@pytest.fixture
def tracked(cast, frameworks):
    """The cast's initiative, working by the three-phase framework, declared in its second."""
    initiative = cast.initiative
    initiative.framework = frameworks["collective-impact"]
    initiative.phase = "organise_for_impact"
    initiative.save()
    return initiative


def record(initiative, phase, component, status="done", by=None, **extra):
    fields = {
        "started_on": date(2024, 1, 10) if status != "not_started" else None,
        "completed_on": date(2024, 3, 1) if status == "done" else None,
        "evidence": "",
        **extra,
    }
    return services.cell_record(
        initiative=initiative, phase=phase, component=component, status=status, by=by, **fields
    )


COMPONENTS = [
    "governance_and_infrastructure",
    "strategic_planning",
    "community_involvement",
    "evaluation_and_improvement",
]
THREE_PHASES = ["initiate_action", "organise_for_impact", "sustain_action_and_impact"]
