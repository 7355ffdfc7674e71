"""Who sees the health page, its alerts and its setting, role by role: backbone staff and
evaluators read, only staff change the setting, other members get 403, outsiders of a
members-only initiative 404. On a public initiative health stays members only: signed-out
visitors are sent to sign in, signed-in outsiders get 403."""

from __future__ import annotations

import pytest

from backbone.health.models import AlertSetting
from tests.conftest import ROLES

pytestmark = pytest.mark.integration

BASE = "/i/riverton/health/"
OUTSIDERS = {"anonymous", "public", "other_staff"}


def expected(role, allowed):
    if role in OUTSIDERS:
        return 404
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_health_page_for_backbone_and_evaluators(as_role, cast, role):
    assert as_role(role).get(BASE).status_code == expected(role, {"staff", "evaluator"})


@pytest.mark.parametrize("role", ROLES)
def test_alert_setting_for_backbone_staff_only(as_role, cast, role):
    client = as_role(role)
    assert client.get(BASE + "settings/").status_code == expected(role, {"staff"})
    response = client.post(BASE + "settings/", {"quiet_after_days": 60})
    assert response.status_code == (302 if role == "staff" else expected(role, set()))
    assert AlertSetting.objects.filter(quiet_after_days=60).exists() == (role == "staff")


def test_a_bad_setting_is_refused_on_the_form(as_role, cast):
    response = as_role("staff").post(BASE + "settings/", {"quiet_after_days": 5})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 14." in response.text
    assert not AlertSetting.objects.exists()


@pytest.mark.parametrize("role", sorted(OUTSIDERS))
def test_health_is_never_public(as_role, cast, role):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    for page in ("", "settings/"):
        response = as_role(role).get(BASE + page)
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"] == f"/accounts/login/?next={BASE}{page}"
        else:
            assert response.status_code == 403
