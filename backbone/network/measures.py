"""Network measures of one survey wave, computed with networkx from the wave's ratings.

Nothing here touches the database: the functions take the wave's partners (node ids) and its
ratings as plain rows, so tests and the benchmark give them any graph.

How each figure is defined (the results page says the same in words):

- **Tie.** A rating from partner A of partner B at level ≥ `threshold` (by default
  cooperation, 2 on the 0–4 scale) is a directed tie A → B, carrying its level. Every partner
  of the wave is a node, whether or not it answered: others still rate it.
- **Density** — ties reported over ties possible, on the directed graph: m / (n(n − 1)).
- **Reciprocity** — the share of ties returned: ties A → B with B → A also reported, over all
  ties (networkx's `reciprocity`). None without ties.
- **Named / named by** — a partner's out-degree (partners it names) and in-degree.
- Positional measures use the **undirected graph**, where A and B are tied when either named
  the other: collaboration runs both ways once reported, whoever answered.
  - **Degree centrality** — the share of the other partners it is tied to: d / (n − 1).
  - **Degree centralisation** (Freeman) — how much the network hangs on its best-connected
    partner: Σᵢ (d_max − dᵢ) / ((n − 1)(n − 2)), raw degrees; 1 for a star, 0 when all
    degrees are equal. Undefined (None) below three partners.
  - **Betweenness** — the share of shortest paths between two other partners that pass
    through it, normalised by the (n − 1)(n − 2)/2 pairs: exactly networkx's
    `betweenness_centrality`, computed by Brandes' accumulation for all sources at once with
    numpy matrix products (a second for 300 partners and 20,000 ties becomes a tenth);
    networkx itself above `DENSE_LIMIT` partners, where n × n matrices grow large.
  - **Closeness** — (r − 1)/Σ distances to the r − 1 partners it reaches, scaled by
    (r − 1)/(n − 1) so a partner reaching few others does not look close (Wasserman–Faust, as
    networkx computes it); 0 for a partner with no tie.
  - **Groups** — communities found by Louvain modularity optimisation with a fixed seed, so a
    wave always shows the same groups. A partner alone in its community is in no group.
- **Trust and value** — each rating above none carries three trust items (reliable, supports
  the mission, open to discussion) and three value items (power and influence, level of
  involvement, resources contributed), each 1–4. A rating's trust is the mean of its three
  trust items; the network's trust is the mean over its ratings, and a partner's the mean over
  the ratings it received. Shown as a percentage of the top score: mean / 4 × 100, so 1 reads
  25 % and 4 reads 100 % (the PARTNER tool's convention). Awareness counts: trust does not
  need a tie at the threshold.
- A **sub-network** (a sector, a working group) is the same computation on its partners and
  the ratings among them only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from .models import TIE_LEVEL

#: Louvain's seed: the same ratings always give the same groups.
SEED = 20240501

#: A rating as read from the database:
#: (rater, rated, level, reliable, supports_mission, open_to_discussion, power, involvement,
#: resources); the six scores are None for a rating of none.
Row = tuple[int, int, int, int | None, int | None, int | None, int | None, int | None, int | None]


def score_pct(mean: float | None) -> float | None:
    """A mean score on 1–4 as a percentage of the top score."""
    return None if mean is None else mean / 4 * 100


def tie_graph(nodes: Iterable[int], rows: Iterable[Row], threshold: int = TIE_LEVEL) -> nx.DiGraph:
    """The directed graph of ties among `nodes`; rows with an end outside are left out.
    Nodes and edges go in sorted, so Louvain's seeded shuffle sees the same order every time."""
    keep = sorted(set(nodes))
    inside = set(keep)
    graph = nx.DiGraph()
    graph.add_nodes_from(keep)
    graph.add_edges_from(
        (rater, rated, {"level": level})
        for rater, rated, level, *_ in sorted(rows, key=lambda r: (r[0], r[1]))
        if level >= threshold and rater in inside and rated in inside and rater != rated
    )
    return graph


def undirected(graph: nx.DiGraph) -> nx.Graph:
    """A and B tied when either named the other, at the higher of the two levels."""
    result = nx.Graph()
    result.add_nodes_from(graph)
    for a, b, level in graph.edges(data="level"):
        if result.has_edge(a, b):
            result[a][b]["level"] = max(result[a][b]["level"], level)
        else:
            result.add_edge(a, b, level=level)
    return result


#: Above this many partners betweenness is left to networkx: the matrices would take memory.
DENSE_LIMIT = 1200


def betweenness(graph: nx.Graph) -> dict[int, float]:
    """Normalised betweenness of an undirected, unweighted graph, as networkx defines it.

    Brandes' algorithm with every partner a source at once: rows are sources. Going out
    level by level, `sigma[s, v]` counts the shortest paths from s to v (paths to the new
    level are the frontier's counts times the adjacency); coming back, each level passes its
    dependency (1 + δ[s, w]) / σ[s, w] to the level before, weighted by σ[s, v]. A partner's
    betweenness sums δ over the sources, over (n − 1)(n − 2) ordered pairs."""
    nodes = list(graph)
    n = len(nodes)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    if n > DENSE_LIMIT:
        return nx.betweenness_centrality(graph, normalized=True)
    index = {v: i for i, v in enumerate(nodes)}
    adj = np.zeros((n, n))
    for a, b in graph.edges():
        adj[index[a], index[b]] = adj[index[b], index[a]] = 1.0
    sigma = np.eye(n)
    reached = np.eye(n, dtype=bool)
    levels = [reached.copy()]
    frontier = sigma.copy()
    while True:
        paths = frontier @ adj
        new = (paths > 0) & ~reached
        if not new.any():
            break
        frontier = np.where(new, paths, 0.0)
        sigma += frontier
        reached |= new
        levels.append(new)
    delta = np.zeros((n, n))
    safe = np.where(sigma > 0, sigma, 1.0)
    for k in range(len(levels) - 1, 0, -1):
        share = np.where(levels[k], (1.0 + delta) / safe, 0.0)
        delta += np.where(levels[k - 1], sigma * (share @ adj), 0.0)
    np.fill_diagonal(delta, 0.0)
    scores = delta.sum(axis=0) / ((n - 1) * (n - 2))
    return {v: float(scores[i]) for i, v in enumerate(nodes)}


def reciprocity(graph: nx.DiGraph) -> float | None:
    """Ties returned over all ties, as networkx's `reciprocity` (counted here directly: its
    version builds a whole reciprocal graph first). None without ties."""
    m = graph.number_of_edges()
    if not m:
        return None
    return sum(1 for a, b in graph.edges() if graph.has_edge(b, a)) / m


def degree_centralisation(graph: nx.Graph) -> float | None:
    """Freeman's degree centralisation: Σ (d_max − dᵢ) / ((n − 1)(n − 2))."""
    n = graph.number_of_nodes()
    if n < 3:
        return None
    degrees = [d for _, d in graph.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def canonical(graph: nx.Graph) -> nx.Graph:
    """The same graph with nodes and edges in sorted order. Louvain visits nodes in the
    graph's order, so without this the groups would follow the order the database returned
    the ratings in (and differ between SQLite and PostgreSQL)."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_edges_from(sorted(tuple(sorted(edge)) for edge in graph.edges))
    return ordered


def communities(graph: nx.Graph) -> list[frozenset[int]]:
    """Louvain communities of two or more partners, largest first (ties: lowest node id)."""
    if graph.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(canonical(graph), seed=SEED)
    groups = [frozenset(c) for c in found if len(c) > 1]
    return sorted(groups, key=lambda c: (-len(c), min(c)))


@dataclass(frozen=True)
class PartnerMeasures:
    named: int  # out-degree: partners it names at the threshold or above
    named_by: int  # in-degree
    degree: float  # degree centrality on the undirected graph
    betweenness: float
    closeness: float
    group: int | None  # 1-based number of its Louvain group, None when alone
    neighbours: frozenset[int]  # undirected ties, for comparing waves
    trust_pct: float | None  # mean of the ratings it received, as a percentage
    value_pct: float | None
    raters: int  # how many partners rated it above none


@dataclass(frozen=True)
class NetworkMeasures:
    partners: int
    ties: int
    density: float
    centralisation: float | None
    reciprocity: float | None
    trust_pct: float | None
    value_pct: float | None
    ratings: int  # ratings above none, the base of trust and value
    modularity: float | None
    groups: list[frozenset[int]]
    by_partner: dict[int, PartnerMeasures] = field(default_factory=dict)
    edges: tuple[tuple[int, int], ...] = ()  # the directed ties, rater first

    def as_figures(self) -> dict:
        return {
            "partners": self.partners,
            "ties": self.ties,
            "density": self.density,
            "centralisation": self.centralisation,
            "reciprocity": self.reciprocity,
            "trust_pct": self.trust_pct,
            "value_pct": self.value_pct,
            "groups": len(self.groups),
        }


def _means(rows: Iterable[Row]) -> tuple[float | None, float | None, int, dict]:
    """Trust and value means over ratings above none, whole and per rated partner."""
    trust_sum = value_sum = 0.0
    count = 0
    per: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for _, rated, level, r, m, o, p, i, s in rows:
        if level <= 0 or r is None:
            continue
        trust = (r + m + o) / 3
        value = (p + i + s) / 3
        trust_sum += trust
        value_sum += value
        count += 1
        acc = per[rated]
        acc[0] += trust
        acc[1] += value
        acc[2] += 1
    if not count:
        return None, None, 0, per
    return trust_sum / count, value_sum / count, count, per


def network_measures(
    nodes: Iterable[int], rows: Sequence[Row], threshold: int = TIE_LEVEL
) -> NetworkMeasures:
    """Every measure of the network of `nodes`, from the ratings among them."""
    keep = set(nodes)
    rows = [r for r in rows if r[0] in keep and r[1] in keep and r[0] != r[1]]
    graph = tie_graph(keep, rows, threshold)
    both = undirected(graph)
    n = graph.number_of_nodes()
    m = graph.number_of_edges()
    degree = {v: d / (n - 1) for v, d in both.degree()} if n > 1 else dict.fromkeys(both, 0.0)
    between = betweenness(both)
    closeness = nx.closeness_centrality(both)
    groups = communities(both)
    group_of = {v: number for number, group in enumerate(groups, start=1) for v in group}
    trust, value, count, per = _means(rows)
    modularity = None
    if m:
        partition = [set(g) for g in groups]
        partition += [{v} for v in both if v not in group_of]
        modularity = nx.community.modularity(both, partition)
    by_partner = {}
    for v in graph:
        t, s, raters = per[v] if v in per else (0.0, 0.0, 0)
        by_partner[v] = PartnerMeasures(
            named=graph.out_degree(v),
            named_by=graph.in_degree(v),
            degree=degree[v],
            betweenness=between[v],
            closeness=closeness[v],
            group=group_of.get(v),
            neighbours=frozenset(both[v]),
            trust_pct=score_pct(t / raters) if raters else None,
            value_pct=score_pct(s / raters) if raters else None,
            raters=raters,
        )
    return NetworkMeasures(
        partners=n,
        ties=m,
        density=nx.density(graph) if n > 1 else 0.0,
        centralisation=degree_centralisation(both),
        reciprocity=reciprocity(graph),
        trust_pct=score_pct(trust),
        value_pct=score_pct(value),
        ratings=count,
        modularity=modularity,
        groups=groups,
        by_partner=by_partner,
        edges=tuple(graph.edges()),
    )


# --- ties by sector --------------------------------------------------------------------


@dataclass(frozen=True)
class SectorTies:
    sector: str
    partners: int
    within: int  # ties between two partners of the sector
    out: int  # ties it names outside the sector
    into: int  # ties from outside the sector

    @property
    def outside_share(self) -> float | None:
        """Share of the sector's ties that cross to another sector."""
        total = self.within + self.out + self.into
        return None if total == 0 else (self.out + self.into) / total


def ties_by_sector(
    edges: Iterable[tuple[int, int]], sector_of: Mapping[int, str]
) -> list[SectorTies]:
    """Directed ties within, out of and into each sector (of the partners in `sector_of`),
    so an isolated sector shows."""
    counts: dict[str, list[int]] = {s: [0, 0, 0, 0] for s in sorted(set(sector_of.values()))}
    for v in sector_of:
        counts[sector_of[v]][0] += 1
    for a, b in edges:
        if a not in sector_of or b not in sector_of:
            continue
        sa, sb = sector_of[a], sector_of[b]
        if sa == sb:
            counts[sa][1] += 1
        else:
            counts[sa][2] += 1
            counts[sb][3] += 1
    return [SectorTies(s, *c) for s, c in counts.items() if c[0]]


# --- comparing two waves ---------------------------------------------------------------

COMPARED = [
    ("partners", "Partners"),
    ("ties", "Ties"),
    ("density", "Density"),
    ("centralisation", "Degree centralisation"),
    ("reciprocity", "Reciprocity"),
    ("trust_pct", "Average trust"),
    ("value_pct", "Average value"),
    ("groups", "Groups"),
]


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class TieChange:
    partner: int
    gained: frozenset[int]
    lost: frozenset[int]

    @property
    def net(self) -> int:
        return len(self.gained) - len(self.lost)


@dataclass(frozen=True)
class Comparison:
    changes: list[Change]
    ties: list[TieChange]  # partners in both waves whose ties changed, most gained first
    joined: frozenset[int]  # partners of this wave not in the one before
    left: frozenset[int]


def compare(
    before: NetworkMeasures, after: NetworkMeasures, order: Callable[[int], object] = lambda v: v
) -> Comparison:
    """What changed from `before` to `after`: each whole-network measure, and per partner in
    both waves the ties it gained and lost with partners also in both (undirected, at the
    threshold); a tie with a partner that joined or left is told by `joined` and `left`."""
    old, new = before.as_figures(), after.as_figures()
    changes = [Change(key, label, old[key], new[key]) for key, label in COMPARED]
    both = before.by_partner.keys() & after.by_partner.keys()
    ties = []
    for v in both:
        was = before.by_partner[v].neighbours & both
        now = after.by_partner[v].neighbours & both
        if was != now:
            ties.append(TieChange(v, now - was, was - now))
    ties.sort(key=lambda t: (-t.net, -len(t.gained), order(t.partner)))
    return Comparison(
        changes=changes,
        ties=ties,
        joined=frozenset(after.by_partner.keys() - before.by_partner.keys()),
        left=frozenset(before.by_partner.keys() - after.by_partner.keys()),
    )
