"""Ingest one article: extract its events, then store article and events in one transaction."""

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from graph.extract.pipeline import Extractor
from graph.ontology import Codebook
from graph.store.writes import SaveResult, find_duplicate, save_article
from graph.types import ArticleIn


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
    with Session(engine, expire_on_commit=False) as session:
        try:
            result = save_article(session, article, events, codebook, merge_window_days)
            session.commit()
        except IntegrityError:
            # A concurrent request stored the same article first.
            session.rollback()
            duplicate = find_duplicate(session, article)
            if duplicate is None:
                raise
            return SaveResult(duplicate, True)
    return result
