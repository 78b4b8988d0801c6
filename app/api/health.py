"""Liveness and store size."""

from fastapi import APIRouter

from app.api.schemas import Health
from app.deps import SessionDep
from graph import __version__
from graph.store.queries import counts

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(session: SessionDep) -> Health:
    """The service is up; how many articles and events it holds."""
    articles, events = counts(session)
    return Health(status="ok", version=__version__, articles=articles, events=events)
