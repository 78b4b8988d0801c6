"""Actors: search, profile, relations."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from sqlmodel import Session

from app.api.filters import FilterDep
from app.api.schemas import CounterpartSummary, ErrorMessage, Limit, Offset, Page
from app.api.validation import unprocessable
from app.deps import CodebookDep, SessionDep
from graph.store.analytics import (
    EventFilter,
    actor_activity,
    relation_event_ids,
    relations_by_counterpart,
)
from graph.store.models import Actor, ActorPublic, EventPublic
from graph.store.queries import actor_aliases, actors_by_id, events_public, search_actors
from graph.types import ACTOR_KINDS

router = APIRouter(prefix="/actors", tags=["actors"])

DIRECTIONS = ("out", "in", "both")
GROUPS = ("none", "counterpart")


class ActorProfile(ActorPublic):
    aliases: list[str]
    events_out: int
    events_in: int
    first_seen: date | None
    last_seen: date | None
    top_counterparts: list[CounterpartSummary]


def get_actor_or_404(session: Session, actor_id: str) -> Actor:
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"actor {actor_id!r} not found")
    return actor


def resolve_rollup_key(session: Session, actor_id: str, where: EventFilter) -> str:
    """The key the actor is known by at the filter's rollup level (404 when unknown)."""
    actor = get_actor_or_404(session, actor_id)
    if where.rollup == "country":
        return actor.country or actor.id
    return actor.id


def counterpart_summaries(session: Session, rows: list[dict]) -> list[CounterpartSummary]:
    actors = actors_by_id(session, (row["counterpart"] for row in rows))
    return [
        CounterpartSummary(**{**row, "counterpart": actors[row["counterpart"]]}) for row in rows
    ]


@router.get("", response_model=Page[ActorPublic], responses={422: {"model": ErrorMessage}})
def read_actors(
    session: SessionDep,
    q: Annotated[str | None, Query(description="Name, alias or code, case-insensitive.")] = None,
    country: Annotated[str | None, Query(description="ISO3 country code.")] = None,
    sector: Annotated[str | None, Query(description="Sector code: GOV, MIL, REB ...")] = None,
    kind: Annotated[str | None, Query(description="country, organization, person or group")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Actors matching the search: exact and prefix matches first, then by event count."""
    if kind is not None and kind not in ACTOR_KINDS:
        raise unprocessable(f"unknown kind {kind!r}; allowed: {', '.join(ACTOR_KINDS)}")
    rows, total = search_actors(session, q, limit, offset, country, sector, kind)
    data = [ActorPublic.model_validate(row) for row in rows]
    return Page(data=data, count=total, limit=limit, offset=offset)


@router.get("/{actor_id}", response_model=ActorProfile, responses={404: {"model": ErrorMessage}})
def read_actor(actor_id: str, session: SessionDep):
    """The actor's profile: identity, aliases, activity and top counterparts."""
    actor = get_actor_or_404(session, actor_id)
    rows, _ = relations_by_counterpart(session, actor.id, EventFilter(), "both", None, 10, 0)
    return ActorProfile(
        **ActorPublic.model_validate(actor).model_dump(),
        aliases=actor_aliases(session, actor.id),
        **actor_activity(session, actor.id),
        top_counterparts=counterpart_summaries(session, rows),
    )


@router.get(
    "/{actor_id}/relations",
    response_model=Page[EventPublic] | Page[CounterpartSummary],
    responses={404: {"model": ErrorMessage}, 422: {"model": ErrorMessage}},
)
def read_relations(
    actor_id: str,
    session: SessionDep,
    codebook: CodebookDep,
    where: FilterDep,
    direction: Annotated[str, Query(description="out, in or both")] = "both",
    counterpart: Annotated[str | None, Query(description="Only events with this actor.")] = None,
    group: Annotated[str, Query(description="none: events; counterpart: totals")] = "none",
    limit: Limit = 50,
    offset: Offset = 0,
):
    """The actor's events (newest first, with evidence), or totals per counterpart."""
    if direction not in DIRECTIONS:
        raise unprocessable(f"unknown direction {direction!r}; allowed: {', '.join(DIRECTIONS)}")
    if group not in GROUPS:
        raise unprocessable(f"unknown group {group!r}; allowed: {', '.join(GROUPS)}")
    key = resolve_rollup_key(session, actor_id, where)
    other = resolve_rollup_key(session, counterpart, where) if counterpart else None
    if group == "counterpart":
        rows, total = relations_by_counterpart(session, key, where, direction, other, limit, offset)
        data = counterpart_summaries(session, rows)
        return Page[CounterpartSummary](data=data, count=total, limit=limit, offset=offset)
    ids, total = relation_event_ids(session, key, where, direction, other, limit, offset)
    data = events_public(session, ids, codebook, with_articles=True)
    return Page[EventPublic](data=data, count=total, limit=limit, offset=offset)
