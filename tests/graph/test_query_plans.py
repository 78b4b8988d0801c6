"""The queries the API runs are served by indexes (checked with EXPLAIN QUERY PLAN)."""

import re
from datetime import date

import pytest
from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from graph.store.analytics import EventFilter
from graph.store.db import make_engine
from graph.store.migrate import upgrade
from graph.store.models import Event


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('plans') / 'p.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def plan(session: Session, statement) -> str:
    compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
    return "\n".join(row[-1] for row in rows)


def full_scan(found: str) -> bool:
    return re.search(r"SCAN event(?! USING)", found) is not None


WINDOW = EventFilter(start=date(2024, 1, 1), end=date(2024, 12, 31))


@pytest.mark.parametrize(
    ("where", "index"),
    [
        (EventFilter(), "ix_event_source_date"),
        (WINDOW, "ix_event_source_date"),
        (EventFilter(rollup="country"), "ix_event_source_rollup_date"),
    ],
)
def test_relations_use_the_actor_indexes(session, where, index):
    source, target = where.columns()
    statement = select(Event.id).where(or_(source == "NER", target == "NER"), *where.conditions())
    found = plan(session, statement)
    assert index in found
    assert index.replace("source", "target") in found
    assert not full_scan(found)


def test_dyad_timeline_uses_an_index(session):
    source, target = WINDOW.columns()
    statement = (
        select(Event.date, Event.quad_class, func.count())
        .where(
            or_(and_(source == "NER", target == "RUS"), and_(source == "RUS", target == "NER")),
            *WINDOW.conditions(),
        )
        .group_by(Event.date, Event.quad_class)
    )
    found = plan(session, statement)
    assert "SEARCH event USING INDEX ix_event_" in found and not full_scan(found)


def test_date_window_uses_the_date_index(session):
    statement = select(func.count()).select_from(Event).where(*WINDOW.conditions())
    assert "ix_event_date" in plan(session, statement)
