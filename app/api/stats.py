"""What the store holds."""

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from app.deps import SessionDep
from graph.store.analytics import store_stats
from graph.store.models import ActorPublic

router = APIRouter(tags=["stats"])


class TopActor(ActorPublic):
    event_count: int


class Stats(BaseModel):
    articles: int
    actors: int
    events: int
    evidence: int
    first_date: date | None
    last_date: date | None
    events_by_plover: dict[str, int]
    events_by_quad_class: dict[str, int]
    top_actors: list[TopActor]


@router.get("/stats", response_model=Stats)
def read_stats(session: SessionDep) -> Stats:
    """Counts, date span, the most active actors and events per PLOVER type."""
    stats = store_stats(session)
    stats["top_actors"] = [TopActor.model_validate(actor) for actor in stats["top_actors"]]
    return Stats(**stats)
