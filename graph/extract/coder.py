"""Code one parsed sentence: triggers → lexicon rule → arguments → actors → modality → events."""

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Token

from graph.actors.context import ArticleContext
from graph.actors.gazetteer import Gazetteer
from graph.actors.resolve import Found, SentenceResolver, mention_of
from graph.extract import arguments as args
from graph.extract.dates import DateResolver
from graph.extract.lexicon import Lexicon, LexiconRule
from graph.extract.modality import Modality, ModalityTable, analyse
from graph.types import ActorRef, ExtractedEvent

VERB_TAGS = frozenset({"VERB"})
NOUN_TAGS = frozenset({"NOUN", "PROPN"})
RECODING_LABELS = ("threaten:", "promise:", "refuse:", "negate", "deny", "agreed")
MANNER = frozenset({"in", "during", "with", "by", "through"})
# For hostile acts the place where they happen stands for the target when none is named.
PLACE_TARGET_ROOTS = frozenset({"15", "17", "18", "19", "20"})


@dataclass(frozen=True, slots=True)
class Match:
    """A trigger whose lexicon rule found its actors."""

    trigger: Token
    rule: LexiconRule
    pairs: tuple[tuple[Found, Found], ...]
    source_how: str
    target_how: str
    symmetric_pairs: bool
    consumed: tuple[int, ...]


class SentenceCoder:
    """Turns a parsed sentence into events, updating the article context as it reads."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        lexicon: Lexicon,
        modality: ModalityTable,
        dates: DateResolver,
    ):
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.modality = modality
        self.dates = dates

    def code(
        self, doc: Doc, offset: int, context: ArticleContext, day: date
    ) -> list[ExtractedEvent]:
        """Events stated in `doc` (one sentence starting at character `offset` of the article)."""
        resolver = SentenceResolver(self.gazetteer, context, day, doc)
        matches = self._matches(doc, resolver)
        moods = {match.trigger.i: analyse(match.trigger, self.modality) for match in matches}
        wrappers = {
            mood.wrapper_token.i
            for mood in moods.values()
            if mood.wrapper_token is not None and mood.label.startswith(RECODING_LABELS)
        }
        events: list[ExtractedEvent] = []
        sentence = doc[:]
        for match in matches:
            mood = moods[match.trigger.i]
            if mood.skip or match.trigger.i in wrappers:
                continue
            events.extend(self._events(match, mood, sentence.text, offset, day, doc))
        self._remember(doc, resolver, context)
        return events

    # ----------------------------------------------------------- matching
    def _matches(self, doc: Doc, resolver: SentenceResolver) -> list[Match]:
        consumed: set[int] = set()
        matches: list[Match] = []
        verbs = [t for t in doc if t.pos_ in VERB_TAGS]
        # a noun modifying another noun ("deportation flights", "arms sales") is no event
        nouns = [
            t for t in doc if t.pos_ in NOUN_TAGS and not mention_of(t) and t.dep_ != "compound"
        ]
        for pos, tokens in (("verb", verbs), ("noun", nouns)):
            for token in tokens:
                if token.i in consumed:
                    continue
                match = self._match(token, pos, resolver)
                if match is not None:
                    matches.append(match)
                    consumed.update(match.consumed)
        return matches

    def _match(self, trigger: Token, pos: str, resolver: SentenceResolver) -> Match | None:
        rules = self.lexicon.candidates(pos, trigger.lemma_.casefold())
        if not rules and trigger.lower_ != trigger.lemma_.casefold():
            rules = self.lexicon.candidates(pos, trigger.lower_)
        if not rules:
            return None
        for places in (False, True):
            match = self._match_rules(trigger, pos, rules, resolver, places)
            if match is not None:
                return match
        return None

    def _match_rules(
        self,
        trigger: Token,
        pos: str,
        rules: list[LexiconRule],
        resolver: SentenceResolver,
        places: bool,
    ) -> Match | None:
        """The first rule whose conditions hold and whose slots name actors; the place of a
        hostile act counts as its target only when `places` (after every rule had its go)."""
        objects = modifiers = None
        for rule in rules:
            if rule.particle and not args.has_particle(trigger, rule.particle):
                continue
            if rule.objects:
                objects = objects if objects is not None else args.object_lemmas(trigger, pos)
                if not objects & rule.objects:
                    continue
            if rule.modifiers:
                modifiers = (
                    modifiers if modifiers is not None else args.modifier_lemmas(trigger, pos)
                )
                if not modifiers & rule.modifiers:
                    continue
            match = self._with_actors(trigger, rule, resolver, places)
            if match is not None:
                return match
        return None

    def _with_actors(
        self, trigger: Token, rule: LexiconRule, resolver: SentenceResolver, places: bool
    ) -> Match | None:
        candidates = (
            args.verb_sources(trigger)
            if rule.pos == "verb"
            else args.noun_sources(trigger, self._is_event_noun, rule.strict, self._is_third_party)
        )
        sources, source_heads, source_how = self._first_actors(
            ((heads, how, False) for heads, how in candidates), resolver
        )
        exclude = frozenset(f.actor.code for f in sources)
        targets, target_heads, target_how = self._first_actors(
            args.target_candidates(trigger, rule), resolver, things=True, exclude=exclude
        )
        if places and not targets and rule.code[:2] in PLACE_TARGET_ROOTS:
            targets, target_heads, target_how = self._first_actors(
                args.place_candidates(trigger, rule), resolver, places=True, exclude=exclude
            )
        if not self._conditions_hold(rule, sources, targets, source_heads, target_heads):
            return None
        pairs = tuple((s, t) for s in sources for t in targets if _distinct(s.actor, t.actor))
        symmetric_pairs = False
        if not pairs and rule.symmetric:
            group = sources if len(sources) >= 2 and not targets else targets if not sources else []
            pairs = tuple((a, b) for a in group for b in group if _distinct(a.actor, b.actor))
            symmetric_pairs = bool(pairs)
        if not pairs:
            return None
        consumed = [trigger.i]
        if rule.pos == "verb":
            obj = args.direct_object(trigger)
            if rule.objects and obj is not None:
                # the object noun is part of this event ("lifted most of the sanctions")
                extended = (obj, *obj.conjuncts, *args.object_extensions(obj))
                consumed.extend(t.i for t in extended)
            # "killed dozens in an ambush", "hit in a drone strike": the same act again
            consumed.extend(
                o.i
                for p in args.children(trigger, "prep")
                if p.lower_ in MANNER
                for o in args.pobjects(p)
            )
        return Match(trigger, rule, pairs, source_how, target_how, symmetric_pairs, tuple(consumed))

    def _first_actors(
        self,
        candidates,
        resolver: SentenceResolver,
        places: bool = False,
        things: bool = False,
        exclude: frozenset[str] = frozenset(),
    ) -> tuple[list[Found], list[Token], str]:
        """The actors of the first candidate slot that names any. An event noun in the slot
        stands for its own agent ("Israeli strikes killed ..."); for targets, a thing stands
        for whoever or wherever it belongs to ("the centre of the Ukrainian city of Sumy")."""
        candidates = list(candidates)
        for heads, how, location in candidates:
            found = _unique(f for head in heads for f in resolver.resolve_all(head, location))
            if found and all(f.actor.code in exclude for f in found):
                continue  # "its border": the source itself is no target
            if not found and places:
                found = _unique(f for head in heads for f in resolver.resolve_all(head, True))
            if not found:
                found = _unique(f for head in heads for f in self._event_noun_agent(head, resolver))
                how = f"{how}-agent" if found else how
            if found:
                return found, heads, how
        if things or places:
            for heads, how, _ in candidates:
                found = _unique(f for head in heads for f in resolver.resolve_thing(head, exclude))
                if found:
                    return found, heads, f"{how}-thing"
        return [], [], ""

    def _is_third_party(self, token: Token) -> bool:
        return self.modality.word_class(token) == "mediate"

    def _is_event_noun(self, token: Token) -> bool:
        return token.pos_ in NOUN_TAGS and bool(
            self.lexicon.candidates("noun", token.lemma_.casefold())
        )

    def _event_noun_agent(self, noun: Token, resolver: SentenceResolver) -> list[Found]:
        """The actor behind an event noun: "the attack by X", "Israeli strikes killed"."""
        if noun.pos_ not in NOUN_TAGS or not self.lexicon.candidates(
            "noun", noun.lemma_.casefold()
        ):
            return []
        for heads, how in args.noun_sources(noun):
            if how.startswith("governor"):
                return []
            found = _unique(f for head in heads for f in resolver.resolve_all(head))
            if found:
                return found
        return []

    @staticmethod
    def _conditions_hold(
        rule: LexiconRule,
        sources: list[Found],
        targets: list[Found],
        source_heads: list[Token],
        target_heads: list[Token],
    ) -> bool:
        for key, allowed in rule.conditions:
            if key == "source":
                ok = any(f.actor.sector in allowed for f in sources)
            elif key == "target":
                ok = any(f.actor.sector in allowed for f in targets)
            elif key == "source_kind":
                ok = any(_kind(f) in allowed for f in sources)
            elif key == "target_kind":
                ok = any(_kind(f) in allowed for f in targets)
            elif key == "source_head":
                ok = any(h.lemma_.casefold() in allowed for h in source_heads)
            else:
                ok = any(h.lemma_.casefold() in allowed for h in target_heads)
            if not ok:
                return False
        return True

    # ------------------------------------------------------------- events
    def _events(
        self, match: Match, mood: Modality, sentence: str, offset: int, day: date, doc: Doc
    ) -> list[ExtractedEvent]:
        code = mood.recode(match.rule.code, self.modality)
        event_day, precision, _ = self.dates.event_date(match.trigger, doc[:], day)
        trigger = match.trigger
        trigger_text = _trigger_text(trigger, match.rule)
        events = []
        for source, target in match.pairs:
            confidence = 0.9 if match.rule.pos == "verb" else 0.8
            confidence -= 0.15 * source.inferred + 0.15 * target.inferred
            confidence -= 0.05 * (
                match.source_how.startswith(("inherited", "governor")) + match.symmetric_pairs
            )
            confidence -= 0.05 * (mood.wrapper is not None)
            rule = (
                f"{match.rule.name} src={match.source_how or 'pair'}:{source.how}"
                f" tgt={match.target_how or 'pair'}:{target.how}"
            )
            if mood.label:
                rule += f" mod={mood.label}"
            events.append(
                ExtractedEvent(
                    source=source.actor,
                    target=target.actor,
                    cameo=code,
                    date=event_day,
                    date_precision=precision,
                    negated=mood.negated,
                    confidence=round(max(confidence, 0.2), 2),
                    sentence=sentence,
                    start=offset,
                    end=offset + len(sentence),
                    trigger=trigger_text,
                    rule=rule,
                )
            )
        return events

    # ------------------------------------------------------------ context
    @staticmethod
    def _remember(doc: Doc, resolver: SentenceResolver, context: ArticleContext) -> None:
        """Note the sentence's actors in the article context, subjects marked."""
        for token in doc:
            subject = token.dep_ in ("nsubj", "nsubjpass")
            if subject or (mention_of(token) and token.ent_iob_ == "B"):
                for found in resolver.resolve(token):
                    if subject or not found.inferred:
                        context.note(found.actor, subject=subject)


def _kind(found: Found) -> str:
    """What a found actor is for `*_kind` conditions: a place or a thing standing for its
    owner counts as `place` / `thing`, not as the actor it stands for."""
    if found.how in ("place", "capital-place"):
        return "place"
    if found.how in ("modifier", "scene", "thing"):
        return "thing"
    return found.actor.kind


def _distinct(a: ActorRef, b: ActorRef) -> bool:
    """Two different actors: not the same one, nor two names for one code (Putin and the
    Russian government), nor a country and its own government or leaders (a state does not
    host or meet itself; its army, rebels or civilians are other actors)."""
    if a.id == b.id or a.code == b.code:
        return False
    if a.rollup == b.rollup:
        bare = {x.sector is None and x.kind == "country" for x in (a, b)}
        governing = {x.sector == "GOV" for x in (a, b)}
        return not (True in bare and True in governing)
    return True


def _unique(found) -> list[Found]:
    seen: dict[str, Found] = {}
    for item in found:
        seen.setdefault(item.actor.id, item)
    return list(seen.values())


def _trigger_text(trigger: Token, rule: LexiconRule) -> str:
    if rule.particle:
        particle = next((c for c in trigger.children if c.lower_ == rule.particle), None)
        if particle is not None:
            return f"{trigger.text} {particle.text}"
    return trigger.text
