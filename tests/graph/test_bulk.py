"""run_bulk, in this process (workers=1) with the shared extractor: duplicates, limits,
read errors, progress and extraction failures, each counted once and named by location."""

import pytest
from sqlmodel import Session, select

from graph import SEEDS_DIR
from graph.ingest.bulk import BulkOptions, run_bulk
from graph.ingest.readers import ReadError, ReadItem
from graph.ontology import load_codebook
from graph.store.db import make_engine
from graph.store.migrate import upgrade
from graph.store.models import Article, Event, Evidence
from graph.types import ArticleIn

NIGER = "Niger expelled French troops on Friday."
JAPAN = "Japan pledged economic aid to Ukraine on Monday."
INDIA = "India criticised Pakistan over a border attack."
KENYA = "Kenya's president visited Ethiopia on Saturday."
USA = "The United States imposed sanctions on Venezuela on Monday."


@pytest.fixture
def engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'bulk.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def item(location: str, text: str, **fields) -> ReadItem:
    return ReadItem(location, ArticleIn(text=text, published_at="2024-03-15", **fields))


def bulk(reads, engine, extractor, progress=None, **options):
    return run_bulk(
        reads,
        engine,
        load_codebook(),
        BulkOptions(seeds_dir=SEEDS_DIR, **options),
        extractor=extractor,
        progress=progress,
    )


def stored(engine) -> list[tuple[str, str | None]]:
    with Session(engine) as session:
        return sorted(session.exec(select(Article.text, Article.url)).all(), key=str)


def event_count(engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(Event.id)).all())


@pytest.mark.parametrize("batch_size", [1, 2, 32])
def test_repeats_within_one_run_are_duplicates(engine, extractor, batch_size):
    reads = [
        item("a:1", NIGER, url="https://b.geokg.invalid/1"),
        item("a:2", "  " + NIGER.upper()),  # same text: other case and spacing, no url
        item("a:3", JAPAN, url="https://b.geokg.invalid/1"),  # same url, other text
        item("a:4", INDIA),
        item("a:5", INDIA, url="https://b.geokg.invalid/5"),  # same text, new url
    ]
    summary = bulk(reads, engine, extractor, batch_size=batch_size)
    assert (summary.new, summary.duplicate, summary.failed) == (2, 3, 0)
    assert not summary.interrupted and summary.failures == []
    assert stored(engine) == [(INDIA, None), (NIGER, "https://b.geokg.invalid/1")]
    assert summary.events == event_count(engine) >= 2
    assert "2 new, 3 duplicate, 0 failed" in summary.line()


def test_articles_already_stored_are_duplicates(engine, extractor):
    first = bulk([item("a:1", NIGER), item("a:2", KENYA, url="https://k")], engine, extractor)
    assert (first.new, first.duplicate) == (2, 0)
    events = event_count(engine)
    again = bulk(
        [item("b:1", NIGER.lower()), item("b:2", USA, url="https://k"), item("b:3", JAPAN)],
        engine,
        extractor,
    )
    assert (again.new, again.duplicate, again.failed) == (1, 2, 0)
    assert len(stored(engine)) == 3
    assert event_count(engine) == events + again.events


def test_over_long_text_fails_with_its_location(engine, extractor):
    long_text = NIGER + " Nothing happened." * 10
    reads = [item("f.jsonl:1", NIGER), item("f.jsonl:2", long_text), item("f.jsonl:3", USA)]
    summary = bulk(reads, engine, extractor, max_chars=len(long_text) - 1)
    assert (summary.new, summary.duplicate, summary.failed) == (2, 0, 1)
    ((location, message),) = summary.failures
    assert location == "f.jsonl:2"
    assert str(len(long_text)) in message and str(len(long_text) - 1) in message
    assert [text for text, _ in stored(engine)] == sorted([NIGER, USA])


def test_read_errors_count_as_failed(engine, extractor):
    reads = [
        ReadError("feed.jsonl:2", "malformed JSON: Expecting value (column 1)"),
        item("feed.jsonl:3", KENYA),
        ReadError("bundle.zip!x.rss", "not a readable feed"),
    ]
    summary = bulk(reads, engine, extractor, batch_size=2)
    assert (summary.new, summary.duplicate, summary.failed) == (1, 0, 2)
    assert summary.failures == [
        ("feed.jsonl:2", "malformed JSON: Expecting value (column 1)"),
        ("bundle.zip!x.rss", "not a readable feed"),
    ]
    assert "1 new, 0 duplicate, 2 failed" in summary.line()


def test_nothing_to_read(engine, extractor):
    calls = []
    summary = bulk([], engine, extractor, progress=lambda *args: calls.append(args))
    assert (summary.new, summary.duplicate, summary.failed, summary.events) == (0, 0, 0, 0)
    assert calls == [(0, 0)]
    assert stored(engine) == []


def test_progress_reports_growing_counts(engine, extractor):
    texts = [NIGER, JAPAN, INDIA, KENYA, USA]
    reads = [item(f"p:{n}", text) for n, text in enumerate(texts, 1)]
    reads.insert(2, ReadError("p:x", "broken"))
    reads.insert(4, item("p:dup", NIGER))
    calls: list[tuple[int, int]] = []
    summary = bulk(reads, engine, extractor, batch_size=2, progress=lambda *a: calls.append(a))
    done = [d for d, _ in calls]
    events = [e for _, e in calls]
    assert len(set(done)) >= 3  # reported batch by batch, not only at the end
    assert done == sorted(done) and events == sorted(events)
    assert calls[-1] == (len(reads), summary.events)
    assert (summary.new, summary.duplicate, summary.failed) == (5, 1, 1)
    assert max(done) == summary.new + summary.duplicate + summary.failed


def test_an_extraction_error_fails_only_that_article(engine, extractor, monkeypatch):
    real_extract_many = extractor.extract_many  # extract() itself calls extract_many

    def extract_many(articles):
        raise RuntimeError("batch failed")

    def extract(article):
        if article.text == INDIA:
            raise ValueError("cannot parse this one")
        return next(iter(real_extract_many([article])))

    monkeypatch.setattr(extractor, "extract_many", extract_many)
    monkeypatch.setattr(extractor, "extract", extract)
    reads = [item("x:1", NIGER), item("x:2", INDIA), item("x:3", JAPAN), item("x:4", USA)]
    summary = bulk(reads, engine, extractor, batch_size=4)
    assert (summary.new, summary.duplicate, summary.failed) == (3, 0, 1)
    ((location, message),) = summary.failures
    assert location == "x:2"
    assert "extraction failed" in message and "ValueError" in message
    assert "cannot parse this one" in message
    assert [text for text, _ in stored(engine)] == sorted([JAPAN, NIGER, USA])
    with Session(engine) as session:
        with_evidence = set(
            session.exec(select(Article.text).join(Evidence, Evidence.article_id == Article.id))
        )
    assert with_evidence == {NIGER, JAPAN, USA}
    assert summary.events == event_count(engine) >= 3
    monkeypatch.undo()
    # not stored, so a later run takes it
    again = bulk(reads, engine, extractor)
    assert (again.new, again.duplicate, again.failed) == (1, 3, 0)
