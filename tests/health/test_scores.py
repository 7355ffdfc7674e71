"""From signals to condition scores: the documented mapping, the bands at their edges, the
disagreement margin, and the page without an assessment or a network survey."""

from __future__ import annotations

import pytest

from backbone.health import scores, sources
from backbone.health.signals import Signal

from .conftest import ago, endorse, version

pytestmark = pytest.mark.integration


def signal(key, share):
    return Signal(
        key=key, label=key, share=share, numerator=None, denominator=None, unit="", period=""
    )


def test_behaviour_is_the_mean_of_measurable_shares_each_capped_at_one():
    found = scores.behaviour_score([signal("a", 0.5), signal("b", 1.4), signal("c", None)])
    assert found == pytest.approx(100 * (0.5 + 1.0) / 2)
    assert scores.behaviour_score([signal("a", None)]) is None


@pytest.mark.parametrize(
    "mean, points", [(1.0, 0.0), (3.0, 50.0), (4.0, 75.0), (5.0, 100.0), (3.6, 65.0)]
)
def test_the_two_scales_meet(mean, points):
    assert scores.points_from_scale(mean) == pytest.approx(points)
    assert scores.scale_from_points(points) == pytest.approx(mean)


@pytest.mark.parametrize(
    "on_scale, band",
    [(4.0, "strength"), (3.99, "discuss"), (3.0, "discuss"), (2.99, "concern"), (None, None)],
)
def test_bands_are_the_collaboration_inventories(on_scale, band):
    assert scores.band(on_scale) == band


@pytest.mark.parametrize(
    "behaviour, assessment, disagree",
    [
        (75.0, 3.0, False),
        (75.01, 3.0, True),
        (24.99, 3.0, True),
        (50.0, 3.0, False),
        (None, 3.0, False),
    ],
)
def test_disagreement_is_more_than_one_step_of_the_scale(behaviour, assessment, disagree):
    assert scores.disagrees(behaviour, assessment) is disagree


def test_each_condition_of_the_framework_gets_its_signals_and_the_assessment(framed, monkeypatch):
    shares = {key: 0.8 for key in scores.CONDITION_SIGNALS["continuous_communication"]}
    shares.update(agenda_endorsement=0.9, reporting_completeness=0.4, reporting_timeliness=0.2)
    monkeypatch.setattr(
        scores,
        "all_signals",
        lambda initiative, today: {k: signal(k, v) for k, v in shares.items()},
    )
    monkeypatch.setattr(
        sources,
        "assessment_scores",
        lambda initiative: {
            "common_agenda": 4.6,
            "shared_measurement": 4.2,
            "backbone_support": None,
        },
    )
    found = scores.condition_health(initiative=framed.initiative, today=None)
    by_key = {c.key: c for c in found.conditions}
    assert list(by_key) == [
        "common_agenda",
        "shared_measurement",
        "mutually_reinforcing_activities",
        "continuous_communication",
        "backbone_support",
    ]
    agenda, measurement = by_key["common_agenda"], by_key["shared_measurement"]
    assert (agenda.behaviour, agenda.assessment, agenda.disagrees) == (
        pytest.approx(90),
        4.6,
        False,
    )
    assert measurement.behaviour == pytest.approx(30)
    assert measurement.disagrees and measurement.gap == pytest.approx(30 - 80)
    assert by_key["continuous_communication"].behaviour == pytest.approx(80)
    assert by_key["mutually_reinforcing_activities"].behaviour is None  # no signal measured
    assert by_key["backbone_support"].assessment is None
    assert found.has_assessment and [c.key for c in found.disagreements] == ["shared_measurement"]


def test_without_a_framework_there_is_nothing_to_score(cast):
    found = scores.condition_health(initiative=cast.initiative, today=None)
    assert found.conditions == [] and not found.has_assessment


def test_the_page_says_when_there_is_no_assessment_or_network_yet(framed, as_role, monkeypatch):
    monkeypatch.setattr(sources, "assessment_scores", lambda initiative: None)
    monkeypatch.setattr(sources, "network_figures", lambda initiative: None)
    html = as_role("staff").get("/i/riverton/health/").text
    assert "No assessment yet" in html and "No network survey yet" in html
    assert "Common agenda" in html and "Backbone support" in html


def test_the_page_flags_a_disagreement(framed, as_role, monkeypatch):
    endorse(version(framed.initiative, 1, ago(30)), framed.partner_a, ago(29))  # 1 of 2
    monkeypatch.setattr(sources, "assessment_scores", lambda initiative: {"common_agenda": 5.0})
    html = as_role("evaluator").get("/i/riverton/health/").text
    assert "Disagree by 50 points" in html and "Partners say more than they do" in html
    monkeypatch.setattr(sources, "assessment_scores", lambda initiative: {"common_agenda": 2.5})
    html = as_role("evaluator").get("/i/riverton/health/").text
    assert "Disagree by" not in html and "Agree" in html
