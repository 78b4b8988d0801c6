"""Extraction speed against bare spaCy, in one process, on the same generated paragraphs.

(a) `nlp.pipe` of the same spaCy pipeline geokg loads, consumed fully;
(b) full geokg extraction, `Extractor.extract_many` over `ArticleIn`s.

Both are warmed up first, then timed interleaved (a, b, then b, a, ...) `--repeats` times.
Words are whitespace tokens. Targets: b/a ≥ 1.0; peak memory under 600 MB.

    .venv/bin/python benchmarks/extract_bench.py [--paragraphs 300] [--repeats 3]
"""

import argparse
import time
from collections.abc import Callable

import spacy
from common import (
    MB,
    PeakRss,
    Stopwatch,
    deadline,
    maxrss_mb,
    median,
    print_table,
    verdict,
    write_json,
)
from generate import paragraphs, word_count

from graph.extract.pipeline import Extractor, default_model
from graph.types import ArticleIn

RATIO_TARGET = 1.0
MEMORY_TARGET_MB = 600


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=300, help="paragraphs to process")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each side")
    parser.add_argument("--warmup", type=int, default=16, help="paragraphs run before timing")
    parser.add_argument("--seed", type=int, default=0, help="text generator seed")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: geokg's)")
    parser.add_argument("--deadline", type=float, default=600, help="abort after seconds")
    return parser.parse_args()


def run_bare(nlp: spacy.language.Language, texts: list[str]) -> int:
    """(a): every text through the plain pipeline; returns the number of documents."""
    return sum(1 for _ in nlp.pipe(texts))


def run_geokg(extractor: Extractor, articles: list[ArticleIn]) -> int:
    """(b): full extraction; returns the number of events found."""
    return sum(len(events) for events in extractor.extract_many(articles))


def timed(run: Callable[[], int]) -> tuple[float, int]:
    with Stopwatch() as watch:
        result = run()
    return watch.seconds, result


def measure(args: argparse.Namespace, texts: list[str], peak: PeakRss) -> dict:
    """Load both pipelines, warm them up and time them interleaved (memory per side)."""
    model = args.model or default_model()
    peak.phase("load")
    with Stopwatch() as load_bare:
        nlp = spacy.load(model)
    with Stopwatch() as load_geokg:
        extractor = Extractor(model=model)
    articles = [ArticleIn(text=text) for text in texts]
    peak.phase("warmup")
    run_bare(nlp, texts[: args.warmup])
    run_geokg(extractor, articles[: args.warmup])
    sides: dict[str, Callable[[], int]] = {
        "bare": lambda: run_bare(nlp, texts),
        "geokg": lambda: run_geokg(extractor, articles),
    }
    seconds: dict[str, list[float]] = {"bare": [], "geokg": []}
    events = 0
    for repeat in range(args.repeats):
        order = ["bare", "geokg"] if repeat % 2 == 0 else ["geokg", "bare"]
        for side in order:
            peak.phase(side)
            elapsed, result = timed(sides[side])
            seconds[side].append(elapsed)
            if side == "geokg":
                events = result
    return {
        "model": model,
        "pipeline": nlp.pipe_names,
        "load_seconds": {"bare": load_bare.seconds, "geokg": load_geokg.seconds},
        "seconds": seconds,
        "events": events,
    }


def summarise(words: int, measured: dict) -> dict:
    """Words/s (best and median) per side and the ratios geokg/bare."""
    rates = {}
    for side, runs in measured["seconds"].items():
        rates[side] = {"best": words / min(runs), "median": words / median(runs)}
    ratios = {key: rates["geokg"][key] / rates["bare"][key] for key in ("best", "median")}
    return {"words_per_second": rates, "ratio": ratios}


def report(
    args: argparse.Namespace, texts: list[str], measured: dict, summary: dict, peak: PeakRss
) -> dict:
    words = word_count(texts)
    rates, ratios = summary["words_per_second"], summary["ratio"]
    print(
        f"{len(texts)} paragraphs, {words:,} words; model {measured['model']} "
        f"({', '.join(measured['pipeline'])}); {args.repeats} interleaved runs each"
    )
    rows = [
        [
            label,
            min(measured["seconds"][side]),
            median(measured["seconds"][side]),
            rates[side]["best"],
            rates[side]["median"],
            measured["load_seconds"][side],
        ]
        for side, label in (("bare", "(a) bare nlp.pipe"), ("geokg", "(b) geokg extract_many"))
    ]
    headers = ["pipeline", "best s", "median s", "best words/s", "median words/s", "load s"]
    print_table("Extraction throughput", headers, rows)
    phases = {name: round(value / MB) for name, value in peak.phases.items()}
    print_table("Peak RSS by phase (MB, psutil)", ["phase", "MB"], list(phases.items()))
    process_mb = max(peak.peak_self / MB, maxrss_mb())
    checks = {
        "ratio b/a (median)": (ratios["median"], ">=", RATIO_TARGET),
        "ratio b/a (best)": (ratios["best"], ">=", RATIO_TARGET),
        "peak RSS, whole process (MB)": (process_mb, "<", MEMORY_TARGET_MB),
        "peak RSS, during (b) runs (MB)": (phases["geokg"], "<", MEMORY_TARGET_MB),
    }
    passed = {
        name: value >= target if sign == ">=" else value < target
        for name, (value, sign, target) in checks.items()
    }
    rows = [
        [name, value, f"{sign} {target}", verdict(passed[name])]
        for name, (value, sign, target) in checks.items()
    ]
    print_table("Targets", ["measure", "value", "target", "result"], rows)
    print(
        f"\nevents found by (b): {measured['events']:,}; whole-process peak: psutil "
        f"{peak.peak_self / MB:.0f} MB, getrusage maxrss {maxrss_mb():.0f} MB"
    )
    return {
        "paragraphs": len(texts),
        "words": words,
        "repeats": args.repeats,
        "seed": args.seed,
        **measured,
        **summary,
        "peak_rss_mb": {"psutil": peak.peak_self / MB, "maxrss": maxrss_mb(), **phases},
        "targets": {"ratio": RATIO_TARGET, "peak_rss_mb": MEMORY_TARGET_MB},
        "pass": passed,
    }


def main() -> None:
    args = parse_args()
    texts = paragraphs(args.paragraphs, args.seed)
    started = time.perf_counter()
    with deadline(args.deadline), PeakRss() as peak:
        measured = measure(args, texts, peak)
    summary = summarise(word_count(texts), measured)
    result = report(args, texts, measured, summary, peak)
    result["wall_seconds"] = time.perf_counter() - started
    print(f"wall time {result['wall_seconds']:.1f} s")
    write_json("extract_bench", result)


if __name__ == "__main__":
    main()
