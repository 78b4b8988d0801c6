"""Query latency through the ASGI app against hand-written SQL on the same SQLite file.

Builds a synthetic store (default 1,000,000 events among 5,000 actors over 10 years) in a
child process, starts the real app in-process (`create_app`, lifespan included) and times,
interleaved with the equivalent bare SQL via `sqlite3` on the same file and pragmas:
relations list (100 rows), relations grouped by counterpart, dyad monthly timeline,
neighbourhood depth 2 and PageRank (cold and cached).

Targets at 1M events: relations and timeline p95 ≤ 25 ms and within 3× of bare SQL; cached
centrality ≤ 10 ms; cold PageRank ≤ 10 s; server RSS ≤ 2 GB.

    .venv/bin/python benchmarks/query_bench.py [--events 1000000] [--reuse PATH]
"""

import argparse
import asyncio
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path

import httpx2
import numpy as np
from common import (
    MB,
    OUT_DIR,
    PeakRss,
    Stopwatch,
    deadline,
    maxrss_mb,
    percentile,
    print_table,
    rss_mb,
    verdict,
    write_json,
)
from fastapi.testclient import TestClient
from generate import sentence

from graph.actors.gazetteer import load_gazetteer
from graph.ontology import load_codebook
from graph.store.db import SQLITE_PRAGMAS
from graph.store.migrate import upgrade
from graph.types import ActorRef

FIRST_DAY = date(2016, 1, 1)
DAYS = 3653  # ten years
CHUNK = 100_000
BUILD_SEED = 7
BUILD_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=OFF", "PRAGMA cache_size=-1000000")
#: Relative weight of CAMEO roots 01–05, 06–08, 09–13, 14–20 (statements dominate news).
QUAD_WEIGHTS = {1: 3.0, 2: 1.5, 3: 1.5, 4: 1.0}
#: How likely an actor of each kind is to rank among the busy ones.
KIND_PRIORITY = {"country": 1.0, "core-sector": 0.8, "named": 0.6, "minor": 0.4}
PRECISIONS = ("day", "month", "year")
PARTNERS = 16  # habitual counterparts per actor
HABIT_SHARE = 0.5  # events with a habitual counterpart rather than a random one
OUTLETS = ("sahel-monitor.example", "capital-wire.example", "global-dispatch.example")
TARGETS = {"p95_ms": 25.0, "ratio": 3.0, "cached_ms": 10.0, "cold_s": 10.0, "rss_mb": 2048.0}


# ------------------------------------------------------------------------------ the store
@dataclass
class Universe:
    """Actors with their activity weights and habitual counterparts."""

    actors: list[ActorRef]
    weights: np.ndarray
    partners: np.ndarray


def actor_universe(count: int, rng: np.random.Generator) -> Universe:
    """Countries, country sectors, organisations, armed groups, leaders, then made-up persons
    until `count`; activity follows a power law biased towards countries and governments."""
    gazetteer = load_gazetteer()
    found: dict[str, tuple[ActorRef, str]] = {}
    for iso3 in gazetteer.countries:
        found[iso3] = (gazetteer.country_actor(iso3), "country")
    for named in (*gazetteer.orgs.values(), *gazetteer.groups.values()):
        found[named.id] = (named, "named")
    for iso3 in gazetteer.countries:
        for sector in gazetteer.sector_labels:
            actor = gazetteer.country_actor(iso3, sector)
            found[actor.id] = (actor, "core-sector" if sector in ("GOV", "MIL") else "minor")
    for leader in gazetteer.leaders:
        found.setdefault(leader, (gazetteer.leader_actor(leader, date(2024, 1, 1)), "minor"))
    countries = list(gazetteer.countries)
    for index in range(max(0, count - len(found))):
        iso3 = countries[int(rng.integers(len(countries)))]
        actor = gazetteer.person_actor(f"Bench Person {index:05d}", iso3, "GOV")
        found[actor.id] = (actor, "minor")
    chosen = list(found.values())[:count]
    priority = np.array([KIND_PRIORITY[kind] for _, kind in chosen]) * rng.random(len(chosen))
    ranks = np.empty(len(chosen))
    ranks[np.argsort(-priority)] = np.arange(len(chosen))
    weights = 1.0 / (ranks + 2.0)
    weights /= weights.sum()
    partners = rng.choice(len(chosen), size=(len(chosen), PARTNERS), p=weights)
    return Universe([actor for actor, _ in chosen], weights, partners)


def cameo_table() -> tuple[list[tuple], np.ndarray]:
    """(code, root, quad class, Goldstein, PLOVER, mode) for every code with a PLOVER type,
    and the probability of each."""
    entries = [entry for entry in load_codebook() if entry.plover]
    rows = [(e.code, e.root, e.quad_class, e.goldstein, e.plover, e.mode) for e in entries]
    weights = np.array([QUAD_WEIGHTS[e.quad_class] for e in entries])
    return rows, weights / weights.sum()


def connect(path: Path, pragmas: tuple[str, ...]) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in pragmas:
        connection.execute(pragma)
    return connection


def insert_actors(connection: sqlite3.Connection, universe: Universe) -> None:
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO actor (id, name, code, country, sector, kind, event_count) "
        "VALUES (?, ?, ?, ?, ?, ?, 0)",
        [(a.id, a.name, a.code, a.country, a.sector, a.kind) for a in universe.actors],
    )
    connection.executemany(
        "INSERT INTO actor_alias (actor_id, alias, alias_norm) VALUES (?, ?, ?)",
        [(a.id, a.name, a.name.casefold()) for a in universe.actors],
    )
    connection.execute("COMMIT")


def insert_articles(connection: sqlite3.Connection, count: int, rng: np.random.Generator) -> None:
    """URL-only articles, as GDELT imports leave them."""
    rows = []
    for index in range(1, count + 1):
        day = FIRST_DAY + timedelta(days=int(rng.integers(DAYS)))
        outlet = OUTLETS[index % len(OUTLETS)]
        rows.append(
            (
                index,
                outlet,
                f"https://{outlet}/{day.isoformat()}/{index:07d}",
                f"{day.isoformat()} 12:00:00.000000",
                "",
                f"{day.isoformat()} 13:00:00.000000",
            )
        )
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO article (id, source, url, published_at, text, ingested_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    connection.execute("COMMIT")


EVENT_INSERT = (
    "INSERT INTO event (id, source_id, target_id, source_rollup, target_rollup, cameo, root, "
    "quad_class, goldstein, plover, plover_mode, date, date_precision, negated, confidence, "
    "evidence_count, article_count, source_count) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
EVIDENCE_INSERT = (
    'INSERT INTO evidence (event_id, article_id, sentence, start, "end", trigger, rule) '
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


@dataclass
class EventSampler:
    """Draws chunks of synthetic events: habitual dyads, weighted codes, dated in order."""

    universe: Universe
    rng: np.random.Generator
    cameos: list[tuple]
    cameo_p: np.ndarray
    articles: int
    sentences: list[str] = field(init=False)
    date_text: tuple[list[str], ...] = field(init=False)

    def __post_init__(self) -> None:
        generator = random.Random(int(self.rng.integers(1 << 31)))
        self.sentences = [sentence(generator) for _ in range(2000)]
        days = [FIRST_DAY + timedelta(days=offset) for offset in range(DAYS)]
        self.date_text = (
            [d.isoformat() for d in days],
            [d.replace(day=1).isoformat() for d in days],
            [d.replace(month=1, day=1).isoformat() for d in days],
        )

    def dyads(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        n = len(self.universe.actors)
        source = self.rng.choice(n, size=size, p=self.universe.weights)
        random_target = self.rng.choice(n, size=size, p=self.universe.weights)
        habit = self.universe.partners[source, self.rng.integers(PARTNERS, size=size)]
        target = np.where(self.rng.random(size) < HABIT_SHARE, habit, random_target)
        target = np.where(target == source, (target + 1) % n, target)
        return source, target

    def events(self, first_id: int, days: list[int]) -> tuple[list[tuple], list[tuple]]:
        """Event rows for `days` (sorted day offsets) with ids from `first_id`, and their
        evidence rows (one to several each)."""
        size = len(days)
        source, target = self.dyads(size)
        codes = self.rng.choice(len(self.cameos), size=size, p=self.cameo_p)
        precision = self.rng.choice(3, size=size, p=[0.9, 0.08, 0.02]).tolist()
        evidence = self.rng.geometric(0.6, size)
        articles = self.rng.integers(1, evidence + 1)
        outlets = self.rng.integers(1, articles + 1)
        sources = [self.universe.actors[i] for i in source.tolist()]
        targets = [self.universe.actors[i] for i in target.tolist()]
        rows = list(
            zip(
                range(first_id, first_id + size),
                [actor.id for actor in sources],
                [actor.id for actor in targets],
                [actor.rollup for actor in sources],
                [actor.rollup for actor in targets],
                *zip(*(self.cameos[code] for code in codes.tolist()), strict=True),
                [self.date_text[p][d] for p, d in zip(precision, days, strict=True)],
                [PRECISIONS[p] for p in precision],
                (self.rng.random(size) < 0.03).tolist(),
                np.round(self.rng.uniform(0.5, 0.99, size), 2).tolist(),
                evidence.tolist(),
                articles.tolist(),
                outlets.tolist(),
                strict=True,
            )
        )
        return rows, self._evidence(first_id, evidence, codes)

    def _evidence(self, first_id: int, counts: np.ndarray, codes: np.ndarray) -> list[tuple]:
        total = int(counts.sum())
        event_ids = np.repeat(np.arange(first_id, first_id + len(counts)), counts).tolist()
        code_of = np.repeat(codes, counts).tolist()
        article_ids = self.rng.integers(1, self.articles + 1, size=total).tolist()
        picks = self.rng.integers(len(self.sentences), size=total).tolist()
        rows, previous, nth = [], None, 0
        for event_id, article_id, pick, code in zip(
            event_ids, article_ids, picks, code_of, strict=True
        ):
            nth = nth + 1 if event_id == previous else 0
            previous = event_id
            text = self.sentences[pick]
            rule = f"bench:{self.cameos[code][0]}"
            rows.append((event_id, article_id, text, nth * 400, nth * 400 + len(text), "", rule))
        return rows


def insert_events(connection: sqlite3.Connection, sampler: EventSampler, events: int) -> dict:
    """Events (dated in id order) and their evidence, one transaction per chunk."""
    all_days = np.sort(sampler.rng.integers(DAYS, size=events)).tolist()
    done = {"generate": 0.0, "insert": 0.0, "evidence_rows": 0}
    for start in range(0, events, CHUNK):
        with Stopwatch() as generating:
            rows, evidence = sampler.events(start + 1, all_days[start : start + CHUNK])
        with Stopwatch() as inserting:
            connection.execute("BEGIN")
            connection.executemany(EVENT_INSERT, rows)
            connection.executemany(EVIDENCE_INSERT, evidence)
            connection.execute("COMMIT")
        done["generate"] += generating.seconds
        done["insert"] += inserting.seconds
        done["evidence_rows"] += len(evidence)
    return done


def finish_store(connection: sqlite3.Connection) -> None:
    """Actor event counts and dyad totals (as the service keeps them), statistics, a clean
    WAL."""
    connection.execute(
        "UPDATE actor SET event_count = "
        "(SELECT count(*) FROM event WHERE source_id = actor.id) + "
        "(SELECT count(*) FROM event WHERE target_id = actor.id)"
    )
    connection.execute(
        "INSERT INTO dyad (source_id, target_id, events, evidence, articles, goldstein_sum, "
        f"q1, q2, q3, q4, first_date, last_date) SELECT source_id, target_id, {AGGREGATES} "
        "FROM event WHERE negated = 0 GROUP BY source_id, target_id"
    )
    connection.execute("ANALYZE")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def build_store(path: str, events: int, actors: int, articles: int) -> dict:
    """Create the schema with the migrations and fill it with executemany in big
    transactions; returns timings. Runs in a child process."""
    db = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with Stopwatch() as migrating:
        upgrade(f"sqlite:///{db}")
    rng = np.random.default_rng(BUILD_SEED)
    universe = actor_universe(actors, rng)
    connection = connect(db, BUILD_PRAGMAS)
    with Stopwatch() as filling:
        insert_actors(connection, universe)
        insert_articles(connection, articles, rng)
    sampler = EventSampler(universe, rng, *cameo_table(), articles)
    done = insert_events(connection, sampler, events)
    with Stopwatch() as finishing:
        finish_store(connection)
    connection.close()
    times = {"migrate": migrating.seconds, "actors_articles": filling.seconds}
    times |= {"generate": done["generate"], "insert": done["insert"]}
    times["counts_analyze"] = finishing.seconds
    return {"seconds": times, "evidence": done["evidence_rows"], "actors": len(universe.actors)}


def build_in_child(path: Path, args: argparse.Namespace) -> dict:
    """Build in a separate process so the server's memory is measured alone."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        future = pool.submit(build_store, str(path), args.events, args.actors, args.articles)
        return future.result()


# ------------------------------------------------------------------------- bare SQL
EVENT_COLUMNS = (
    "id, source_id, target_id, source_rollup, target_rollup, external_id, cameo, root, "
    "quad_class, goldstein, plover, plover_mode, date, date_precision, negated, confidence, "
    "evidence_count, article_count, source_count"
)
AGGREGATES = (
    "count(*) AS events, sum(evidence_count), sum(article_count), sum(goldstein), "
    + ", ".join(f"count(*) FILTER (WHERE quad_class = {q})" for q in (1, 2, 3, 4))
    + ", min(date), max(date)"
)
DYAD_TOTALS = "events, evidence, articles, goldstein_sum, q1, q2, q3, q4, first_date, last_date"
#: An actor's events, one direction per index range; an event with the actor on both sides
#: is counted once, as outgoing.
OUT_EVENTS = "source_id = :a AND negated = 0"
IN_EVENTS = "target_id = :a AND source_id != :a AND negated = 0"


def marks(values) -> str:
    return ", ".join("?" * len(values))


def bare_actors(connection: sqlite3.Connection, ids) -> list[tuple]:
    ids = list(set(ids))
    return connection.execute(f"SELECT * FROM actor WHERE id IN ({marks(ids)})", ids).fetchall()


def bare_actor(connection: sqlite3.Connection, actor: str) -> list[tuple]:
    return connection.execute("SELECT * FROM actor WHERE id = ?", (actor,)).fetchall()


def bare_relations(connection: sqlite3.Connection, actor: str) -> list[tuple]:
    """Count, the newest 100 events, their evidence with article fields, their actors."""
    connection.execute(
        f"SELECT (SELECT count(*) FROM event WHERE {OUT_EVENTS}) + "
        f"(SELECT count(*) FROM event WHERE {IN_EVENTS})",
        {"a": actor},
    ).fetchone()
    rows = connection.execute(
        f"SELECT {EVENT_COLUMNS} FROM event WHERE {OUT_EVENTS} UNION ALL "
        f"SELECT {EVENT_COLUMNS} FROM event WHERE {IN_EVENTS} "
        "ORDER BY date DESC, id DESC LIMIT 100",
        {"a": actor},
    ).fetchall()
    ids = [row[0] for row in rows]
    connection.execute(
        "SELECT ev.*, a.title, a.source, a.url FROM evidence ev JOIN article a "
        f"ON a.id = ev.article_id WHERE ev.event_id IN ({marks(ids)}) ORDER BY ev.id",
        ids,
    ).fetchall()
    bare_actors(connection, [row[1] for row in rows] + [row[2] for row in rows])
    return rows


def bare_grouped(connection: sqlite3.Connection, actor: str) -> list[tuple]:
    """Per counterpart and direction totals from the dyad table, total count, top 100,
    their actors."""
    rows = connection.execute(
        f"""WITH grouped AS (
            SELECT target_id AS counterpart, 'out' AS direction, {DYAD_TOTALS}
            FROM dyad WHERE source_id = :a
            UNION ALL
            SELECT source_id, 'in', {DYAD_TOTALS} FROM dyad WHERE target_id = :a)
        SELECT *, count(*) OVER () FROM grouped
        ORDER BY events DESC, counterpart, direction LIMIT 100""",
        {"a": actor},
    ).fetchall()
    bare_actors(connection, [row[0] for row in rows])
    return rows


def bare_timeline(connection: sqlite3.Connection, dyad: tuple[str, str]) -> list[tuple]:
    """Monthly events per quad class, Goldstein and evidence sums for both directions."""
    a, b = dyad
    rows = connection.execute(
        "SELECT substr(date, 1, 7) AS month, quad_class, count(*), sum(goldstein), "
        "sum(evidence_count) FROM event WHERE ((source_id = :a AND target_id = :b) OR "
        "(source_id = :b AND target_id = :a)) AND negated = 0 GROUP BY month, quad_class "
        "ORDER BY month",
        {"a": a, "b": b},
    ).fetchall()
    bare_actors(connection, dyad)
    return rows


def bare_neighborhood(
    connection: sqlite3.Connection, actor: str, limit: int = 300, edge_limit: int = 2000
) -> list:
    """Nodes within two hops, the `limit` nearest and strongest, the edges among them (the
    actor's own first, then the heaviest, at most `edge_limit`)."""
    hops = connection.execute(
        """WITH h1(node) AS (
            SELECT target_id FROM event WHERE source_id = :a AND negated = 0
            UNION SELECT source_id FROM event WHERE target_id = :a AND negated = 0),
        h2(node) AS (
            SELECT target_id FROM event WHERE source_id IN h1 AND negated = 0
            UNION SELECT source_id FROM event WHERE target_id IN h1 AND negated = 0)
        SELECT node, 1 FROM h1 WHERE node != :a
        UNION ALL SELECT node, 2 FROM h2 WHERE node != :a AND node NOT IN h1""",
        {"a": actor},
    ).fetchall()
    keep = [actor] + [node for node, _ in hops]
    if len(keep) > limit:
        strength = dict(
            connection.execute(
                "SELECT node, count(*) FROM (SELECT source_id AS node FROM event "
                "WHERE negated = 0 UNION ALL SELECT target_id FROM event WHERE negated = 0) "
                "GROUP BY node"
            ).fetchall()
        )
        ranked = sorted(hops, key=lambda row: (row[1], -strength.get(row[0], 0), row[0]))
        keep = [actor] + [node for node, _ in ranked[: limit - 1]]
    edges = connection.execute(
        f"SELECT source_id, target_id, {AGGREGATES} FROM event WHERE negated = 0 "
        f"AND source_id IN ({marks(keep)}) AND target_id IN ({marks(keep)}) "
        "GROUP BY source_id, target_id HAVING source_id != target_id "
        "ORDER BY source_id != ? AND target_id != ?, events DESC LIMIT ?",
        [*keep, *keep, actor, actor, edge_limit],
    ).fetchall()
    bare_actors(connection, keep)
    return edges


def bare_dyad_aggregates(connection: sqlite3.Connection, _params) -> list[tuple]:
    """The collapsed graph's input: the dyad table's row per (source, target)."""
    return connection.execute(
        f"SELECT source_id, target_id, {DYAD_TOTALS} FROM dyad ORDER BY source_id, target_id"
    ).fetchall()


def bare_cached_centrality(connection: sqlite3.Connection, top: list[str]) -> list[tuple]:
    """What a cached centrality request still reads: the data version and 20 actors."""
    connection.execute("SELECT max(id) FROM event").fetchone()
    connection.execute("SELECT max(id) FROM evidence").fetchone()
    return bare_actors(connection, top)


# ---------------------------------------------------------------------------- cases
@dataclass
class Case:
    """One query kind: its URL and its bare-SQL twin for each parameter."""

    name: str
    bare_note: str
    params: list
    url: Callable[[object], str]
    bare: Callable[[sqlite3.Connection, object], object]
    before: Callable[[], None] = lambda: None  # run untimed before each app request
    warmup: int = 5
    expect: int = 200


@dataclass
class Timing:
    app_ms: list[float] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)


def choose_params(connection: sqlite3.Connection, runs: int, seed: int) -> dict:
    """Busy actors (top 50 by events) and random dyads (sampled by event, so busy ones)."""
    rng = np.random.default_rng(seed)
    busy = connection.execute(
        "SELECT id, event_count FROM actor ORDER BY event_count DESC LIMIT 50"
    ).fetchall()
    top_id = connection.execute("SELECT max(id) FROM event").fetchone()[0]
    dyads = []
    for event_id in rng.integers(1, top_id + 1, size=runs).tolist():
        dyads.append(
            connection.execute(
                "SELECT source_id, target_id FROM event WHERE id = ?", (event_id,)
            ).fetchone()
        )
    actors = [busy[i][0] for i in rng.integers(len(busy), size=runs).tolist()]
    return {"actors": actors, "dyads": dyads, "busy": busy}


def make_cases(args, params: dict, client: "DirectClient", top: list[str]) -> list[Case]:
    actors, dyads = params["actors"], params["dyads"]
    cache = client.app.state.graph_cache
    api = "/api/v1"
    return [
        Case(
            "floor: unknown actor 404",
            "one actor by primary key",
            [f"no-such-actor-{i}" for i in range(args.runs)],
            lambda a: f"{api}/actors/{a}/relations",
            bare_actor,
            expect=404,
        ),
        Case(
            "pagerank cold",
            "dyad table in key order (graph input)",
            [None] * args.cold_runs,
            lambda _: f"{api}/graph/centrality?metric=pagerank",
            bare_dyad_aggregates,
            before=cache.clear,
            warmup=0,
        ),
        Case(
            "pagerank cached",
            "data version + 20 actors",
            [top] * args.runs,
            lambda _: f"{api}/graph/centrality?metric=pagerank",
            bare_cached_centrality,
        ),
        Case(
            "neighborhood depth 2",
            "2-hop nodes, strength, 2000 edges among 300",
            actors[: args.graph_runs],
            lambda a: f"{api}/graph/neighborhood/{a}?depth=2",
            bare_neighborhood,
            warmup=1,
        ),
        Case(
            "relations list (100)",
            "count + page + evidence + actors",
            actors,
            lambda a: f"{api}/actors/{a}/relations?limit=100",
            bare_relations,
        ),
        Case(
            "relations by counterpart",
            "dyad table UNION ALL + actors",
            actors,
            lambda a: f"{api}/actors/{a}/relations?limit=100&group=counterpart",
            bare_grouped,
        ),
        Case(
            "dyad timeline (month)",
            "GROUP BY month, quad + 2 actors",
            dyads,
            lambda d: f"{api}/dyads/{d[0]}/{d[1]}/timeline?interval=month",
            bare_timeline,
        ),
    ]


def check(response, expect: int) -> None:
    if response.status_code != expect:
        raise RuntimeError(
            f"GET {response.url} answered {response.status_code}, expected {expect}: "
            f"{response.text[:300]}"
        )


def time_case(case: Case, client: "DirectClient", connection: sqlite3.Connection) -> Timing:
    """Each parameter through the app, then through bare SQL, interleaved."""
    for param in case.params[: case.warmup]:
        check(client.get(case.url(param)), case.expect)
        case.bare(connection, param)
    timing = Timing()
    for param in case.params:
        case.before()
        with Stopwatch() as app:
            response = client.get(case.url(param))
        check(response, case.expect)
        with Stopwatch() as bare:
            case.bare(connection, param)
        timing.app_ms.append(app.seconds * 1000)
        timing.bare_ms.append(bare.seconds * 1000)
    return timing


class DirectClient:
    """Requests straight into the ASGI app on this thread's event loop, the way uvicorn calls
    it; `TestClient` (used here only to run the app's lifespan) adds a hop to its own thread
    on every request, which no server pays."""

    def __init__(self, app):
        self.app = app
        self._loop = asyncio.new_event_loop()
        transport = httpx2.ASGITransport(app=app)
        self._client = httpx2.AsyncClient(transport=transport, base_url="http://bench")

    def get(self, url: str) -> httpx2.Response:
        return self._loop.run_until_complete(self._client.get(url))

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()


def run_queries(args, db: Path, params: dict, peak: PeakRss) -> tuple[dict, dict]:
    """Start the app on the store and time every case; returns timings and server facts."""
    from app.main import create_app
    from app.settings import Settings

    with tempfile.TemporaryDirectory() as jobs, ExitStack() as stack:
        settings = Settings(database_url=f"sqlite:///{db}", jobs_dir=Path(jobs))
        peak.phase("server start")
        with Stopwatch() as start:
            lifespan = stack.enter_context(TestClient(create_app(settings)))
        client = DirectClient(lifespan.app)
        stack.callback(client.close)
        peak.phase("queries")
        connection = connect(db, SQLITE_PRAGMAS)
        url = "/api/v1/graph/centrality?metric=pagerank"
        with Stopwatch() as first:
            ranked = client.get(url).raise_for_status().json()
        top = [row["actor"]["id"] for row in ranked["data"]]
        results = {"pagerank first request": ("-", Timing([first.seconds * 1000]))}
        for case in make_cases(args, params, client, top):
            print(f"  timing {case.name} ({len(case.params)} runs)...", flush=True)
            results[case.name] = (case.bare_note, time_case(case, client, connection))
        connection.close()
        server = {
            "startup_seconds": start.seconds,
            "graph_nodes": ranked["nodes"],
            "graph_edges": ranked["edges"],
            "rss_mb_after": rss_mb(),
        }
    return results, server


# --------------------------------------------------------------------------- report
def latency_rows(results: dict[str, tuple[str, Timing]]) -> tuple[list[list], dict]:
    """Table rows and JSON data: p50/p95 of app and bare SQL, and their ratio."""
    rows, data = [], {}
    for name, (note, timing) in results.items():
        app50, app95 = percentile(timing.app_ms, 50), percentile(timing.app_ms, 95)
        data[name] = {"runs": len(timing.app_ms), "app_p50_ms": app50, "app_p95_ms": app95}
        data[name]["app_max_ms"] = max(timing.app_ms)
        if not timing.bare_ms:
            rows.append([name, len(timing.app_ms), app50, app95, "-", "-", "-", note])
            continue
        bare50, bare95 = percentile(timing.bare_ms, 50), percentile(timing.bare_ms, 95)
        data[name] |= {
            "bare_p50_ms": bare50,
            "bare_p95_ms": bare95,
            "ratio_p50": app50 / bare50,
            "ratio_p95": app95 / bare95,
            "bare_sql": note,
        }
        rows.append([name, len(timing.app_ms), app50, app95, bare50, bare95, app95 / bare95, note])
    return rows, data


def target_rows(data: dict, server_peak_mb: float) -> tuple[list[list], dict]:
    checks = []
    for name in ("relations list (100)", "relations by counterpart", "dyad timeline (month)"):
        p95, ratio = data[name]["app_p95_ms"], data[name]["ratio_p95"]
        checks.append([f"{name} p95 ms", p95, f"<= {TARGETS['p95_ms']}", p95 <= TARGETS["p95_ms"]])
        checks.append([f"{name} app/bare p95", ratio, f"<= {TARGETS['ratio']}", ratio <= 3.0])
    cached = data["pagerank cached"]["app_p95_ms"]
    cold = max(data["pagerank first request"]["app_max_ms"], data["pagerank cold"]["app_max_ms"])
    checks.append(["cached centrality p95 ms", cached, "<= 10", cached <= TARGETS["cached_ms"]])
    checks.append(["cold pagerank worst s", cold / 1000, "<= 10", cold / 1000 <= 10])
    checks.append(["server peak RSS MB", server_peak_mb, "<= 2048", server_peak_mb <= 2048])
    rows = [[name, value, target, verdict(ok)] for name, value, target, ok in checks]
    return rows, {name: ok for name, _, _, ok in checks}


def describe_store(db: Path, params: dict) -> dict:
    connection = sqlite3.connect(db)
    counts = {
        table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("actor", "article", "event", "evidence")
    }
    span = connection.execute("SELECT min(date), max(date) FROM event").fetchone()
    dyad_events = [
        connection.execute(
            "SELECT count(*) FROM event WHERE source_id = ? AND target_id = ?", dyad
        ).fetchone()[0]
        for dyad in params["dyads"][:50]
    ]
    connection.close()
    busy = [count for _, count in params["busy"]]
    print(
        f"store {db} ({db.stat().st_size / MB:,.0f} MB): "
        + ", ".join(f"{n:,} {t}s" for t, n in counts.items())
        + f"; dates {span[0]}..{span[1]}"
    )
    print(
        f"busy actors: events {min(busy):,}..{max(busy):,}; sampled dyads (one direction): "
        f"median {int(np.median(dyad_events)):,}, max {max(dyad_events):,} events"
    )
    return {"counts": counts, "span": span, "busy_events": busy, "dyad_events": dyad_events}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=5_000)
    parser.add_argument("--articles", type=int, default=5_000, help="url-only article rows")
    parser.add_argument("--db", type=Path, help="where to build (default benchmarks/out/)")
    parser.add_argument("--reuse", type=Path, metavar="PATH", help="use this built store")
    parser.add_argument("--runs", type=int, default=200, help="requests per query kind")
    parser.add_argument("--graph-runs", type=int, default=20, help="neighbourhood requests")
    parser.add_argument("--cold-runs", type=int, default=3, help="pagerank after cache clear")
    parser.add_argument("--seed", type=int, default=1, help="parameter sampling seed")
    parser.add_argument("--deadline", type=float, default=3600, help="abort after seconds")
    return parser.parse_args()


def prepare_store(args: argparse.Namespace) -> tuple[Path, dict | None]:
    if args.reuse:
        return args.reuse, None
    db = args.db or OUT_DIR / f"query_bench_{args.events}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    print(f"building {args.events:,} events among {args.actors:,} actors in {db} ...", flush=True)
    with Stopwatch() as watch:
        built = build_in_child(db, args)
    built["wall_seconds"] = watch.seconds
    print(
        f"built in {watch.seconds:.1f} s ({args.events / built['seconds']['insert']:,.0f} "
        f"events/s inserted, {built['evidence']:,} evidence rows): "
        + ", ".join(f"{k} {v:.1f} s" for k, v in built["seconds"].items()),
        flush=True,
    )
    return db, built


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    with deadline(args.deadline):
        db, built = prepare_store(args)
        connection = sqlite3.connect(db)
        params = choose_params(connection, args.runs, args.seed)
        connection.close()
        store = describe_store(db, params)
        with PeakRss() as peak:
            results, server = run_queries(args, db, params, peak)
    rows, data = latency_rows(results)
    headers = ["query", "runs", "app p50", "app p95", "bare p50", "bare p95", "app/bare p95"]
    print_table("Latency through the ASGI app vs bare SQL (ms)", [*headers, "bare SQL"], rows)
    server_peak = peak.phases["queries"] / MB
    checks, passed = target_rows(data, server_peak)
    print_table("Targets", ["measure", "value", "target", "result"], checks)
    print(
        f"\nserver: start-up {server['startup_seconds']:.1f} s (migrations, spaCy); graph "
        f"{server['graph_nodes']:,} nodes, {server['graph_edges']:,} edges; RSS after run "
        f"{server['rss_mb_after']:,.0f} MB, peak while querying {server_peak:,.0f} MB, "
        f"getrusage maxrss {maxrss_mb():,.0f} MB"
    )
    wall = time.perf_counter() - started
    print(f"wall time {wall:.1f} s")
    write_json(
        "query_bench",
        {
            "events": store["counts"]["event"],
            "store": store,
            "build": built,
            "latency": data,
            "server": {**server, "peak_rss_mb": server_peak, "maxrss_mb": maxrss_mb()},
            "targets": TARGETS,
            "pass": passed,
            "wall_seconds": wall,
        },
    )


if __name__ == "__main__":
    main()
