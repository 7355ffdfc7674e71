"""The figures other apps read: the latest closed wave beside the one before, and when each
organisation last answered."""

from __future__ import annotations

from datetime import timedelta

import networkx as nx
import pytest
from django.utils import timezone

from backbone.network import services
from backbone.network.selectors import last_answer_by_organisation, latest_wave_figures

from .test_measures import graph_from_database, random_wave
from .test_scores import ratings_frame

pytestmark = pytest.mark.integration


def close(wave, days_ago: int):
    end = timezone.localdate() - timedelta(days=days_ago)
    services.wave_update(
        wave=wave, name=wave.name, opens_on=end - timedelta(days=10), closes_on=end
    )
    wave.refresh_from_db()


def test_no_figures_before_a_wave_has_closed(cast):
    assert latest_wave_figures(cast.initiative) is None
    random_wave(cast, 41, size=5)  # open now
    assert latest_wave_figures(cast.initiative) is None


def test_latest_closed_wave_beside_the_one_before(cast):
    first, _ = random_wave(cast, 42, size=10, chance=0.3)
    close(first, 400)
    second, _ = random_wave(cast, 43, size=10, chance=0.4)
    close(second, 30)
    random_wave(cast, 44, size=5)  # still open: not the latest closed

    figures = latest_wave_figures(cast.initiative)
    assert set(figures) == {
        "wave",
        "closed_on",
        "density",
        "trust_pct",
        "value_pct",
        "reciprocity",
        "previous",
    }
    for found, wave in ((figures, second), (figures["previous"], first)):
        graph = graph_from_database(wave)
        scored = ratings_frame(wave)
        assert (found["wave"], found["closed_on"]) == (wave.name, wave.closes_on)
        assert found["density"] == pytest.approx(nx.density(graph))
        assert found["reciprocity"] == pytest.approx(nx.reciprocity(graph))
        assert found["trust_pct"] == pytest.approx(scored.trust.mean() * 25)
        assert found["value_pct"] == pytest.approx(scored.value.mean() * 25)
    assert figures["previous"]["previous"] is None


def test_one_closed_wave_has_no_previous(cast):
    wave, _ = random_wave(cast, 45, size=5)
    close(wave, 3)
    assert latest_wave_figures(cast.initiative)["previous"] is None


def test_last_answer_by_organisation(cast):
    wave, partners = random_wave(cast, 46, size=4)
    later = timezone.now() + timedelta(hours=3)
    others = {p.pk: {"level": 0} for p in partners if p.pk != partners[0].pk}
    services.answer_submit(wave=wave, partner=partners[0], by=None, ratings=others, at=later)
    found = last_answer_by_organisation(cast.initiative)
    assert set(found) == {p.organisation_id for p in partners}
    assert found[partners[0].organisation_id] == later
    assert cast.org_a.pk not in found  # never answered
