"""Who may read and record the phase tracker, role by role."""

from __future__ import annotations

import pytest

from backbone.phases.models import PhaseCell
from tests.conftest import ROLES, refused

pytestmark = pytest.mark.integration

BASE = "/i/riverton/phases/"
OUTSIDERS = {"anonymous", "public", "other_staff"}
MEMBERS = set(ROLES) - OUTSIDERS
READ_PAGES = ["", "initiate_action/strategic_planning/"]
EDIT_PAGE = "initiate_action/strategic_planning/edit/"
DONE = {"status": "done", "started_on": "2024-01-10", "completed_on": "2024-02-01"}


def expected(role, allowed):
    if role in OUTSIDERS:
        return 404
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", READ_PAGES)
def test_tracker_read_by_every_member(as_role, tracked, role, page):
    assert as_role(role).get(BASE + page).status_code == expected(role, MEMBERS)


@pytest.mark.parametrize("role", ROLES)
def test_cell_form_for_backbone_staff_only(as_role, tracked, role):
    assert as_role(role).get(BASE + EDIT_PAGE).status_code == expected(role, {"staff"})


@pytest.mark.parametrize("role", ROLES)
def test_cell_recorded_only_by_backbone_staff(as_role, tracked, role):
    response = as_role(role).post(BASE + EDIT_PAGE, DONE)
    assert response.status_code == (302 if role == "staff" else expected(role, set()))
    assert PhaseCell.objects.exists() == (role == "staff")


@pytest.mark.parametrize("role", ["anonymous", "public", "other_staff"])
@pytest.mark.parametrize("page", [*READ_PAGES, EDIT_PAGE])
def test_visitors_of_a_public_initiative_are_refused(as_role, tracked, role, page):
    tracked.visibility = "public"
    tracked.save()
    assert as_role(role).get(BASE + page).status_code == refused(role)


def test_platform_admin_records(as_role, tracked):
    assert as_role("admin").post(BASE + EDIT_PAGE, DONE).status_code == 302
