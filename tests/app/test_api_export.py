"""Every export format read back with networkx (or csv) gives the store's nodes, edges and
weights; exports stream in bounded memory."""

import csv
import io
import json
import tracemalloc
import zipfile
from collections import Counter
from datetime import date

import networkx as nx
import pytest

from graph.export import DYAD_EDGE_FIELDS, FORMATS, ExportGraph

MEDIA = {
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
    "cytoscape": "application/json",
    "nodelink": "application/json",
    "csv": "application/zip",
}


@pytest.fixture(scope="module")
def client(seeded_client):
    return seeded_client


@pytest.fixture(scope="module")
def store_dyads(client) -> Counter:
    """Non-negated events per (source, target), straight from the events endpoint."""
    events = client.get("/api/v1/events?limit=1000").json()["data"]
    return Counter((e["source"]["id"], e["target"]["id"]) for e in events if not e["negated"])


def read_back(fmt: str, content: bytes) -> nx.MultiDiGraph:
    """The exported file as a MultiDiGraph with a `weight` on every edge."""
    if fmt == "gexf":
        graph = nx.read_gexf(io.BytesIO(content))
    elif fmt == "graphml":
        graph = nx.read_graphml(io.BytesIO(content))
    elif fmt == "cytoscape":
        graph = nx.cytoscape_graph(json.loads(content))
    elif fmt == "nodelink":
        graph = nx.node_link_graph(json.loads(content), edges="links")
    else:
        archive = zipfile.ZipFile(io.BytesIO(content))
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        graph = nx.MultiDiGraph()
        for row in csv.DictReader(io.TextIOWrapper(archive.open("nodes.csv"), "utf-8")):
            graph.add_node(row["id"], **row)
        for row in csv.DictReader(io.TextIOWrapper(archive.open("edges.csv"), "utf-8")):
            graph.add_edge(row["source"], row["target"], **row)
    return nx.MultiDiGraph(graph)


def weights(graph: nx.MultiDiGraph) -> Counter:
    found: Counter = Counter()
    for u, v, data in graph.edges(data=True):
        found[(u, v)] += int(float(data["weight"]))
    return found


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("granularity", ["dyad", "event"])
def test_round_trip(client, store_dyads, fmt, granularity):
    response = client.get(f"/api/v1/graph/export?format={fmt}&granularity={granularity}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(MEDIA[fmt])
    extension = FORMATS[fmt].extension
    disposition = f'attachment; filename="geokg-{granularity}.{extension}"'
    assert response.headers["content-disposition"] == disposition
    graph = read_back(fmt, response.content)
    assert set(graph.nodes) == {node for dyad in store_dyads for node in dyad}
    if granularity == "dyad":
        assert weights(graph) == store_dyads
        assert graph.number_of_edges() == len(store_dyads)
    else:
        assert graph.number_of_edges() == sum(store_dyads.values())
        assert Counter((u, v) for u, v in graph.edges()) == store_dyads


def test_gexf_is_dynamic_for_gephi(client):
    content = client.get("/api/v1/graph/export?format=gexf").content
    assert b'version="1.3"' in content and b'mode="dynamic"' in content
    assert b'timeformat="date"' in content
    graph = nx.read_gexf(io.BytesIO(content))
    for _, data in graph.nodes(data=True):
        assert date.fromisoformat(data["start"]) <= date.fromisoformat(data["end"])
    for _, _, data in graph.edges(data=True):
        assert date.fromisoformat(data["start"]) <= date.fromisoformat(data["end"])


def test_graphml_keys_are_typed(client):
    graph = nx.read_graphml(io.BytesIO(client.get("/api/v1/graph/export?format=graphml").content))
    _, _, data = next(iter(graph.edges(data=True)))
    assert isinstance(data["weight"], int) and isinstance(data["goldstein_mean"], float)
    _, node = next(iter(graph.nodes(data=True)))
    assert isinstance(node["events"], int) and isinstance(node["name"], str)


def test_cytoscape_has_string_ids_and_edge_ids(client):
    body = client.get("/api/v1/graph/export?format=cytoscape").json()
    assert all(isinstance(n["data"]["id"], str) for n in body["elements"]["nodes"])
    edge_ids = [e["data"]["id"] for e in body["elements"]["edges"]]
    assert all(isinstance(i, str) for i in edge_ids) and len(set(edge_ids)) == len(edge_ids)


def test_nodelink_uses_links(client):
    body = client.get("/api/v1/graph/export?format=nodelink").json()
    assert "links" in body and "edges" not in body


def test_filters_and_neighbourhood_cut(client, store_dyads):
    rollup = client.get("/api/v1/graph/export?format=nodelink&rollup=country").json()
    assert all(len(node["id"]) == 3 or node["kind"] != "country" for node in rollup["nodes"])
    around = client.get("/api/v1/graph/export?format=nodelink&rollup=country&actors=NER&depth=1")
    ids = {n["id"] for n in around.json()["nodes"]}
    touching = {
        end
        for link in around.json()["links"]
        if "NER" in (link["source"], link["target"])
        for end in (link["source"], link["target"])
    }
    assert "NER" in ids and touching == ids
    window = client.get("/api/v1/graph/export?format=nodelink&start=2024-01-01&end=2024-12-31")
    for link in window.json()["links"]:
        assert "2024-01-01" <= link["start"] <= link["end"] <= "2024-12-31"
    assert client.get("/api/v1/graph/export?format=pdf").status_code == 422
    assert client.get("/api/v1/graph/export?granularity=article").status_code == 422
    assert client.get("/api/v1/graph/export?actors=NER,NOPE").status_code == 404


def test_writers_stream_in_bounded_memory():
    """10,000 edges pass through every writer without the document being held: the peak
    stays below the size of the document itself."""
    nodes = [
        {"id": f"A{i}", "name": f"Actor {i}", "code": f"A{i}", "kind": "country", "events": 1}
        for i in range(500)
    ]

    def edges():
        for i in range(10_000):
            yield {
                "id": f"e{i}",
                "source": f"A{i % 500}",
                "target": f"A{(i * 7 + 1) % 500}",
                "weight": 1,
                "events": 1,
                "evidence": 2,
                "articles": 1,
                "goldstein_sum": -2.5,
                "goldstein_mean": -2.5,
                "quad1": 0,
                "quad2": 0,
                "quad3": 1,
                "quad4": 0,
                "start": date(2024, 1, 1),
                "end": date(2024, 1, 2),
            }

    for fmt in FORMATS.values():
        tracemalloc.start()
        written = 0
        for chunk in fmt.writer(ExportGraph(nodes, edges(), DYAD_EDGE_FIELDS, multigraph=True)):
            written += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert written > 2_000_000 or fmt.name == "csv"
        assert peak < 1_000_000, f"{fmt.name} held {peak} bytes"
