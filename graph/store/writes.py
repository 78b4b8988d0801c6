"""Writes: an article with its events in one transaction, merging repeated reports.

The same happening told by several articles becomes one event with several evidence rows:
events merge when source, target, CAMEO code and negation agree and their dates lie within
`merge_window_days` of each other.
"""

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import bindparam, func, insert, or_, update
from sqlmodel import Session, col, select

from graph.ontology import Codebook
from graph.store.models import Actor, ActorAlias, Article, Event, Evidence
from graph.types import ActorRef, ArticleIn, ExtractedEvent

ACTOR, EVENT = Actor.__table__, Event.__table__

#: Serialises writers within a process: merging an event reads before it writes.
WRITE_LOCK = threading.Lock()
#: Adds the non-negated events picked by `condition` (SQL on `event`) to their dyads' totals.
DYAD_FROM_EVENTS = (
    "INSERT INTO dyad (source_id, target_id, events, evidence, articles, goldstein_sum,"
    " q1, q2, q3, q4, first_date, last_date)"
    " SELECT source_id, target_id, count(*), sum(evidence_count), sum(article_count),"
    " sum(goldstein), "
    + ", ".join(f"count(*) FILTER (WHERE quad_class = {q})" for q in (1, 2, 3, 4))
    + ", min(date), max(date) FROM event WHERE {condition} AND negated = 0"
    " GROUP BY source_id, target_id"
    " ON CONFLICT (source_id, target_id) DO UPDATE SET "
    + ", ".join(
        f"{name} = {name} + excluded.{name}"
        for name in ("events", "evidence", "articles", "goldstein_sum", "q1", "q2", "q3", "q4")
    )
    + ", first_date = min(first_date, excluded.first_date)"
    + ", last_date = max(last_date, excluded.last_date)"
)
#: Adds a stored event's new evidence and article to its dyad's totals.
DYAD_GAIN = (
    "UPDATE dyad SET evidence = evidence + ?, articles = articles + 1"
    " WHERE source_id = ? AND target_id = ?"
)


@dataclass
class SaveResult:
    """What saving an article did."""

    article: Article
    duplicate: bool
    event_ids: list[int] = field(default_factory=list)


def find_duplicate(session: Session, article: ArticleIn) -> Article | None:
    """The stored article with the same url or the same normalised text, if any."""
    conditions = [Article.text_hash == article.text_hash]
    if article.url:
        conditions.append(Article.url == article.url)
    return session.exec(select(Article).where(or_(*conditions)).limit(1)).first()


def with_countries(actors: Iterable[ActorRef]) -> dict[str, ActorRef]:
    """`actors` by id, plus the country of each: rollups and timelines name it."""
    wanted: dict[str, ActorRef] = {}
    for actor in actors:
        if actor.id in wanted:
            continue  # bulk imports repeat the same few thousand actors
        wanted[actor.id] = actor
        if actor.country and actor.country != actor.id and actor.country_name:
            wanted.setdefault(
                actor.country,
                ActorRef(
                    actor.country, actor.country_name, actor.country, actor.country, None, "country"
                ),
            )
    return wanted


def ensure_actors(session: Session, actors: Iterable[ActorRef]) -> None:
    """Store the actors (and their countries) not stored yet, with their aliases."""
    wanted = with_countries(actors)
    known = set(session.exec(select(Actor.id).where(col(Actor.id).in_(wanted))))
    missing = [actor for actor_id, actor in wanted.items() if actor_id not in known]
    if not missing:
        return
    session.execute(
        insert(ACTOR),
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
    aliases = []
    for actor in missing:
        seen = set()
        for alias in (actor.name, *actor.aliases):
            norm = alias.casefold()
            if norm not in seen:
                seen.add(norm)
                aliases.append({"actor_id": actor.id, "alias": alias, "alias_norm": norm})
    session.execute(insert(ActorAlias.__table__), aliases)


@dataclass
class _Planned:
    """An event this article adds evidence to: a stored one (`id`) or a new one (`row`)."""

    key: tuple[str, str, str, bool]
    date: date
    id: int | None = None
    row: dict | None = None
    confidence: float = 0.0
    evidence: list[ExtractedEvent] = field(default_factory=list)
    starts: set[int] = field(default_factory=set)


def save_article(
    session: Session,
    article: ArticleIn,
    events: list[ExtractedEvent],
    codebook: Codebook,
    merge_window_days: int = 1,
) -> SaveResult:
    """Store `article` and its events (flushed, not committed: the caller owns the transaction).

    An event merges into the stored (or just planned) event with the same source, target,
    CAMEO code and negation whose date is nearest within the window; otherwise it is new.
    """
    duplicate = find_duplicate(session, article)
    if duplicate is not None:
        return SaveResult(duplicate, True)
    row = Article(
        title=article.title,
        source=article.source,
        url=article.url,
        published_at=article.published_at,
        text=article.text,
        text_hash=article.text_hash,
        ingested_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    if not events:
        return SaveResult(row, False)
    ensure_actors(session, (actor for e in events for actor in (e.source, e.target)))
    planned = _plan(
        _stored_candidates(session, events, merge_window_days), events, codebook, merge_window_days
    )
    stored = [p for p in planned if p.id is not None]
    fresh = [p for p in planned if p.id is None]
    _update_stored(session, stored, article.source)
    _insert_fresh(session, fresh)
    _add_to_dyads(session, planned)
    session.execute(
        insert(Evidence.__table__),
        [
            {
                "event_id": p.id,
                "article_id": row.id,
                "sentence": e.sentence,
                "start": e.start,
                "end": e.end,
                "trigger": e.trigger,
                "rule": e.rule,
            }
            for p in planned
            for e in p.evidence
        ],
    )
    return SaveResult(row, False, [p.id for p in planned])


def _stored_candidates(
    session: Session, events: list[ExtractedEvent], window: int
) -> list[_Planned]:
    """Stored events this article's events could merge into (one query per article)."""
    keys = {(e.source.id, e.target.id, e.cameo, e.negated) for e in events}
    low = min(e.date for e in events) - timedelta(days=window)
    high = max(e.date for e in events) + timedelta(days=window)
    rows = session.execute(
        select(Event.id, Event.source_id, Event.target_id, Event.cameo, Event.negated, Event.date)
        .where(
            col(Event.source_id).in_({key[0] for key in keys}),
            Event.date >= low,
            Event.date <= high,
        )
        .order_by(Event.id)
    )
    return [
        _Planned(key=(source, target, cameo, negated), date=day, id=event_id)
        for event_id, source, target, cameo, negated, day in rows
        if (source, target, cameo, negated) in keys
    ]


def _plan(
    candidates: list[_Planned], events: list[ExtractedEvent], codebook: Codebook, window: int
) -> list[_Planned]:
    """Assign each extracted event to the event it reports, in the order first reported."""
    by_key: dict[tuple, list[_Planned]] = {}
    for candidate in candidates:
        by_key.setdefault(candidate.key, []).append(candidate)
    touched: dict[int, _Planned] = {}
    for extracted in events:
        key = (extracted.source.id, extracted.target.id, extracted.cameo, extracted.negated)
        near = [c for c in by_key.get(key, ()) if abs((c.date - extracted.date).days) <= window]
        if near:
            target = min(near, key=lambda c: abs((c.date - extracted.date).days))
        else:
            target = _Planned(key, extracted.date, row=_new_event_row(extracted, codebook))
            by_key.setdefault(key, []).append(target)
        target.confidence = max(target.confidence, extracted.confidence)
        if extracted.start not in target.starts:
            target.starts.add(extracted.start)
            target.evidence.append(extracted)
        touched.setdefault(id(target), target)
    return list(touched.values())


def _new_event_row(extracted: ExtractedEvent, codebook: Codebook) -> dict:
    entry = codebook.get(extracted.cameo)
    return {
        "source_id": extracted.source.id,
        "target_id": extracted.target.id,
        "source_rollup": extracted.source.rollup,
        "target_rollup": extracted.target.rollup,
        "cameo": entry.code,
        "root": entry.root,
        "quad_class": entry.quad_class,
        "goldstein": entry.goldstein,
        "plover": entry.plover,
        "plover_mode": entry.mode,
        "date": extracted.date,
        "date_precision": extracted.date_precision,
        "negated": extracted.negated,
    }


def _insert_fresh(session: Session, fresh: list[_Planned]) -> None:
    """Insert new events with their counts and credit their actors."""
    if not fresh:
        return
    rows = [
        {
            **p.row,
            "confidence": p.confidence,
            "evidence_count": len(p.evidence),
            "article_count": 1,
            "source_count": 1,
        }
        for p in fresh
    ]
    ids = session.execute(
        insert(EVENT).returning(EVENT.c.id, sort_by_parameter_order=True), rows
    ).scalars()
    per_actor: dict[str, int] = {}
    for planned, event_id in zip(fresh, ids, strict=True):
        planned.id = event_id
        for actor in (planned.row["source_id"], planned.row["target_id"]):
            per_actor[actor] = per_actor.get(actor, 0) + 1
    session.execute(
        update(ACTOR)
        .where(ACTOR.c.id == bindparam("actor"))
        .values(event_count=ACTOR.c.event_count + bindparam("count")),
        [{"actor": actor, "count": count} for actor, count in per_actor.items()],
    )


def _add_to_dyads(session: Session, planned: list[_Planned]) -> None:
    """Count this article's non-negated events in their dyads: new events whole, stored
    ones by the evidence and article they gain."""
    connection = session.connection()
    fresh = [p.id for p in planned if p.row is not None]
    if fresh:
        condition = "id IN (SELECT value FROM json_each(?))"
        connection.exec_driver_sql(
            DYAD_FROM_EVENTS.format(condition=condition), (json.dumps(fresh),)
        )
    gains = [
        (len(p.evidence), p.key[0], p.key[1]) for p in planned if p.row is None and not p.key[3]
    ]
    if gains:
        connection.exec_driver_sql(DYAD_GAIN, gains)


def _update_stored(session: Session, stored: list[_Planned], outlet: str | None) -> None:
    """Add this article's evidence, article and (if new to the event) source to the counts."""
    if not stored:
        return
    ids = [p.id for p in stored]
    seen_outlet: set[int] = set()
    if outlet is not None:
        seen_outlet = set(
            session.exec(
                select(Evidence.event_id)
                .join(Article, Article.id == Evidence.article_id)
                .where(col(Evidence.event_id).in_(ids), Article.source == outlet)
                .distinct()
            )
        )
    session.execute(
        update(EVENT)
        .where(EVENT.c.id == bindparam("event"))
        .values(
            confidence=func.max(EVENT.c.confidence, bindparam("reported_confidence")),
            evidence_count=EVENT.c.evidence_count + bindparam("evidence"),
            article_count=EVENT.c.article_count + 1,
            source_count=EVENT.c.source_count + bindparam("new_source"),
        ),
        [
            {
                "event": p.id,
                "reported_confidence": p.confidence,
                "evidence": len(p.evidence),
                "new_source": int(p.id not in seen_outlet),
            }
            for p in stored
        ],
    )


def stored_keys(session: Session, urls: list[str], hashes: list[str]) -> tuple[set[str], set[str]]:
    """Which of these urls and text hashes are already stored."""
    found_urls = set(
        session.exec(select(Article.url).where(col(Article.url).in_(urls))) if urls else []
    )
    found_hashes = set(
        session.exec(select(Article.text_hash).where(col(Article.text_hash).in_(hashes)))
        if hashes
        else []
    )
    return found_urls, found_hashes
