"""The grid, a cell's page and its form, and the standing on the initiative's overview."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.phases.models import PhaseCell, PhaseCellChange

from .conftest import COMPONENTS, THREE_PHASES, record

pytestmark = pytest.mark.integration

BASE = "/i/riverton/phases/"
EDIT = BASE + "organise_for_impact/community_involvement/edit/"


def test_grid_shows_status_in_words_dates_and_evidence(as_role, tracked, cast):
    record(
        tracked,
        "initiate_action",
        "governance_and_infrastructure",
        evidence="Steering group of twelve champions met monthly",
        by=cast.staff,
    )
    record(tracked, "organise_for_impact", "strategic_planning", status="in_progress")
    page = as_role("community").get(BASE).text
    assert "Steering group of twelve champions met monthly" in page
    assert "Started 10 Jan 2024 · Completed 1 Mar 2024" in page
    assert page.count("status-done") == 1 and page.count("status-in_progress") == 1
    assert page.count("status-not_started") == 10
    assert "> Done</span>" in page and "> In progress</span>" in page
    assert "1 of 4 done (25%)" in page
    assert "Record<span" not in page


def test_grid_puts_phases_in_framework_order_as_columns(as_role, tracked):
    page = as_role("staff").get(BASE).text
    head = page[page.index("<thead>") : page.index("</thead>")]
    names = ["Initiate action", "Organise for impact", "Sustain action and impact"]
    assert sorted(names, key=head.index) == names
    assert page.count("Record<span") == 12


def test_staff_record_a_cell_and_its_history(as_role, tracked, cast):
    client = as_role("staff")
    response = client.post(
        EDIT,
        {
            "status": "done",
            "started_on": "2024-02-01",
            "completed_on": "2024-06-30",
            "evidence": "31 listening sessions held",
            "note": "Closed after the last session",
        },
    )
    assert response.status_code == 302
    cell = PhaseCell.objects.get()
    assert (cell.phase, cell.component, cell.status, cell.updated_by) == (
        "organise_for_impact",
        "community_involvement",
        "done",
        cast.staff,
    )
    detail = client.get(BASE + "organise_for_impact/community_involvement/").text
    assert "Not started → Done" in detail and "Closed after the last session" in detail
    assert "31 listening sessions held" in detail


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "done", "completed_on": ""}, "A done component needs the date"),
        (
            {"status": "done", "started_on": "2024-06-01", "completed_on": "2024-05-01"},
            "cannot be completed before it started",
        ),
        ({"status": "done", "completed_on": "next week"}, "Enter a valid date"),
        ({"status": "finished"}, "Select a valid choice"),
    ],
)
def test_bad_cell_shows_the_error_and_saves_nothing(as_role, tracked, data, message):
    response = as_role("staff").post(EDIT, data)
    assert response.status_code == 200
    assert message in response.text
    assert not PhaseCell.objects.exists() and not PhaseCellChange.objects.exists()


def test_form_starts_from_what_is_recorded(as_role, tracked):
    record(
        tracked,
        "organise_for_impact",
        "community_involvement",
        status="in_progress",
        evidence="Residents on the steering group",
    )
    page = as_role("staff").get(EDIT).text
    assert 'value="in_progress" selected' in page
    assert "Residents on the steering group" in page


@pytest.mark.parametrize(
    "path",
    [
        "scale_up/strategic_planning/",
        "initiate_action/fundraising/",
        "initiate_action/fundraising/edit/",
    ],
)
def test_cells_the_framework_lacks_are_not_found(as_role, tracked, path):
    assert as_role("staff").get(BASE + path).status_code == 404


def test_grid_survives_cells_of_an_old_framework(as_role, tracked):
    PhaseCell.objects.create(
        initiative=tracked, phase="scale_up", component="fundraising", status="in_progress"
    )
    page = as_role("staff").get(BASE)
    assert page.status_code == 200
    assert "1 recorded cell belongs to phases or components the framework no longer has" in (
        page.text
    )


def test_initiative_without_framework_says_so(as_role, cast):
    page = as_role("staff").get(BASE).text
    assert "has not chosen a framework yet" in page


def test_overview_shows_where_the_initiative_stands(as_role, tracked):
    record(tracked, "initiate_action", "strategic_planning")
    page = as_role("funder").get("/i/riverton/").text
    assert "Where the initiative stands" in page
    section = page[page.index("Where the initiative stands") :]
    assert "1 of 4" in section and "25%" in section
    assert "Current phase: <strong>Initiate action</strong>" in section


def test_overview_keeps_the_standing_from_public_visitors(as_role, tracked):
    tracked.visibility = "public"
    tracked.save()
    page = as_role("anonymous").get("/i/riverton/")
    assert page.status_code == 200
    assert "Where the initiative stands" not in page.text


def count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["", "initiate_action/strategic_planning/"])
def test_pages_cost_the_same_queries_for_one_cell_as_for_all(as_role, tracked, cast, path):
    client = as_role("staff")
    record(tracked, "initiate_action", "strategic_planning", status="in_progress", by=cast.staff)
    one = count(client, BASE + path)
    for phase in THREE_PHASES:
        for component in COMPONENTS:
            record(tracked, phase, component, by=cast.admin, note="again")
    assert count(client, BASE + path) == one
