"""The `geokg` command line, end to end: ingest (files, folders, archives, feeds, stdin,
workers, resume), export, eval, import-gdelt and db upgrade.

A few commands run in a subprocess (exit codes, stderr, the progress bar, --workers and
stdin as a user sees them); the rest call `app.cli.main` in this process, with the
settings read from a monkeypatched environment.
"""

import gzip
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from sqlmodel import Session, select

from app import cli
from app.settings import get_settings
from graph import SEEDS_DIR
from graph.ingest.bulk import BulkOptions, run_bulk
from graph.ingest.readers import ReadItem
from graph.ontology import load_codebook
from graph.store.db import make_engine
from graph.store.migrate import upgrade
from graph.store.models import Article, Event, Evidence
from graph.types import ArticleIn

REPO = Path(__file__).resolve().parents[2]
GDELT_SAMPLE = REPO / "tests" / "fixtures" / "gdelt_sample.CSV"
GOLD_SENTENCES = REPO / "tests" / "gold" / "sentences.jsonl"
SUMMARY = re.compile(
    r"articles: (?P<new>\d+) new, (?P<duplicate>\d+) duplicate, (?P<failed>\d+) failed; "
    r"events: (?P<events>\d+);"
)

# --- the mixed folder ---------------------------------------------------------------------

NIGER = "Niger expelled French troops on Friday."
RUSSIA = "Russian military instructors arrived in Niger on Wednesday."
JAPAN = "Japan pledged economic aid to Ukraine on Monday."
CHINA = "China's coast guard fired water cannon at a Philippine vessel near Scarborough Shoal"
INDIA = "India criticised Pakistan over a border attack."
POLAND = "Poland accused Belarus of pushing migrants across the border."
KENYA = "Kenya's president visited Ethiopia on Saturday."
USA = "The United States imposed sanctions on Venezuela on Monday."
BURKINA = "Burkina Faso recalled its ambassador from Ivory Coast."

NAV = "Home | World | Sport | Weather"
BOILERPLATE = ("Home", "Weather", "cookies", "Related stories", "Copyright", "newsletter")

PAGE = f"""<!DOCTYPE html>
<html><head><title>Water cannon at Scarborough Shoal</title>
<meta property="article:published_time" content="2024-04-30">
<link rel="canonical" href="https://sea.geokg.invalid/scarborough"></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<article><h1>Water cannon at Scarborough Shoal</h1>
<p>{CHINA} on Tuesday.</p>
<p>The vessel was carrying supplies for fishermen working in the area, officials said.</p>
</article>
<aside><h2>Related stories</h2><ul><li><a href="/a">Markets close higher</a></li></ul></aside>
<footer>{NAV}. Copyright Example News. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""

FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Asia Wire</title>
<item><title>India criticises Pakistan</title><link>https://asia.geokg.invalid/1</link>
<pubDate>Tue, 14 May 2024 08:00:00 GMT</pubDate>
<description>&lt;p&gt;{INDIA}&lt;/p&gt;</description></item>
<item><title>Poland accuses Belarus</title><link>https://asia.geokg.invalid/2</link>
<pubDate>Wed, 15 May 2024 09:30:00 GMT</pubDate>
<description>{POLAND}</description></item>
</channel></rss>"""


def jsonl(*rows: dict | str) -> str:
    return "".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows)


@dataclass
class Mixed:
    folder: Path
    bad_line: str  # "<path>:<line>" of the malformed line
    new_texts: set[str]  # what the store must hold (the HTML article checked apart)
    new: int = 9
    duplicate: int = 2
    failed: int = 1


def build_mixed_folder(root: Path) -> Mixed:
    """txt (headers, in a subfolder), jsonl (a malformed line), html (boilerplate), rss, a zip
    of a txt and a jsonl, a jsonl.gz, and a file of an unknown kind that is passed over.

    Sorted reading order: 00-wire/niger.txt, 01-feed.jsonl, 02-page.html, 03-asia.rss,
    04-bundle.zip, 05-archive.jsonl.gz, notes.md. Two repeats come after their originals:
    the Niger text (other url, other case and spacing) in the zip, and the url of the
    Russian article (other text) in the gz.
    """
    folder = root / "mixed"
    (folder / "00-wire").mkdir(parents=True)
    (folder / "00-wire" / "niger.txt").write_text(
        "Title: Niger expels French troops\nDate: 2023-12-22\n"
        f"URL: https://wire.geokg.invalid/niger\nSource: Test Wire\n\n{NIGER}\n",
        encoding="utf-8",
    )
    feed = folder / "01-feed.jsonl"
    feed.write_text(
        jsonl(
            {
                "text": RUSSIA,
                "url": "https://wire.geokg.invalid/russia",
                "published_at": "2024-04-12",
            },
            '{"text": "Mali\'s junta accused Algeria", "url": ',
            {"text": JAPAN, "title": "Aid pledge", "published_at": "2024-02-19"},
        ),
        encoding="utf-8",
    )
    (folder / "02-page.html").write_text(PAGE, encoding="utf-8")
    (folder / "03-asia.rss").write_text(FEED, encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner/kenya.txt", f"Date: 2024-06-08\n\n{KENYA}\n")
        archive.writestr(
            "inner/more.jsonl",
            jsonl(
                {"text": USA, "published_at": "2024-01-29", "source": "Zip Wire"},
                {"text": "  " + NIGER.upper() + "\n", "url": "https://other.geokg.invalid/n"},
            ),
        )
    (folder / "04-bundle.zip").write_bytes(buffer.getvalue())
    (folder / "05-archive.jsonl.gz").write_bytes(
        gzip.compress(
            jsonl(
                {"text": BURKINA, "published_at": "2024-09-02"},
                {
                    "text": "Russian instructors landed in Niamey with an air defence system.",
                    "url": "https://wire.geokg.invalid/russia",
                },
            ).encode()
        )
    )
    (folder / "notes.md").write_text("Not an article: files of unknown kinds are passed over.")
    return Mixed(
        folder=folder,
        bad_line=f"{feed}:2",
        new_texts={NIGER, RUSSIA, JAPAN, INDIA, POLAND, KENYA, USA, BURKINA},
    )


# --- helpers -------------------------------------------------------------------------------


def clean_env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEOKG_")}
    return {**env, "GEOKG_DATABASE_URL": f"sqlite:///{db}"}


def run_cli(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=REPO,
        env=clean_env(db),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def summary_of(stdout: str) -> dict[str, int]:
    match = SUMMARY.search(stdout)
    assert match, f"no summary line in {stdout!r}"
    return {key: int(value) for key, value in match.groupdict().items()}


def query(db: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def event_keys(db: Path) -> set[tuple]:
    return set(query(db, "SELECT source_id, target_id, cameo FROM event"))


def count(db: Path, table: str) -> int:
    return query(db, f"SELECT count(*) FROM {table}")[0][0]


def copy_db(db: Path, to: Path) -> Path:
    to.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{db}{suffix}")
        if source.exists():
            shutil.copy(source, to / f"{db.name}{suffix}")
    return to / db.name


@pytest.fixture
def geokg(monkeypatch, tmp_path, capsys, extractor):
    """Run `geokg ...` in this process against a fresh database in tmp_path:
    returns (exit code, stdout, stderr). `ingest` reuses the session's extractor (the
    subprocess tests load their own)."""
    monkeypatch.setattr("graph.ingest.bulk.Extractor", lambda *args, **kwargs: extractor)

    def run(*args: str, db: Path | None = None) -> tuple[int, str, str]:
        for key in list(os.environ):
            if key.startswith("GEOKG_"):
                monkeypatch.delenv(key)
        monkeypatch.setenv("GEOKG_DATABASE_URL", f"sqlite:///{db or tmp_path / 'cli.db'}")
        get_settings.cache_clear()
        capsys.readouterr()
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    """`geokg ingest <mixed folder>` once, in a subprocess, for the tests that read its
    outcome (each copies the database before changing anything)."""
    root = tmp_path_factory.mktemp("mixed")
    mixed = build_mixed_folder(root)
    db = root / "w1" / "geokg.db"
    result = run_cli(db, "ingest", str(mixed.folder), "--batch", "3")
    return mixed, db, result


# --- ingest ----------------------------------------------------------------------------------


def test_ingest_mixed_folder_reports_and_stores(mixed_run, extractor):
    mixed, db, result = mixed_run
    assert result.returncode == 1, result.stderr  # one malformed line
    # the bad line, by path and line number, and nothing else failed
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: {mixed.bad_line}: malformed JSON")
    # the progress bar
    assert "ingest" in result.stderr and "articles/s" in result.stderr
    assert f"{mixed.new + mixed.duplicate + mixed.failed}/" in result.stderr  # total known
    # the summary
    summary = summary_of(result.stdout)
    assert (summary["new"], summary["duplicate"], summary["failed"]) == (
        mixed.new,
        mixed.duplicate,
        mixed.failed,
    )
    # the store: the expected articles, once each
    rows = query(db, "SELECT text, url, title, source, published_at FROM article")
    texts = [text for text, *_ in rows]
    assert len(texts) == mixed.new == len(set(texts))
    html = [text for text in texts if CHINA in text]
    assert len(html) == 1
    assert set(texts) - set(html) == mixed.new_texts
    for word in BOILERPLATE:
        assert word not in html[0], f"boilerplate {word!r} kept in {html[0]!r}"
    by_text = {text: rest for text, *rest in rows}
    assert by_text[NIGER][:3] == [
        "https://wire.geokg.invalid/niger",
        "Niger expels French troops",
        "Test Wire",
    ]
    assert by_text[NIGER][3].startswith("2023-12-22")
    assert by_text[INDIA][0] == "https://asia.geokg.invalid/1"
    assert by_text[INDIA][2] == "Asia Wire"
    assert by_text[html[0]][0] == "https://sea.geokg.invalid/scarborough"
    assert by_text[KENYA][3].startswith("2024-06-08")
    # the url repeat was not stored under its other text
    assert by_text[RUSSIA][0] == "https://wire.geokg.invalid/russia"
    # events: the summary counts what was stored, which is what extracting the stored
    # articles again gives (the fixture's dyads differ, so no two articles share an event)
    expected = 0
    for text, _url, _title, _source, published in rows:
        article = ArticleIn(text=text, published_at=published)
        found = {
            (e.source.id, e.target.id, e.cameo, e.negated, e.date)
            for e in extractor.extract(article)
        }
        assert found or text in html, f"fixture article {text!r} states no event"
        expected += len(found)
    assert summary["events"] == expected == count(db, "event") >= len(mixed.new_texts)
    assert ("NER", "FRAMIL", "166") in event_keys(db)
    assert query(db, "SELECT count(*) FROM event WHERE id NOT IN (SELECT event_id FROM evidence)")[
        0
    ] == (0,)


def test_ingest_rerun_is_all_duplicates(mixed_run, geokg, tmp_path):
    mixed, db, _ = mixed_run
    db = copy_db(db, tmp_path / "rerun")
    articles, events, evidence = count(db, "article"), count(db, "event"), count(db, "evidence")
    code, out, err = geokg("ingest", str(mixed.folder), db=db)
    assert code == 1  # the malformed line is still malformed
    assert summary_of(out) == {
        "new": 0,
        "duplicate": mixed.new + mixed.duplicate,
        "failed": 1,
        "events": 0,
    }
    assert f"error: {mixed.bad_line}: " in err
    assert (count(db, "article"), count(db, "event"), count(db, "evidence")) == (
        articles,
        events,
        evidence,
    )


def test_ingest_workers_2_matches_workers_1(mixed_run, tmp_path):
    mixed, db1, result1 = mixed_run
    db2 = tmp_path / "w2" / "geokg.db"
    result2 = run_cli(db2, "ingest", str(mixed.folder), "--workers", "2", "--batch", "2")
    assert result2.returncode == 1, result2.stderr
    assert f"error: {mixed.bad_line}: malformed JSON" in result2.stderr
    assert summary_of(result2.stdout) == summary_of(result1.stdout)
    assert sorted(query(db2, "SELECT text, url FROM article")) == sorted(
        query(db1, "SELECT text, url FROM article")
    )
    assert count(db2, "event") == count(db1, "event")
    assert count(db2, "evidence") == count(db1, "evidence")
    assert event_keys(db2) == event_keys(db1)


def test_ingest_stdin_jsonl(tmp_path):
    db = tmp_path / "stdin.db"
    lines = jsonl(
        {"text": NIGER, "url": "https://wire.geokg.invalid/niger"},
        "this is not json",
        {"text": JAPAN, "published_at": "2024-02-19"},
        {"text": NIGER.lower()},  # the same text again
    )
    result = run_cli(db, "ingest", "-", stdin=lines)
    assert result.returncode == 1, result.stderr
    assert "error: <stdin>:2: malformed JSON" in result.stderr
    summary = summary_of(result.stdout)
    assert (summary["new"], summary["duplicate"], summary["failed"]) == (2, 1, 1)
    assert summary["events"] == count(db, "event") >= 2
    assert sorted(text for (text,) in query(db, "SELECT text FROM article")) == sorted(
        [JAPAN, NIGER]
    )


def test_ingest_missing_path_is_named_and_others_still_ingested(geokg, tmp_path):
    missing = tmp_path / "no-such-folder"
    code, out, err = geokg("ingest", str(missing))
    assert code != 0
    assert f"{missing}: no such file or folder" in err
    good = tmp_path / "good.txt"
    good.write_text(KENYA)
    code, out, err = geokg("ingest", str(missing), str(good))
    assert code == 1
    assert f"{missing}" in err
    summary = summary_of(out)
    assert (summary["new"], summary["failed"]) == (1, 1)
    assert query(tmp_path / "cli.db", "SELECT text FROM article") == [(KENYA,)]


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.ndjson", "empty.jsonl.gz"])
def test_ingest_empty_file_is_zero_articles(geokg, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(b"") if name.endswith(".gz") else b"")
    code, out, err = geokg("ingest", str(path))
    assert code == 0, err
    assert summary_of(out) == {"new": 0, "duplicate": 0, "failed": 0, "events": 0}
    assert "error" not in err
    assert count(tmp_path / "cli.db", "article") == 0


def test_ingest_quiet_prints_nothing_on_success(geokg, tmp_path):
    path = tmp_path / "one.txt"
    path.write_text(USA)
    code, out, err = geokg("ingest", "-q", str(path))
    assert code == 0
    assert out == "" and "articles/s" not in err
    assert query(tmp_path / "cli.db", "SELECT text FROM article") == [(USA,)]


def test_html_headline_does_not_hide_the_lead_event(geokg, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    code, _, err = geokg("ingest", str(page))
    assert code == 0, err
    assert ("CHNMIL", "PHL", "175") in event_keys(tmp_path / "cli.db")


# --- interrupted runs ------------------------------------------------------------------------

RESUME_ARTICLES = [
    ArticleIn(text=NIGER, url="https://r.geokg.invalid/1", published_at="2023-12-22"),
    ArticleIn(text=RUSSIA, url="https://r.geokg.invalid/2", published_at="2024-04-12"),
    ArticleIn(text=JAPAN, published_at="2024-02-19"),
    ArticleIn(text=INDIA, url="https://r.geokg.invalid/4", published_at="2024-05-14"),
    ArticleIn(text=POLAND, published_at="2024-05-15"),
    ArticleIn(text=KENYA, url="https://r.geokg.invalid/6", published_at="2024-06-08"),
    ArticleIn(text=BURKINA, published_at="2024-09-02"),
]


def resume_reads() -> list[ReadItem]:
    return [ReadItem(f"list:{n}", article) for n, article in enumerate(RESUME_ARTICLES, 1)]


def interrupted_after(reads, n: int):
    """The reads, then Ctrl-C while reading item n (0-based)."""
    for index, read in enumerate(reads):
        if index == n:
            raise KeyboardInterrupt
        yield read


def fresh_engine(path: Path):
    url = f"sqlite:///{path}"
    upgrade(url)
    return make_engine(url)


def evidence_by_article(engine) -> dict[str, set[tuple]]:
    """For each stored article (by text): its evidence rows with their events' keys."""
    with Session(engine) as session:
        rows = session.exec(
            select(Article.text, Event, Evidence)
            .join(Evidence, Evidence.article_id == Article.id)
            .join(Event, Event.id == Evidence.event_id)
        ).all()
        articles = session.exec(select(Article.text)).all()
    found: dict[str, set[tuple]] = {text: set() for text in articles}
    for text, event, evidence in rows:
        found[text].add(
            (
                event.source_id,
                event.target_id,
                event.cameo,
                event.date,
                event.negated,
                evidence.sentence,
                evidence.start,
                evidence.end,
                evidence.trigger,
                evidence.rule,
            )
        )
    return found


def all_events(engine) -> list[tuple]:
    with Session(engine) as session:
        return sorted(
            (e.source_id, e.target_id, e.cameo, e.date, e.negated, e.evidence_count)
            for e in session.exec(select(Event)).all()
        )


@pytest.fixture(scope="module")
def clean_ingest(tmp_path_factory, extractor):
    """The resume articles ingested in one uninterrupted run: the reference."""
    engine = fresh_engine(tmp_path_factory.mktemp("clean") / "clean.db")
    options = BulkOptions(seeds_dir=SEEDS_DIR, batch_size=2)
    summary = run_bulk(resume_reads(), engine, load_codebook(), options, extractor=extractor)
    assert (summary.new, summary.duplicate, summary.failed) == (len(RESUME_ARTICLES), 0, 0)
    yield evidence_by_article(engine), all_events(engine)
    engine.dispose()


def check_resumes(engine, extractor, clean_ingest, stored_before: int) -> None:
    reference, reference_events = clean_ingest
    options = BulkOptions(seeds_dir=SEEDS_DIR, batch_size=2)
    again = run_bulk(resume_reads(), engine, load_codebook(), options, extractor=extractor)
    assert not again.interrupted and again.failed == 0
    assert (again.new, again.duplicate) == (len(RESUME_ARTICLES) - stored_before, stored_before)
    assert evidence_by_article(engine) == reference
    assert all_events(engine) == reference_events  # nothing twice, every count right
    with Session(engine) as session:
        assert len(session.exec(select(Article.id)).all()) == len(RESUME_ARTICLES)


def test_interrupted_while_reading_resumes_without_duplicates(tmp_path, extractor, clean_ingest):
    reference = clean_ingest[0]
    engine = fresh_engine(tmp_path / "resume.db")
    options = BulkOptions(seeds_dir=SEEDS_DIR, batch_size=2)
    summary = run_bulk(
        interrupted_after(resume_reads(), 5), engine, load_codebook(), options, extractor=extractor
    )
    assert summary.interrupted
    assert "interrupted" in summary.line()
    stored = evidence_by_article(engine)
    # two whole batches were committed; the batch being read when Ctrl-C came was not
    assert set(stored) == {article.text for article in RESUME_ARTICLES[:4]}
    assert summary.new == len(stored)
    for text, evidence in stored.items():
        assert evidence and evidence == reference[text], text  # whole articles only
    check_resumes(engine, extractor, clean_ingest, stored_before=4)
    engine.dispose()


def test_interrupted_while_writing_leaves_no_half_batch(
    tmp_path, extractor, clean_ingest, monkeypatch
):
    import graph.ingest.bulk as bulk

    reference = clean_ingest[0]
    engine = fresh_engine(tmp_path / "resume.db")
    real_save = bulk.save_article
    calls = []

    def save_then_interrupt(*args, **kwargs):
        calls.append(args[1].text)
        if len(calls) == 4:  # the second article of the second batch
            raise KeyboardInterrupt
        return real_save(*args, **kwargs)

    monkeypatch.setattr(bulk, "save_article", save_then_interrupt)
    options = BulkOptions(seeds_dir=SEEDS_DIR, batch_size=2)
    summary = run_bulk(resume_reads(), engine, load_codebook(), options, extractor=extractor)
    monkeypatch.undo()
    assert summary.interrupted
    stored = evidence_by_article(engine)
    # the first batch only: the third article, saved in the interrupted transaction, is gone
    assert set(stored) == {article.text for article in RESUME_ARTICLES[:2]}
    for text, evidence in stored.items():
        assert evidence == reference[text], text
    with Session(engine) as session:
        events = session.exec(select(Event)).all()
        assert all(event.evidence_count > 0 for event in events)
        assert sum(event.evidence_count for event in events) == sum(map(len, stored.values()))
    check_resumes(engine, extractor, clean_ingest, stored_before=2)
    engine.dispose()


def test_interrupted_summary_counts_only_committed(tmp_path, extractor, monkeypatch):
    import graph.ingest.bulk as bulk

    engine = fresh_engine(tmp_path / "count.db")
    real_save = bulk.save_article
    calls = []

    def save_then_interrupt(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real_save(*args, **kwargs)

    monkeypatch.setattr(bulk, "save_article", save_then_interrupt)
    options = BulkOptions(seeds_dir=SEEDS_DIR, batch_size=2)
    summary = run_bulk(resume_reads(), engine, load_codebook(), options, extractor=extractor)
    assert summary.interrupted
    with Session(engine) as session:
        stored = len(session.exec(select(Article.id)).all())
        events = len(session.exec(select(Event.id)).all())
    engine.dispose()
    assert (summary.new, summary.events) == (stored, events)


# --- export -------------------------------------------------------------------------------


def test_export_gexf_after_ingest(mixed_run, geokg, tmp_path):
    _, db, _ = mixed_run
    db = copy_db(db, tmp_path / "export")
    out = tmp_path / "out.gexf"
    code, stdout, err = geokg("export", "--format", "gexf", "-o", str(out), db=db)
    assert code == 0, err
    assert f"wrote {out}" in stdout
    graph = nx.read_gexf(out)
    dyads = set(query(db, "SELECT DISTINCT source_id, target_id FROM event WHERE NOT negated"))
    assert set(graph.edges) == dyads and dyads
    assert set(graph.nodes) == {actor for dyad in dyads for actor in dyad}
    # the neighbourhood of one actor
    around = tmp_path / "niger.gexf"
    code, _, err = geokg("export", "--format", "gexf", "-o", str(around), "--actors", "NER", db=db)
    assert code == 0, err
    near = nx.read_gexf(around)
    assert "NER" in near and set(near.nodes) < set(graph.nodes)
    assert all("NER" in edge for edge in near.edges)


def test_export_rejects_bad_options(mixed_run, geokg, tmp_path):
    _, db, _ = mixed_run
    db = copy_db(db, tmp_path / "export")
    out = tmp_path / "out.gexf"
    dates = ["--start", "2024-05-01", "--end", "2024-01-01"]
    code, _, err = geokg("export", "--format", "gexf", "-o", str(out), *dates, db=db)
    assert code != 0
    assert "--start 2024-05-01 is after --end 2024-01-01" in err
    code, _, err = geokg("export", "--format", "gexf", "-o", str(out), "--actors", "NOPE", db=db)
    assert code != 0
    assert "actor 'NOPE' not found" in err
    assert not out.exists()
    with pytest.raises(SystemExit) as exit_info:
        geokg("export", "--format", "gexf", "-o", str(out), "--start", "yesterday", db=db)
    assert exit_info.value.code == 2


# --- eval -------------------------------------------------------------------------------


def test_eval_json(geokg):
    code, out, err = geokg("eval", str(GOLD_SENTENCES), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["items"] > 0
    for level in ("dyad", "dyad_plover"):
        scores = report[level]
        assert {"precision", "recall", "f1", "tp", "fp", "fn"} <= set(scores)
        assert 0 <= scores["f1"] <= 1 and 0 <= scores["precision"] <= 1
        assert scores["tp"] + scores["fn"] > 0


def test_eval_malformed_gold_file(geokg, tmp_path):
    gold = tmp_path / "gold.jsonl"
    good = GOLD_SENTENCES.read_text(encoding="utf-8").splitlines()[0]
    gold.write_text(good + '\n{"id": "x1", "text": "No events key."}\n', encoding="utf-8")
    code, _, err = geokg("eval", str(gold), "--json")
    assert code == 2
    assert f"{gold}:2" in err and "events" in err
    gold.write_text(good + "\n\n{broken\n", encoding="utf-8")
    code, _, err = geokg("eval", str(gold))
    assert code == 2 and f"{gold}:3" in err
    code, _, err = geokg("eval", str(tmp_path / "missing.jsonl"))
    assert code == 2 and "missing.jsonl" in err


# --- import-gdelt, db upgrade -----------------------------------------------------------------


def test_import_gdelt_and_reimport(geokg, tmp_path):
    code, out, err = geokg("import-gdelt", "-q", str(GDELT_SAMPLE))
    assert code == 0, err
    assert "events imported: 10" in out and "skipped without both actors: 2" in out
    assert "already imported: 0" in out
    assert count(tmp_path / "cli.db", "event") == 10
    code, out, err = geokg("import-gdelt", "-q", str(GDELT_SAMPLE))
    assert code == 0, err
    assert "events imported: 0" in out and "already imported: 10" in out
    assert count(tmp_path / "cli.db", "event") == 10
    missing = tmp_path / "nope.CSV"
    code, out, err = geokg("import-gdelt", str(missing))
    assert code == 2 and f"no such file: {missing}" in err


def test_db_upgrade_creates_schema(geokg, tmp_path):
    db = tmp_path / "new" / "fresh.db"
    code, out, err = geokg("db", "upgrade", db=db)
    assert code == 0, err
    assert "revision head" in out
    tables = {name for (name,) in query(db, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"article", "event", "evidence", "actor", "ingest_job", "alembic_version"} <= tables
    assert query(db, "SELECT count(*) FROM alembic_version") == [(1,)]
    code, _, err = geokg("db", "upgrade", db=db)  # idempotent
    assert code == 0, err
