"""Graph algorithms on small hand-made collapsed graphs."""

from datetime import date

import pytest

from graph import network


def row(source, target, events, quads=(0, 0, 0, 0)):
    first, last = date(2024, 1, 1), date(2024, 2, 1)
    return (source, target, events, events, events, 1.0 * events, *quads, first, last)


@pytest.fixture
def chain():
    # A - B - C - D, and E alone with F; self-loops are dropped
    rows = [row("A", "B", 3, (3, 0, 0, 0)), row("B", "C", 2, (0, 0, 0, 2)), row("C", "D", 1)]
    rows += [row("E", "F", 5, (0, 5, 0, 0)), row("A", "A", 9)]
    return network.collapsed_graph(rows)


def test_collapsed_graph_keeps_aggregates(chain):
    assert chain["A"]["B"]["weight"] == 3 and chain["B"]["C"]["quad_classes"]["4"] == 2
    assert chain["A"]["B"]["goldstein_sum"] == 3.0 and chain["A"]["B"]["goldstein_mean"] == 1.0
    assert chain["A"]["B"]["first"] == date(2024, 1, 1)
    assert not chain.has_edge("A", "A")
    assert chain.nodes["B"]["strength"] == 5 and chain.nodes["A"]["strength"] == 3


def test_neighborhood_depth_and_limit(chain):
    assert set(network.neighborhood(chain, "B", depth=1)) == {"A", "B", "C"}
    assert set(network.neighborhood(chain, "B", depth=2)) == {"A", "B", "C", "D"}
    limited = network.neighborhood(chain, "B", depth=2, limit=2)
    assert set(limited) == {"B", "A"}  # the nearest, strongest neighbour is kept
    assert len(network.neighborhood(chain, "Z")) == 0


def test_neighborhood_caps_edges_keeping_the_egos_then_the_heaviest():
    G = network.collapsed_graph(
        [row("X", "A", 1), row("B", "X", 1), row("A", "B", 10), row("A", "C", 5), row("C", "B", 7)]
    )
    H = network.neighborhood(G, "X", depth=2, max_edges=3)
    assert set(H.edges) == {("X", "A"), ("B", "X"), ("A", "B")}
    assert H.graph == {"nodes_total": 4, "edges_total": 5}
    assert H.nodes["C"]["strength"] == 12  # counted before the cap
    assert H["A"]["B"]["quad_classes"] == G["A"]["B"]["quad_classes"]
    whole = network.neighborhood(G, "X", depth=2)
    assert whole.number_of_edges() == 5 and whole.graph == H.graph
    assert network.neighborhood(G, "Z").graph == {"nodes_total": 0, "edges_total": 0}


def test_shortest_paths_respect_max_hops(chain):
    assert network.shortest_paths(chain, "A", "D", max_hops=3) == [["A", "B", "C", "D"]]
    assert network.shortest_paths(chain, "A", "D", max_hops=2) == []
    assert network.shortest_paths(chain, "A", "E", max_hops=6) == []


@pytest.mark.parametrize("metric", network.METRICS)
def test_centrality_metrics(chain, metric):
    scores = network.centrality(chain, metric)
    assert set(scores) == set(chain.nodes)
    assert all(score >= 0 for score in scores.values())
    if metric in ("degree", "betweenness"):
        assert scores["B"] >= scores["A"]


def test_betweenness_samples_past_the_budget(chain, monkeypatch):
    monkeypatch.setattr(network, "BETWEENNESS_BUDGET", 4)
    calls = {}
    real = network.nx.betweenness_centrality

    def spy(G, k=None, **kwargs):
        calls["k"] = k
        return real(G, k=k, **kwargs)

    monkeypatch.setattr(network.nx, "betweenness_centrality", spy)
    network.centrality(chain, "betweenness")
    assert calls["k"] is not None and calls["k"] <= len(chain)


def test_ranking_highest_first_then_by_name():
    assert network.ranking({"b": 1.0, "a": 1.0, "c": 2.0}) == [("c", 2.0), ("a", 1.0), ("b", 1.0)]


def test_unknown_metric(chain):
    with pytest.raises(ValueError, match="allowed"):
        network.centrality(chain, "fame")


def test_communities_and_balance(chain):
    found = network.communities(chain)
    assert ["E", "F"] in [sorted(c) for c in found]
    members = next(c for c in found if "E" in c)
    balance = network.community_balance(chain, members)
    assert balance["internal"] == {"events": 5, "cooperation": 5, "conflict": 0}
    assert balance["external"]["events"] == 0


def test_cache_builds_once_per_key():
    cache = network.GraphCache(size=2)
    built = []
    assert cache.get(("v1", "q"), lambda: built.append(1) or "x") == "x"
    assert cache.get(("v1", "q"), lambda: built.append(1) or "y") == "x"
    assert cache.get(("v2", "q"), lambda: built.append(1) or "z") == "z"  # new data version
    cache.get(("v3", "q"), lambda: "w")
    assert cache.get(("v1", "q"), lambda: "again") == "again"  # evicted (size 2)
    assert len(built) == 2
