"""Helpers the benchmark scripts share: memory sampling, deadlines, tables, JSON output."""

import faulthandler
import json
import os
import resource
import statistics
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import psutil

OUT_DIR = Path(__file__).resolve().parent / "out"
MB = 1024 * 1024


class PeakRss:
    """Sample the resident memory of this process and its children in a background thread.

    `peak_self` is the highest RSS of this process alone, `peak_total` the highest sum over
    this process and every descendant at one sampling instant (both in bytes); `phases` and
    `phases_total` the same two while each phase named by `phase()` was current.
    """

    def __init__(self, interval: float = 0.02):
        self.interval = interval
        self.peak_self = 0
        self.peak_total = 0
        self.phases: dict[str, int] = {}
        self.phases_total: dict[str, int] = {}
        self._phase = "start"
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-rss", daemon=True)

    def __enter__(self) -> "PeakRss":
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def phase(self, name: str) -> None:
        """Attribute the samples from now on to phase `name`."""
        self._sample()
        self._phase = name
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        own = self._process.memory_info().rss
        total = own
        for child in self._process.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:  # the child ended between listing and reading
                continue
        self.peak_self = max(self.peak_self, own)
        self.peak_total = max(self.peak_total, total)
        self.phases[self._phase] = max(self.phases.get(self._phase, 0), own)
        self.phases_total[self._phase] = max(self.phases_total.get(self._phase, 0), total)


def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """`getrusage` peak resident set size in MB (Linux reports kilobytes); for
    RUSAGE_CHILDREN it is the largest single child waited for, not a sum."""
    return resource.getrusage(who).ru_maxrss / 1024


def rss_mb() -> float:
    """Current resident set size of this process, in MB."""
    return psutil.Process().memory_info().rss / MB


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Abort if the block runs longer than `seconds`: print every thread's traceback, kill
    the worker processes this benchmark started and exit, so that a hang says where it is
    instead of running forever. faulthandler backs this up should the GIL never be released.
    """
    timer = threading.Timer(seconds, _abort, (seconds,))
    timer.daemon = True
    timer.start()
    faulthandler.dump_traceback_later(seconds + 60, exit=True)
    try:
        yield
    finally:
        timer.cancel()
        faulthandler.cancel_dump_traceback_later()


def _abort(seconds: float) -> None:
    print(f"\nbenchmark aborted: still running after {seconds:.0f} s", file=sys.stderr)
    faulthandler.dump_traceback(all_threads=True)
    for child in psutil.Process().children(recursive=True):
        child.kill()
    sys.stderr.flush()
    os._exit(1)


class Stopwatch:
    """`with Stopwatch() as watch: ...` then `watch.seconds`."""

    seconds = 0.0

    def __enter__(self) -> "Stopwatch":
        self._started = time.perf_counter()
        return self

    def __exit__(self, *_exc) -> None:
        self.seconds = time.perf_counter() - self._started


def percentile(values: Sequence[float], q: float) -> float:
    """The `q`-th percentile (0–100) of `values`, linearly interpolated."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain fixed-width table: first column left-aligned, the others right-aligned."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        first = values[0].ljust(widths[0])
        rest = (value.rjust(width) for value, width in zip(values[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    print(f"\n{title}")
    print(line(headers))
    print("  ".join("-" * width for width in widths))
    for row in cells:
        print(line(row))
    sys.stdout.flush()


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def write_json(name: str, data: dict) -> Path:
    """Write `data` to `benchmarks/out/<name>.json` and return the path."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    print(f"\nresults written to {path}")
    return path
