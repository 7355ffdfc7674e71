"""The phase tracker over the API: members read the grid and a cell's history, backbone staff
record; a phase the framework lacks is 404; stale revisions 409; refusals 422."""

# ruff: noqa: F811 (the `call` fixture is imported from tests.api.callers and asked for by name)
from __future__ import annotations

from datetime import date

import pytest

from backbone.phases.models import PhaseCell, PhaseCellChange
from tests.api.callers import EVERYONE, MEMBERS, call, tokens  # noqa: F401 (fixtures)
from tests.phases.conftest import record

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/phases"
CELL = f"{BASE}/initiate_action/governance_and_infrastructure"


def read(who: str) -> int:
    if who == "revoked_token":
        return 401
    return 200 if who in MEMBERS else 404


@pytest.fixture
def recorded(cast, tracked):
    return record(tracked, "initiate_action", "governance_and_infrastructure", by=cast.staff)


@pytest.mark.parametrize("who", EVERYONE)
def test_reads_by_role(cast, recorded, call, who):
    grid = call(who, "get", BASE)
    assert grid.status_code == read(who)
    cell = call(who, "get", CELL)
    assert cell.status_code == read(who)
    if grid.status_code == 200:
        found = grid.json()
        assert [p["key"] for p in found["phases"]][0] == "initiate_action"
        assert found["declared_phase"] == "organise_for_impact"
        first = found["cells"][0]
        assert (first["phase"], first["component"], first["status"]) == (
            "initiate_action",
            "governance_and_infrastructure",
            "done",
        )
        assert first["url"] == "/i/riverton/phases/initiate_action/governance_and_infrastructure/"
        assert cell.json()["history"][0]["status_after"] == "done"
        assert cell.json()["revision"] == 1


def test_visitors_of_a_public_initiative_do_not_read_the_tracker(cast, recorded, call):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    assert call("anonymous", "get", BASE).status_code == 401
    assert call("public", "get", BASE).status_code == 403
    assert call("other_initiative_token", "get", BASE).status_code == 404


def test_a_cell_the_framework_lacks_is_404(cast, tracked, call):
    assert call("staff", "get", f"{BASE}/initiate_action/no_such").status_code == 404
    body = {"revision": 0, "status": "in_progress", "started_on": "2024-01-01"}
    assert call("staff", "put", f"{BASE}/no_such/strategic_planning", body).status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_recording_by_role(cast, tracked, call, who):
    path = f"{BASE}/initiate_action/strategic_planning"
    body = {"revision": 0, "status": "in_progress", "started_on": "2024-01-01", "note": "Began"}
    response = call(who, "put", path, body)
    expected = read(who) if read(who) != 200 else (200 if who == "staff" else 403)
    assert response.status_code == expected, response.content
    cell = PhaseCell.objects.filter(initiative=tracked, component="strategic_planning").first()
    assert (cell is not None) == (who == "staff")
    if cell is not None:
        assert response.json()["revision"] == 1 and response.json()["updated_by"] == "Sam Staff"
        change = PhaseCellChange.objects.get(cell=cell)
        assert (change.status_before, change.status_after, change.note) == (
            "not_started",
            "in_progress",
            "Began",
        )


def test_stale_revision_is_409_and_refusals_422(cast, recorded, call):
    stale = {"revision": 0, "status": "in_progress", "started_on": "2024-01-01"}
    conflict = call("staff", "put", CELL, stale)
    assert conflict.status_code == 409
    assert conflict.json()["current"]["status"] == "done"
    undated = {"revision": 1, "status": "done", "started_on": "2024-01-01"}
    refused = call("staff", "put", CELL, undated)
    assert refused.status_code == 422
    assert refused.json()["detail"][0] == {
        "type": "refused",
        "loc": ["body", "completed_on"],
        "msg": "A done component needs the date it was completed.",
    }
    ahead = {"revision": 1, "status": "in_progress", "started_on": "2999-01-01"}
    assert call("staff", "put", CELL, ahead).status_code == 422
    again = {
        "revision": 1,
        "status": "in_progress",
        "started_on": str(date(2024, 1, 10)),
        "note": "Reopened",
    }
    assert call("staff", "put", CELL, again).json()["revision"] == 2
    history = call("evaluator", "get", CELL).json()["history"]
    assert [h["note"] for h in history] == ["Reopened", ""]
