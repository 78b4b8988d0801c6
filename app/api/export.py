"""Graph export for Gephi, yEd, Cytoscape, D3 and spreadsheets, streamed."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from app.api.actors import resolve_rollup_key
from app.api.filters import FilterDep
from app.api.schemas import ErrorMessage
from app.api.validation import unprocessable
from app.deps import EngineDep, SessionDep
from graph.export import FORMATS, GRANULARITIES, export_graph

router = APIRouter(prefix="/graph", tags=["export"])


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The graph file, as an attachment.",
            "content": {fmt.media_type: {} for fmt in FORMATS.values()},
        },
        404: {"model": ErrorMessage},
        422: {"model": ErrorMessage},
    },
)
def export(
    request: Request,
    engine: EngineDep,
    session: SessionDep,
    where: FilterDep,
    format: Annotated[str, Query(description="gexf, graphml, cytoscape, nodelink or csv")] = "gexf",
    granularity: Annotated[
        str, Query(description="dyad: one edge per pair; event: per event")
    ] = "dyad",
    actors: Annotated[
        str | None,
        Query(description="Comma-separated actor ids: export only their neighbourhoods."),
    ] = None,
    depth: Annotated[int, Query(ge=1, le=3, description="Hops around `actors`.")] = 1,
    min_events: Annotated[int, Query(ge=1, description="Drop dyads with fewer events.")] = 1,
):
    """The filtered graph as a file: GEXF 1.3 (dynamic, for Gephi's timeline), GraphML,
    Cytoscape.js JSON, node-link JSON (`links`) or a zip of nodes.csv and edges.csv."""
    if format not in FORMATS:
        raise unprocessable(f"unknown format {format!r}; allowed: {', '.join(FORMATS)}")
    if granularity not in GRANULARITIES:
        raise unprocessable(
            f"unknown granularity {granularity!r}; allowed: {', '.join(GRANULARITIES)}"
        )
    names = [name.strip() for name in (actors or "").split(",") if name.strip()]
    keys = [resolve_rollup_key(session, name, where) for name in names]
    chosen = FORMATS[format]
    cache = request.app.state.graph_cache

    def stream():
        with Session(engine) as stream_session:
            graph = export_graph(stream_session, where, granularity, keys, depth, min_events, cache)
            yield from chosen.writer(graph)

    filename = f"geokg-{granularity}.{chosen.extension}"
    return StreamingResponse(
        stream(),
        media_type=chosen.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
