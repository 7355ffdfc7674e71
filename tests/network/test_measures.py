"""Every network measure checked against networkx computed here on the same graph (read back
from the ratings in the database), on the Florentine families, a hand-worked five-node case,
random directed graphs and sub-networks."""

from __future__ import annotations

import random
from datetime import timedelta

import networkx as nx
import pytest

from backbone.initiatives import services as initiatives
from backbone.network import measures, selectors, services
from backbone.network.models import Rating

from .conftest import answer, load_graph, open_wave, relabel

pytestmark = pytest.mark.integration


def graph_from_database(wave, threshold=2) -> nx.DiGraph:
    """The tie graph rebuilt here from the stored ratings, nodes and edges in id order."""
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(wave.participants.values_list("partner_id", flat=True)))
    graph.add_edges_from(
        Rating.objects.filter(wave=wave, level__gte=threshold)
        .order_by("rater_id", "rated_id")
        .values_list("rater_id", "rated_id")
    )
    return graph


def freeman(graph: nx.Graph) -> float:
    """Freeman's centralisation from networkx's degree centrality: Σ(c_max − cᵢ)/(n − 2)."""
    c = nx.degree_centrality(graph)
    top = max(c.values())
    return sum(top - v for v in c.values()) / (len(c) - 2)


def in_sorted_order(graph: nx.Graph) -> nx.Graph:
    """Louvain's result depends on the order it visits nodes; both sides visit them sorted."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in graph.edges))
    return ordered


def assert_same_as_networkx(found: measures.NetworkMeasures, directed: nx.DiGraph):
    both = nx.Graph(directed)
    assert found.partners == directed.number_of_nodes()
    assert found.ties == directed.number_of_edges()
    assert found.density == pytest.approx(nx.density(directed))
    assert found.reciprocity == pytest.approx(nx.reciprocity(directed))
    assert found.centralisation == pytest.approx(freeman(both))
    degree = nx.degree_centrality(both)
    betweenness = nx.betweenness_centrality(both)
    closeness = nx.closeness_centrality(both)
    for v, m in found.by_partner.items():
        assert m.named == directed.out_degree(v)
        assert m.named_by == directed.in_degree(v)
        assert m.degree == pytest.approx(degree[v])
        assert m.betweenness == pytest.approx(betweenness[v])
        assert m.closeness == pytest.approx(closeness[v])
        assert m.neighbours == set(both[v])
    expected = {
        frozenset(c)
        for c in nx.community.louvain_communities(in_sorted_order(both), seed=measures.SEED)
        if len(c) > 1
    }
    assert set(found.groups) == expected
    for number, group in enumerate(found.groups, start=1):
        assert all(found.by_partner[v].group == number for v in group)
    partition = [set(g) for g in found.groups] + [
        {v} for v in both if found.by_partner[v].group is None
    ]
    assert found.modularity == pytest.approx(nx.community.modularity(both, partition))


def test_florentine_families_loaded_as_answers_match_networkx(cast):
    families = nx.florentine_families_graph()
    wave, partners = load_graph(cast.initiative, families)
    found = selectors.wave_measures(wave)

    # Each marriage tie was rated both ways, so the directed graph is the families' graph.
    directed = graph_from_database(wave)
    assert nx.is_isomorphic(nx.Graph(directed), families)
    assert nx.utils.graphs_equal(nx.Graph(directed), relabel(families, partners))
    assert_same_as_networkx(found, directed)

    assert round(found.density, 4) == 0.1905
    assert found.density == pytest.approx(nx.density(families))
    assert found.reciprocity == 1.0
    medici = partners["Medici"].pk
    assert max(found.by_partner, key=lambda v: found.by_partner[v].degree) == medici
    assert max(found.by_partner, key=lambda v: found.by_partner[v].betweenness) == medici
    # And by family name, against networkx on its own copy of the graph.
    betweenness = nx.betweenness_centrality(families)
    closeness = nx.closeness_centrality(families)
    degree = nx.degree_centrality(families)
    for name, p in partners.items():
        m = found.by_partner[p.pk]
        assert m.betweenness == pytest.approx(betweenness[name])
        assert m.closeness == pytest.approx(closeness[name])
        assert m.degree == pytest.approx(degree[name])
    assert degree["Medici"] == pytest.approx(6 / 14)


def test_five_partners_worked_by_hand(cast):
    """A, B, C, D, E rate each other; ties at cooperation (2) or more:

        A → B (3)   B → A (2)   A → C (4)   C → A (2)   A → D (2)   D → E (3)
        B → E is awareness (1): rated, scored, but no tie. Every other rating is none.

    Directed: 6 ties of 5 × 4 = 20 possible → density 0.3. A↔B and A↔C are returned, so 4 of
    the 6 ties are reciprocated → reciprocity 2/3.

    Undirected (either named the other): B–A, C–A, A–D, D–E, a tree. Degrees A 3, B 1, C 1,
    D 2, E 1; degree centrality d/4: A .75, B .25, C .25, D .5, E .25.
    Freeman: Σ(3 − d) = 0 + 2 + 2 + 1 + 2 = 7 over (n − 1)(n − 2) = 12 → 7/12 ≈ 0.5833.

    Betweenness (one shortest path per pair in a tree; 6 pairs of others to normalise by):
    A lies between B–C, B–D, B–E, C–D, C–E → 5/6; D between A–E, B–E, C–E → 3/6; others 0.

    Closeness (n − 1)/Σ distances: A 4/(1+1+1+2) = 0.8; B 4/(1+2+2+3) = 0.5; C 0.5;
    D 4/(1+2+2+1) = 2/3; E 4/(1+2+3+3) = 4/9.
    """
    names = "ABCDE"
    orgs = [initiatives.organisation_create(name=f"Partner {n}", sector="nonprofit") for n in names]
    p = {
        n: initiatives.partner_add(initiative=cast.initiative, organisation=o)
        for n, o in zip(names, orgs, strict=True)
    }
    wave = open_wave(cast.initiative, partners=list(p.values()))
    everyone = list(p.values())
    levels = {"A": {"B": 3, "C": 4, "D": 2}, "B": {"A": 2, "E": 1}, "C": {"A": 2}, "D": {"E": 3}}
    for rater in names:
        answer(wave, p[rater], everyone, {p[k].pk: v for k, v in levels.get(rater, {}).items()})
    wave.refresh_from_db()
    found = selectors.wave_measures(wave)
    by = {n: found.by_partner[p[n].pk] for n in names}

    assert (found.partners, found.ties) == (5, 6)
    assert found.density == pytest.approx(0.3)
    assert found.reciprocity == pytest.approx(2 / 3)
    assert found.centralisation == pytest.approx(7 / 12)
    assert [by[n].named for n in names] == [3, 1, 1, 1, 0]
    assert [by[n].named_by for n in names] == [2, 1, 1, 1, 1]
    assert [by[n].degree for n in names] == pytest.approx([0.75, 0.25, 0.25, 0.5, 0.25])
    assert [by[n].betweenness for n in names] == pytest.approx([5 / 6, 0, 0, 0.5, 0])
    assert [by[n].closeness for n in names] == pytest.approx([0.8, 0.5, 0.5, 2 / 3, 4 / 9])
    assert_same_as_networkx(found, graph_from_database(wave))


def random_wave(cast, seed: int, size: int = 24, chance: float = 0.2):
    """A directed random graph of levels 0–4 (awareness is rated but is no tie)."""
    rng = random.Random(seed)
    orgs = [
        initiatives.organisation_create(
            name=f"Org {seed}-{n}", sector=["education", "health", "faith"][n % 3]
        )
        for n in range(size)
    ]
    partners = [initiatives.partner_add(initiative=cast.initiative, organisation=o) for o in orgs]
    wave = open_wave(cast.initiative, name=f"Random {seed}", partners=partners)
    for rater in partners:
        levels = {
            p.pk: rng.choice([1, 2, 3, 4])
            for p in partners
            if p.pk != rater.pk and rng.random() < chance
        }
        answer(wave, rater, partners, levels)
    wave.refresh_from_db()
    return wave, partners


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_directed_networks_match_networkx(cast, seed):
    wave, _ = random_wave(cast, seed)
    found = selectors.wave_measures(wave)
    directed = graph_from_database(wave)
    assert 0 < found.reciprocity < 1  # asymmetric: the directed and undirected views differ
    assert_same_as_networkx(found, directed)


def test_a_higher_threshold_counts_fewer_ties(cast):
    wave, _ = random_wave(cast, 4)
    at_coordination = selectors.wave_measures(wave, threshold=3)
    assert_same_as_networkx(at_coordination, graph_from_database(wave, threshold=3))
    assert at_coordination.ties < selectors.wave_measures(wave).ties


def test_sector_subnetwork_is_the_induced_subgraph(cast):
    wave, partners = random_wave(cast, 5, chance=0.35)
    health = [p.pk for p in partners if p.organisation.sector == "health"]
    found = selectors.results(wave, sub=selectors.Subnetwork(sector="health")).measures
    induced = graph_from_database(wave).subgraph(health).copy()
    assert found.partners == len(health) == 8
    assert_same_as_networkx(found, induced)


def test_networks_without_ties_have_no_reciprocity_or_groups(cast):
    wave, partners = random_wave(cast, 6, size=4, chance=0)
    found = selectors.wave_measures(wave)
    assert (found.ties, found.density, found.reciprocity) == (0, 0.0, None)
    assert found.groups == [] and found.modularity is None
    assert found.centralisation == 0.0
    two = measures.network_measures([partners[0].pk, partners[1].pk], [])
    assert two.centralisation is None


def test_waves_compared_name_the_ties_gained_and_lost(cast):
    first, _ = random_wave(cast, 7, size=12, chance=0.25)
    today = first.opens_on + timedelta(days=1)
    services.wave_update(
        wave=first,
        name=first.name,
        opens_on=today - timedelta(days=60),
        closes_on=today - timedelta(days=40),
    )
    everyone = list(selectors.wave_partners(first))
    later = open_wave(cast.initiative, name="Later", days_ago=0, partners=everyone[:-1])
    rng = random.Random(8)
    for rater in everyone[:-1]:
        levels = {
            p.pk: rng.choice([2, 3])
            for p in everyone[:-1]
            if p.pk != rater.pk and rng.random() < 0.35
        }
        answer(later, rater, everyone[:-1], levels)
    first.refresh_from_db()
    later.refresh_from_db()
    result = selectors.results(later)
    assert result.previous == first

    before, after = nx.Graph(graph_from_database(first)), nx.Graph(graph_from_database(later))
    expected = {}
    common = set(before) & set(after)
    for v in common:
        was, now = set(before[v]) & common, set(after[v]) & common
        gained, lost = now - was, was - now
        if gained or lost:
            expected[v] = (gained, lost)
    assert {t.partner: (t.gained, t.lost) for t in result.comparison.ties} == expected
    assert result.comparison.left == {everyone[-1].pk}
    changes = {c.key: c for c in result.comparison.changes}
    assert changes["density"].before == pytest.approx(nx.density(graph_from_database(first)))
    assert changes["density"].change == pytest.approx(
        nx.density(graph_from_database(later)) - nx.density(graph_from_database(first))
    )
    assert changes["ties"].change == (
        graph_from_database(later).number_of_edges() - graph_from_database(first).number_of_edges()
    )
    names = {p.pk: p.organisation.name for p in everyone}
    row = result.tie_rows[0]
    assert row.gained == sorted(names[v] for v in expected[row.partner.pk][0])


@pytest.mark.unit
@pytest.mark.parametrize(
    "graph",
    [
        nx.path_graph(6),
        nx.star_graph(7),
        nx.complete_graph(5),
        nx.cycle_graph(9),
        nx.disjoint_union(nx.path_graph(4), nx.complete_graph(4)),
        nx.gnp_random_graph(40, 0.08, seed=9),
        nx.les_miserables_graph(),
    ],
    ids=["path", "star", "complete", "cycle", "two-parts", "sparse", "les-miserables"],
)
def test_betweenness_is_networkxs(graph, monkeypatch):
    """Brandes by matrices against networkx, and networkx itself past the dense limit."""
    graph = nx.Graph(graph)
    graph.add_node("alone")
    expected = nx.betweenness_centrality(graph)
    assert measures.betweenness(graph) == pytest.approx(expected, abs=1e-12)
    monkeypatch.setattr(measures, "DENSE_LIMIT", 3)
    assert measures.betweenness(graph) == pytest.approx(expected, abs=1e-12)


def test_ties_by_sector_count_each_tie_once_by_its_ends(cast):
    wave, partners = random_wave(cast, 14, chance=0.3)
    sector = {p.pk: p.organisation.sector for p in partners}
    expected = {s: [0, 0, 0, 0] for s in set(sector.values())}
    for p in partners:
        expected[sector[p.pk]][0] += 1
    for rater, rated in Rating.objects.filter(wave=wave, level__gte=2).values_list(
        "rater_id", "rated_id"
    ):
        if sector[rater] == sector[rated]:
            expected[sector[rater]][1] += 1
        else:
            expected[sector[rater]][2] += 1
            expected[sector[rated]][3] += 1
    rows = selectors.results(wave).sectors
    assert {
        r.ties.sector: [r.ties.partners, r.ties.within, r.ties.out, r.ties.into] for r in rows
    } == expected
