"""The small, explicit types that cross the seams between extraction, store and API."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

DATE_PRECISIONS = ("day", "month", "year")
ACTOR_KINDS = ("country", "organization", "person", "group")


class ArticleIn(BaseModel):
    """An article as it arrives: text plus optional metadata."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=1, description="The article body.")
    title: str | None = Field(default=None, max_length=1000)
    published_at: datetime | None = Field(
        default=None, description="Publication date, `YYYY-MM-DD` or an ISO datetime."
    )
    source: str | None = Field(default=None, max_length=300, description="The outlet.")
    url: str | None = Field(default=None, max_length=2048)

    @field_validator("published_at")
    @classmethod
    def _as_utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    @field_validator("title", "source", "url")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def text_hash(self) -> str:
        """SHA-256 of the normalised text, the key that detects a repeated article."""
        return text_hash(self.text)


_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: two copies of one article compare equal."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def text_hash(text: str) -> str:
    """SHA-256 hex digest of the normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as the extractor names it; the store upserts it by `id`."""

    id: str
    name: str
    code: str
    country: str | None
    sector: str | None
    kind: str
    aliases: tuple[str, ...] = ()
    country_name: str | None = None  # so the country itself can be stored for rollups

    @property
    def rollup(self) -> str:
        """The id this actor rolls up to at country level (itself when it has no country)."""
        return self.country or self.id


@dataclass(frozen=True, slots=True)
class ExtractedEvent:
    """One coded event and the sentence that states it."""

    source: ActorRef
    target: ActorRef
    cameo: str
    date: date
    date_precision: str
    negated: bool
    confidence: float
    sentence: str
    start: int
    end: int
    trigger: str
    rule: str
