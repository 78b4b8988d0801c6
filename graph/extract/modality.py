"""Modality: is a coded act asserted, negated, denied, threatened, promised, refused, asked
for, alleged, ended, permitted or only hypothetical?

Word classes come from `seeds/modality.tsv`; how a threat, promise or refusal recodes the
act comes from `seeds/codebook/modality_codes.tsv`.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Token

from graph import SEEDS_DIR
from graph.datafile import DataFileError, read_rows
from graph.ontology import Codebook, load_codebook

RECODING_WRAPPERS = ("threaten", "promise", "refuse")
NEGATING = ("negate", "deny")
SKIPPING = ("appeal", "allege", "hypothetical", "end", "permit")
CLASSES = frozenset(
    {*RECODING_WRAPPERS, *NEGATING, *SKIPPING, "realis", "report", "agree", "mediate", "admit"}
)
WORD_POS = {"verb": ("VERB",), "noun": ("NOUN", "PROPN"), "aux": ("AUX", "VERB"), "any": ()}
ADMISSIONS = frozenset({"responsibility", "credit"})
HOSTILE_ROOTS = frozenset(f"{root:02d}" for root in range(9, 21))
# Dependency links through which a governing word reaches the act it governs.
# (Not advcl: "severed relations, accusing it of ..." is a second act, not a complement.)
COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "pcomp", "dobj", "pobj", "prep", "acl"})
NON_FINITE_DEPS = frozenset({"xcomp", "pcomp", "prep", "acl"})
CONDITIONAL_MARKERS = frozenset({"if", "unless", "whether"})
HYPOTHETICAL_DETERMINERS = frozenset({"any", "no"})


@dataclass(frozen=True, slots=True)
class Modality:
    """What governs an act: how it is to be coded."""

    skip: bool = False
    negated: bool = False
    wrapper: str | None = None  # threaten | promise | refuse, when the code changes
    wrapper_token: Token | None = None
    label: str = ""

    def recode(self, code: str, table: "ModalityTable") -> str:
        """The code the act gets under this modality."""
        if self.wrapper is None:
            return code
        return table.recode(self.wrapper, code)


@dataclass(frozen=True, slots=True)
class WordClass:
    name: str
    pos: tuple[str, ...]  # the spaCy POS tags it applies to; empty: any


class ModalityTable:
    """Word classes and the recoding table."""

    def __init__(self, classes: dict[str, list[WordClass]], recodings: dict[str, dict[str, str]]):
        self.classes = classes
        self._recodings = recodings

    def word_class(self, token: Token) -> str | None:
        """The class of a governing word, for its part of speech."""
        for key in (token.lemma_.casefold(), token.lower_):
            for entry in self.classes.get(key, ()):
                if not entry.pos or token.pos_ in entry.pos:
                    return entry.name
        return None

    def recode(self, wrapper: str, code: str) -> str:
        if wrapper == "promise" and code[:2] in HOSTILE_ROOTS:
            wrapper = "threaten"
        table = self._recodings[wrapper]
        for length in range(len(code), 1, -1):
            if code[:length] in table:
                return table[code[:length]]
        return table["*"]

    @classmethod
    def from_files(cls, words: Path, codes: Path, codebook: Codebook) -> "ModalityTable":
        classes: dict[str, list[WordClass]] = {}
        for row in read_rows(words, ("lemma", "class", "pos")):
            if row["class"] not in CLASSES:
                raise row.error(f"unknown class {row['class']!r}; allowed: {sorted(CLASSES)}")
            pos = row.get("pos") or "any"
            if pos not in WORD_POS:
                raise row.error(f"pos must be one of {sorted(WORD_POS)}, got {pos!r}")
            classes.setdefault(row["lemma"].casefold(), []).append(
                WordClass(row["class"], WORD_POS[pos])
            )
        recodings: dict[str, dict[str, str]] = {wrapper: {} for wrapper in RECODING_WRAPPERS}
        for row in read_rows(codes, ("wrapper", "inner", "code")):
            if row["wrapper"] not in recodings:
                raise row.error(f"wrapper must be one of {RECODING_WRAPPERS}")
            if row["code"] not in codebook or codebook.get(row["code"]).plover is None:
                raise row.error(f"code {row['code']!r} is not a codable CAMEO code")
            recodings[row["wrapper"]][row["inner"]] = row["code"]
        for wrapper, table in recodings.items():
            if "*" not in table:
                raise DataFileError(f"{codes}: wrapper {wrapper} needs a '*' row")
        return cls(classes, recodings)


def governing_chain(trigger: Token, limit: int = 3) -> list[Token]:
    """The words above `trigger` that can govern it: heads reached through complement links."""
    chain: list[Token] = []
    token = trigger
    for _ in range(limit):
        if token.dep_ not in COMPLEMENT_DEPS or token.head.i == token.i:
            break
        token = token.head
        chain.append(token)
        # A finite verb closes the clause; keep climbing only through non-finite links.
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in NON_FINITE_DEPS:
            break
    return chain


def analyse(trigger: Token, table: ModalityTable) -> Modality:
    """How the act expressed by `trigger` is to be coded."""
    negated = _is_negated(trigger)
    if _is_conditional(trigger):
        return Modality(skip=True, label="conditional")
    if trigger.pos_ == "NOUN":
        determiners = {c.lower_ for c in trigger.children if c.dep_ == "det"}
        if "no" in determiners:
            return Modality(negated=True, label="no-det")
        if determiners & HYPOTHETICAL_DETERMINERS:
            return Modality(skip=True, label="hypothetical-det")
    if _is_purpose(trigger, table):
        return Modality(skip=True, label="purpose")
    # "a Chinese blockade of Taiwan would cost ...": a subject noun shares its verb's mood
    subject = trigger.pos_ == "NOUN" and trigger.dep_ in ("nsubj", "nsubjpass")
    if subject and _modal_class(trigger.head, table) == "hypothetical":
        return Modality(skip=True, label="modal")
    auxiliary = _modal_class(trigger, table)
    carrier = trigger
    if auxiliary is None and trigger.pos_ == "NOUN" and trigger.dep_ == "dobj":
        # "said the bloc would widen its sanctions": the object noun shares its verb's mood
        carrier = trigger.head
        auxiliary = _modal_class(carrier, table)
    chain = governing_chain(trigger)
    for place, governor in enumerate(chain):
        word_class = table.word_class(governor)
        if word_class in (None, "realis", "report", "mediate", "admit"):
            continue
        # "reports that Wagner fighters were preparing to leave": the promise is only alleged
        above = [table.word_class(g) for g in chain[place + 1 :]]
        if word_class in RECODING_WRAPPERS and ("allege" in above or "hypothetical" in above):
            return Modality(skip=True, wrapper_token=governor, label="alleged-intent")
        governor_negated = _is_negated(governor)
        if word_class == "agree":
            if {"appeal", "allege", "hypothetical"} & set(above):
                # "pressed both sides to agree to a ceasefire": the agreement is only asked for
                return Modality(skip=True, wrapper_token=governor, label="asked-to-agree")
            if trigger.pos_ != "VERB":
                # "agreed to a ceasefire" declares it ("agreed to withdraw" promises): the act
                # stands, and the agreeing is not a second event; "failed to agree on a
                # ceasefire", "did not agree to a truce": the act did not happen
                not_agreed = governor_negated != bool(above and above[0] in NEGATING)
                return Modality(
                    negated=negated != not_agreed, wrapper_token=governor, label="agreed"
                )
            word_class = "promise"
        if word_class == "threaten" and _object_control(trigger, governor):
            # "warned Tehran not to target American forces": Tehran's act is warned against;
            # the warning to Tehran is the event (the verb's own row)
            return Modality(skip=True, label="warned-off")
        if word_class in RECODING_WRAPPERS:
            if governor_negated and word_class == "promise":
                return Modality(negated=True, label=f"not-{governor.lemma_}")
            return Modality(
                negated=negated,
                wrapper=word_class,
                wrapper_token=governor,
                label=f"{word_class}:{governor.lemma_}",
            )
        if word_class in NEGATING:
            return Modality(negated=not governor_negated, wrapper_token=governor, label=word_class)
        if word_class == "allege" and _admits(governor):
            continue  # "claimed responsibility for the attacks": an admission, not a claim
        return Modality(skip=True, wrapper_token=governor, label=word_class)
    if auxiliary == "promise" or _planned(trigger):
        return Modality(negated=negated, wrapper="promise", label="future")
    if auxiliary == "hypothetical":
        if _reported_future(carrier, table):
            return Modality(negated=negated, wrapper="promise", label="reported-future")
        return Modality(skip=True, label="modal")
    return Modality(negated=negated, label="negated" if negated else "")


def admitted_by(trigger: Token, table: ModalityTable) -> Token | None:
    """The verb that admits the act of `trigger` ("acknowledged that it had killed X",
    "admitted bombing the village"), if one governs it and is not itself negated."""
    for governor in governing_chain(trigger):
        word_class = table.word_class(governor)
        if word_class == "admit":
            return None if _is_negated(governor) else governor
        if word_class not in (None, "realis", "report", "mediate"):
            return None
    return None


def _object_control(trigger: Token, governor: Token) -> bool:
    """ "warned X (not) to V": V is the infinitive of a governor that has an object."""
    return (
        trigger.dep_ == "xcomp"
        and trigger.head.i == governor.i
        and any(c.dep_ == "dobj" for c in governor.children)
    )


def _planned(trigger: Token) -> bool:
    """ "Israeli troops are to withdraw": `be` + to-infinitive is a planned act."""
    head = trigger.head
    return (
        trigger.pos_ == "VERB"
        and trigger.dep_ == "xcomp"
        and head.lemma_ == "be"
        and head.i != trigger.i
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
    )


def _admits(verb: Token) -> bool:
    return any(c.dep_ == "dobj" and c.lemma_.casefold() in ADMISSIONS for c in verb.children)


def _reported_future(token: Token, table: ModalityTable) -> bool:
    """ "announced they would recognise", "said it would send": `would` as the future of a
    report, not a condition."""
    would = any(c.dep_ == "aux" and c.lower_ in ("would", "'d") for c in token.children)
    return would and token.dep_ == "ccomp" and table.word_class(token.head) == "report"


def _is_negated(token: Token) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


def _modal_class(token: Token, table: ModalityTable) -> str | None:
    """The class of the modal auxiliary on the trigger, or on the verbs it is the infinitive
    of ("would not hesitate to target him")."""
    current = token
    for _ in range(3):
        for child in current.children:
            if child.dep_ in ("aux", "auxpass") and child.tag_ == "MD":
                return table.word_class(child)
        if current.dep_ != "xcomp" or current.head.i == current.i:
            return None
        current = current.head
    return None


def _is_purpose(token: Token, table: ModalityTable) -> bool:
    """ "a joint force to fight jihadists", "a deal to exchange prisoners": an act in an
    infinitive attached to a noun is only intended — unless the noun is a decision."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head  # "a deal to halt the fighting and exchange prisoners"
    if not any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children):
        return False
    if token.dep_ == "advcl":
        return True  # "set up a joint force ... to fight jihadists": in order to
    # ("ways to end the war" is parsed as a relative clause: the same infinitive on a noun)
    if token.dep_ not in ("acl", "relcl") or token.head.pos_ not in ("NOUN", "PROPN"):
        return False
    return table.word_class(token.head) != "realis"


def _is_conditional(token: Token) -> bool:
    current = token
    for _ in range(3):
        if any(
            child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKERS
            for child in current.children
        ):
            return True
        if (
            current.dep_ not in ("xcomp", "conj", "dobj", "pobj", "prep")
            or current.head.i == current.i
        ):
            return False
        current = current.head
    return False


@cache
def load_modality(seeds_dir: Path = SEEDS_DIR) -> ModalityTable:
    """The modality table from `seeds_dir`, read once per process."""
    return ModalityTable.from_files(
        seeds_dir / "modality.tsv",
        seeds_dir / "codebook" / "modality_codes.tsv",
        load_codebook(seeds_dir),
    )
