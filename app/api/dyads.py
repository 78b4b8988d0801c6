"""Dyads: how the relationship between two actors moves over time."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.api.actors import resolve_rollup_key
from app.api.filters import FilterDep
from app.api.schemas import ErrorMessage
from app.api.validation import unprocessable
from app.deps import SessionDep
from graph.store.analytics import INTERVALS, dyad_periods, timeline
from graph.store.models import ActorPublic
from graph.store.queries import actors_by_id

router = APIRouter(prefix="/dyads", tags=["dyads"])


class TimelinePoint(BaseModel):
    period: date
    events: int
    quad_classes: dict[str, int]
    goldstein_sum: float
    evidence: int


class Timeline(BaseModel):
    source: ActorPublic
    target: ActorPublic
    interval: str
    directed: bool
    rollup: str
    data: list[TimelinePoint]


@router.get(
    "/{a}/{b}/timeline",
    response_model=Timeline,
    responses={404: {"model": ErrorMessage}, 422: {"model": ErrorMessage}},
)
def read_timeline(
    a: str,
    b: str,
    session: SessionDep,
    where: FilterDep,
    interval: Annotated[str, Query(description="day, week, month or year")] = "month",
    directed: Annotated[bool, Query(description="Only a→b; default both directions.")] = False,
):
    """Events per period between two actors, by quad class, with Goldstein sums; every period
    between the first and last (or `start` and `end`) is present, empty ones as zeros."""
    if interval not in INTERVALS:
        raise unprocessable(f"unknown interval {interval!r}; allowed: {', '.join(INTERVALS)}")
    key_a = resolve_rollup_key(session, a, where)
    key_b = resolve_rollup_key(session, b, where)
    rows = dyad_periods(session, key_a, key_b, where, directed, interval)
    actors = actors_by_id(session, [key_a, key_b])
    return Timeline(
        source=actors[key_a],
        target=actors[key_b],
        interval=interval,
        directed=directed,
        rollup=where.rollup,
        data=[TimelinePoint(**point) for point in timeline(rows, interval, where.start, where.end)],
    )
