"""The trigger lexicon (`seeds/lexicon.tsv`): which word, in which setting, means which code."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graph import SEEDS_DIR
from graph.datafile import read_rows
from graph.ontology import Codebook, load_codebook

TARGET_SLOTS = frozenset({"dobj", "iobj", "poss", "that", "rejecter", "purpose"})
PREPOSITIONS = frozenset(
    {
        "with",
        "to",
        "against",
        "on",
        "in",
        "into",
        "from",
        "for",
        "at",
        "over",
        "of",
        "between",
        "toward",
        "towards",
        "upon",
        "across",
        "inside",
        "near",
        "onto",
        "among",
        "alongside",
        "beside",
        "under",
        "around",
        "off",
        "along",
        "outside",
        "through",
        "behind",
    }
)
CONDITION_KEYS = frozenset(
    {"source", "target", "source_head", "target_head", "source_kind", "target_kind"}
)


@dataclass(frozen=True, slots=True)
class LexiconRule:
    """One row of the lexicon."""

    line: int
    code: str
    pos: str
    lemma: str
    particle: str | None
    objects: frozenset[str]
    modifiers: frozenset[str]
    targets: tuple[str, ...]
    conditions: tuple[tuple[str, frozenset[str]], ...]
    symmetric: bool
    strict: bool  # a noun whose source must be its own (possessor, by-agent, modifier)
    # the subject receives and the slot gives: "took delivery of jets from Russia" (Russia → X)
    reverse: bool = False
    # "dissolved all political parties": with no target named, the act falls on the source's
    # own country, as this sector of it (OPP, CVL)
    domestic: str | None = None

    @property
    def name(self) -> str:
        """A stable, readable name for the rule, stored with every evidence it produces."""
        word = f"{self.lemma} {self.particle}" if self.particle else self.lemma
        return f"{self.pos}:{word}/{self.code}@L{self.line}"

    @property
    def specificity(self) -> int:
        # an exclusion ("source!=REF") narrows a row without making it more specific
        positive = sum(not key.endswith("!") for key, _ in self.conditions)
        return bool(self.objects) + bool(self.modifiers) + bool(self.particle) + positive


class Lexicon:
    """Lexicon rules indexed by (part of speech, lemma)."""

    def __init__(self, rules: list[LexiconRule]):
        self.rules = rules
        self._index: dict[tuple[str, str], list[LexiconRule]] = {}
        for rule in rules:
            self._index.setdefault((rule.pos, rule.lemma), []).append(rule)
        for candidates in self._index.values():
            candidates.sort(key=lambda rule: -rule.specificity)  # stable: file order breaks ties

    def candidates(self, pos: str, lemma: str) -> list[LexiconRule]:
        """The rules for a word, most specific first."""
        return self._index.get((pos, lemma), [])

    def lemmas(self, pos: str) -> set[str]:
        return {lemma for (rule_pos, lemma) in self._index if rule_pos == pos}

    @classmethod
    def from_file(cls, path: Path, codebook: Codebook) -> "Lexicon":
        columns = ("code", "pos", "lemma", "object", "modifier", "target", "when")
        rules = [_parse(row, codebook) for row in read_rows(path, columns)]
        return cls(rules)


def _parse(row, codebook: Codebook) -> LexiconRule:
    code = row["code"]
    if code not in codebook:
        raise row.error(f"unknown CAMEO code {code!r}")
    if codebook.get(code).plover is None:
        raise row.error(f"code {code} has no PLOVER type, so it cannot be an event")
    pos = row["pos"]
    if pos not in ("verb", "noun"):
        raise row.error(f"pos must be verb or noun, got {pos!r}")
    words = row["lemma"].casefold().split()
    if not words or len(words) > 2:
        raise row.error(f"lemma {row['lemma']!r} must be one word, or a verb and its particle")
    if len(words) == 2 and pos != "verb":
        raise row.error("only verbs take a particle")
    targets = tuple(slot.casefold() for slot in row.list("target"))
    unknown = [slot for slot in targets if slot not in TARGET_SLOTS | PREPOSITIONS]
    if unknown:
        raise row.error(f"unknown target slot(s) {unknown}")
    conditions: list[tuple[str, frozenset[str]]] = []
    flags = set()
    domestic = None
    for clause in filter(None, (part.strip() for part in row.get("when").split(","))):
        if clause in ("symmetric", "strict", "reverse"):
            flags.add(clause)
            continue
        key, sep, values = clause.partition("=")
        if key.strip() == "domestic" and sep:
            domestic = values.strip()
            if not domestic.isalpha() or not domestic.isupper():
                raise row.error(f"domestic= takes one sector code, got {domestic!r}")
            continue
        if not sep or key.strip().removesuffix("!").strip() not in CONDITION_KEYS:
            raise row.error(f"unknown condition {clause!r}")
        options = frozenset(value.strip() for value in values.split("|") if value.strip())
        # "source!=REF": the condition holds when the actor is none of these
        key, negated = key.strip(), key.strip().endswith("!")
        key = key.removesuffix("!").strip()
        if key not in CONDITION_KEYS:
            raise row.error(f"unknown condition {clause!r}")
        conditions.append((key + "!" if negated else key, options))
    return LexiconRule(
        line=row.line,
        code=code,
        pos=pos,
        lemma=words[0],
        particle=words[1] if len(words) == 2 else None,
        objects=frozenset(word.casefold() for word in row.list("object")),
        modifiers=frozenset(word.casefold() for word in row.list("modifier")),
        targets=targets,
        conditions=tuple(conditions),
        symmetric="symmetric" in flags,
        strict="strict" in flags,
        reverse="reverse" in flags,
        domestic=domestic,
    )


@cache
def load_lexicon(seeds_dir: Path = SEEDS_DIR) -> Lexicon:
    """The lexicon from `seeds_dir`, read once per process."""
    return Lexicon.from_file(seeds_dir / "lexicon.tsv", load_codebook(seeds_dir))
