"""Graph algorithms on the collapsed event graph (networkx).

Events are collapsed into one weighted edge per (source, target) before any algorithm runs:
``weight`` is the number of events, with evidence counts, Goldstein sums, counts per quad
class and first/last dates kept as edge attributes.
"""

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import networkx as nx
from sqlmodel import Session

from graph.store.analytics import EventFilter, dyad_aggregates
from graph.store.queries import data_version

METRICS = ("degree", "pagerank", "betweenness", "eigenvector")
#: Above this many node-edge products exact betweenness is replaced by a sampled estimate.
BETWEENNESS_BUDGET = 20_000_000
COOPERATIVE_QUADS = ("1", "2")
CONFLICTUAL_QUADS = ("3", "4")


def collapsed_graph(rows: Iterable[Sequence]) -> nx.DiGraph:
    """Build the weighted directed graph from per-dyad aggregate rows.

    Parameters
    ----------
    rows : iterable of sequences
        One row per (source, target): ``(source, target, events, evidence, articles,
        goldstein_sum, q1, q2, q3, q4, first, last)``, with ``q1``–``q4`` the events per
        quad class. Self-loops are dropped.

    Returns
    -------
    G : networkx.DiGraph
        One edge per dyad; ``weight`` is the event count, with ``evidence``, ``articles``,
        ``goldstein_sum``, ``goldstein_mean``, ``quad_classes`` (events per quad class keyed
        ``"1"``–``"4"``), ``first`` and ``last`` as further attributes. Every node has
        ``strength``, its weighted degree.
    """
    G = nx.DiGraph()
    G.add_edges_from(
        (
            u,
            v,
            {
                "weight": events,
                "evidence": evidence,
                "articles": articles,
                "goldstein_sum": round(goldstein, 3),
                "goldstein_mean": round(goldstein / events, 3),
                "quad_classes": {"1": q1, "2": q2, "3": q3, "4": q4},
                "first": first,
                "last": last,
            },
        )
        for u, v, events, evidence, articles, goldstein, q1, q2, q3, q4, first, last in rows
        if u != v
    )
    _weigh_nodes(G)
    return G


def _weigh_nodes(G: nx.DiGraph) -> None:
    nx.set_node_attributes(G, dict(G.degree(weight="weight")), "strength")


def neighborhood(
    G: nx.DiGraph, center: Hashable, depth: int = 1, limit: int = 300, max_edges: int = 2000
) -> nx.DiGraph:
    """The ego network of `center` up to `depth` hops, ignoring edge direction.

    Parameters
    ----------
    G : networkx.DiGraph
        The collapsed graph, nodes carrying ``strength`` (see `collapsed_graph`).
    center : node
        The ego.
    depth : int
        Hops from the ego (1–3).
    limit : int
        Keep at most this many nodes: the ego, then the nearest, then those with most events.
    max_edges : int
        Keep at most this many of the edges among the kept nodes: the ego's own, then the
        heaviest.

    Returns
    -------
    H : networkx.DiGraph
        A new graph of the kept nodes and edges, with the attributes of `G`'s edges. Its nodes
        carry ``strength``, their weighted degree among all the edges between kept nodes
        (before `max_edges` applies); ``H.graph`` holds ``nodes_total``, the number of nodes
        within `depth` hops, and ``edges_total``, the number of edges between kept nodes.
    """
    if center not in G:
        return nx.DiGraph(nodes_total=0, edges_total=0)
    distances = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), center, depth)
    keep = list(distances)
    if len(keep) > limit:
        strength = G.nodes(data="strength")
        others = (node for node in keep if node != center)
        ranked = sorted(others, key=lambda n: (distances[n], -strength[n], str(n)))
        keep = [center, *ranked[: limit - 1]]
    kept = set(keep)
    within = dict.fromkeys(keep, 0)
    edges = []
    for u in keep:
        successors = G.succ[u]
        # Walk whichever is shorter: u's successors or the kept nodes.
        for v in keep if len(keep) < len(successors) else successors:
            if v in kept and v in successors:
                data = successors[v]
                edges.append((u, v, data))
                within[u] += data["weight"]
                within[v] += data["weight"]
    if len(edges) > max_edges:
        edges.sort(key=lambda e: (center not in e[:2], -e[2]["weight"], str(e[0]), str(e[1])))
    H = nx.DiGraph(nodes_total=len(distances), edges_total=len(edges))
    H.add_nodes_from((node, {"strength": events}) for node, events in within.items())
    H.add_edges_from(edges[:max_edges])
    return H


def shortest_paths(
    G: nx.DiGraph, source: Hashable, target: Hashable, max_hops: int, max_paths: int = 5
) -> list[list[Hashable]]:
    """Shortest paths between two actors, ignoring direction, of at most `max_hops` edges.

    Returns
    -------
    paths : list of list
        Up to `max_paths` node sequences; empty when none is within `max_hops`.
    """
    if source not in G or target not in G:
        return []
    undirected = G.to_undirected(as_view=True)
    try:
        length = nx.shortest_path_length(undirected, source, target)
    except nx.NetworkXNoPath:
        return []
    if length > max_hops:
        return []
    paths = []
    for path in nx.all_shortest_paths(undirected, source, target):
        paths.append(path)
        if len(paths) == max_paths:
            break
    return paths


def centrality(G: nx.DiGraph, metric: str, seed: int = 7) -> dict[Hashable, float]:
    """Centrality scores by `metric`.

    Parameters
    ----------
    G : networkx.DiGraph
        The collapsed graph.
    metric : {"degree", "pagerank", "betweenness", "eigenvector"}
        ``degree`` is degree centrality; ``pagerank`` uses event counts as weights;
        ``betweenness`` is exact on small graphs and sampled (``k`` pivots) when
        nodes × edges exceeds `BETWEENNESS_BUDGET`; ``eigenvector`` runs on the undirected
        weighted graph.

    Returns
    -------
    scores : dict
        Node → score.
    """
    if len(G) == 0:
        return {}
    if metric == "degree":
        return nx.degree_centrality(G)
    if metric == "pagerank":
        return nx.pagerank(G, weight="weight")
    if metric == "betweenness":
        n, m = G.number_of_nodes(), max(G.number_of_edges(), 1)
        k = None if n * m <= BETWEENNESS_BUDGET else min(n, max(10, BETWEENNESS_BUDGET // m))
        return nx.betweenness_centrality(G, k=k, seed=seed)
    if metric == "eigenvector":
        undirected = G.to_undirected()
        try:
            return nx.eigenvector_centrality(undirected, weight="weight", max_iter=500, tol=1e-6)
        except nx.PowerIterationFailedConvergence:
            return nx.eigenvector_centrality_numpy(undirected, weight="weight")
    raise ValueError(f"unknown metric {metric!r}; allowed: {', '.join(METRICS)}")


def ranking(scores: dict[Hashable, float]) -> list[tuple[Hashable, float]]:
    """Nodes and their scores, highest first; equal scores in node order (as strings)."""
    return sorted(scores.items(), key=lambda item: (-item[1], str(item[0])))


def communities(G: nx.DiGraph, seed: int = 7) -> list[set]:
    """Louvain communities of the undirected weighted graph, largest first."""
    if len(G) == 0:
        return []
    found = nx.community.louvain_communities(G.to_undirected(), weight="weight", seed=seed)
    return sorted(found, key=lambda c: (-len(c), sorted(map(str, c))))


def community_balance(G: nx.DiGraph, members: set) -> dict[str, dict[str, int]]:
    """Cooperation and conflict event counts inside a community and across its border."""
    balance = {
        "internal": {"events": 0, "cooperation": 0, "conflict": 0},
        "external": {"events": 0, "cooperation": 0, "conflict": 0},
    }
    for u, v, data in G.edges(data=True):
        inside = (u in members) + (v in members)
        if inside == 0:
            continue
        side = balance["internal" if inside == 2 else "external"]
        side["events"] += data["weight"]
        side["cooperation"] += sum(data["quad_classes"][q] for q in COOPERATIVE_QUADS)
        side["conflict"] += sum(data["quad_classes"][q] for q in CONFLICTUAL_QUADS)
    return balance


def _settle_heap() -> None:
    """Collect what evicted graphs and the last build left behind, then hide the survivors
    (cached graphs hold millions of objects) from the cyclic collector, so that a full
    collection does not stall some later request."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class GraphCache:
    """Results keyed by data version and query parameters; old versions fall out.

    A repeated query costs a dictionary lookup; an ingest changes the data version and so
    every later query recomputes.
    """

    def __init__(self, size: int = 64):
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The cached value for `key`, built once (concurrent callers wait for the first)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            lock = self._building.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._items:
                    return self._items[key]
            value = build()
            with self._lock:
                self._items[key] = value
                self._building.pop(key, None)
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def load_collapsed(
    session: Session, where: EventFilter, cache: GraphCache | None = None, min_events: int = 1
) -> nx.DiGraph:
    """The collapsed graph of the events matching `where` (cached per data version).

    Parameters
    ----------
    session : sqlmodel.Session
        Read session on the store.
    where : EventFilter
        Date window, codes, rollup level.
    cache : GraphCache, optional
        Where to keep the graph for repeated queries.
    min_events : int
        Drop edges with fewer events.
    """

    def build() -> nx.DiGraph:
        return collapsed_graph(dyad_aggregates(session, where))

    def build_to_keep() -> nx.DiGraph:
        G = build()
        _settle_heap()
        return G

    key = ("graph", data_version(session), where)
    G = cache.get(key, build_to_keep) if cache is not None else build()
    if min_events > 1:
        G = G.edge_subgraph((u, v) for u, v, w in G.edges(data="weight") if w >= min_events).copy()
        _weigh_nodes(G)
    return G
