"""REST API routers, one module per resource, mounted under /api/v1."""

from fastapi import APIRouter

from app.api import actors, articles, events, health, ontology

api_router = APIRouter(prefix="/api/v1")
for module in (health, articles, actors, events, ontology):
    api_router.include_router(module.router)
