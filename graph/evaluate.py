"""Score the extractor against a gold set (`tests/gold/`): precision, recall and F1 at the
dyad level and the dyad + PLOVER level, a confusion table of PLOVER types, and the misses."""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graph.actors.gazetteer import Gazetteer
from graph.extract.pipeline import Extractor
from graph.ontology import Codebook
from graph.types import ActorRef, ArticleIn, ExtractedEvent

GOLD_FILES = ("sentences.jsonl", "articles.jsonl")


class GoldFormatError(ValueError):
    """A gold file is malformed; the message names file and line."""


@dataclass(frozen=True, slots=True)
class GoldEvent:
    source: str
    target: str
    cameo: str
    plover: str
    negated: bool


@dataclass(frozen=True, slots=True)
class GoldItem:
    id: str
    text: str
    published_at: date | None
    tags: tuple[str, ...]
    events: tuple[GoldEvent, ...]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, expected: set, found: set) -> None:
        self.tp += len(expected & found)
        self.fp += len(found - expected)
        self.fn += len(expected - found)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Miss:
    item: str
    text: str
    missing: list[tuple]
    spurious: list[tuple]


@dataclass
class Report:
    items: int = 0
    dyad: Score = field(default_factory=Score)
    typed: Score = field(default_factory=Score)
    confusion: Counter = field(default_factory=Counter)
    by_tag: dict[str, Score] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "items": self.items,
            "dyad": self.dyad.as_dict(),
            "dyad_plover": self.typed.as_dict(),
            "confusion": [
                {"expected": e, "found": f, "count": n}
                for (e, f), n in self.confusion.most_common()
            ],
            "by_tag": {tag: score.as_dict() for tag, score in sorted(self.by_tag.items())},
        }


def load_gold(path: Path) -> list[GoldItem]:
    """Gold items from a JSONL file, or from the gold files of a folder."""
    files = (
        [path / name for name in GOLD_FILES if (path / name).exists()] if path.is_dir() else [path]
    )
    if not files:
        raise GoldFormatError(f"{path}: no {' or '.join(GOLD_FILES)} found")
    items: list[GoldItem] = []
    seen: set[str] = set()
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{file}:{number}"
            try:
                raw = json.loads(line)
                item = GoldItem(
                    id=str(raw["id"]),
                    text=raw["text"],
                    published_at=date.fromisoformat(raw["published_at"])
                    if raw.get("published_at")
                    else None,
                    tags=tuple(raw.get("tags", ())),
                    events=tuple(
                        GoldEvent(
                            e["source"],
                            e["target"],
                            e["cameo"],
                            e["plover"],
                            bool(e.get("negated")),
                        )
                        for e in raw["events"]
                    ),
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                raise GoldFormatError(f"{where}: {type(error).__name__}: {error}") from None
            if item.id in seen:
                raise GoldFormatError(f"{where}: duplicate id {item.id!r}")
            seen.add(item.id)
            items.append(item)
    return items


class CountryLevel:
    """Map actor codes and extracted actors onto the level the dyad score compares."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self._named = {actor.code: actor.country for actor in gazetteer.orgs.values()}
        self._named.update({actor.code: actor.country for actor in gazetteer.groups.values()})

    def of_code(self, code: str) -> str:
        if code in self._named:
            return self._named[code] or _family(code)
        if code[:3] in self.gazetteer.countries:
            return code[:3]
        return _family(code)

    @staticmethod
    def of_actor(actor: ActorRef) -> str:
        return actor.country or _family(actor.code)


def _family(code: str) -> str:
    """UN bodies (IGOUNO…: the Security Council, the Human Rights Council, UNHCR) count as the
    UN at this level; other codes stand for themselves."""
    return "IGOUNO" if code.startswith("IGOUNO") else code


def evaluate(
    extractor: Extractor, items: list[GoldItem], codebook: Codebook, keep_misses: bool = True
) -> Report:
    """Run the extractor over the gold items and score it."""
    level = CountryLevel(extractor.gazetteer)
    report = Report(items=len(items))
    articles = [ArticleIn(text=item.text, published_at=item.published_at) for item in items]
    for item, found_events in zip(items, extractor.extract_many(articles), strict=True):
        expected = {
            (level.of_code(e.source), level.of_code(e.target), e.plover, e.negated)
            for e in item.events
        }
        found = {_tuple(event, level, codebook) for event in found_events}
        expected_dyads = {(s, t, n) for s, t, _, n in expected}
        found_dyads = {(s, t, n) for s, t, _, n in found}
        report.dyad.add(expected_dyads, found_dyads)
        report.typed.add(expected, found)
        for tag in item.tags:
            report.by_tag.setdefault(tag, Score()).add(expected, found)
        for s, t, plover, n in expected - found:
            wrong = [f for f in found - expected if f[0] == s and f[1] == t and f[3] == n]
            for other in wrong:
                report.confusion[(plover, other[2])] += 1
        if keep_misses and expected != found:
            report.misses.append(
                Miss(item.id, item.text, sorted(expected - found), sorted(found - expected))
            )
    return report


def _tuple(event: ExtractedEvent, level: CountryLevel, codebook: Codebook) -> tuple:
    plover = codebook.get(event.cameo).plover
    return (level.of_actor(event.source), level.of_actor(event.target), plover, event.negated)


def format_report(report: Report, misses: int = 20) -> str:
    """The report as text for the terminal."""
    lines = [
        f"items: {report.items}",
        "",
        f"{'level':<16}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>6}{'FN':>6}",
    ]
    for name, score in (("dyad", report.dyad), ("dyad + PLOVER", report.typed)):
        lines.append(
            f"{name:<16}{score.precision:>8.3f}{score.recall:>8.3f}{score.f1:>8.3f}"
            f"{score.tp:>6}{score.fp:>6}{score.fn:>6}"
        )
    if report.confusion:
        lines += ["", "PLOVER confusion (expected → found, same dyad):"]
        lines += [f"  {e:<10} → {f:<10} {n}" for (e, f), n in report.confusion.most_common()]
    if report.by_tag:
        lines += ["", "dyad + PLOVER F1 by tag:"]
        lines += [
            f"  {tag:<18} F1 {score.f1:.3f}  (TP {score.tp}, FP {score.fp}, FN {score.fn})"
            for tag, score in sorted(report.by_tag.items())
        ]
    if misses and report.misses:
        lines += ["", f"misses (first {min(misses, len(report.misses))} of {len(report.misses)}):"]
        for miss in report.misses[:misses]:
            text = miss.text if len(miss.text) <= 160 else miss.text[:157] + "..."
            lines.append(f"  [{miss.item}] {text}")
            lines += [f"      missing  {m}" for m in miss.missing]
            lines += [f"      spurious {s}" for s in miss.spurious]
    return "\n".join(lines)
