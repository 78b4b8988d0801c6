"""Export writers: one streaming writer per format.

Nodes (bounded by the number of actors) are held in memory; edges are consumed from an
iterator and written as they come, so an export of a million events never holds the whole
document. networkx's own writers build the full document first, which is why these write
the formats directly; the tests read every format back with networkx.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import quoteattr

from sqlmodel import Session

from graph import __version__, network
from graph.store.analytics import EventFilter, event_rows
from graph.store.queries import actors_by_id

GRANULARITIES = ("dyad", "event")
NODE_FIELDS: tuple[tuple[str, type], ...] = (
    ("name", str),
    ("code", str),
    ("country", str),
    ("sector", str),
    ("kind", str),
    ("events", int),
)
DYAD_EDGE_FIELDS: tuple[tuple[str, type], ...] = (
    ("events", int),
    ("evidence", int),
    ("articles", int),
    ("goldstein_sum", float),
    ("goldstein_mean", float),
    ("quad1", int),
    ("quad2", int),
    ("quad3", int),
    ("quad4", int),
)
EVENT_EDGE_FIELDS: tuple[tuple[str, type], ...] = (
    ("event_id", int),
    ("cameo", str),
    ("plover", str),
    ("quad_class", int),
    ("goldstein", float),
    ("date", str),
    ("negated", bool),
    ("confidence", float),
    ("evidence", int),
    ("articles", int),
)


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    media_type: str
    extension: str
    writer: Callable[["ExportGraph"], Iterator[bytes]]


@dataclass
class ExportGraph:
    """What to write: nodes (dicts with `id`, `start`, `end` and NODE_FIELDS), edges (an
    iterator of dicts with `id`, `source`, `target`, `weight`, `start`, `end` and
    `edge_fields`)."""

    nodes: list[dict]
    edges: Iterable[dict]
    edge_fields: tuple[tuple[str, type], ...]
    multigraph: bool
    description: str = "geokg event graph"


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------- GEXF
_GEXF_TYPES = {str: "string", int: "integer", float: "double", bool: "boolean"}


def write_gexf(graph: ExportGraph) -> Iterator[bytes]:
    """GEXF 1.3, dynamic: nodes and edges carry start/end dates for Gephi's timeline."""
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gexf xmlns="http://gexf.net/1.3" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n'
        f'  <meta lastmodifieddate="{date.today().isoformat()}">'
        f"<creator>geokg {__version__}</creator>"
        f"<description>{_escape(graph.description)}</description></meta>\n"
        '  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">\n'
    ).encode()
    for cls, fields in (("node", NODE_FIELDS), ("edge", graph.edge_fields)):
        lines = [f'    <attributes class="{cls}" mode="static">']
        lines += [
            f'      <attribute id="{name}" title="{name}" type="{_GEXF_TYPES[kind]}"/>'
            for name, kind in fields
        ]
        lines.append("    </attributes>\n")
        yield "\n".join(lines).encode()
    yield b"    <nodes>\n"
    for node in graph.nodes:
        yield (
            f"      <node id={quoteattr(str(node['id']))} label={quoteattr(node['name'])}"
            f"{_span(node)}>{_attvalues(node, NODE_FIELDS)}</node>\n"
        ).encode()
    yield b"    </nodes>\n    <edges>\n"
    for edge in graph.edges:
        yield (
            f"      <edge id={quoteattr(str(edge['id']))} source={quoteattr(str(edge['source']))}"
            f' target={quoteattr(str(edge["target"]))} weight="{edge["weight"]}"{_span(edge)}>'
            f"{_attvalues(edge, graph.edge_fields)}</edge>\n"
        ).encode()
    yield b"    </edges>\n  </graph>\n</gexf>\n"


def _span(item: dict) -> str:
    found = ""
    if item.get("start"):
        found += f' start="{_text(item["start"])}"'
    if item.get("end"):
        found += f' end="{_text(item["end"])}"'
    return found


def _attvalues(item: dict, fields) -> str:
    values = [
        f'<attvalue for="{name}" value={quoteattr(_text(item[name]))}/>'
        for name, _ in fields
        if item.get(name) is not None
    ]
    return f"<attvalues>{''.join(values)}</attvalues>" if values else ""


def _escape(text: str) -> str:
    return quoteattr(text)[1:-1]


# ------------------------------------------------------------------- GraphML
_GRAPHML_TYPES = {str: "string", int: "int", float: "double", bool: "boolean"}


def write_graphml(graph: ExportGraph) -> Iterator[bytes]:
    """GraphML with typed keys (yEd, Cytoscape desktop, igraph)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    node_fields = (*NODE_FIELDS, ("start", str), ("end", str))
    edge_fields = (("weight", int), *graph.edge_fields, ("start", str), ("end", str))
    for cls, fields in (("node", node_fields), ("edge", edge_fields)):
        lines += [
            f'  <key id="{cls[0]}_{name}" for="{cls}" attr.name="{name}" '
            f'attr.type="{_GRAPHML_TYPES[kind]}"/>'
            for name, kind in fields
        ]
    lines.append('  <graph id="geokg" edgedefault="directed">\n')
    yield "\n".join(lines).encode()
    for node in graph.nodes:
        yield (
            f"    <node id={quoteattr(str(node['id']))}>{_graphml_data('n', node, node_fields)}"
            "</node>\n"
        ).encode()
    for edge in graph.edges:
        yield (
            f"    <edge id={quoteattr(str(edge['id']))} source={quoteattr(str(edge['source']))}"
            f" target={quoteattr(str(edge['target']))}>{_graphml_data('e', edge, edge_fields)}"
            "</edge>\n"
        ).encode()
    yield b"  </graph>\n</graphml>\n"


def _graphml_data(prefix: str, item: dict, fields) -> str:
    return "".join(
        f'<data key="{prefix}_{name}">{_escape(_text(item[name]))}</data>'
        for name, _ in fields
        if item.get(name) is not None
    )


# ---------------------------------------------------------------------- JSON
def _json_value(value):
    return value.isoformat() if isinstance(value, date) else value


def _clean(item: dict, fields) -> dict:
    return {name: _json_value(item[name]) for name in fields if item.get(name) is not None}


def write_cytoscape(graph: ExportGraph) -> Iterator[bytes]:
    """Cytoscape.js JSON: string ids, an id on every edge."""
    node_keys = ("id", *(name for name, _ in NODE_FIELDS), "start", "end")
    edge_keys = (
        "id",
        "source",
        "target",
        "weight",
        *(n for n, _ in graph.edge_fields),
        "start",
        "end",
    )
    header = {"data": {"name": graph.description}, "directed": True, "multigraph": graph.multigraph}
    yield (json.dumps(header)[:-1] + ', "elements": {"nodes": [').encode()
    for index, node in enumerate(graph.nodes):
        data = _clean({**node, "id": str(node["id"])}, node_keys)
        data["value"] = data["id"]
        yield ((", " if index else "") + json.dumps({"data": data})).encode()
    yield b'], "edges": ['
    for index, edge in enumerate(graph.edges):
        data = _clean(
            {
                **edge,
                "id": str(edge["id"]),
                "source": str(edge["source"]),
                "target": str(edge["target"]),
            },
            edge_keys,
        )
        if graph.multigraph:
            data["key"] = data["id"]  # parallel edges need distinct keys
        yield ((", " if index else "") + json.dumps({"data": data})).encode()
    yield b"]}}\n"


def write_nodelink(graph: ExportGraph) -> Iterator[bytes]:
    """Node-link JSON with `links` (D3, force-graph, networkx `node_link_graph`)."""
    node_keys = ("id", *(name for name, _ in NODE_FIELDS), "start", "end")
    edge_keys = ("source", "target", "weight", *(n for n, _ in graph.edge_fields), "start", "end")
    header = {
        "directed": True,
        "multigraph": graph.multigraph,
        "graph": {"name": graph.description},
    }
    yield (json.dumps(header)[:-1] + ', "nodes": [').encode()
    for index, node in enumerate(graph.nodes):
        yield ((", " if index else "") + json.dumps(_clean(node, node_keys))).encode()
    yield b'], "links": ['
    for index, edge in enumerate(graph.edges):
        link = _clean(edge, edge_keys)
        if graph.multigraph:
            link["key"] = str(edge["id"])
        link["id"] = str(edge["id"])
        yield ((", " if index else "") + json.dumps(link)).encode()
    yield b"]}\n"


# ----------------------------------------------------------------------- CSV
class _Pipe(io.RawIOBase):
    """A write-only stream whose written bytes are collected and handed on in pieces."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def write_csv_zip(graph: ExportGraph) -> Iterator[bytes]:
    """A zip of `nodes.csv` and `edges.csv`, streamed."""
    pipe = _Pipe()
    node_columns = ["id", *(name for name, _ in NODE_FIELDS), "start", "end"]
    edge_columns = [
        "id",
        "source",
        "target",
        "weight",
        *(n for n, _ in graph.edge_fields),
        "start",
        "end",
    ]
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, columns, rows in (
            ("nodes.csv", node_columns, graph.nodes),
            ("edges.csv", edge_columns, graph.edges),
        ):
            with archive.open(name, "w", force_zip64=True) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(text)
                writer.writerow(columns)
                for count, row in enumerate(rows, start=1):
                    writer.writerow(["" if row.get(c) is None else _text(row[c]) for c in columns])
                    if count % 2000 == 0:
                        text.flush()
                        yield pipe.drain()
                text.flush()
                text.detach()
            yield pipe.drain()
    yield pipe.drain()


FORMATS: dict[str, Format] = {
    "gexf": Format("gexf", "application/gexf+xml", "gexf", write_gexf),
    "graphml": Format("graphml", "application/graphml+xml", "graphml", write_graphml),
    "cytoscape": Format("cytoscape", "application/json", "cyjs", write_cytoscape),
    "nodelink": Format("nodelink", "application/json", "json", write_nodelink),
    "csv": Format("csv", "application/zip", "zip", write_csv_zip),
}


def export_graph(
    session: Session,
    where: EventFilter,
    granularity: str = "dyad",
    actors: list[str] | None = None,
    depth: int = 1,
    min_events: int = 1,
    cache: network.GraphCache | None = None,
) -> ExportGraph:
    """What an export holds: the filtered collapsed graph, optionally cut down to the
    neighbourhoods of `actors`, with one edge per dyad or (streamed) one edge per event."""
    G = network.load_collapsed(session, where, cache, min_events)
    if actors:
        keep: set = set()
        for actor in actors:
            keep |= set(network.neighborhood(G, actor, depth, limit=len(G)).nodes)
        G = G.subgraph(keep)
    described = actors_by_id(session, G.nodes)
    nodes = []
    for node in sorted(G.nodes, key=str):
        incident = [*G.in_edges(node, data=True), *G.out_edges(node, data=True)]
        nodes.append(
            {
                **described[node].model_dump(),
                "events": int(G.degree(node, weight="weight")),
                "start": min(data["first"] for _, _, data in incident),
                "end": max(data["last"] for _, _, data in incident),
            }
        )
    if granularity == "dyad":
        edges: Iterable[dict] = [_dyad_edge(u, v, data) for u, v, data in G.edges(data=True)]
        return ExportGraph(nodes, edges, DYAD_EDGE_FIELDS, multigraph=False)
    dyads = set(G.edges)
    edges = (
        _event_edge(row)
        for row in event_rows(session, where)
        if (row["source"], row["target"]) in dyads
    )
    return ExportGraph(nodes, edges, EVENT_EDGE_FIELDS, multigraph=True)


def _dyad_edge(source: str, target: str, data: dict) -> dict:
    quads = data["quad_classes"]
    return {
        "id": f"{source}->{target}",
        "source": source,
        "target": target,
        "weight": data["weight"],
        "events": data["weight"],
        "evidence": data["evidence"],
        "articles": data["articles"],
        "goldstein_sum": data["goldstein_sum"],
        "goldstein_mean": data["goldstein_mean"],
        **{f"quad{q}": quads[str(q)] for q in (1, 2, 3, 4)},
        "start": data["first"],
        "end": data["last"],
    }


def _event_edge(row: dict) -> dict:
    return {
        "id": f"e{row['id']}",
        "source": row["source"],
        "target": row["target"],
        "weight": 1,
        "event_id": row["id"],
        "cameo": row["cameo"],
        "plover": row["plover"],
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "date": row["date"].isoformat(),
        "negated": row["negated"],
        "confidence": row["confidence"],
        "evidence": row["evidence_count"],
        "articles": row["article_count"],
        "start": row["date"],
        "end": row["date"],
    }
