"""Factories for network tests: waves, whole answers, and any networkx graph loaded as survey
answers through the real service."""

from __future__ import annotations

from datetime import timedelta

import networkx as nx
import pytest
from django.core.cache import cache
from django.utils import timezone

from backbone.initiatives import services as initiatives
from backbone.network import services
from backbone.network.models import SCORE_ITEMS, Wave
from tests.api.callers import call, tokens  # noqa: F401 (fixtures of the API tests)

SECTORS = ["education", "nonprofit", "health", "government", "faith", "business"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Measures are cached under a wave's version; ids restart in each test's database."""
    cache.clear()
    yield
    cache.clear()


def open_wave(initiative, name="Spring wave", days_open=10, partners=None, days_ago=1) -> Wave:
    today = timezone.localdate()
    return services.wave_open(
        initiative=initiative,
        name=name,
        opens_on=today - timedelta(days=days_ago),
        closes_on=today - timedelta(days=days_ago) + timedelta(days=days_open),
        partners=partners,
    )


def scores(seed: int) -> dict:
    """Six scores 1–4 that vary from rating to rating, so means are not all alike."""
    return {item: 1 + (seed * 7 + k * 3) % 4 for k, item in enumerate(SCORE_ITEMS)}


def ratings_for(rater, partners, levels: dict, with_scores=scores) -> dict:
    """Every other partner rated: `levels` maps a rated Partner id to its level, else none."""
    out = {}
    for p in partners:
        if p.pk == rater.pk:
            continue
        level = levels.get(p.pk, 0)
        out[p.pk] = {"level": level, **(with_scores(rater.pk * 31 + p.pk) if level else {})}
    return out


def answer(wave, rater, partners, levels: dict, by=None, **extra):
    return services.answer_submit(
        wave=wave,
        partner=rater,
        by=by,
        ratings=ratings_for(rater, partners, levels),
        **extra,
    )


def load_graph(initiative, graph, *, level=3, name="Graph wave", sector_of=None):
    """Each node becomes a partner (organisation named after it) and answers the wave: a
    directed graph's edges as given, an undirected graph's rated both ways, at `level`.
    Returns the wave and node → Partner."""
    partners = {}
    for n, node in enumerate(sorted(graph, key=str)):
        org = initiatives.organisation_create(
            name=str(node),
            sector=(sector_of or {}).get(node, SECTORS[n % len(SECTORS)]),
        )
        partners[node] = initiatives.partner_add(initiative=initiative, organisation=org)
    wave = open_wave(initiative, name=name, partners=list(partners.values()))
    directed = graph.is_directed()
    for node, rater in partners.items():
        named = graph.successors(node) if directed else graph.neighbors(node)
        levels = {
            partners[other].pk: graph.edges[node, other].get("level", level) for other in named
        }
        answer(wave, rater, list(partners.values()), levels)
    wave.refresh_from_db()
    return wave, partners


def relabel(graph, partners) -> nx.Graph:
    """The same graph with Partner ids for nodes."""
    return nx.relabel_nodes(graph, {node: p.pk for node, p in partners.items()})
