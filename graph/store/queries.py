"""Read queries: lists, lookups and the public shapes of events."""

from collections.abc import Sequence

from pydantic import TypeAdapter
from sqlalchemy import Select, bindparam, case, func, literal, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from graph.ontology import Codebook
from graph.store.models import (
    Actor,
    ActorAlias,
    ActorPublic,
    Article,
    ArticleSummary,
    Event,
    EventPublic,
    Evidence,
    EvidencePublic,
)

#: The public shapes are read as plain rows (no ORM objects) and validated a list at a time.
EVENT_COLUMNS = tuple(Event.__table__.columns)
ACTOR_COLUMNS = (Actor.id, Actor.name, Actor.code, Actor.country, Actor.sector, Actor.kind)
ARTICLE_COLUMNS = (
    col(Article.title).label("article_title"),
    col(Article.source).label("article_source"),
    col(Article.url).label("article_url"),
)
EVIDENCE_COLUMNS = (
    Evidence.event_id,
    Evidence.article_id,
    Evidence.sentence,
    Evidence.start,
    Evidence.end,
    Evidence.trigger,
    Evidence.rule,
)
#: A list of ids bound at execution (no per-value coercion when the statement is built).
IDS = bindparam("ids", expanding=True)
EVENT_LIST = TypeAdapter(list[EventPublic])
EVIDENCE_LIST = TypeAdapter(list[EvidencePublic])
ACTOR_LIST = TypeAdapter(list[ActorPublic])


def counts(session: Session) -> tuple[int, int]:
    """Number of articles and of events."""
    articles = session.exec(select(func.count()).select_from(Article)).one()
    events = session.exec(select(func.count()).select_from(Event)).one()
    return articles, events


def data_version(session: Session) -> tuple[int, int]:
    """Changes whenever events or evidence are added: the key graph caches are checked against."""
    event_max = session.exec(select(func.max(Event.id))).one() or 0
    evidence_max = session.exec(select(func.max(Evidence.id))).one() or 0
    return event_max, evidence_max


def list_articles(session: Session, limit: int, offset: int) -> tuple[list[ArticleSummary], int]:
    """Articles, newest ingested first, with their event counts."""
    total = session.exec(select(func.count()).select_from(Article)).one()
    rows = session.exec(
        select(Article).order_by(col(Article.id).desc()).limit(limit).offset(offset)
    ).all()
    counted = dict(
        session.exec(
            select(Evidence.article_id, func.count(func.distinct(Evidence.event_id)))
            .where(col(Evidence.article_id).in_([row.id for row in rows]))
            .group_by(Evidence.article_id)
        ).all()
    )
    summaries = [
        ArticleSummary.model_validate(row, update={"event_count": counted.get(row.id, 0)})
        for row in rows
    ]
    return summaries, total


def article_event_ids(session: Session, article_id: int) -> list[int]:
    """Ids of the events an article gives evidence for, in text order."""
    rows = session.exec(
        select(Evidence.event_id, func.min(Evidence.start))
        .where(Evidence.article_id == article_id)
        .group_by(Evidence.event_id)
        .order_by(func.min(Evidence.start), Evidence.event_id)
    ).all()
    return [event_id for event_id, _ in rows]


def events_public(
    session: Session,
    event_ids: Sequence[int],
    codebook: Codebook,
    with_articles: bool = False,
) -> list[EventPublic]:
    """Events by id, in the given order, with actors and every evidence sentence."""
    if not event_ids:
        return []
    ids = {"ids": list(event_ids)}
    query = sa_select(*EVENT_COLUMNS).where(col(Event.id).in_(IDS))
    events = {row["id"]: row for row in _dicts(session, query, ids)}
    actors = actors_by_id(
        session,
        {e["source_id"] for e in events.values()} | {e["target_id"] for e in events.values()},
    )
    query = (
        sa_select(*EVIDENCE_COLUMNS).where(col(Evidence.event_id).in_(IDS)).order_by(Evidence.id)
    )
    if with_articles:
        query = query.add_columns(*ARTICLE_COLUMNS).join(
            Article, col(Article.id) == Evidence.article_id
        )
    rows = _dicts(session, query, ids)
    evidence: dict[int, list[EvidencePublic]] = {}
    for row, item in zip(rows, EVIDENCE_LIST.validate_python(rows), strict=True):
        evidence.setdefault(row["event_id"], []).append(item)
    return EVENT_LIST.validate_python(
        [
            {
                **event,
                "source": actors[event["source_id"]],
                "target": actors[event["target_id"]],
                "cameo_name": codebook.get(event["cameo"]).name,
                "evidence": evidence.get(event_id, []),
            }
            for event_id in event_ids
            if (event := events.get(event_id)) is not None
        ]
    )


def _dicts(session: Session, query: Select, params: dict) -> list[dict]:
    """The rows of `query` as dicts (much cheaper than ORM objects)."""
    result = session.execute(query, params)
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


def search_actors(
    session: Session,
    q: str | None,
    limit: int,
    offset: int,
    country: str | None = None,
    sector: str | None = None,
    kind: str | None = None,
) -> tuple[list[Actor], int]:
    """Actors matching `q` in name, alias or code (case-insensitive); prefix matches first,
    then by event count."""
    query = select(Actor)
    rank = literal(0)
    if q:
        needle = q.casefold()
        alias_hit = select(ActorAlias.actor_id).where(
            col(ActorAlias.alias_norm).contains(needle, autoescape=True)
        )
        query = query.where(
            or_(
                func.lower(Actor.name).contains(needle, autoescape=True),
                func.lower(Actor.code).contains(needle, autoescape=True),
                func.lower(Actor.id).contains(needle, autoescape=True),
                col(Actor.id).in_(alias_hit),
            )
        )
        prefix_alias = select(ActorAlias.actor_id).where(
            col(ActorAlias.alias_norm).startswith(needle, autoescape=True)
        )
        rank = case(
            (func.lower(Actor.id) == needle, 0),
            (func.lower(Actor.code) == needle, 0),
            (func.lower(Actor.name).startswith(needle, autoescape=True), 1),
            (func.lower(Actor.code).startswith(needle, autoescape=True), 1),
            (col(Actor.id).in_(prefix_alias), 1),
            else_=2,
        )
    if country:
        query = query.where(Actor.country == country.upper())
    if sector:
        query = query.where(Actor.sector == sector.upper())
    if kind:
        query = query.where(Actor.kind == kind)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(rank, col(Actor.event_count).desc(), Actor.name).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def list_events(
    session: Session,
    limit: int,
    offset: int,
    source: str | None = None,
    target: str | None = None,
    cameo: str | None = None,
    start=None,
    end=None,
) -> tuple[list[int], int]:
    """Event ids matching the filters, newest first, and how many match."""
    query = select(Event.id)
    if source:
        query = query.where(Event.source_id == source)
    if target:
        query = query.where(Event.target_id == target)
    if cameo:
        query = query.where(col(Event.cameo).startswith(cameo))
    if start:
        query = query.where(Event.date >= start)
    if end:
        query = query.where(Event.date <= end)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    ids = session.exec(
        query.order_by(col(Event.date).desc(), col(Event.id).desc()).limit(limit).offset(offset)
    ).all()
    return list(ids), total


def actors_by_id(session: Session, ids) -> dict[str, ActorPublic]:
    """Public actors for `ids`; an id with no actor row (a rollup key seen only in imported
    data) is described by the id alone."""
    wanted = set(ids)
    query = sa_select(*ACTOR_COLUMNS).where(col(Actor.id).in_(IDS))
    rows = _dicts(session, query, {"ids": list(wanted)})
    found = {actor.id: actor for actor in ACTOR_LIST.validate_python(rows)}
    for missing in wanted - set(found):
        found[missing] = ActorPublic(id=missing, name=missing, code=missing, kind="country")
    return found


def actor_aliases(session: Session, actor_id: str) -> list[str]:
    return list(
        session.exec(
            select(ActorAlias.alias).where(ActorAlias.actor_id == actor_id).order_by(ActorAlias.id)
        )
    )
