"""REST API routers, one module per resource, mounted under /api/v1."""

from fastapi import APIRouter

from app.api import (
    actors,
    articles,
    dyads,
    events,
    export,
    graph,
    health,
    ingest,
    ontology,
    stats,
)

api_router = APIRouter(prefix="/api/v1")
for module in (health, ingest, articles, actors, events, dyads, graph, export, stats, ontology):
    api_router.include_router(module.router)
