"""Response shapes shared by the routers (the `*Public` table shapes live in graph.store)."""

from datetime import date
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from graph.store.models import ActorPublic, EventPublic

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size, 1–1000.")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip, 0 or more.")]


class Page(BaseModel, Generic[T]):
    """The list envelope every list endpoint answers with."""

    data: list[T]
    count: int
    limit: int
    offset: int


class Health(BaseModel):
    status: str
    version: str
    articles: int
    events: int


class ArticleIngested(BaseModel):
    id: int
    duplicate: bool
    events: list[EventPublic]


class ErrorMessage(BaseModel):
    detail: str


class Aggregate(BaseModel):
    """Totals over a set of events."""

    events: int
    evidence: int
    articles: int
    goldstein_sum: float
    goldstein_mean: float
    quad_classes: dict[str, int]
    first: date | None
    last: date | None


class CounterpartSummary(Aggregate):
    counterpart: ActorPublic
    direction: str


class GraphNode(ActorPublic):
    events: int


class GraphEdge(Aggregate):
    source: str
    target: str
    weight: int


class GraphPayload(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
