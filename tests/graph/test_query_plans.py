"""The queries the API runs are served by indexes (checked with EXPLAIN QUERY PLAN).

Each test runs the real query function against an empty store, records the SQL it sent and
asks SQLite for the plan of every statement on `event` or `dyad`.
"""

import re
from datetime import date

import pytest
from sqlalchemy import event
from sqlmodel import Session, func, select

from graph.store.analytics import (
    EventFilter,
    dyad_aggregates,
    dyad_periods,
    relation_event_ids,
    relations_by_counterpart,
)
from graph.store.db import make_engine
from graph.store.migrate import upgrade
from graph.store.models import Event

WINDOW = EventFilter(start=date(2024, 1, 1), end=date(2024, 12, 31))
SOURCE, TARGET = "ix_event_source_date", "ix_event_target_date"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('plans') / 'p.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def plans(engine):
    """Call `plans(run)`: the plan of each statement on `event` or `dyad` that `run(session)`
    sent."""

    def explain(run) -> list[str]:
        sent = []

        def record(_conn, _cursor, statement, parameters, _context, _many):
            sent.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", record)
        try:
            with Session(engine) as session:
                run(session)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        with engine.connect() as connection:
            return [
                "\n".join(
                    row[-1]
                    for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
                )
                for sql, params in sent
                if re.search(r"\bFROM (event|dyad)\b", sql)
            ]

    return explain


def full_scan(found: str) -> bool:
    return re.search(r"SCAN event(?! USING COVERING INDEX)", found) is not None


def sorts_everything(found: str) -> bool:
    return "USE TEMP B-TREE FOR ORDER BY" in found


@pytest.mark.parametrize("where", [EventFilter(), WINDOW, EventFilter(quad_class=4)])
def test_relations_read_only_the_actor_indexes_in_date_order(plans, where):
    counts_and_page = plans(
        lambda s: relation_event_ids(s, "NER", where, "both", None, limit=100, offset=0)
    )
    assert len(counts_and_page) == 3  # out count, in count, the page
    *counts, page = counts_and_page
    assert f"COVERING INDEX {SOURCE} (source_id=?" in counts[0]
    assert f"COVERING INDEX {TARGET} (target_id=?" in counts[1]
    assert "MERGE (UNION ALL)" in page and not sorts_everything(page)
    assert f"COVERING INDEX {SOURCE}" in page and f"COVERING INDEX {TARGET}" in page
    if where.start:
        assert "date>? AND date<?" in counts[0]


def test_relations_with_a_counterpart_stay_on_the_actor_indexes(plans):
    for found in plans(lambda s: relation_event_ids(s, "NER", WINDOW, "both", "RUS", 3, 0)):
        assert "COVERING INDEX ix_event_" in found and not full_scan(found)
        assert not sorts_everything(found)


def test_relations_by_country_use_the_rollup_indexes(plans):
    where = EventFilter(rollup="country")
    *counts, page = plans(lambda s: relation_event_ids(s, "NER", where, "both", None, 100, 0))
    assert "ix_event_source_rollup_date" in counts[0]
    assert "ix_event_target_rollup_date" in counts[1]
    assert "MERGE (UNION ALL)" in page and not sorts_everything(page)


@pytest.mark.parametrize("where", [WINDOW, EventFilter(quad_class=4)])
def test_relations_by_counterpart_group_in_one_covered_query(plans, where):
    (found,) = plans(lambda s: relations_by_counterpart(s, "NER", where, "both", None, 100, 0))
    assert f"COVERING INDEX {SOURCE}" in found and f"COVERING INDEX {TARGET}" in found
    assert not full_scan(found)


@pytest.mark.parametrize("counterpart", [None, "RUS"])
def test_unfiltered_counterpart_totals_read_the_dyad_keys_not_the_events(plans, counterpart):
    page, counts = plans(
        lambda s: relations_by_counterpart(s, "NER", EventFilter(), "both", counterpart, 100, 0)
    )
    for found in [page, counts]:
        assert "SEARCH dyad" in found and "SCAN dyad" not in found
        assert not re.search(r"\bevent\b", found) and not sorts_everything(found)
    if counterpart is None:  # the busiest counterparts first, from the event-count indexes
        assert "MERGE (UNION ALL)" in page
        assert "INDEX ix_dyad_source_events (source_id=?)" in page
        assert "INDEX ix_dyad_target_events (target_id=?)" in page
        assert "COVERING INDEX ix_dyad_source_events (source_id=?)" in counts
        assert "COVERING INDEX ix_dyad_target_events (target_id=?)" in counts


@pytest.mark.parametrize("directed", [False, True])
def test_dyad_timeline_reads_only_an_actor_index(plans, directed):
    (found,) = plans(lambda s: dyad_periods(s, "NER", "RUS", WINDOW, directed, "month"))
    assert re.search(r"SEARCH event USING COVERING INDEX ix_event_(source|target)_date", found)
    assert not full_scan(found)


def test_graph_input_reads_an_index_not_the_table(plans):
    (found,) = plans(lambda s: list(dyad_aggregates(s, EventFilter(include_negated=True))))
    assert "COVERING INDEX" in found


def test_unfiltered_graph_input_reads_the_dyad_table_in_key_order(plans):
    (found,) = plans(lambda s: list(dyad_aggregates(s, EventFilter())))
    assert found == "SCAN dyad"


def test_date_window_uses_the_date_index(plans):
    (found,) = plans(
        lambda s: s.exec(select(func.count()).select_from(Event).where(*WINDOW.conditions()))
    )
    assert "ix_event_date" in found
