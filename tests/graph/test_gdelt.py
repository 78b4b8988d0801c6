"""GDELT 2.0 import: actors join geokg's, counts kept, re-import adds nothing."""

import csv
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session, select

from graph.actors.gazetteer import load_gazetteer
from graph.ingest.gdelt import GdeltMapper, GdeltReport, gdelt_events, read_gdelt
from graph.ontology import load_codebook
from graph.store import bulk
from graph.store.bulk import import_events, url_host
from graph.store.db import make_engine
from graph.store.migrate import upgrade
from graph.store.models import Actor, Article, Event, Evidence

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "gdelt_sample.CSV"


def run_import(url: str, paths: list[Path]) -> tuple[int, int, GdeltReport]:
    engine = make_engine(url)
    mapper = GdeltMapper(load_gazetteer(), load_codebook())
    report = GdeltReport()
    inserted = already = 0
    for counts in import_events(engine, gdelt_events(paths, mapper, report), batch_size=4):
        inserted += counts.inserted
        already += counts.already_imported
    engine.dispose()
    return inserted, already, report


def test_import_maps_actors_and_keeps_counts(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    upgrade(url)
    inserted, already, report = run_import(url, [FIXTURE])
    assert (report.rows, report.missing_actor, report.problems) == (12, 2, [])
    assert (inserted, already) == (10, 0)
    engine = make_engine(url)
    with Session(engine) as session:
        event = session.exec(select(Event).where(Event.external_id == "gdelt:1100000001")).one()
        assert (event.source_id, event.target_id, event.cameo) == ("RUSMIL", "NER", "072")
        assert (event.root, event.quad_class, event.goldstein) == ("07", 2, 8.3)
        assert (event.evidence_count, event.source_count, event.article_count) == (12, 4, 10)
        assert event.date.isoformat() == "2024-04-10" and event.plover == "AID"
        assert event.source_rollup == "RUS"
        # organisation and group codes join the gazetteer's actors
        un = session.exec(select(Event).where(Event.external_id == "gdelt:1100000005")).one()
        assert un.source_id == "un"
        jnim = session.exec(select(Event).where(Event.external_id == "gdelt:1100000007")).one()
        assert (jnim.source_id, jnim.source_rollup) == ("jnim", "MLI")
        assert session.get(Actor, "RUS").name == "Russia"  # the rollup country exists
        evidence = session.exec(select(Evidence).where(Evidence.event_id == event.id)).one()
        article = session.get(Article, evidence.article_id)
        assert article.url == "https://news.example.org/2024/04/russia-niger-instructors"
        assert article.source == "news.example.org"
        assert article.published_at == datetime(2024, 4, 10, tzinfo=UTC)
        assert isinstance(article.ingested_at, datetime)
        # two events from the same url share one article row
        urls = session.exec(select(Article.url)).all()
        assert len(urls) == len(set(urls)) == 9
    engine.dispose()


def fixture_rows() -> list[list[str]]:
    return [line.split("\t") for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(cells) + "\n" for cells in rows), encoding="utf-8")
    return path


def event_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with Session(engine) as session:
        found = {actor.id: actor.event_count for actor in session.exec(select(Actor))}
    engine.dispose()
    return found


def test_reimport_adds_nothing_and_zip_works(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    upgrade(url)
    archive = tmp_path / "20240410.export.CSV.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURE, "20240410.export.CSV")
    assert run_import(url, [archive])[:2] == (10, 0)
    counts = event_counts(url)
    assert (counts["RUSMIL"], counts["NER"], counts["RUS"]) == (2, 5, 1)
    assert run_import(url, [FIXTURE])[:2] == (0, 10)
    assert event_counts(url) == counts


def test_repeated_ids_in_one_batch_and_across_batches_are_imported_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    upgrade(url)
    rows = fixture_rows()
    # row 1 again in the same batch of 4, and again two batches later
    repeated = write_rows(
        tmp_path / "repeated.CSV", [rows[0], rows[1], rows[0], *rows[2:], rows[0]]
    )
    inserted, already, report = run_import(url, [repeated])
    assert (report.rows, inserted, already) == (14, 10, 2)
    assert event_counts(url)["RUSMIL"] == 2


def test_article_host_parsed_once_per_host_and_only_for_new_urls(tmp_path, monkeypatch):
    calls = []

    def counting_urlsplit(address):
        calls.append(address)
        return urlsplit(address)

    monkeypatch.setattr(bulk, "urlsplit", counting_urlsplit)
    bulk._hostname.cache_clear()
    url = f"sqlite:///{tmp_path / 'g.db'}"
    upgrade(url)
    run_import(url, [FIXTURE])
    hosts = {"news.example.org", "wire.example.net", "un.example.org", "east.example.com"}
    hosts.add("asia.example.com")
    assert sorted(urlsplit(address).hostname for address in calls) == sorted(hosts)
    calls.clear()
    again = fixture_rows()[0]
    again[0] = "1100000099"  # a new event reported by an article already stored
    assert run_import(url, [write_rows(tmp_path / "again.CSV", [again])])[:2] == (1, 0)
    assert calls == []
    engine = make_engine(url)
    with Session(engine) as session:
        event = session.exec(select(Event).where(Event.external_id == "gdelt:1100000099")).one()
        evidence = session.exec(select(Evidence).where(Evidence.event_id == event.id)).one()
        assert session.get(Article, evidence.article_id).url.endswith("russia-niger-instructors")
        assert len(session.exec(select(Article)).all()) == 9
    engine.dispose()


@pytest.mark.parametrize(
    "address",
    [
        "https://News.Example.org:443/a?b#c",
        "http://user:pw@host.example/x",
        "http://[::1]:80/x",
        "//host.example/path",
        "host.example/path",
        "mailto:someone@example.org",
        "https://ex\tample.org/p",
        "http:/\t/tab.example/p",
        " https://lead.example/x",
        "a+b.c-d://h.example?q=1",
        "http://h.example#frag",
        "http://h.example",
        "",
    ],
)
def test_url_host_is_urlsplit_hostname(address):
    assert url_host(address) == urlsplit(address).hostname


def test_malformed_url_has_no_host():
    assert url_host("http://[::1/x") is None


def test_reader_splits_as_csv_does(tmp_path):
    tricky = tmp_path / "tricky.CSV"
    tricky.write_bytes(b'a\tb\r\n\r\nc\t"d\te"\rf\x00g\t\n\n\th\xff\ni\tj')
    with open(tricky, encoding="utf-8", errors="replace", newline="") as text:
        reader = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)
        expected = [(reader.line_num, cells) for cells in reader if cells]
    assert [(number, cells) for _, number, cells in read_gdelt(tricky)] == expected


def test_bad_values_are_reported_with_their_line(tmp_path):
    rows = fixture_rows()
    bad_day, bad_quad, bad_code = (list(rows[0]) for _ in range(3))
    bad_day[1] = "20240231"
    bad_quad[29] = "two"
    bad_code[26] = "999"
    path = write_rows(tmp_path / "bad.CSV", [bad_day, bad_quad, bad_code, bad_day, rows[1]])
    url = f"sqlite:///{tmp_path / 'g.db'}"
    upgrade(url)
    inserted, _, report = run_import(url, [path])
    assert inserted == 1
    assert report.problems == [
        f"{path}:1: day is out of range for month",
        f"{path}:2: invalid literal for int() with base 10: 'two'",
        f"{path}:3: unknown CAMEO code '999'",
        f"{path}:4: day is out of range for month",
    ]


def test_malformed_rows_are_reported_with_their_line(tmp_path):
    bad = tmp_path / "bad.CSV"
    shutil.copy(FIXTURE, bad)
    with bad.open("a") as out:
        out.write("only\tthree\tcolumns\n")
    url = f"sqlite:///{tmp_path / 'g.db'}"
    upgrade(url)
    inserted, _, report = run_import(url, [bad])
    assert inserted == 10
    assert report.problems == [f"{bad}:13: 3 columns, expected 61"]
