"""Bulk writes for imported event data (GDELT): batches of pre-coded events inserted with
`executemany`, one transaction per batch, rows already imported skipped by external id."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice

from sqlalchemy import Engine, bindparam, func, insert, select, update

from graph.store.models import Actor, ActorAlias, Article, Event, Evidence
from graph.types import ActorRef


@dataclass(frozen=True, slots=True)
class ImportedEvent:
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
    outlet: str | None
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
    """Insert `events` in batches; yields the counts of each committed batch."""
    for batch in _batches(events, batch_size):
        with engine.begin() as connection:
            yield _import_batch(connection, batch)


def _import_batch(connection, batch: list[ImportedEvent]) -> ImportCounts:
    counts = ImportCounts()
    ids = [event.external_id for event in batch]
    existing = set(
        connection.execute(
            select(Event.external_id).where(
                Event.external_id.in_(bindparam("ids", expanding=True))
            ),
            {"ids": ids},
        ).scalars()
    )
    fresh: dict[str, ImportedEvent] = {}
    for event in batch:
        if event.external_id in existing or event.external_id in fresh:
            counts.already_imported += 1
        else:
            fresh[event.external_id] = event
    if not fresh:
        return counts
    _insert_actors(connection, fresh.values())
    article_ids = _insert_articles(connection, fresh.values())
    next_id = (connection.execute(select(func.max(Event.id))).scalar() or 0) + 1
    event_rows, evidence_rows, per_actor = [], [], {}
    for offset, event in enumerate(fresh.values()):
        event_id = next_id + offset
        event_rows.append(
            {
                "id": event_id,
                "source_id": event.source.id,
                "target_id": event.target.id,
                "source_rollup": event.source.rollup,
                "target_rollup": event.target.rollup,
                "external_id": event.external_id,
                "cameo": event.cameo,
                "root": event.root,
                "quad_class": event.quad_class,
                "goldstein": event.goldstein,
                "plover": event.plover,
                "plover_mode": event.plover_mode,
                "date": event.date,
                "date_precision": "day",
                "negated": False,
                "confidence": 1.0,
                "evidence_count": event.mentions,
                "article_count": event.articles,
                "source_count": event.sources,
            }
        )
        article_id = article_ids.get(event.url)
        if article_id is not None:
            evidence_rows.append(
                {
                    "event_id": event_id,
                    "article_id": article_id,
                    "sentence": "",
                    "start": 0,
                    "end": 0,
                    "trigger": "",
                    "rule": event.rule,
                }
            )
        for actor in (event.source.id, event.target.id):
            per_actor[actor] = per_actor.get(actor, 0) + 1
    connection.execute(insert(Event), event_rows)
    if evidence_rows:
        connection.execute(insert(Evidence), evidence_rows)
    connection.execute(
        update(Actor)
        .where(Actor.id == bindparam("actor"))
        .values(event_count=Actor.event_count + bindparam("count")),
        [{"actor": actor, "count": count} for actor, count in per_actor.items()],
    )
    counts.inserted = len(event_rows)
    return counts


def _insert_actors(connection, events: Iterable[ImportedEvent]) -> None:
    wanted: dict[str, ActorRef] = {}
    for event in events:
        for actor in (event.source, event.target):
            wanted.setdefault(actor.id, actor)
            if actor.country and actor.country != actor.id and actor.country_name:
                wanted.setdefault(
                    actor.country,
                    ActorRef(
                        actor.country,
                        actor.country_name,
                        actor.country,
                        actor.country,
                        None,
                        "country",
                    ),
                )
    known = set(
        connection.execute(
            select(Actor.id).where(Actor.id.in_(bindparam("ids", expanding=True))),
            {"ids": list(wanted)},
        ).scalars()
    )
    missing = [actor for actor_id, actor in wanted.items() if actor_id not in known]
    if not missing:
        return
    connection.execute(
        insert(Actor),
        [
            {
                "id": a.id,
                "name": a.name,
                "code": a.code,
                "country": a.country,
                "sector": a.sector,
                "kind": a.kind,
                "event_count": 0,
            }
            for a in missing
        ],
    )
    connection.execute(
        insert(ActorAlias),
        [{"actor_id": a.id, "alias": a.name, "alias_norm": a.name.casefold()} for a in missing],
    )


def _insert_articles(connection, events: Iterable[ImportedEvent]) -> dict[str, int]:
    by_url: dict[str, ImportedEvent] = {}
    for event in events:
        if event.url:
            by_url.setdefault(event.url, event)
    if not by_url:
        return {}
    found = dict(
        connection.execute(
            select(Article.url, Article.id).where(
                Article.url.in_(bindparam("urls", expanding=True))
            ),
            {"urls": list(by_url)},
        ).all()
    )
    next_id = (connection.execute(select(func.max(Article.id))).scalar() or 0) + 1
    now = datetime.now(UTC)
    rows = []
    for url, event in by_url.items():
        if url in found:
            continue
        found[url] = next_id
        rows.append(
            {
                "id": next_id,
                "source": event.outlet,
                "url": url,
                "published_at": datetime.combine(event.date, datetime.min.time(), UTC),
                "text": "",
                "ingested_at": now,
            }
        )
        next_id += 1
    if rows:
        connection.execute(insert(Article), rows)
    return found
