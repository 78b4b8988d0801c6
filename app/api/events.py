"""Events: filter them, read one with all its evidence."""

from datetime import date

from fastapi import APIRouter, HTTPException, Query, status

from app.api.schemas import ErrorMessage, Limit, Offset, Page
from app.api.validation import check_cameo, check_window
from app.deps import CodebookDep, SessionDep
from graph.store.models import EventPublic
from graph.store.queries import events_public, list_events

router = APIRouter(prefix="/events", tags=["events"])


@router.get("", response_model=Page[EventPublic], responses={422: {"model": ErrorMessage}})
def read_events(
    session: SessionDep,
    codebook: CodebookDep,
    source: str | None = Query(default=None, description="Source actor id."),
    target: str | None = Query(default=None, description="Target actor id."),
    cameo: str | None = Query(default=None, description="CAMEO code or prefix (`06`)."),
    start: date | None = None,
    end: date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Events matching the filters, newest first."""
    check_window(start, end)
    if cameo:
        check_cameo(cameo, codebook)
    ids, total = list_events(session, limit, offset, source, target, cameo, start, end)
    return Page(data=events_public(session, ids, codebook), count=total, limit=limit, offset=offset)


@router.get("/{event_id}", response_model=EventPublic, responses={404: {"model": ErrorMessage}})
def read_event(event_id: int, session: SessionDep, codebook: CodebookDep):
    """One event with every evidence sentence and the title, source and url of its article."""
    found = events_public(session, [event_id], codebook, with_articles=True)
    if not found:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"event {event_id} not found")
    return found[0]
