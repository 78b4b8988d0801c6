"""Ingest one article: extract its events, then store article and events in one transaction."""

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from graph.extract.pipeline import Extractor
from graph.ontology import Codebook
from graph.store.writes import WRITE_LOCK, SaveResult, find_duplicate, save_article
from graph.types import ArticleIn, ExtractedEvent


class ExtractionError(RuntimeError):
    """The extractor failed on an article; nothing of it was stored."""


def ingest_article(
    engine: Engine,
    extractor: Extractor,
    codebook: Codebook,
    article: ArticleIn,
    merge_window_days: int = 1,
) -> SaveResult:
    """Extract and store `article`; a repeated article (same url or text) is not re-extracted."""
    with Session(engine) as session:
        duplicate = find_duplicate(session, article)
        if duplicate is not None:
            return SaveResult(duplicate, True)
    try:
        events = extractor.extract(article)
    except Exception as error:  # the extractor is pure: any failure means "not stored"
        raise ExtractionError(f"extraction failed: {type(error).__name__}: {error}") from error
    return _save(engine, codebook, article, events, merge_window_days)


def _save(
    engine: Engine,
    codebook: Codebook,
    article: ArticleIn,
    events: list[ExtractedEvent],
    merge_window_days: int,
) -> SaveResult:
    with WRITE_LOCK, Session(engine, expire_on_commit=False) as session:
        try:
            result = save_article(session, article, events, codebook, merge_window_days)
            session.commit()
        except IntegrityError:
            # Another process stored the same article first.
            session.rollback()
            duplicate = find_duplicate(session, article)
            if duplicate is None:
                raise
            return SaveResult(duplicate, True)
    return result


def ingest_many(
    engine: Engine,
    extractor: Extractor,
    codebook: Codebook,
    articles: list[ArticleIn],
    merge_window_days: int = 1,
) -> list[SaveResult | ExtractionError]:
    """Ingest several articles: one batched extraction, one transaction per article."""
    with Session(engine) as session:
        duplicates = [find_duplicate(session, article) for article in articles]
    fresh = [article for article, dup in zip(articles, duplicates, strict=True) if dup is None]
    try:
        extracted = iter(list(extractor.extract_many(fresh)))
    except Exception:  # find the failing article by extracting one at a time
        extracted = iter([_extract_or_error(extractor, article) for article in fresh])
    results: list[SaveResult | ExtractionError] = []
    for article, duplicate in zip(articles, duplicates, strict=True):
        if duplicate is not None:
            results.append(SaveResult(duplicate, True))
            continue
        events = next(extracted)
        if isinstance(events, ExtractionError):
            results.append(events)
            continue
        results.append(_save(engine, codebook, article, events, merge_window_days))
    return results


def _extract_or_error(extractor: Extractor, article: ArticleIn):
    try:
        return extractor.extract(article)
    except Exception as error:
        return ExtractionError(f"extraction failed: {type(error).__name__}: {error}")
