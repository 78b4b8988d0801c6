"""Aggregating queries: relations per counterpart, dyad timelines, per-dyad totals, stats.

SQL does the filtering and the grouping; these functions return plain rows the API and the
network layer shape further. `rollup="country"` reads the `*_rollup` columns, so RUSMIL,
RUSGOV and Vladimir Putin all count as RUS. Unfiltered per-dyad totals are read from the
`dyad` table, kept at write time, rather than aggregated from the events.
"""

import operator
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from sqlalchemy import (
    ColumnElement,
    Date,
    Row,
    Subquery,
    and_,
    desc,
    func,
    literal,
    or_,
    type_coerce,
    union_all,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from graph.store.models import Actor, Article, Dyad, Event

INTERVALS = ("day", "week", "month", "year")
#: SQLite date() modifiers that take a day to the first day of its period (weeks start on
#: Monday: forward to Sunday, then back six days).
PERIOD_MODIFIERS = {
    "day": (),
    "week": ("weekday 0", "-6 days"),
    "month": ("start of month",),
    "year": ("start of year",),
}
ROLLUPS = ("actor", "country")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The filters every graph and relation query shares."""

    start: date | None = None
    end: date | None = None
    cameo: str | None = None
    plover: str | None = None
    quad_class: int | None = None
    min_confidence: float | None = None
    include_negated: bool = False
    rollup: str = "actor"

    def columns(self):
        """(source column, target column) for the rollup level."""
        if self.rollup == "country":
            return col(Event.source_rollup), col(Event.target_rollup)
        return col(Event.source_id), col(Event.target_id)

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.start is not None:
            found.append(col(Event.date) >= self.start)
        if self.end is not None:
            found.append(col(Event.date) <= self.end)
        if self.cameo:
            found.append(col(Event.cameo).startswith(self.cameo))
        if self.plover:
            found.append(Event.plover == self.plover)
        if self.quad_class is not None:
            found.append(Event.quad_class == self.quad_class)
        if self.min_confidence is not None:
            found.append(col(Event.confidence) >= self.min_confidence)
        if not self.include_negated:
            found.append(col(Event.negated).is_(False))
        return found


#: The filter the `dyad` table answers: actor level, non-negated events, no other condition.
UNFILTERED = EventFilter()


def _aggregates():
    return (
        func.count().label("events"),
        func.sum(Event.evidence_count).label("evidence"),
        func.sum(Event.article_count).label("articles"),
        func.sum(Event.goldstein).label("goldstein_sum"),
        *(func.count().filter(Event.quad_class == n).label(f"q{n}") for n in (1, 2, 3, 4)),
        func.min(Event.date).label("first"),
        func.max(Event.date).label("last"),
    )


def _dyad_totals():
    """The `dyad` table's columns, labelled as `_aggregates`."""
    return (
        col(Dyad.events),
        col(Dyad.evidence),
        col(Dyad.articles),
        col(Dyad.goldstein_sum),
        col(Dyad.q1),
        col(Dyad.q2),
        col(Dyad.q3),
        col(Dyad.q4),
        col(Dyad.first_date).label("first"),
        col(Dyad.last_date).label("last"),
    )


def _relation_sides(
    actor: str, where: EventFilter, direction: str, counterpart: str | None
) -> list[list[ColumnElement[bool]]]:
    """The conditions of each direction's events; an event with the actor on both sides
    belongs to its out side only."""
    source, target = where.columns()
    sides = []
    if direction in ("out", "both"):
        out = [source == actor, *([target == counterpart] if counterpart else [])]
        sides.append([*out, *where.conditions()])
    if direction in ("in", "both"):
        incoming = [target == actor, *([source == counterpart] if counterpart else [])]
        if direction == "both":
            incoming.append(source != actor)
        sides.append([*incoming, *where.conditions()])
    return sides


def relation_event_ids(
    session: Session,
    actor: str,
    where: EventFilter,
    direction: str,
    counterpart: str | None,
    limit: int,
    offset: int,
) -> tuple[list[int], int]:
    """Ids of the actor's events, newest first, and how many match.

    Each direction is one range of its actor index (ordered by date): the total is a count
    per range and the page a merge of the ranges read newest first, so neither sorts nor
    visits the rows of all the actor's events.
    """
    sides = _relation_sides(actor, where, direction, counterpart)
    total = sum(
        session.exec(select(func.count()).select_from(Event).where(*side)).one() for side in sides
    )
    pages = [select(Event.id, Event.date).where(*side) for side in sides]
    query = union_all(*pages) if len(pages) > 1 else pages[0]
    newest = query.selected_columns
    rows = session.execute(
        query.order_by(newest.date.desc(), newest.id.desc()).limit(limit).offset(offset)
    )
    return [event_id for event_id, _ in rows], total


def relations_by_counterpart(
    session: Session,
    actor: str,
    where: EventFilter,
    direction: str,
    counterpart: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict], int]:
    """Per counterpart and direction: event and evidence counts, Goldstein sum and mean,
    counts per quad class, first and last date; most events first.

    Unfiltered, the totals are read from the `dyad` table; otherwise aggregated from events.
    """
    if where == UNFILTERED:
        source, target = col(Dyad.source_id), col(Dyad.target_id)
        totals, conditions, grouped = _dyad_totals(), [], False
    else:
        source, target = where.columns()
        totals, conditions, grouped = _aggregates(), where.conditions(), True
    selects = []
    for side, mine, theirs in (("out", source, target), ("in", target, source)):
        if direction not in (side, "both"):
            continue
        query = select(theirs.label("counterpart"), literal(side).label("direction"), *totals)
        query = query.where(mine == actor, *conditions)
        if counterpart:
            query = query.where(theirs == counterpart)
        selects.append(query.group_by(theirs) if grouped else query)
    combined = union_all(*selects) if len(selects) > 1 else selects[0]
    if grouped:  # the groups are counted as they are ranked
        groups = combined.subquery()
        order = (groups.c.events.desc(), groups.c.counterpart, groups.c.direction)
        page = sa_select(groups, func.count().over().label("total"))
        rows = session.execute(page.order_by(*order).limit(limit).offset(offset)).all()
        total = _groups_total(session, rows, groups, offset)
    else:  # a key range count per side; the page reads each side busiest first (by index)
        page = combined.order_by(desc("events"), "counterpart", "direction")
        rows = session.execute(page.limit(limit).offset(offset)).all()
        counts = [select(func.count()).select_from(s.subquery()).scalar_subquery() for s in selects]
        total = session.exec(select(reduce(operator.add, counts))).one()
    return [
        {**_aggregate_row(row), "counterpart": row.counterpart, "direction": row.direction}
        for row in rows
    ], total


def _groups_total(session: Session, rows: list[Row], groups: Subquery, offset: int) -> int:
    """The number of groups: read off a page's window count, else counted apart."""
    if rows:
        return rows[0].total
    return _count(session, groups) if offset else 0


def _count(session: Session, rows: Subquery) -> int:
    return session.exec(select(func.count()).select_from(rows)).one()


def _aggregate_row(row: Row) -> dict:
    return {
        "events": row.events,
        "evidence": row.evidence,
        "articles": row.articles,
        "goldstein_sum": round(row.goldstein_sum, 3),
        "goldstein_mean": round(row.goldstein_sum / row.events, 3),
        "quad_classes": {"1": row.q1, "2": row.q2, "3": row.q3, "4": row.q4},
        "first": row.first,
        "last": row.last,
    }


def dyad_aggregates(session: Session, where: EventFilter) -> Iterator[Row]:
    """One row per (source, target) pair: the collapsed, weighted edges of the graph.

    Rows are ``(source, target, events, evidence, articles, goldstein_sum, q1, q2, q3, q4,
    first, last)``, with ``q1``–``q4`` the events per quad class; unfiltered, read from the
    `dyad` table in (source, target) order.
    """
    if where == UNFILTERED:
        dyads = sa_select(Dyad.source_id, Dyad.target_id, *_dyad_totals())
        return iter(session.connection().execute(dyads.order_by(Dyad.source_id, Dyad.target_id)))
    source, target = where.columns()
    query = (
        sa_select(source.label("source"), target.label("target"), *_aggregates())
        .where(*where.conditions())
        .group_by(source, target)
    )
    return iter(session.connection().execute(query))


def dyad_periods(
    session: Session, a: str, b: str, where: EventFilter, directed: bool, interval: str
) -> list[tuple[date, int, int, float, int]]:
    """(first day of the period, quad class, events, Goldstein sum, evidence) per `interval`
    (day, ISO week, month, year) for the dyad a→b (and b→a unless `directed`)."""
    source, target = where.columns()
    pairs = [and_(source == a, target == b)]
    if not directed:
        pairs.append(and_(source == b, target == a))
    period = type_coerce(func.date(Event.date, *PERIOD_MODIFIERS[interval]), Date)
    query = (
        sa_select(
            period,
            Event.quad_class,
            func.count(),
            func.sum(Event.goldstein),
            func.sum(Event.evidence_count),
        )
        .where(or_(*pairs), *where.conditions())
        .group_by(period, Event.quad_class)
        .order_by(period)
    )
    return [tuple(row) for row in session.execute(query)]


def period_start(day: date, interval: str) -> date:
    """The first day of the period (`day`, ISO `week`, `month`, `year`) containing `day`."""
    if interval == "day":
        return day
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def next_period(start: date, interval: str) -> date:
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    if interval == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def timeline(
    rows: list[tuple[date, int, int, float, int]],
    interval: str,
    start: date | None,
    end: date | None,
) -> list[dict]:
    """Bucket dated rows (see `dyad_periods`) into periods, every period from start to end
    present (zeros included)."""
    if not rows and (start is None or end is None):
        return []
    first = period_start(start or rows[0][0], interval)
    last = period_start(end or rows[-1][0], interval)
    buckets: dict[date, dict] = {}
    current = first
    while current <= last:
        buckets[current] = {
            "period": current,
            "events": 0,
            "quad_classes": {"1": 0, "2": 0, "3": 0, "4": 0},
            "goldstein_sum": 0.0,
            "evidence": 0,
        }
        current = next_period(current, interval)
    for day, quad_class, events, goldstein, evidence in rows:
        bucket = buckets.get(period_start(day, interval))
        if bucket is None:
            continue
        bucket["events"] += events
        bucket["quad_classes"][str(quad_class)] += events
        bucket["goldstein_sum"] = round(bucket["goldstein_sum"] + (goldstein or 0.0), 3)
        bucket["evidence"] += evidence or 0
    return list(buckets.values())


def actor_activity(session: Session, actor_id: str) -> dict:
    """Events out and in, first and last seen, for one actor."""
    out_count, out_first, out_last = session.exec(
        select(func.count(), func.min(Event.date), func.max(Event.date)).where(
            Event.source_id == actor_id
        )
    ).one()
    in_count, in_first, in_last = session.exec(
        select(func.count(), func.min(Event.date), func.max(Event.date)).where(
            Event.target_id == actor_id
        )
    ).one()
    firsts = [d for d in (out_first, in_first) if d]
    lasts = [d for d in (out_last, in_last) if d]
    return {
        "events_out": out_count,
        "events_in": in_count,
        "first_seen": min(firsts) if firsts else None,
        "last_seen": max(lasts) if lasts else None,
    }


def store_stats(session: Session, top: int = 10) -> dict:
    """Counts, date span, most active actors and events per PLOVER type."""
    articles = session.exec(select(func.count()).select_from(Article)).one()
    actors = session.exec(select(func.count()).select_from(Actor)).one()
    events, evidence, first, last = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(Event.evidence_count), 0),
            func.min(Event.date),
            func.max(Event.date),
        )
    ).one()
    plover = session.exec(
        select(Event.plover, func.count()).group_by(Event.plover).order_by(func.count().desc())
    ).all()
    quad = session.exec(select(Event.quad_class, func.count()).group_by(Event.quad_class)).all()
    top_actors = session.exec(
        select(Actor).order_by(col(Actor.event_count).desc(), Actor.id).limit(top)
    ).all()
    return {
        "articles": articles,
        "actors": actors,
        "events": events,
        "evidence": evidence,
        "first_date": first,
        "last_date": last,
        "events_by_plover": {name or "none": count for name, count in plover},
        "events_by_quad_class": {str(q): count for q, count in quad},
        "top_actors": top_actors,
    }


def event_rows(session: Session, where: EventFilter, batch: int = 5000) -> Iterator[dict]:
    """Every matching event as a flat row, streamed from the database in batches."""
    source, target = where.columns()
    query = (
        sa_select(
            Event.id,
            source.label("source"),
            target.label("target"),
            Event.cameo,
            Event.plover,
            Event.quad_class,
            Event.goldstein,
            Event.date,
            Event.negated,
            Event.confidence,
            Event.evidence_count,
            Event.article_count,
        )
        .where(*where.conditions())
        .order_by(Event.id)
        .execution_options(yield_per=batch)
    )
    for row in session.execute(query):
        yield dict(row._mapping)
