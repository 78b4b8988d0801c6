"""GDELT 2.0 import: actors join geokg's, counts kept, re-import adds nothing."""

import shutil
import zipfile
from pathlib import Path

from sqlmodel import Session, select

from graph.actors.gazetteer import load_gazetteer
from graph.ingest.gdelt import GdeltMapper, GdeltReport, gdelt_events
from graph.ontology import load_codebook
from graph.store.bulk import import_events
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
        # two events from the same url share one article row
        urls = session.exec(select(Article.url)).all()
        assert len(urls) == len(set(urls)) == 9
    engine.dispose()


def test_reimport_adds_nothing_and_zip_works(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    upgrade(url)
    archive = tmp_path / "20240410.export.CSV.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURE, "20240410.export.CSV")
    assert run_import(url, [archive])[:2] == (10, 0)
    assert run_import(url, [FIXTURE])[:2] == (0, 10)


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
