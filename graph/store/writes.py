"""Writes: an article with its events in one transaction, merging repeated reports.

The same happening told by several articles becomes one event with several evidence rows:
events merge when source, target, CAMEO code and negation agree and their dates lie within
`merge_window_days` of each other.
"""

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select

from graph.ontology import Codebook
from graph.store.models import Actor, ActorAlias, Article, Event, Evidence
from graph.types import ActorRef, ArticleIn, ExtractedEvent

#: Serialises writers within a process: merging an event reads before it writes.
WRITE_LOCK = threading.Lock()


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


def upsert_actor(session: Session, actor: ActorRef, known: dict[str, Actor] | None = None) -> Actor:
    """The stored actor for `actor`, created with its aliases on first sight."""
    if known is not None and actor.id in known:
        return known[actor.id]
    if actor.country and actor.country != actor.id and actor.country_name:
        # The country itself must exist: rollups and timelines name it.
        country = ActorRef(
            actor.country, actor.country_name, actor.country, actor.country, None, "country"
        )
        upsert_actor(session, country, known)
    row = session.get(Actor, actor.id)
    if row is None:
        row = Actor(
            id=actor.id,
            name=actor.name,
            code=actor.code,
            country=actor.country,
            sector=actor.sector,
            kind=actor.kind,
        )
        session.add(row)
        seen = set()
        for alias in (actor.name, *actor.aliases):
            norm = alias.casefold()
            if norm not in seen:
                seen.add(norm)
                session.add(ActorAlias(actor_id=actor.id, alias=alias, alias_norm=norm))
    if known is not None:
        known[actor.id] = row
    return row


def save_article(
    session: Session,
    article: ArticleIn,
    events: list[ExtractedEvent],
    codebook: Codebook,
    merge_window_days: int = 1,
) -> SaveResult:
    """Store `article` and its events (flushed, not committed: the caller owns the transaction)."""
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
    known: dict[str, Actor] = {}
    touched: dict[int, Event] = {}
    for extracted in events:
        upsert_actor(session, extracted.source, known)
        upsert_actor(session, extracted.target, known)
        session.flush()
        event = _merge_target(session, extracted, merge_window_days)
        if event is None:
            event = _new_event(extracted, codebook)
            session.add(event)
            known[extracted.source.id].event_count += 1
            known[extracted.target.id].event_count += 1
            session.flush()
        else:
            event.confidence = max(event.confidence, extracted.confidence)
        if not _has_evidence(session, event.id, row.id, extracted.start):
            session.add(
                Evidence(
                    event_id=event.id,
                    article_id=row.id,
                    sentence=extracted.sentence,
                    start=extracted.start,
                    end=extracted.end,
                    trigger=extracted.trigger,
                    rule=extracted.rule,
                )
            )
            session.flush()
        touched[event.id] = event
    for event in touched.values():
        refresh_counts(session, event)
    return SaveResult(row, False, list(touched))


def _new_event(extracted: ExtractedEvent, codebook: Codebook) -> Event:
    entry = codebook.get(extracted.cameo)
    return Event(
        source_id=extracted.source.id,
        target_id=extracted.target.id,
        source_rollup=extracted.source.rollup,
        target_rollup=extracted.target.rollup,
        cameo=entry.code,
        root=entry.root,
        quad_class=entry.quad_class,
        goldstein=entry.goldstein,
        plover=entry.plover,
        plover_mode=entry.mode,
        date=extracted.date,
        date_precision=extracted.date_precision,
        negated=extracted.negated,
        confidence=extracted.confidence,
    )


def _merge_target(session: Session, extracted: ExtractedEvent, window: int) -> Event | None:
    low = extracted.date - timedelta(days=window)
    high = extracted.date + timedelta(days=window)
    candidates = session.exec(
        select(Event).where(
            Event.source_id == extracted.source.id,
            Event.target_id == extracted.target.id,
            Event.cameo == extracted.cameo,
            Event.negated == extracted.negated,
            Event.date >= low,
            Event.date <= high,
        )
    ).all()
    if not candidates:
        return None
    return min(candidates, key=lambda event: abs((event.date - extracted.date).days))


def _has_evidence(session: Session, event_id: int, article_id: int, start: int) -> bool:
    return (
        session.exec(
            select(Evidence.id).where(
                Evidence.event_id == event_id,
                Evidence.article_id == article_id,
                Evidence.start == start,
            )
        ).first()
        is not None
    )


def refresh_counts(session: Session, event: Event) -> None:
    """Recount an event's evidence, distinct articles and distinct sources."""
    source_key = func.coalesce(Article.source, "#" + cast(Article.id, String))
    evidence, articles, sources = session.exec(
        select(
            func.count(Evidence.id),
            func.count(func.distinct(Evidence.article_id)),
            func.count(func.distinct(source_key)),
        )
        .join(Article, Article.id == Evidence.article_id)
        .where(Evidence.event_id == event.id)
    ).one()
    event.evidence_count = evidence
    event.article_count = articles
    event.source_count = sources
    session.add(event)


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
