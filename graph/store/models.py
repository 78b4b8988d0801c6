"""SQLModel tables and the public shapes read from them (`XBase` / `X` / `XPublic`)."""

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class ArticleBase(SQLModel):
    title: str | None = None
    source: str | None = Field(default=None, index=True)
    url: str | None = None
    published_at: datetime | None = None


class Article(ArticleBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    url: str | None = Field(default=None, unique=True)
    text_hash: str | None = Field(default=None, unique=True)
    text: str = ""
    ingested_at: datetime


class ArticleSummary(ArticleBase):
    id: int
    ingested_at: datetime
    event_count: int = 0


class ActorBase(SQLModel):
    name: str
    code: str = Field(index=True)
    country: str | None = Field(default=None, index=True)
    sector: str | None = None
    kind: str


class Actor(ActorBase, table=True):
    id: str = Field(primary_key=True)
    event_count: int = Field(default=0, index=True)


class ActorPublic(ActorBase):
    id: str


class ActorAlias(SQLModel, table=True):
    __tablename__ = "actor_alias"
    __table_args__ = (UniqueConstraint("actor_id", "alias_norm"),)

    id: int | None = Field(default=None, primary_key=True)
    actor_id: str = Field(foreign_key="actor.id", index=True)
    alias: str
    alias_norm: str = Field(index=True)


class EventBase(SQLModel):
    cameo: str
    root: str
    quad_class: int
    goldstein: float
    plover: str | None = None
    plover_mode: str | None = None
    date: date
    date_precision: str
    negated: bool = False
    confidence: float


class Event(EventBase, table=True):
    __table_args__ = (
        # An actor's events by date, carrying every column the relation, counterpart and dyad
        # queries read, so that those never visit the table rows.
        Index(
            "ix_event_source_date",
            "source_id",
            "date",
            "target_id",
            "negated",
            "quad_class",
            "goldstein",
            "evidence_count",
            "article_count",
        ),
        Index(
            "ix_event_target_date",
            "target_id",
            "date",
            "source_id",
            "negated",
            "quad_class",
            "goldstein",
            "evidence_count",
            "article_count",
        ),
        Index("ix_event_source_rollup_date", "source_rollup", "date"),
        Index("ix_event_target_rollup_date", "target_rollup", "date"),
        Index("ix_event_date", "date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(foreign_key="actor.id")
    target_id: str = Field(foreign_key="actor.id")
    source_rollup: str
    target_rollup: str
    external_id: str | None = Field(default=None, unique=True, index=True)
    evidence_count: int = 0
    article_count: int = 0
    source_count: int = 0


class Dyad(SQLModel, table=True):
    """Totals of the non-negated events from one actor to another, kept at write time.

    Stored in primary-key order (WITHOUT ROWID); each actor's dyads are indexed by event
    count in both directions, so its busiest counterparts are read first, without a sort.
    """

    __table_args__ = (
        Index("ix_dyad_source_events", "source_id", "events"),
        Index("ix_dyad_target_events", "target_id", "events"),
        {"sqlite_with_rowid": False},
    )

    source_id: str = Field(foreign_key="actor.id", primary_key=True)
    target_id: str = Field(foreign_key="actor.id", primary_key=True)
    events: int = 0
    evidence: int = 0
    articles: int = 0
    goldstein_sum: float = 0.0
    q1: int = 0
    q2: int = 0
    q3: int = 0
    q4: int = 0
    first_date: date
    last_date: date


class Evidence(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("event_id", "article_id", "start"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    sentence: str
    start: int
    end: int
    trigger: str
    rule: str


class EvidencePublic(SQLModel):
    article_id: int
    sentence: str
    start: int
    end: int
    trigger: str
    rule: str
    article_title: str | None = None
    article_source: str | None = None
    article_url: str | None = None


class EventPublic(EventBase):
    id: int
    source: ActorPublic
    target: ActorPublic
    cameo_name: str
    evidence_count: int
    article_count: int
    source_count: int
    evidence: list[EvidencePublic] = []


class IngestJobBase(SQLModel):
    status: str = "queued"  # queued | running | done | failed
    received: int = 0  # bytes uploaded
    processed: int = 0
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    events: int = 0
    message: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class IngestJob(IngestJobBase, table=True):
    __tablename__ = "ingest_job"

    id: str = Field(primary_key=True)
    path: str
    errors: str = "[]"  # JSON list of {"location", "message"}, capped


class IngestJobPublic(IngestJobBase):
    id: str
    errors: list[dict[str, str]] = []
