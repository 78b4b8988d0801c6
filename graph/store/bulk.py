"""Bulk writes for imported event data (GDELT): batches of pre-coded events inserted as
tuples with the sqlite3 cursor's `executemany` (no per-row SQLAlchemy work), one transaction
per batch, events already imported skipped by external id. SQLite only, as the store is."""

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import islice
from operator import attrgetter, itemgetter
from sqlite3 import Cursor
from typing import NamedTuple
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine

from graph.store.writes import DYAD_FROM_EVENTS, with_countries
from graph.types import ActorRef

EVENT_INSERT = (
    "INSERT INTO event (id, source_id, target_id, source_rollup, target_rollup, external_id,"
    " cameo, root, quad_class, goldstein, plover, plover_mode, date, date_precision, negated,"
    " confidence, evidence_count, article_count, source_count)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'day', 0, 1.0, ?, ?, ?)"
)
EVIDENCE_INSERT = (
    'INSERT INTO evidence (event_id, article_id, sentence, start, "end", "trigger", rule)'
    " VALUES (?, ?, '', 0, 0, '', ?)"
)
ARTICLE_INSERT = (
    "INSERT INTO article (id, source, url, published_at, text, ingested_at)"
    " VALUES (?, ?, ?, ?, '', ?)"
)
ACTOR_INSERT = (
    "INSERT INTO actor (id, name, code, country, sector, kind, event_count)"
    " VALUES (?, ?, ?, ?, ?, ?, 0)"
)
ALIAS_INSERT = "INSERT INTO actor_alias (actor_id, alias, alias_norm) VALUES (?, ?, ?)"
#: Adds the events from id `?` on (one batch) to their dyads' totals.
DYAD_FROM_BATCH = DYAD_FROM_EVENTS.format(condition="id >= ?")
COUNT_UPDATE = "UPDATE actor SET event_count = event_count + ? WHERE id = ?"
#: `scheme://host` at the start of a url: all `urlsplit` reads to find the host.
URL_ORIGIN = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
#: How SQLAlchemy stores a DATETIME in SQLite.
DATETIME_TEXT = "%Y-%m-%d %H:%M:%S.%f"


class ImportedEvent(NamedTuple):
    """A pre-coded event from another data set, with its provenance."""

    external_id: str
    source: ActorRef
    target: ActorRef
    cameo: str
    root: str
    quad_class: int
    goldstein: float
    plover: str | None
    plover_mode: str | None
    date: date
    url: str | None
    mentions: int
    sources: int
    articles: int
    rule: str


@dataclass
class ImportCounts:
    inserted: int = 0
    already_imported: int = 0


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def import_events(
    engine: Engine, events: Iterable[ImportedEvent], batch_size: int = 20_000
) -> Iterator[ImportCounts]:
    """Insert `events` in batches; yields the counts of each batch once it is committed."""
    with engine.connect() as connection:
        for batch in _batches(events, batch_size):
            with connection.begin():
                counts = _import_batch(_cursor(connection), batch)
            yield counts


def _cursor(connection: Connection) -> Cursor:
    """The sqlite3 cursor of `connection`, inside its transaction."""
    return connection.connection.driver_connection.cursor()


def _import_batch(cursor: Cursor, batch: list[ImportedEvent]) -> ImportCounts:
    """Store the events of `batch` not imported yet, with their actors, articles and evidence,
    and add them to their actors' event counts and their dyads' totals."""
    fresh = _fresh(cursor, batch)
    counts = ImportCounts(len(fresh), len(batch) - len(fresh))
    if not fresh:
        return counts
    _insert_actors(cursor, fresh)
    article_ids = _insert_articles(cursor, fresh)
    first_id = _next_id(cursor, "event")
    rows = list(_event_rows(fresh, first_id))
    cursor.executemany(EVENT_INSERT, rows)
    cursor.executemany(EVIDENCE_INSERT, _evidence_rows(fresh, first_id, article_ids))
    per_actor = Counter(map(itemgetter(1), rows))  # source_id
    per_actor.update(map(itemgetter(2), rows))  # target_id
    cursor.executemany(COUNT_UPDATE, [(n, actor) for actor, n in per_actor.items()])
    cursor.execute(DYAD_FROM_BATCH, (first_id,))
    return counts


def _fresh(cursor: Cursor, batch: list[ImportedEvent]) -> list[ImportedEvent]:
    """The events of `batch` neither stored nor repeated earlier in the batch."""
    ids = list(map(attrgetter("external_id"), batch))
    stored = _existing(cursor, "SELECT external_id FROM event", "external_id", ids)
    seen = {external_id for (external_id,) in stored}
    fresh = []
    for external_id, event in zip(ids, batch, strict=True):
        if external_id not in seen:
            seen.add(external_id)
            fresh.append(event)
    return fresh


def _existing(cursor: Cursor, select: str, column: str, values: list) -> Cursor:
    """Rows of `select` whose `column` is one of `values` (any number of them)."""
    where = f" WHERE {column} IN (SELECT value FROM json_each(?))"
    return cursor.execute(select + where, (json.dumps(values),))


def _next_id(cursor: Cursor, table: str) -> int:
    return (cursor.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0) + 1


def _event_rows(events: list[ImportedEvent], first_id: int) -> Iterator[tuple]:
    for event_id, event in enumerate(events, first_id):
        source, target = event.source, event.target
        yield (
            event_id,
            source.id,
            target.id,
            source.rollup,
            target.rollup,
            event.external_id,
            event.cameo,
            event.root,
            event.quad_class,
            event.goldstein,
            event.plover,
            event.plover_mode,
            event.date.isoformat(),
            event.mentions,
            event.articles,
            event.sources,
        )


def _evidence_rows(
    events: list[ImportedEvent], first_id: int, article_ids: dict[str, int]
) -> Iterator[tuple[int, int, str]]:
    """The source url of each event as its evidence."""
    for event_id, event in enumerate(events, first_id):
        if event.url:
            yield event_id, article_ids[event.url], event.rule


def _insert_actors(cursor: Cursor, events: list[ImportedEvent]) -> None:
    """Store the actors of `events` not stored yet, each followed by its rollup country."""
    wanted = with_countries(actor for event in events for actor in (event.source, event.target))
    known = {
        actor_id for (actor_id,) in _existing(cursor, "SELECT id FROM actor", "id", list(wanted))
    }
    missing = [actor for actor_id, actor in wanted.items() if actor_id not in known]
    cursor.executemany(
        ACTOR_INSERT, [(a.id, a.name, a.code, a.country, a.sector, a.kind) for a in missing]
    )
    cursor.executemany(ALIAS_INSERT, [(a.id, a.name, a.name.casefold()) for a in missing])


def _insert_articles(cursor: Cursor, events: list[ImportedEvent]) -> dict[str, int]:
    """The article id of every url in `events`; new urls get an article named after the url's
    host and published at midnight (in `DATETIME_TEXT`) of their first event's day."""
    first_day: dict[str, date] = {}
    for event in events:
        if event.url:
            first_day.setdefault(event.url, event.date)
    found = dict(_existing(cursor, "SELECT url, id FROM article", "url", list(first_day)))
    new = [url for url in first_day if url not in found]
    first_id = _next_id(cursor, "article")
    found.update(zip(new, range(first_id, first_id + len(new)), strict=True))
    now = datetime.now(UTC).strftime(DATETIME_TEXT)
    cursor.executemany(
        ARTICLE_INSERT,
        [
            (found[url], url_host(url), url, f"{first_day[url].isoformat()} 00:00:00.000000", now)
            for url in new
        ],
    )
    return found


def url_host(url: str) -> str | None:
    """`urlsplit(url).hostname`, parsed once per `scheme://host`; None when it has none or
    the url is malformed."""
    origin = URL_ORIGIN.match(url)
    return _hostname(origin.group() if origin else url)


@lru_cache(maxsize=4096)
def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
