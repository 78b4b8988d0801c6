"""The `geokg` command line: serve, ingest, db upgrade, eval."""

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from app.settings import get_settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from graph.store.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    if args.load_samples:
        samples = settings.seeds_dir / "articles.jsonl"
        code = _ingest_paths([samples])
        if code:
            return code
    uvicorn.run("app.main:app", host=args.host, port=args.port, log_level="info")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from graph.store.migrate import upgrade

    upgrade(get_settings().database_url)
    paths = [Path(p) for p in args.paths]
    return _ingest_paths(paths, workers=args.workers, quiet=args.quiet, batch=args.batch)


def _reads(paths: list[Path]):
    from graph.ingest.readers import ReadError, read_path, read_stream

    for path in paths:
        if str(path) == "-":
            yield from read_stream(sys.stdin.buffer)
        elif not path.exists():
            yield ReadError(str(path), "no such file or folder")
        else:
            yield from read_path(path)


def _ingest_paths(paths: list[Path], workers: int = 1, quiet: bool = False, batch: int = 32) -> int:
    from tqdm import tqdm

    from graph.ingest.bulk import BulkOptions, run_bulk
    from graph.ontology import load_codebook
    from graph.store.db import make_engine

    settings = get_settings()
    reads_stdin = any(str(path) == "-" for path in paths)
    total = None if reads_stdin else sum(1 for _ in _reads(paths))
    options = BulkOptions(
        seeds_dir=settings.seeds_dir,
        model=settings.spacy_model,
        workers=workers,
        batch_size=batch,
        max_chars=settings.max_article_chars,
        merge_window_days=settings.merge_window_days,
    )
    engine = make_engine(settings.database_url)
    bar = tqdm(total=total, unit=" articles", desc="ingest", disable=quiet, dynamic_ncols=True)

    def progress(done: int, events: int) -> None:
        bar.update(done - bar.n)
        bar.set_postfix(events=events, refresh=False)

    summary = run_bulk(
        _reads(paths), engine, load_codebook(settings.seeds_dir), options, progress=progress
    )
    bar.close()
    engine.dispose()
    for location, message in summary.failures:
        print(f"error: {location}: {message}", file=sys.stderr)
    if not quiet or summary.failed or summary.interrupted:
        print(summary.line())
    if summary.interrupted:
        return 130
    return 1 if summary.failed else 0


def _import_gdelt(args: argparse.Namespace) -> int:
    import time

    from tqdm import tqdm

    from graph.actors.gazetteer import load_gazetteer
    from graph.ingest.gdelt import GdeltMapper, GdeltReport, gdelt_events
    from graph.ontology import load_codebook
    from graph.store.bulk import import_events
    from graph.store.db import make_engine
    from graph.store.migrate import upgrade

    settings = get_settings()
    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    mapper = GdeltMapper(load_gazetteer(settings.seeds_dir), load_codebook(settings.seeds_dir))
    report = GdeltReport()
    inserted = already = 0
    started = time.perf_counter()
    with tqdm(desc="GDELT rows", unit=" events", disable=args.quiet) as bar:
        for counts in import_events(engine, gdelt_events(paths, mapper, report), args.batch):
            inserted += counts.inserted
            already += counts.already_imported
            bar.update(counts.inserted + counts.already_imported)
    engine.dispose()
    seconds = time.perf_counter() - started
    for problem in report.problems[:20]:
        print(f"error: {problem}", file=sys.stderr)
    print(
        f"rows: {report.rows}; events imported: {inserted}; already imported: {already}; "
        f"skipped without both actors: {report.missing_actor}; malformed: {len(report.problems)}; "
        f"{seconds:.1f} s"
    )
    return 1 if report.problems else 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from graph.store.migrate import upgrade

    upgrade(get_settings().database_url, args.revision)
    print(f"database at {get_settings().database_url} is at revision {args.revision}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from graph.evaluate import GoldFormatError, evaluate, format_report, load_gold
    from graph.extract.pipeline import Extractor
    from graph.ontology import load_codebook

    settings = get_settings()
    try:
        items = load_gold(Path(args.path))
    except (GoldFormatError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    extractor = Extractor(settings.seeds_dir, settings.spacy_model)
    report = evaluate(extractor, items, load_codebook(settings.seeds_dir))
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(format_report(report, misses=args.misses))
    return 0


def _export(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from graph.export import FORMATS, export_graph
    from graph.store.analytics import EventFilter
    from graph.store.db import make_engine
    from graph.store.models import Actor

    settings = get_settings()
    where = EventFilter(
        start=args.start,
        end=args.end,
        cameo=args.cameo,
        plover=args.plover.upper() if args.plover else None,
        quad_class=args.quad_class,
        include_negated=args.include_negated,
        rollup=args.rollup,
    )
    if where.start and where.end and where.start > where.end:
        print(f"error: --start {where.start} is after --end {where.end}", file=sys.stderr)
        return 2
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        keys = []
        for name in filter(None, (part.strip() for part in (args.actors or "").split(","))):
            actor = session.get(Actor, name)
            if actor is None:
                print(f"error: actor {name!r} not found", file=sys.stderr)
                return 2
            keys.append(actor.country or actor.id if args.rollup == "country" else actor.id)
        graph = export_graph(session, where, args.granularity, keys, args.depth, args.min_events)
        with open(args.output, "wb") as out:
            for chunk in FORMATS[args.format].writer(graph):
                out.write(chunk)
    engine.dispose()
    print(f"wrote {args.output} ({args.format}, {args.granularity}, {len(graph.nodes)} nodes)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geokg", description="Geopolitical event knowledge graph: news text to coded events."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate the database and serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--load-samples",
        action="store_true",
        help="ingest seeds/articles.jsonl first (articles already stored are skipped)",
    )
    serve.set_defaults(handler=_serve)

    ingest = commands.add_parser(
        "ingest",
        help="ingest files and folders: .txt .json .jsonl .ndjson .rss .atom .xml .html .gz .zip; "
        "'-' reads JSON Lines from standard input",
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("-w", "--workers", type=int, default=1, help="extraction processes")
    ingest.add_argument("--batch", type=int, default=32, help="articles per transaction")
    ingest.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    ingest.set_defaults(handler=_ingest)

    gdelt = commands.add_parser(
        "import-gdelt", help="import GDELT 2.0 event files (.CSV, .CSV.zip)"
    )
    gdelt.add_argument("paths", nargs="+", metavar="FILE")
    gdelt.add_argument("--batch", type=int, default=20_000, help="rows per transaction")
    gdelt.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    gdelt.set_defaults(handler=_import_gdelt)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_upgrade = db_commands.add_parser("upgrade", help="apply the migrations")
    db_upgrade.add_argument("--revision", default="head")
    db_upgrade.set_defaults(handler=_db_upgrade)

    export = commands.add_parser("export", help="write the graph for Gephi, yEd, Cytoscape, D3")
    export.add_argument(
        "--format", required=True, choices=["gexf", "graphml", "cytoscape", "nodelink", "csv"]
    )
    export.add_argument("-o", "--output", required=True, help="file to write")
    export.add_argument("--granularity", choices=["dyad", "event"], default="dyad")
    export.add_argument("--start", type=date.fromisoformat, help="YYYY-MM-DD")
    export.add_argument("--end", type=date.fromisoformat, help="YYYY-MM-DD")
    export.add_argument("--cameo", help="CAMEO code or prefix")
    export.add_argument("--plover", help="PLOVER type")
    export.add_argument("--quad-class", type=int, choices=[1, 2, 3, 4])
    export.add_argument("--rollup", choices=["actor", "country"], default="actor")
    export.add_argument("--actors", help="comma-separated actor ids: their neighbourhoods only")
    export.add_argument("--depth", type=int, choices=[1, 2, 3], default=1)
    export.add_argument("--min-events", type=int, default=1)
    export.add_argument("--include-negated", action="store_true")
    export.set_defaults(handler=_export)

    evaluate = commands.add_parser("eval", help="score the extractor on a gold set")
    evaluate.add_argument("path", help="a gold JSONL file or folder (tests/gold)")
    evaluate.add_argument("--misses", type=int, default=20, help="how many misses to list")
    evaluate.add_argument("--json", action="store_true", help="print scores as JSON")
    evaluate.set_defaults(handler=_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    from graph.datafile import DataFileError
    from graph.extract.pipeline import ModelNotFoundError

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (DataFileError, ModelNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head`: stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0


if __name__ == "__main__":
    sys.exit(main())
