"""The demo: two partners drift away, and the backbone's home page and health page say so."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backbone.demo.builder import PASSWORD
from backbone.health import alerts, scores
from backbone.health.demo import DRIFTING
from tests.conftest import signed_in

pytestmark = pytest.mark.integration


def _client(email):
    return signed_in(email, PASSWORD)


def test_two_partners_drift_away_on_reporting_and_attending(demo):
    found = {a.partner.organisation.name: a for a in alerts.engagement_alerts(initiative=demo)}
    for name in DRIFTING:
        signals = found[name].signals
        assert {"reporting", "attending", "commitments"} <= set(signals), name
        attending = next(q for q in found[name].quiet if q.signal == "attending")
        quiet_days = (timezone.localdate() - attending.since).days
        assert 130 <= quiet_days <= 200  # since the meeting before the last 130 days
    first_two = list(found)[:2]
    assert sorted(first_two) == sorted(DRIFTING)  # the quietest come first


def test_the_backbone_sees_them_on_its_home_page(demo):
    html = _client("maya.okafor@riverton.example").get("/").text
    assert "Partners going quiet" in html
    for name in DRIFTING:
        assert name in html
    steward = _client("priya.natarajan@riverton.example").get("/").text
    assert "Partners going quiet" not in steward


def test_the_health_page_scores_every_condition(demo):
    found = scores.condition_health(initiative=demo, today=timezone.localdate())
    assert len(found.conditions) == 5
    assert all(c.behaviour is not None for c in found.conditions)
    # the assessments' and the network's own readers, with their demos' closed rounds
    assert found.has_assessment and found.has_network
    assert all(c.assessment is not None for c in found.conditions)
    html = _client("samuel.adeyemi@riverton.example").get(f"/i/{demo.slug}/health/").text
    assert "Collective impact health" in html and DRIFTING[0] in html
