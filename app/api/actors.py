"""Actors: search, profile, relations."""

from fastapi import APIRouter, HTTPException, Query, status

from app.api.schemas import ErrorMessage, Limit, Offset, Page
from app.deps import CodebookDep, SessionDep
from graph.store.models import Actor, ActorPublic, EventPublic
from graph.store.queries import events_public, list_events, search_actors

router = APIRouter(prefix="/actors", tags=["actors"])


def get_actor_or_404(session, actor_id: str) -> Actor:
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"actor {actor_id!r} not found")
    return actor


@router.get("", response_model=Page[ActorPublic])
def read_actors(
    session: SessionDep,
    q: str | None = Query(default=None, description="Name, alias or code (case-insensitive)."),
    country: str | None = None,
    sector: str | None = None,
    kind: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Actors matching the search, prefix matches first, then by event count."""
    rows, total = search_actors(session, q, limit, offset, country, sector, kind)
    data = [ActorPublic.model_validate(row) for row in rows]
    return Page(data=data, count=total, limit=limit, offset=offset)


@router.get("/{actor_id}", response_model=ActorPublic, responses={404: {"model": ErrorMessage}})
def read_actor(actor_id: str, session: SessionDep):
    return ActorPublic.model_validate(get_actor_or_404(session, actor_id))


@router.get(
    "/{actor_id}/relations",
    response_model=Page[EventPublic],
    responses={404: {"model": ErrorMessage}},
)
def read_relations(
    actor_id: str,
    session: SessionDep,
    codebook: CodebookDep,
    direction: str = Query(default="both", pattern="^(out|in|both)$"),
    limit: Limit = 50,
    offset: Offset = 0,
):
    get_actor_or_404(session, actor_id)
    source = actor_id if direction == "out" else None
    target = actor_id if direction == "in" else None
    ids, total = list_events(session, limit, offset, source, target)
    return Page(data=events_public(session, ids, codebook), count=total, limit=limit, offset=offset)
