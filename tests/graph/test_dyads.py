"""The `dyad` table holds, after every write path and after the migration's backfill, exactly
the per-dyad totals of the non-negated events."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine
from sqlmodel import Session

from graph.actors.gazetteer import load_gazetteer
from graph.ingest.gdelt import GdeltMapper, GdeltReport, gdelt_events
from graph.ontology import load_codebook
from graph.store.bulk import import_events
from graph.store.db import make_engine
from graph.store.migrate import alembic_config, upgrade
from graph.store.writes import save_article
from graph.types import ActorRef, ArticleIn, ExtractedEvent

GDELT = Path(__file__).resolve().parents[1] / "fixtures" / "gdelt_sample.CSV"
TOTALS = (
    "count(*), sum(evidence_count), sum(article_count), round(sum(goldstein), 6), "
    + ", ".join(f"count(*) FILTER (WHERE quad_class = {q})" for q in (1, 2, 3, 4))
    + ", min(date), max(date)"
)
NIGER = ActorRef("NER", "Niger", "NER", "NER", None, "country")
FRANCE = ActorRef("FRA", "France", "FRA", "FRA", None, "country")
RUSSIA = ActorRef("RUS", "Russia", "RUS", "RUS", None, "country")


def dyad_drift(engine: Engine) -> tuple[set, set]:
    """(rows of the `dyad` table not recomputed from the events, recomputed rows missing)."""
    with engine.connect() as connection:
        kept = set(
            connection.exec_driver_sql(
                "SELECT source_id, target_id, events, evidence, articles, "
                "round(goldstein_sum, 6), q1, q2, q3, q4, first_date, last_date FROM dyad"
            )
        )
        recomputed = set(
            connection.exec_driver_sql(
                f"SELECT source_id, target_id, {TOTALS} FROM event WHERE negated = 0 "
                "GROUP BY source_id, target_id"
            )
        )
    return kept - recomputed, recomputed - kept


@pytest.fixture
def url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'dyads.db'}"
    upgrade(url)
    return url


@pytest.fixture
def engine(url):
    engine = make_engine(url)
    yield engine
    engine.dispose()


def told(
    source: ActorRef, target: ActorRef, cameo: str, day: int, start: int, negated: bool = False
) -> ExtractedEvent:
    return ExtractedEvent(
        source, target, cameo, date(2024, 3, day), "day", negated, 0.8, "A sentence.", start,
        start + 11, "trigger", "test",
    )  # fmt: skip


ARTICLES = [
    # New events, one of them negated and one an actor acting on itself.
    [told(NIGER, FRANCE, "1663", 10, 0), told(NIGER, RUSSIA, "042", 10, 20, negated=True)],
    # The expulsion again (merged, two sentences), a new visit, the negated one again.
    [
        told(NIGER, FRANCE, "1663", 11, 0),
        told(NIGER, FRANCE, "1663", 11, 40),
        told(NIGER, RUSSIA, "042", 9, 80),
        told(NIGER, RUSSIA, "042", 10, 120, negated=True),
        told(NIGER, NIGER, "051", 12, 160),
    ],
    # A later expulsion (a new event) and a counter-sanction.
    [told(NIGER, FRANCE, "1663", 20, 0), told(FRANCE, NIGER, "1663", 21, 40)],
]


def save_articles(engine: Engine) -> None:
    codebook = load_codebook()
    for n, events in enumerate(ARTICLES):
        article = ArticleIn(text=f"Article {n}.", source="Wire", url=f"https://a.invalid/{n}")
        with Session(engine) as session:
            save_article(session, article, events, codebook)
            session.commit()


def import_gdelt(engine: Engine, paths: list[Path]) -> None:
    mapper = GdeltMapper(load_gazetteer(), load_codebook())
    for _ in import_events(engine, gdelt_events(paths, mapper, GdeltReport()), batch_size=4):
        pass


def test_articles_keep_the_dyads_of_their_non_negated_events(engine):
    save_articles(engine)
    assert dyad_drift(engine) == (set(), set())
    with engine.connect() as connection:
        dyads = {
            f"{source}>{target}": [events, evidence, articles]
            for source, target, events, evidence, articles in connection.exec_driver_sql(
                "SELECT source_id, target_id, events, evidence, articles FROM dyad"
            )
        }
    assert dyads["NER>FRA"] == [2, 4, 3]  # merged: 1 + 2 evidence, 2 articles; then a new one
    assert dyads["NER>RUS"] == [1, 1, 1]  # the negated visit is not counted
    assert dyads["NER>NER"] == [1, 1, 1]


def test_gdelt_imports_and_reimports_keep_the_dyads(engine, tmp_path):
    import_gdelt(engine, [GDELT])
    save_articles(engine)
    import_gdelt(engine, [GDELT, shutil.copy(GDELT, tmp_path / "again.CSV")])
    assert dyad_drift(engine) == (set(), set())


def test_the_migration_backfills_the_dyads(url, engine):
    import_gdelt(engine, [GDELT])
    save_articles(engine)
    engine.dispose()
    command.downgrade(alembic_config(url), "0004")
    upgrade(url)
    assert dyad_drift(engine) == (set(), set())
