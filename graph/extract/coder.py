"""Code one parsed sentence: triggers → lexicon rule → arguments → actors → modality → events."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Token

from graph.actors.context import ArticleContext
from graph.actors.gazetteer import Gazetteer
from graph.actors.resolve import Found, SentenceResolver, mention_of
from graph.extract import arguments as args
from graph.extract.dates import DateResolver
from graph.extract.lexicon import Lexicon, LexiconRule
from graph.extract.modality import Modality, ModalityTable, admitted_by, analyse
from graph.types import ActorRef, ExtractedEvent

VERB_TAGS = frozenset({"VERB"})
NOUN_TAGS = frozenset({"NOUN", "PROPN"})
RECODING_LABELS = ("threaten:", "promise:", "refuse:", "negate", "deny", "agreed")
MANNER = frozenset({"in", "during", "with", "by", "through"})
# For hostile acts the place where they happen stands for the target when none is named.
PLACE_TARGET_ROOTS = frozenset({"15", "17", "18", "19", "20"})
# acts of force a later "the attack", "the strikes" can point back to
HOSTILE_ROOTS = frozenset({"18", "19", "20"})
# commitments and aid whose recipient the article supplies: "has pledged $300 million"
COUNTERPART_ROOTS = frozenset({"03", "07"})
ANAPHORIC_DETERMINERS = frozenset({"the", "this", "these", "those", "that"})
# asking for someone's release asks it of whoever holds them
RELEASE_WORDS = frozenset({"release", "freedom"})
CAPTURE_VERBS = frozenset(
    {"arrest", "detain", "hold", "capture", "seize", "abduct", "kidnap", "jail", "imprison"}
)
# "mediated by Qatar with help from Egypt": helpers of a mediator mediate too
HELP_NOUNS = frozenset({"help", "support", "assistance", "backing"})
# what a host hosts when it is between others: "Turkey hosted the meeting", "the ceremony"
HOSTED_OCCASIONS = frozenset(
    {"meeting", "talk", "negotiation", "summit", "ceremony", "signing", "round", "conference"}
)


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
        matches += self._third_parties(doc, matches, resolver, context)
        matches += self._admissions(matches, resolver)
        moods = {match.trigger.i: self._mood(match) for match in matches}
        wrappers = {
            mood.wrapper_token.i
            for mood in moods.values()
            if mood.wrapper_token is not None and mood.label.startswith(RECODING_LABELS)
        }
        events: list[ExtractedEvent] = []
        sentence = doc[:]
        for match in matches:
            mood = moods[match.trigger.i]
            if mood.skip or match.trigger.i in wrappers or _restated(match, context):
                continue
            produced = self._events(match, mood, sentence.text, offset, day, doc)
            events.extend(produced)
            for event in produced:
                context.note_dealing(event.source, event.target, event.cameo)
            if produced and _between_sides(match):
                sides = _by_country(f for pair in match.pairs for f in pair)
                context.note_parties([f.actor for f in sides])
            if produced and mood.wrapper is None and not mood.negated and _hostile(match):
                context.note_attack([s.actor for s in _unique(s for s, _ in match.pairs)])
        self._remember(doc, resolver, context)
        return events

    def _mood(self, match: Match) -> Modality:
        mood = analyse(match.trigger, self.modality)
        if match.target_how.startswith("rejecter"):
            # "rejected India's accusations": the verb turns the accusation down, it was made
            return Modality(label="rejected")
        if match.target_how == "sides" and mood.wrapper is not None:
            # "agreed to a ceasefire after talks mediated by Qatar": Qatar's mediation happened
            return Modality(negated=mood.negated, label="third-party")
        if mood.label == "purpose" and match.rule.code[:2] == "09":
            # "set up a fact-finding mission to investigate X", "sent inspectors to probe X":
            # sending or setting up investigators is the investigation, in the mood of the verb
            # (or noun) that does it ("called for a mission to investigate" stays a request)
            return analyse(match.trigger.head, self.modality)
        if mood.label == "promise:agree" and match.rule.code == "0871":
            # "agreed to stop the fighting" declares the ceasefire, like "agreed to a ceasefire"
            return Modality(negated=mood.negated, wrapper_token=mood.wrapper_token, label="agreed")
        return mood

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
                if token.i in consumed or self._mediator_participle(token):
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
            else args.noun_sources(
                trigger,
                self._is_event_noun,
                rule.strict,
                self._is_third_party,
                consult=rule.code[:2] == "04",
            )
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
        if not targets and len(sources) == 1 and self._counterpart_rule(trigger, rule):
            # "Kenya has promised to send 1,000 officers": to the one country the article has
            # Kenya dealing with
            other = resolver.context.counterpart(sources[0].actor)
            if other is not None:
                if other.kind == "country" and other.country:
                    other = self.gazetteer.country_actor(other.country)
                targets, target_how = [Found(other, "counterpart")], "counterpart"
        if (
            places
            and rule.domestic
            and not any(_distinct(s.actor, t.actor) for s in sources for t in targets)
        ):
            # "Mali's junta dissolved all political parties", "declared martial law": an act
            # of repression with no other target falls on the source's own country
            targets = _unique(
                Found(self.gazetteer.country_actor(s.actor.country, rule.domestic), "domestic")
                for s in sources
                if s.actor.country and s.actor.kind != "group"
            )
            target_how = "domestic" if targets else target_how
        if rule.objects & RELEASE_WORDS and not any(
            _distinct(s.actor, t.actor) and not _own_people(s.actor, t.actor)
            for s in sources
            for t in targets
        ):
            # "arrested a French national, and Paris demanded his release": the release is
            # asked of whoever holds the person
            holders = self._holders(trigger, resolver, exclude)
            if holders:
                targets, target_how = holders, "holder"
        if not self._conditions_hold(rule, sources, targets, source_heads, target_heads):
            return None
        pairs = tuple((s, t) for s in sources for t in targets if _distinct(s.actor, t.actor))
        if "03" <= rule.code[:2] <= "08":
            # "troops limited to protecting U.S. personnel", "Zelensky greeted the returning
            # prisoners": a state helping or meeting its own country or people is no relation
            pairs = tuple((s, t) for s, t in pairs if not _own_people(s.actor, t.actor))
        symmetric_pairs = False
        if not pairs and len(sources) >= 2 and _reciprocal(trigger, rule):
            # "India and Pakistan accused each other": every side to every other
            pairs = tuple((a, b) for a in sources for b in sources if _distinct(a.actor, b.actor))
            symmetric_pairs = bool(pairs)
        if not pairs and rule.symmetric:
            group = sources if len(sources) >= 2 and not targets else targets if not sources else []
            pairs = tuple((a, b) for a in group for b in group if _distinct(a.actor, b.actor))
            symmetric_pairs = bool(pairs)
        if not pairs:
            return None
        if rule.reverse:
            # "received Russian instructors": the slot's actor gives, the subject receives
            pairs = tuple((t, s) for s, t in pairs)
            source_how, target_how = target_how, source_how
        consumed = [trigger.i]
        if rule.pos == "verb":
            obj = args.direct_object(trigger)
            if rule.objects and obj is not None:
                # the object noun is part of this event ("lifted most of the sanctions")
                extended = (obj, *obj.conjuncts, *args.object_extensions(obj))
                consumed.extend(t.i for t in extended)
            # "killed dozens in an ambush", "hit in a drone strike": the same act again
            # (not "with Petro accusing Israel": a clause with its own subject is its own act;
            # nor "signed a pact during Putin's visit": an act of another kind)
            consumed.extend(
                o.i
                for p in args.children(trigger, "prep")
                if p.lower_ in MANNER
                for o in args.pobjects(p)
                if not any(c.dep_ in ("nsubj", "nsubjpass") for c in o.children)
                and self._same_kind(o, rule)
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
                # "the war would resume, vowing to ...": an inherited subject that is a definite
                # event noun does not point back to the latest attackers
                anaphoric = not how.startswith("inherited")
                found = _unique(
                    f for head in heads for f in self._event_noun_agent(head, resolver, anaphoric)
                )
                how = f"{how}-agent" if found else how
            if found:
                return found, heads, how
        if things or places:
            for heads, how, _ in candidates:
                found = _unique(f for head in heads for f in resolver.resolve_thing(head, exclude))
                if found:
                    return found, heads, f"{how}-thing"
        return [], [], ""

    def _holders(
        self, trigger: Token, resolver: SentenceResolver, exclude: frozenset[str]
    ) -> list[Found]:
        """Who holds the people whose release `trigger` asks for: the subject of an arrest or
        capture in the sentence ("held by the Houthis"), else the source of the latest one in
        the article."""
        for verb in trigger.doc:
            if verb.pos_ == "VERB" and verb.lemma_.casefold() in CAPTURE_VERBS:
                found, _, _ = self._first_actors(
                    ((heads, how, False) for heads, how in args.verb_sources(verb)),
                    resolver,
                    exclude=exclude,
                )
                found = [f for f in found if f.actor.code not in exclude]
                if found:
                    return found
        for root in ("173", "181"):
            latest = resolver.context.latest_source(root)
            if latest is not None and latest.code not in exclude:
                return [Found(latest, "holder")]
        return []

    def _same_kind(self, noun: Token, rule: LexiconRule) -> bool:
        """Whether an event noun can restate the act of `rule` (same CAMEO root), or is no
        event noun at all."""
        if noun.pos_ not in NOUN_TAGS:
            return True
        rules = self.lexicon.candidates("noun", noun.lemma_.casefold())
        return not rules or any(r.code[:2] == rule.code[:2] for r in rules)

    @staticmethod
    def _counterpart_rule(trigger: Token, rule: LexiconRule) -> bool:
        """A verb of commitment or aid with its thing-object ("pledged $300 million", "send
        1,000 officers") and no recipient slot in its sentence at all."""
        if rule.pos != "verb" or not rule.objects or rule.code[:2] not in COUNTERPART_ROOTS:
            return False
        if rule.conditions or rule.reverse or rule.symmetric:
            return False
        slots = set(rule.targets) - {"dobj", "iobj", "that", "poss"}
        has_slot = any(
            p.lower_ in slots
            for host in (trigger, args.direct_object(trigger))
            if host is not None
            for p in args.children(host, "prep")
        )
        return not has_slot and not any(c.dep_ == "dative" for c in trigger.children)

    # ---------------------------------------------------------- admissions
    def _admissions(self, matches: list[Match], resolver: SentenceResolver) -> list[Match]:
        """ "Israel acknowledged that it had killed X": the admitted act stands, and the
        admitting is a CONCEDE (015) by the verb's subject towards the act's targets."""
        found: list[Match] = []
        matched = {m.trigger.i for m in matches}
        for match in matches:
            if match.target_how == "sides":
                continue
            governor = admitted_by(match.trigger, self.modality)
            if governor is None or governor.i in matched:
                continue
            mood = self._mood(match)
            if mood.skip or mood.negated or mood.wrapper is not None:
                continue
            rule = next(
                (
                    r
                    for r in self.lexicon.candidates("verb", governor.lemma_.casefold())
                    if r.code == "015"
                ),
                None,
            )
            if rule is None:
                continue
            sources, _, how = self._first_actors(
                ((heads, h, False) for heads, h in args.verb_sources(governor)), resolver
            )
            targets = _unique(t for _, t in match.pairs)
            pairs = tuple((s, t) for s in sources for t in targets if _distinct(s.actor, t.actor))
            if pairs:
                matched.add(governor.i)
                found.append(Match(governor, rule, pairs, how, match.target_how, False, ()))
        return found

    # ------------------------------------------------------- third parties
    def _mediator_participle(self, token: Token) -> bool:
        """ "a deal brokered by Qatar", "talks were mediated by Turkey": a third party's act,
        whose targets are the sides of the deal, not its slots."""
        return (
            token.tag_ == "VBN"
            and self._is_third_party(token)
            and (any(c.dep_ == "agent" for c in token.children) or bool(_hyphen_prefix(token)))
        )

    def _third_parties(
        self, doc: Doc, matches: list[Match], resolver: SentenceResolver, context: ArticleContext
    ) -> list[Match]:
        """Mediators and hosts of an act between others: "a deal brokered by China", "a
        U.S.-brokered agreement", "Turkey hosted that meeting". The sides are those of the act
        the deal belongs to in this sentence, else of the latest such act in the article."""
        found: list[Match] = []
        matched = {m.trigger.i for m in matches}
        for token in doc:
            mediators: list[Found] = []
            if self._mediator_participle(token):
                deal = token.head if token.dep_ == "acl" else token
                heads = [o for agent in args.children(token, "agent") for o in args.pobjects(agent)]
                heads += _hyphen_prefix(token)  # "a Qatar-mediated truce"
                heads += [
                    o
                    for p in args.children(token, "prep")
                    if p.lower_ == "with"
                    for h in args.pobjects(p)
                    if h.lemma_.casefold() in HELP_NOUNS
                    for q in args.children(h, "prep")
                    if q.lower_ == "from"
                    for o in args.pobjects(q)
                ]
                mediators = _unique(f for h in heads for f in resolver.resolve_all(h))
            elif "-" in token.text and token.dep_ in ("amod", "compound"):
                # "a U.S.-brokered agreement": the mediator is written into the adjective
                prefix, _, participle = token.text.rpartition("-")
                mention = self._third_party_word(participle) and self.gazetteer.mention_for(prefix)
                if mention:
                    deal = token.head
                    mediators = [resolver.mention_found(mention, token)]
            elif (
                token.pos_ == "VERB"
                and token.lemma_.casefold() == "host"
                and token.i not in matched
            ):
                deal = args.direct_object(token) or _demonstrative_object(token)
                if deal is not None and deal.lemma_.casefold() in HOSTED_OCCASIONS:
                    for heads, _how in args.verb_sources(token):
                        mediators = _unique(f for h in heads for f in resolver.resolve_all(h))
                        if mediators:
                            break
            if not mediators:
                continue
            rule = self._third_party_rule(token, deal)
            if rule is None:
                continue
            excluded = {f.actor.code for f in mediators}
            sides = [f for f in self._sides(deal, matches, context) if f.actor.code not in excluded]
            pairs = tuple((m, s) for m in mediators for s in sides if _distinct(m.actor, s.actor))
            if pairs:
                found.append(Match(token, rule, pairs, "agent", "sides", False, (token.i,)))
        return found

    def _third_party_word(self, participle: str) -> str | None:
        """The lemma of a participle such as "brokered" or "mediated" if it names a mediator."""
        word = participle.casefold()
        for lemma in (word[:-2], word[:-1]):
            if word.endswith("ed") and any(
                entry.name == "mediate" for entry in self.modality.classes.get(lemma, ())
            ):
                return lemma
        return None

    def _third_party_rule(self, trigger: Token, deal: Token) -> LexiconRule | None:
        lemma = trigger.lemma_.casefold()
        if "-" in trigger.text:
            lemma = self._third_party_word(trigger.text.rpartition("-")[2]) or lemma
        rules = self.lexicon.candidates("verb", lemma)
        noun = deal.lemma_.casefold()
        fitting = [r for r in rules if noun in r.objects] or [r for r in rules if not r.objects]
        return fitting[0] if fitting else (rules[0] if rules else None)

    def _sides(self, deal: Token, matches: list[Match], context: ArticleContext) -> list[Found]:
        """The sides of the act a mediated or hosted `deal` belongs to."""
        by_trigger = {m.trigger.i: m for m in matches if _between_sides(m)}
        node = deal
        for _ in range(6):
            match = by_trigger.get(node.i)
            if match is not None:
                return _by_country(f for pair in match.pairs for f in pair)
            if node.head.i == node.i:
                break
            node = node.head
        for match in matches:
            if match.rule.symmetric:
                return _by_country(f for pair in match.pairs for f in pair)
        return [Found(actor, "anaphor") for actor in context.recent_parties()]

    def _is_third_party(self, token: Token) -> bool:
        return self.modality.word_class(token) == "mediate"

    def _is_event_noun(self, token: Token) -> bool:
        return token.pos_ in NOUN_TAGS and bool(
            self.lexicon.candidates("noun", token.lemma_.casefold())
        )

    def _event_noun_agent(
        self, noun: Token, resolver: SentenceResolver, anaphoric: bool = True
    ) -> list[Found]:
        """The actor behind an event noun: "the attack by X", "Israeli strikes killed"."""
        if noun.pos_ not in NOUN_TAGS or not self.lexicon.candidates(
            "noun", noun.lemma_.casefold()
        ):
            return []
        for heads, how in args.noun_sources(noun):
            if how.startswith("governor"):
                break
            found = _unique(f for head in heads for f in resolver.resolve_all(head))
            if found:
                return found
        if (
            anaphoric
            and _definite(noun)
            and noun.dep_ in ("dobj", "pobj")
            and self._is_between_noun(noun)
        ):
            # "Washington welcomed the agreement": the sides of the latest act between sides
            return [Found(actor, "anaphor") for actor in resolver.context.recent_parties()]
        if anaphoric and _definite(noun) and self._is_accusing_noun(noun):
            # "Belarus rejected the accusations": whoever made the latest accusation
            accuser = resolver.context.latest_source("11")
            return [Found(accuser, "anaphor")] if accuser is not None else []
        if anaphoric and _definite(noun) and self._is_hostile_noun(noun):
            # "condemned the strikes", "the attack would not go unanswered": the attackers of
            # the latest hostile act the article reported before this sentence
            return [Found(actor, "anaphor") for actor in resolver.context.recent_attackers()]
        return []

    def _is_between_noun(self, noun: Token) -> bool:
        """A deal, agreement, truce or talks: an act between sides (symmetric rows)."""
        rules = self.lexicon.candidates("noun", noun.lemma_.casefold())
        return bool(rules) and all(r.symmetric for r in rules)

    def _is_accusing_noun(self, noun: Token) -> bool:
        rules = self.lexicon.candidates("noun", noun.lemma_.casefold())
        return bool(rules) and all(r.code[:2] == "11" for r in rules)

    def _is_hostile_noun(self, noun: Token) -> bool:
        rules = self.lexicon.candidates("noun", noun.lemma_.casefold())
        return any(r.code[:2] in HOSTILE_ROOTS for r in rules)

    @staticmethod
    def _conditions_hold(
        rule: LexiconRule,
        sources: list[Found],
        targets: list[Found],
        source_heads: list[Token],
        target_heads: list[Token],
    ) -> bool:
        for condition, allowed in rule.conditions:
            key = condition.removesuffix("!")
            if key == "source":
                ok = any(f.actor.sector in allowed for f in sources)
            elif key == "target":
                ok = any(f.actor.sector in allowed for f in targets)
            elif key == "source_kind":
                ok = any(_kind(f) in allowed for f in sources)
            elif key == "target_kind":
                # "seized Damascus": a capital in a place-taking slot is the city
                ok = any(
                    _kind(f) in allowed or (f.how == "capital" and "place" in allowed)
                    for f in targets
                )
            elif key == "source_head":
                ok = any(h.lemma_.casefold() in allowed for h in source_heads)
            else:
                ok = any(h.lemma_.casefold() in allowed for h in target_heads)
            if condition.endswith("!"):
                ok = not ok
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


def _demonstrative_object(verb: Token) -> Token | None:
    """ "Turkey hosted that meeting, and ...": spaCy may read "that" as a complementiser and
    the noun as a subject of the next clause; the noun right after "that"/"this" then."""
    doc = verb.doc
    if verb.i + 2 < len(doc) and doc[verb.i + 1].lower_ in ("that", "this", "those", "these"):
        noun = doc[verb.i + 2]
        return noun if noun.pos_ in NOUN_TAGS else None
    return None


def _own_people(a: ActorRef, b: ActorRef) -> bool:
    """One country's actor and that country itself or its civilians."""
    if a.country is None or a.country != b.country or not a.kind == b.kind == "country":
        return False
    return bool({a.sector, b.sector} & {None, "CVL"})


def _restated(match: Match, context: ArticleContext) -> bool:
    """ "India said the agreement had been reached in a phone call": later in an article, a
    passive with the act's own object as its definite subject and no agent tells more about
    an act already reported, it is not a new one."""
    trigger = match.trigger
    if context.sentence == 0 or not context.dealings or not match.rule.objects:
        return False
    if not args.is_passive(trigger) or any(c.dep_ == "agent" for c in trigger.children):
        return False
    return any(
        c.dep_ == "nsubjpass" and c.lemma_.casefold() in match.rule.objects and _definite(c)
        for c in trigger.children
    )


def _reciprocal(trigger: Token, rule: LexiconRule) -> bool:
    """The target slot holds "each other" or "one another"."""
    obj = args.direct_object(trigger) if rule.pos == "verb" else None
    heads = [obj] if obj is not None else []
    heads += [o for p in args.children(trigger, "prep") for o in args.pobjects(p)]
    return any(
        h.lower_ in ("other", "another") and h.i > 0 and h.doc[h.i - 1].lower_ in ("each", "one")
        for h in heads
    )


def _hostile(match: Match) -> bool:
    return match.rule.code[:2] in HOSTILE_ROOTS and match.target_how != "sides"


def _definite(noun: Token) -> bool:
    """ "the attack", "these strikes" (not "an attack", not "Israel's attack")."""
    return any(c.dep_ == "det" and c.lower_ in ANAPHORIC_DETERMINERS for c in noun.children)


def _hyphen_prefix(participle: Token) -> list[Token]:
    """The word before the hyphen of "Qatar-mediated" (tokenised as three words)."""
    if participle.tag_ != "VBN" or participle.dep_ not in ("amod", "compound"):
        return []
    return [
        c
        for c in participle.lefts
        if c.dep_ in ("npadvmod", "compound", "nmod")
        and c.i + 1 < participle.i
        and c.doc[c.i + 1].tag_ == "HYPH"
    ]


def _between_sides(match: Match) -> bool:
    """An act between sides a third party can mediate or host: a symmetric act, or a
    cooperative one (roots 03–08) that is not itself a mediation or a hosting."""
    if match.target_how == "sides" or match.rule.code[:3] in ("043", "045"):
        return False
    return match.rule.symmetric or "03" <= match.rule.code[:2] <= "08"


def _first_by(found: Iterable[Found], key: Callable[[ActorRef], str]) -> list[Found]:
    """The first of `found` for each key of its actor, in order."""
    seen: dict[str, Found] = {}
    for item in found:
        seen.setdefault(key(item.actor), item)
    return list(seen.values())


def _by_country(found: Iterable[Found]) -> list[Found]:
    """One actor per country (or per code for actors without one), first seen first."""
    return _first_by(found, lambda actor: actor.country or actor.code)


def _unique(found: Iterable[Found]) -> list[Found]:
    return _first_by(found, lambda actor: actor.id)


def _trigger_text(trigger: Token, rule: LexiconRule) -> str:
    if rule.particle:
        particle = next((c for c in trigger.children if c.lower_ == rule.particle), None)
        if particle is not None:
            return f"{trigger.text} {particle.text}"
    return trigger.text
