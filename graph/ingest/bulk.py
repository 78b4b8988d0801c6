"""Bulk ingestion: many articles, extracted in worker processes, committed by one writer.

Articles already stored (same url or normalised text) are skipped before extraction, so an
interrupted run resumes where it stopped. Each batch of articles is one transaction: a
crash loses at most the batch in flight, never half an article.
"""

import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from graph.extract.pipeline import Extractor
from graph.ingest.readers import Read, ReadError, ReadItem
from graph.ontology import Codebook
from graph.store.writes import WRITE_LOCK, save_article, stored_keys
from graph.types import ArticleIn, ExtractedEvent


@dataclass
class BulkSummary:
    """What a bulk run did."""

    new: int = 0
    duplicate: int = 0
    failed: int = 0
    events: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)

    def fail(self, location: str, message: str) -> None:
        self.failed += 1
        self.failures.append((location, message))

    def line(self) -> str:
        rate = (self.new + self.duplicate) / self.seconds if self.seconds else 0.0
        return (
            f"articles: {self.new} new, {self.duplicate} duplicate, {self.failed} failed; "
            f"events: {self.events}; {self.seconds:.1f} s ({rate:.1f} articles/s)"
            + ("; interrupted" if self.interrupted else "")
        )


@dataclass
class BulkOptions:
    seeds_dir: Path
    model: str | None = None
    workers: int = 1
    batch_size: int = 32
    max_chars: int = 200_000
    merge_window_days: int = 1


# One extractor per worker process, built by the pool initializer.
_worker_extractor: Extractor | None = None


def _init_worker(seeds_dir: Path, model: str | None) -> None:
    global _worker_extractor
    _worker_extractor = Extractor(seeds_dir, model)


def _extract_chunk(articles: list[ArticleIn]) -> list[list[ExtractedEvent] | str]:
    assert _worker_extractor is not None
    return _extract_all(_worker_extractor, articles)


def _extract_all(
    extractor: Extractor, articles: list[ArticleIn]
) -> list[list[ExtractedEvent] | str]:
    try:
        return list(extractor.extract_many(articles))
    except Exception:  # isolate the failing article: extract one by one
        results: list[list[ExtractedEvent] | str] = []
        for article in articles:
            try:
                results.append(extractor.extract(article))
            except Exception as error:
                results.append(f"extraction failed: {type(error).__name__}: {error}")
        return results


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run_bulk(
    reads: Iterable[Read],
    engine: Engine,
    codebook: Codebook,
    options: BulkOptions,
    extractor: Extractor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BulkSummary:
    """Ingest every article in `reads`.

    `progress(articles_done, events_found)` is called after each batch is committed.
    With `options.workers > 1`, extraction runs in that many processes (each loads its own
    pipeline); otherwise in this process with `extractor` (built if not given).
    """
    summary = BulkSummary()
    started = time.perf_counter()
    in_flight: deque[tuple[list[str], list[ArticleIn]]] = deque()
    slots = threading.BoundedSemaphore(max(2, options.workers * 4))

    def feed() -> Iterator[list[ArticleIn]]:
        for locations, articles in _pending_batches(reads, engine, options, summary):
            slots.acquire()
            in_flight.append((locations, articles))
            yield articles

    pool = None
    try:
        if options.workers > 1:
            context = multiprocessing.get_context("spawn")
            pool = context.Pool(options.workers, _init_worker, (options.seeds_dir, options.model))
            results = pool.imap(_extract_chunk, feed())
        else:
            extractor = extractor or Extractor(options.seeds_dir, options.model)
            results = (_extract_all(extractor, articles) for articles in feed())
        for outcomes in results:
            locations, articles = in_flight.popleft()
            _write_batch(engine, codebook, options, locations, articles, outcomes, summary)
            slots.release()
            if progress is not None:
                progress(summary.new + summary.duplicate + summary.failed, summary.events)
        if progress is not None:
            progress(summary.new + summary.duplicate + summary.failed, summary.events)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        summary.seconds = time.perf_counter() - started
    return summary


def _pending_batches(
    reads: Iterable[Read], engine: Engine, options: BulkOptions, summary: BulkSummary
) -> Iterator[tuple[list[str], list[ArticleIn]]]:
    """Batches of articles still to extract: read errors, over-long texts and articles
    already stored (or repeated within this run) are counted and left out."""
    seen_urls: set[str] = set()
    seen_hashes: set[str] = set()
    for chunk in _chunks(reads, options.batch_size):
        items: list[ReadItem] = []
        for read in chunk:
            if isinstance(read, ReadError):
                summary.fail(read.location, read.message)
            elif len(read.article.text) > options.max_chars:
                summary.fail(
                    read.location,
                    f"text has {len(read.article.text)} characters, over the limit of "
                    f"{options.max_chars}",
                )
            else:
                items.append(read)
        with Session(engine) as session:
            urls, hashes = stored_keys(
                session,
                [item.article.url for item in items if item.article.url],
                [item.article.text_hash for item in items],
            )
        locations, articles = [], []
        for item in items:
            article = item.article
            key_hash = article.text_hash
            if (
                key_hash in hashes
                or key_hash in seen_hashes
                or (article.url and (article.url in urls or article.url in seen_urls))
            ):
                summary.duplicate += 1
                continue
            seen_hashes.add(key_hash)
            if article.url:
                seen_urls.add(article.url)
            locations.append(item.location)
            articles.append(article)
        if articles:
            yield locations, articles


def _write_batch(
    engine: Engine,
    codebook: Codebook,
    options: BulkOptions,
    locations: list[str],
    articles: list[ArticleIn],
    outcomes: list[list[ExtractedEvent] | str],
    summary: BulkSummary,
) -> None:
    """Store a batch in one transaction (each article in its own savepoint); the summary
    counts the batch only once it is committed."""
    new = duplicate = events = 0
    failures = []
    with WRITE_LOCK, Session(engine) as session:
        for location, article, outcome in zip(locations, articles, outcomes, strict=True):
            if isinstance(outcome, str):
                failures.append((location, outcome))
                continue
            with session.begin_nested():
                result = save_article(
                    session, article, outcome, codebook, options.merge_window_days
                )
            if result.duplicate:
                duplicate += 1
            else:
                new += 1
                events += len(result.event_ids)
        session.commit()
    summary.new += new
    summary.duplicate += duplicate
    summary.events += events
    for location, message in failures:
        summary.fail(location, message)
