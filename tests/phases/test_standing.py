"""Where the initiative stands, recounted here from the framework file itself."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from backbone.phases import selectors
from backbone.phases.models import PhaseCell

from .conftest import record

pytestmark = pytest.mark.integration

STATUSES = ["not_started", "in_progress", "done"]


def phases_in_file(name: str) -> list[tuple[str, list[str]]]:
    data = yaml.safe_load((Path(settings.FRAMEWORKS_DIR) / name).read_text())
    section = next(s for s in data["sections"] if s["key"] == "phases")
    return [(p["key"], [c["key"] for c in p["elements"]]) for p in section["elements"]]


@pytest.mark.parametrize("seed", range(6))
def test_shares_and_current_phase_counted_from_cells(tracked, seed):
    rng = random.Random(seed)
    phases = phases_in_file("collective-impact.yaml")
    chosen = {}
    for phase, components in phases:
        for component in components:
            status = rng.choice(STATUSES + ["done", "done"])
            chosen[(phase, component)] = status
            if status != "not_started" or rng.random() < 0.3:
                record(tracked, phase, component, status=status)
    found = selectors.phase_standing(initiative=tracked)
    expected = [
        (phase, sum(chosen[(phase, c)] == "done" for c in comps), len(comps))
        for phase, comps in phases
    ]
    assert [(s.key, s.done, s.total) for s in found.phases] == expected
    assert [s.percent_done for s in found.phases] == [
        int(100 * done / total + 0.5) for _, done, total in expected
    ]
    if any(status != "not_started" for status in chosen.values()):
        first_open = next((p for p, done, total in expected if done < total), phases[-1][0])
        assert (found.current.key, found.from_tracker) == (first_open, True)


def test_declared_phase_stands_in_until_something_is_recorded(tracked):
    found = selectors.phase_standing(initiative=tracked)
    assert (found.current.key, found.from_tracker, found.differs) == (
        "organise_for_impact",
        False,
        False,
    )
    record(tracked, "initiate_action", "strategic_planning", status="in_progress")
    found = selectors.phase_standing(initiative=tracked)
    assert (found.current.key, found.from_tracker, found.differs) == ("initiate_action", True, True)
    assert found.declared.key == "organise_for_impact"


def test_without_declared_phase_nothing_recorded_means_the_first(tracked):
    tracked.phase = ""
    tracked.save()
    found = selectors.phase_standing(initiative=tracked)
    assert (found.current.key, found.declared) == ("initiate_action", None)


def test_all_done_stands_in_the_last_phase(tracked):
    for phase, components in phases_in_file("collective-impact.yaml"):
        for component in components:
            record(tracked, phase, component)
    found = selectors.phase_standing(initiative=tracked)
    assert found.current.key == "sustain_action_and_impact"
    assert all(s.percent_done == 100 for s in found.phases)


def test_cells_the_framework_no_longer_has_are_ignored(tracked):
    record(tracked, "initiate_action", "strategic_planning")
    PhaseCell.objects.create(
        initiative=tracked,
        phase="initiate_action",
        component="fundraising",
        status="done",
        completed_on="2024-01-01",
    )
    PhaseCell.objects.create(
        initiative=tracked,
        phase="scale_up",
        component="strategic_planning",
        status="done",
        completed_on="2024-01-01",
    )
    grid = selectors.phase_grid(initiative=tracked)
    assert grid.ignored == 2
    assert [s.done for s in grid.phases] == [1, 0, 0]
    assert {r.component["key"] for r in grid.rows} == {
        "governance_and_infrastructure",
        "strategic_planning",
        "community_involvement",
        "evaluation_and_improvement",
    }


def test_changing_framework_keeps_shared_keys_and_ignores_the_rest(tracked, frameworks):
    record(tracked, "initiate_action", "strategic_planning")
    record(tracked, "sustain_action_and_impact", "community_involvement")
    tracked.framework = frameworks["collective-impact-five-phases"]
    tracked.save()
    grid = selectors.phase_grid(initiative=tracked)
    five = phases_in_file("collective-impact-five-phases.yaml")
    assert [s.key for s in grid.phases] == [p for p, _ in five]
    assert [s.done for s in grid.phases] == [0, 1, 0, 0, 1]
    assert grid.ignored == 0
    assert grid.standing.current.key == "assess_readiness"


def test_no_framework_gives_an_empty_standing(cast):
    found = selectors.phase_standing(initiative=cast.initiative)
    assert (found.phases, found.current) == ([], None)
    assert selectors.phase_grid(initiative=cast.initiative).rows == []
