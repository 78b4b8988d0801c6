"""Ingest speed: end-to-end bulk ingest beside bare spaCy, and GDELT import beside bare SQL.

In one run:
- bare `nlp.pipe` of the generated articles (the same spaCy pipeline geokg loads);
- `run_bulk` of the same articles into a fresh migrated SQLite store with 1 worker (the
  extractor built beforehand, as the bare pipeline is) and with 2 workers (pool start-up
  included, and also measured on its own); `extract_many` alone shows what storing costs;
- GDELT 2.0 import (`GdeltMapper` + `gdelt_events` + `import_events`, what
  `geokg import-gdelt` runs) of generated 61-column rows into a fresh store, beside a bare
  `sqlite3.executemany` of exactly the rows it stored into another fresh store.

Targets: 1 worker ≥ 0.9× bare spaCy words/s; 2 workers ≥ 1.6× 1 worker; GDELT ≥ 50,000
rows/s and within 2× of bare executemany; peak memory (main process + workers, while geokg
code runs; the baselines are shown apart) under 1 GB.

    .venv/bin/python benchmarks/ingest_bench.py [--articles 500] [--gdelt-rows 200000]
        [--only texts|gdelt]
"""

import argparse
import bisect
import csv
import multiprocessing
import random
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import spacy
from common import (
    MB,
    PeakRss,
    Stopwatch,
    deadline,
    maxrss_mb,
    print_table,
    verdict,
    write_json,
)
from generate import articles, word_count

from graph import SEEDS_DIR
from graph.actors.gazetteer import load_gazetteer
from graph.extract.pipeline import Extractor, default_model
from graph.ingest import bulk
from graph.ingest.gdelt import COLUMNS, GdeltMapper, GdeltReport, gdelt_events, read_gdelt
from graph.ingest.readers import ReadItem
from graph.ontology import load_codebook
from graph.store.bulk import import_events
from graph.store.db import SQLITE_PRAGMAS, make_engine
from graph.store.migrate import upgrade
from graph.types import ArticleIn

TARGETS = {"one_worker": 0.9, "two_workers": 1.6, "gdelt_rows_s": 50_000, "gdelt_ratio": 2.0}
MEMORY_TARGET_MB = 1024
#: GDELT sector codes (Type1Code) used for country actors.
GDELT_TYPES = ("GOV", "MIL", "REB", "OPP", "COP", "CVL", "BUS", "MED", "")
#: Phases in which geokg code runs (the memory target applies to these).
GEOKG_PHASES = ("ingest 1 worker", "pool start-up", "ingest 2 workers", "gdelt import")
TABLES = ("actor", "actor_alias", "article", "event", "evidence")


# ---------------------------------------------------------------------------- texts
def bare_spacy(texts: list[str], warmup: list[str]) -> float:
    """Seconds for `nlp.pipe` over `texts`, after a warm-up."""
    nlp = spacy.load(default_model())
    sum(1 for _ in nlp.pipe(warmup))
    with Stopwatch() as watch:
        sum(1 for _ in nlp.pipe(texts))
    return watch.seconds


def fresh_store(folder: Path, name: str) -> str:
    url = f"sqlite:///{folder / name}.db"
    upgrade(url)
    return url


def ingest(url: str, reads: list[ReadItem], workers: int, extractor: Extractor | None) -> dict:
    """One `run_bulk` into the store at `url`."""
    engine = make_engine(url)
    options = bulk.BulkOptions(seeds_dir=SEEDS_DIR, workers=workers)
    with Stopwatch() as watch:
        summary = bulk.run_bulk(reads, engine, load_codebook(), options, extractor=extractor)
    engine.dispose()
    if summary.failed or summary.new != len(reads):
        raise RuntimeError(f"ingest with {workers} worker(s) stored only part: {summary.line()}")
    return {"seconds": watch.seconds, "new": summary.new, "events": summary.events}


def pool_startup(workers: int) -> float:
    """Seconds to start the spawn pool run_bulk uses (each worker loads its extractor) until
    the workers have answered one one-sentence extraction each."""
    probe = ArticleIn(text="Russia held talks with France on Monday.")
    context = multiprocessing.get_context("spawn")
    with Stopwatch() as watch:
        pool = context.Pool(workers, bulk._init_worker, (SEEDS_DIR, None))
        pool.map(bulk._extract_chunk, [[probe]] * workers, chunksize=1)
    pool.terminate()
    pool.join()
    return watch.seconds


def measure_texts(args: argparse.Namespace, folder: Path, peak: PeakRss) -> dict:
    generated = articles(args.articles, args.words, args.seed)
    texts = [item["text"] for item in generated]
    warmup = [item["text"] for item in articles(8, args.words, args.seed + 1)]
    reads = [
        ReadItem(f"bench:{index}", ArticleIn.model_validate(item))
        for index, item in enumerate(generated)
    ]
    results: dict = {"articles": len(texts), "words": word_count(texts)}
    peak.phase("bare nlp.pipe")
    results["bare"] = {"seconds": bare_spacy(texts, warmup)}
    peak.phase("ingest 1 worker")
    with Stopwatch() as building:
        extractor = Extractor()
    list(extractor.extract_many([ArticleIn(text=text) for text in warmup]))
    results["extractor_build_seconds"] = building.seconds
    results["workers_1"] = ingest(fresh_store(folder, "ingest-1"), reads, 1, extractor)
    peak.phase("extraction only")
    with Stopwatch() as extracting:
        found = sum(len(events) for events in extractor.extract_many(r.article for r in reads))
    results["extraction_only"] = {"seconds": extracting.seconds, "events": found}
    del extractor
    peak.phase("pool start-up")
    results["pool_startup_seconds"] = pool_startup(2)
    peak.phase("ingest 2 workers")
    results["workers_2"] = ingest(fresh_store(folder, "ingest-2"), reads, 2, None)
    return results


# ---------------------------------------------------------------------------- GDELT
@dataclass(frozen=True)
class GdeltActor:
    code: str
    name: str
    country: str
    kind: str


def gdelt_actors() -> list[GdeltActor]:
    """Country actors with and without a sector, and organisations and groups by code."""
    gazetteer = load_gazetteer()
    found = []
    for iso3, country in gazetteer.countries.items():
        for kind in GDELT_TYPES:
            found.append(GdeltActor(iso3 + kind, country.name.upper(), iso3, kind))
    for named in (*gazetteer.orgs.values(), *gazetteer.groups.values()):
        found.append(GdeltActor(named.code, named.name.upper(), named.country or "", ""))
    return found


def gdelt_row(rng: random.Random, event_id: int, actors: list, codes: list, urls: int) -> list:
    """One row in the 61-column GDELT 2.0 event layout; about one in five lacks an actor."""
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(366))
    a, b = rng.sample(actors, 2)
    entry = codes[rng.randrange(len(codes))]
    sqldate = day.strftime("%Y%m%d")
    cells = [""] * COLUMNS
    cells[0:5] = [str(event_id), sqldate, sqldate[:6], sqldate[:4], f"{day.year + 0.5:.4f}"]
    if rng.random() > 0.1:
        cells[5], cells[6], cells[7], cells[12] = a.code, a.name, a.country, a.kind
    if rng.random() > 0.1:
        cells[15], cells[16], cells[17], cells[22] = b.code, b.name, b.country, b.kind
    counts = [str(rng.randint(1, 40)) for _ in range(3)]
    cells[25:35] = [
        "1",
        entry.code,
        entry.code[:3],
        entry.root,
        str(entry.quad_class),
        str(entry.goldstein),
        *counts,
        f"{rng.uniform(-8, 8):.4f}",
    ]
    cells[51:59] = ["1", b.name.title(), b.country[:2], "", "", "12.5", "3.75", "-1"]
    cells[59] = sqldate + "120000"
    cells[60] = f"https://wire{rng.randrange(9)}.example.net/{rng.randrange(urls):07d}"
    return cells


def write_gdelt(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    actors = gdelt_actors()
    codes = list(load_codebook())
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        for index in range(rows):
            writer.writerow(gdelt_row(rng, 1_200_000_000 + index, actors, codes, rows // 3))


def product_import(path: Path, url: str, batch: int) -> dict:
    """What `geokg import-gdelt` does, in-process."""
    engine = make_engine(url)
    mapper = GdeltMapper(load_gazetteer(), load_codebook())
    report = GdeltReport()
    inserted = 0
    with Stopwatch() as watch:
        for counts in import_events(engine, gdelt_events([path], mapper, report), batch):
            inserted += counts.inserted
    engine.dispose()
    return {"seconds": watch.seconds, "rows": report.rows, "inserted": inserted}


@dataclass
class TableRows:
    """Every stored row of one table, with the statement that inserts it again."""

    insert: str
    columns: list[str]
    rows: list[tuple]


def stored_rows(url: str) -> dict[str, TableRows]:
    """Every row the import stored, per table."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    found = {}
    for table in TABLES:
        cursor = connection.execute(f"SELECT * FROM {table} ORDER BY id")
        columns = [column[0] for column in cursor.description]
        names = ", ".join(f'"{name}"' for name in columns)
        insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
        found[table] = TableRows(insert, columns, cursor.fetchall())
    connection.close()
    return found


def bare_import(url: str, tables: dict[str, TableRows], batch: int) -> float:
    """Seconds for executemany of the same rows, with the service's pragmas: actors and
    articles first, then events with their evidence in transactions of `batch` events."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        connection.execute(pragma)
    events, evidence = tables["event"], tables["evidence"]
    chunks = event_chunks(events, evidence, batch)
    with Stopwatch() as watch:
        connection.execute("BEGIN")
        for table in ("actor", "actor_alias", "article"):
            connection.executemany(tables[table].insert, tables[table].rows)
        connection.execute("COMMIT")
        for event_rows, evidence_rows in chunks:
            connection.execute("BEGIN")
            connection.executemany(events.insert, event_rows)
            connection.executemany(evidence.insert, evidence_rows)
            connection.execute("COMMIT")
    connection.close()
    return watch.seconds


def event_chunks(events: TableRows, evidence: TableRows, batch: int) -> list[tuple[list, list]]:
    """Events in chunks of `batch`, each with its evidence rows (split before timing)."""
    event_id = events.columns.index("id")
    evidence_events = [row[evidence.columns.index("event_id")] for row in evidence.rows]
    chunks, done = [], 0
    for start in range(0, len(events.rows), batch):
        chunk = events.rows[start : start + batch]
        until = bisect.bisect_right(evidence_events, chunk[-1][event_id], lo=done)
        chunks.append((chunk, evidence.rows[done:until]))
        done = until
    return chunks


def parse_and_map(path: Path) -> dict:
    """Where the import's time goes before SQL: reading the file, then mapping rows."""
    with Stopwatch() as reading:
        sum(1 for _ in read_gdelt(path))
    mapper = GdeltMapper(load_gazetteer(), load_codebook())
    with Stopwatch() as mapping:
        sum(1 for _ in gdelt_events([path], mapper, GdeltReport()))
    return {"read_seconds": reading.seconds, "read_and_map_seconds": mapping.seconds}


def measure_gdelt(args: argparse.Namespace, folder: Path, peak: PeakRss) -> dict:
    path = folder / "events.CSV"
    peak.phase("gdelt generate")
    write_gdelt(path, args.gdelt_rows, args.seed)
    peak.phase("gdelt import")
    product = product_import(path, fresh_store(folder, "gdelt"), args.batch)
    peak.phase("gdelt read back (bench)")
    rows = stored_rows(f"sqlite:///{folder / 'gdelt'}.db")
    peak.phase("gdelt bare executemany")
    bare_seconds = bare_import(fresh_store(folder, "gdelt-bare"), rows, args.batch)
    peak.phase("gdelt read and map")
    return {
        "file_mb": path.stat().st_size / MB,
        "product": product,
        "bare_seconds": bare_seconds,
        "stored": {table: len(found.rows) for table, found in rows.items()},
        **parse_and_map(path),
    }


# --------------------------------------------------------------------------- report
def report_texts(texts: dict) -> dict:
    words, count = texts["words"], texts["articles"]
    bare_rate = words / texts["bare"]["seconds"]
    one, two = texts["workers_1"], texts["workers_2"]
    steady = two["seconds"] - texts["pool_startup_seconds"]

    def row(label: str, seconds: float, events: object) -> list:
        return [
            label,
            seconds,
            count / seconds,
            words / seconds,
            words / seconds / bare_rate,
            events,
        ]

    rows = [
        row("bare nlp.pipe", texts["bare"]["seconds"], "-"),
        row("run_bulk, 1 worker", one["seconds"], one["events"]),
        row("  extract_many only, no store", *texts["extraction_only"].values()),
        row("run_bulk, 2 workers", two["seconds"], two["events"]),
        row("  2 workers less pool start-up", steady, "-"),
    ]
    print(f"{count} articles, {words:,} words")
    print_table(
        "End-to-end ingest",
        ["run", "seconds", "articles/s", "words/s", "x bare", "events"],
        rows,
    )
    print(
        f"extractor build (1 worker, excluded): {texts['extractor_build_seconds']:.1f} s; "
        f"pool start-up, 2 workers (included above): {texts['pool_startup_seconds']:.1f} s"
    )
    return {
        "one_worker_vs_bare": words / one["seconds"] / bare_rate,
        "two_vs_one_worker": one["seconds"] / two["seconds"],
        "two_vs_one_worker_without_startup": one["seconds"] / steady,
    }


def report_gdelt(gdelt: dict) -> dict:
    product, rows = gdelt["product"], gdelt["product"]["rows"]
    inserted, bare = product["inserted"], gdelt["bare_seconds"]

    def row(label: str, seconds: float, stored: bool) -> list:
        if not stored:
            return [label, seconds, rows / seconds, "-", "-"]
        return [label, seconds, rows / seconds, inserted / seconds, seconds / bare]

    table = [
        row("geokg import (read+map+insert)", product["seconds"], True),
        row("bare executemany (insert only)", bare, True),
        row("  read only (file to cells)", gdelt["read_seconds"], False),
        row("  read + map, no SQL", gdelt["read_and_map_seconds"], False),
    ]
    print(
        f"\n{rows:,} GDELT rows ({gdelt['file_mb']:.0f} MB), {inserted:,} events stored; "
        + ", ".join(f"{n:,} {t}" for t, n in gdelt["stored"].items())
    )
    headers = ["run", "seconds", "rows/s", "events/s", "x bare time"]
    print_table("GDELT import", headers, table)
    return {"rows_per_second": rows / product["seconds"], "ratio": product["seconds"] / bare}


def report_memory(peak: PeakRss) -> dict:
    """Peak RSS per phase: the main process alone and with its workers."""
    rows = [[name, own / MB, peak.phases_total[name] / MB] for name, own in peak.phases.items()]
    rows.append(["whole run (psutil)", peak.peak_self / MB, peak.peak_total / MB])
    rows.append(["whole run (getrusage maxrss, main)", maxrss_mb(), "-"])
    print_table("Peak RSS (MB)", ["phase", "main process", "main + workers"], rows)
    return {row[0]: {"main": row[1], "with_workers": row[2]} for row in rows}


def geokg_peak_mb(peak: PeakRss) -> float:
    """The highest main + workers RSS while geokg itself ran (the bare baselines excluded)."""
    return max(peak.phases_total.get(name, 0) for name in GEOKG_PHASES) / MB


def check_targets(ratios: dict | None, gdelt: dict | None, peak: PeakRss) -> dict:
    """The targets of the parts that ran."""
    checks = []
    if ratios is not None:
        checks += [
            ("1 worker / bare words/s", ratios["one_worker_vs_bare"], TARGETS["one_worker"], 1),
            ("2 workers / 1 worker", ratios["two_vs_one_worker"], TARGETS["two_workers"], 1),
        ]
    if gdelt is not None:
        checks += [
            ("GDELT rows/s", gdelt["rows_per_second"], TARGETS["gdelt_rows_s"], 1),
            ("GDELT time / bare executemany", gdelt["ratio"], TARGETS["gdelt_ratio"], -1),
        ]
    checks.append(("peak RSS main + workers, geokg MB", geokg_peak_mb(peak), MEMORY_TARGET_MB, -1))
    passed = {name: (value - target) * sign >= 0 for name, value, target, sign in checks}
    rows = [
        [name, value, (">= " if sign > 0 else "<= ") + f"{target:,}", verdict(passed[name])]
        for name, value, target, sign in checks
    ]
    print_table("Targets", ["measure", "value", "target", "result"], rows)
    return passed


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--words", type=int, default=400, help="words per article")
    parser.add_argument("--gdelt-rows", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=20_000, help="GDELT rows per transaction")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--deadline", type=float, default=1200, help="abort after seconds")
    parser.add_argument("--only", choices=("texts", "gdelt"), help="run one part")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    with (
        deadline(args.deadline),
        tempfile.TemporaryDirectory(prefix="geokg-ingest-bench-") as tmp,
        PeakRss() as peak,
    ):
        texts = measure_texts(args, Path(tmp), peak) if args.only != "gdelt" else None
        gdelt = measure_gdelt(args, Path(tmp), peak) if args.only != "texts" else None
    ratios = report_texts(texts) if texts is not None else None
    gdelt_summary = report_gdelt(gdelt) if gdelt is not None else None
    memory = report_memory(peak)
    passed = check_targets(ratios, gdelt_summary, peak)
    wall = time.perf_counter() - started
    print(f"\nwall time {wall:.1f} s")
    write_json(
        f"ingest_bench_{args.only}" if args.only else "ingest_bench",
        {
            "texts": texts,
            "ratios": ratios,
            "gdelt": gdelt and {**gdelt, **gdelt_summary},
            "peak_rss_mb": memory,
            "targets": {**TARGETS, "peak_rss_mb": MEMORY_TARGET_MB},
            "pass": passed,
            "wall_seconds": wall,
        },
    )


if __name__ == "__main__":
    main()
