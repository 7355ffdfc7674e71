"""Health over the API: the backbone and evaluators read the figures and alerts, other
members 403, outsiders 404 (even on a public initiative); backbone staff set the alert
threshold with a revision (409 when stale, 422 out of range)."""

from __future__ import annotations

import pytest

from backbone.health.models import AlertSetting
from tests.api import callers
from tests.api.callers import EVERYONE
from tests.assignments import assign_every_partner

from .conftest import ago, indicator, monthly_period, report

call, tokens = callers.call, callers.tokens  # the API callers' fixtures

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/health"
MEMBERS = {"community", "member_a", "steward_a", "steward_b", "funder", "evaluator", "staff"}
MEMBERS |= {"partner_token", "personal_token"}
READERS = {"staff", "evaluator"}


def status_for(who: str, allowed: set[str]) -> int:
    if who == "revoked_token":
        return 401
    if who not in MEMBERS:
        return 404
    return 200 if who in allowed else 403


@pytest.fixture
def quiet_a(framed):
    """Partner A never reported a period it owes: an engagement alert."""
    cast = framed
    ind = indicator(cast.initiative)
    assign_every_partner(cast.initiative)
    old, new = monthly_period(cast.initiative, 6), monthly_period(cast.initiative, 4)
    report(cast, cast.partner_b, ind, old, on=ago(150))
    report(cast, cast.partner_b, ind, new, on=ago(100))
    return cast


@pytest.mark.parametrize("who", EVERYONE)
def test_health_by_role(quiet_a, call, who):
    response = call(who, "get", BASE)
    assert response.status_code == status_for(who, READERS)
    setting = call(who, "get", f"{BASE}/alert-setting")
    assert setting.status_code == status_for(who, READERS)
    if response.status_code == 200:
        body = response.json()
        assert [c["key"] for c in body["conditions"]][:2] == ["common_agenda", "shared_measurement"]
        assert body["quiet_after_days"] == 90
        assert [a["partner"] for a in body["alerts"]] == [quiet_a.org_a.slug]
        assert body["alerts"][0]["quiet"][0]["signal"] == "reporting"
        assert setting.json() == {
            "quiet_after_days": 90,
            "default": True,
            "revision": 0,
            "updated_at": None,
        }


@pytest.mark.parametrize("who", EVERYONE)
def test_only_backbone_staff_set_the_threshold(framed, call, who):
    response = call(who, "put", f"{BASE}/alert-setting", {"revision": 0, "quiet_after_days": 60})
    if who == "revoked_token":
        assert response.status_code == 401
    elif who not in MEMBERS:
        assert response.status_code == 404
    elif who == "staff":
        assert response.status_code == 200
        assert response.json()["quiet_after_days"] == 60
        assert response.json()["revision"] == 1
    else:
        assert response.status_code == 403
    assert AlertSetting.objects.filter(quiet_after_days=60).exists() == (who == "staff")


def test_a_stale_revision_is_409_and_out_of_range_is_422(framed, call):
    path = f"{BASE}/alert-setting"
    assert call("staff", "put", path, {"revision": 0, "quiet_after_days": 60}).status_code == 200
    stale = call("staff", "put", path, {"revision": 0, "quiet_after_days": 45})
    assert stale.status_code == 409
    assert stale.json()["current"]["quiet_after_days"] == 60
    refused = call("staff", "put", path, {"revision": 1, "quiet_after_days": 5})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "quiet_after_days"]
    assert "14" in refused.json()["detail"][0]["msg"]
    assert call("staff", "get", path).json()["quiet_after_days"] == 60
    # the health page now counts 60 days too
    assert call("staff", "get", BASE).json()["quiet_after_days"] == 60


@pytest.mark.parametrize("who", ["anonymous", "public", "other_staff"])
def test_health_is_never_public(framed, call, who):
    """On a public initiative, people outside it are refused (403) as on the page."""
    framed.initiative.visibility = "public"
    framed.initiative.save()
    assert call(who, "get", BASE).status_code == 403
    assert call(who, "get", f"{BASE}/alert-setting").status_code == 403
