"""The graph: neighbourhoods, paths, centrality and communities on the collapsed event graph."""

import itertools
from dataclasses import dataclass
from typing import Annotated

import networkx as nx
from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel
from sqlmodel import Session

from app.api.actors import resolve_rollup_key
from app.api.filters import FilterDep
from app.api.schemas import ErrorMessage, GraphEdge, GraphNode, GraphPayload
from app.api.validation import unprocessable
from app.deps import CodebookDep, SessionDep
from graph import network
from graph.store.analytics import EventFilter, relation_event_ids
from graph.store.models import ActorPublic, EventPublic
from graph.store.queries import actors_by_id, data_version, events_public

router = APIRouter(prefix="/graph", tags=["graph"])


class Hop(BaseModel):
    source: str
    target: str
    events: int
    strongest: list[EventPublic]


class Path(BaseModel):
    nodes: list[ActorPublic]
    hops: list[Hop]


class Paths(BaseModel):
    source: str
    target: str
    length: int
    paths: list[Path]


class Neighborhood(GraphPayload):
    nodes_total: int
    edges_total: int
    truncated: bool


class Ranked(BaseModel):
    actor: ActorPublic
    score: float


class Centrality(BaseModel):
    metric: str
    sampled: bool
    nodes: int
    edges: int
    data: list[Ranked]


class Community(BaseModel):
    id: int
    size: int
    members: list[ActorPublic]
    internal: dict[str, int]
    external: dict[str, int]


class Communities(BaseModel):
    count: int
    data: list[Community]


@dataclass(frozen=True, slots=True)
class Ranking:
    """A centrality ranking as cached: every node by score, and the graph's size."""

    ranked: list[tuple[str, float]]
    nodes: int
    edges: int
    sampled: bool


def graph_cache(request: Request) -> network.GraphCache:
    return request.app.state.graph_cache


def payload(session: Session, H: nx.DiGraph) -> Neighborhood:
    """Nodes with actor details and their events among the returned nodes; edges with their
    aggregates; how many nodes and edges there were before the limits (see
    `network.neighborhood`)."""
    actors = actors_by_id(session, H.nodes)
    nodes = [
        GraphNode(**actors[node].model_dump(), events=events)
        for node, events in H.nodes(data="strength")
    ]
    edges = [
        GraphEdge(source=u, target=v, **{**data, "events": data["weight"]})
        for u, v, data in H.edges(data=True)
    ]
    nodes_total, edges_total = H.graph["nodes_total"], H.graph["edges_total"]
    return Neighborhood(
        nodes=nodes,
        edges=edges,
        nodes_total=nodes_total,
        edges_total=edges_total,
        truncated=len(nodes) < nodes_total or len(edges) < edges_total,
    )


@router.get(
    "/neighborhood/{actor_id}",
    response_model=Neighborhood,
    responses={404: {"model": ErrorMessage}, 422: {"model": ErrorMessage}},
)
def read_neighborhood(
    actor_id: str,
    request: Request,
    session: SessionDep,
    where: FilterDep,
    depth: Annotated[int, Query(ge=1, le=3, description="Hops from the actor, 1–3.")] = 1,
    min_events: Annotated[int, Query(ge=1, description="Drop edges with fewer events.")] = 1,
    limit: Annotated[int, Query(ge=1, le=2000, description="Most nodes to return.")] = 300,
    edge_limit: Annotated[
        int,
        Query(
            ge=1,
            le=20000,
            description="Most edges to return: the actor's own first, then the heaviest.",
        ),
    ] = 2000,
):
    """The actor's ego network with per-edge totals (events, evidence, Goldstein, quad classes).
    `nodes_total` and `edges_total` count what lay within reach before `limit` and
    `edge_limit`; `truncated` says whether either dropped anything."""
    key = resolve_rollup_key(session, actor_id, where)
    G = network.load_collapsed(session, where, graph_cache(request), min_events)
    return payload(session, network.neighborhood(G, key, depth, limit, edge_limit))


@router.get(
    "/path",
    response_model=Paths,
    responses={404: {"model": ErrorMessage}, 422: {"model": ErrorMessage}},
)
def read_path(
    request: Request,
    session: SessionDep,
    codebook: CodebookDep,
    where: FilterDep,
    source: Annotated[str, Query(description="Actor id at one end.")],
    target: Annotated[str, Query(description="Actor id at the other end.")],
    max_hops: Annotated[int, Query(ge=1, le=6)] = 3,
):
    """Shortest paths between two actors (direction ignored), each hop with its strongest
    events; 404 when no path is within `max_hops`."""
    a = resolve_rollup_key(session, source, where)
    b = resolve_rollup_key(session, target, where)
    if a == b:
        raise unprocessable("source and target are the same actor")
    G = network.load_collapsed(session, where, graph_cache(request))
    found = network.shortest_paths(G, a, b, max_hops)
    if not found:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=f"no path between {source!r} and {target!r} within {max_hops} hops",
        )
    actors = actors_by_id(session, {node for path in found for node in path})
    paths = []
    for nodes in found:
        hops = [_hop(session, codebook, G, u, v, where) for u, v in itertools.pairwise(nodes)]
        paths.append(Path(nodes=[actors[n] for n in nodes], hops=hops))
    return Paths(source=a, target=b, length=len(found[0]) - 1, paths=paths)


def _hop(session, codebook, G: nx.DiGraph, u: str, v: str, where: EventFilter) -> Hop:
    events = sum(G[x][y]["weight"] for x, y in ((u, v), (v, u)) if G.has_edge(x, y))
    ids, _ = relation_event_ids(session, u, where, "both", v, 3, 0)
    strongest = sorted(
        events_public(session, ids, codebook), key=lambda e: (-e.evidence_count, -abs(e.goldstein))
    )
    return Hop(source=u, target=v, events=events, strongest=strongest)


@router.get("/centrality", response_model=Centrality, responses={422: {"model": ErrorMessage}})
def read_centrality(
    request: Request,
    session: SessionDep,
    where: FilterDep,
    metric: Annotated[
        str, Query(description="degree, pagerank, betweenness or eigenvector")
    ] = "pagerank",
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
):
    """Actors ranked by centrality in the collapsed graph (cached per data version)."""
    if metric not in network.METRICS:
        raise unprocessable(f"unknown metric {metric!r}; allowed: {', '.join(network.METRICS)}")
    cache = graph_cache(request)

    def rank() -> Ranking:
        G = network.load_collapsed(session, where, cache)
        n, m = G.number_of_nodes(), G.number_of_edges()
        return Ranking(
            network.ranking(network.centrality(G, metric)),
            nodes=n,
            edges=m,
            sampled=metric == "betweenness" and n * max(m, 1) > network.BETWEENNESS_BUDGET,
        )

    found = cache.get(("centrality", data_version(session), where, metric), rank)
    ranked = found.ranked[:limit]
    actors = actors_by_id(session, (node for node, _ in ranked))
    return Centrality(
        metric=metric,
        sampled=found.sampled,
        nodes=found.nodes,
        edges=found.edges,
        data=[Ranked(actor=actors[node], score=round(score, 6)) for node, score in ranked],
    )


@router.get("/communities", response_model=Communities, responses={422: {"model": ErrorMessage}})
def read_communities(
    request: Request,
    session: SessionDep,
    where: FilterDep,
    min_events: Annotated[int, Query(ge=1)] = 1,
):
    """Louvain communities with their internal and external cooperation–conflict balance."""
    cache = graph_cache(request)
    G = network.load_collapsed(session, where, cache, min_events)
    key = ("communities", data_version(session), where, min_events)
    found = cache.get(key, lambda: network.communities(G))
    actors = actors_by_id(session, {node for members in found for node in members})
    data = [
        Community(
            id=index,
            size=len(members),
            members=sorted((actors[n] for n in members), key=lambda a: a.id),
            **network.community_balance(G, members),
        )
        for index, members in enumerate(found)
    ]
    return Communities(count=len(data), data=data)
