"""Arguments: where a trigger's source and target may sit in the dependency parse.

Each function yields candidate (heads, how) pairs in order of preference; the coder takes the
first whose heads resolve to actors.

Verbs: the subject (or the passive `by`-agent) is the source, else the subject of the clause
the verb depends on; the target comes from the slots the lexicon row names — the direct
object (the passive subject), an indirect object, or a preposition on the verb, on its
object or on the verb's own prepositional object. Nouns: the possessor, a `by` phrase, an
actor adjective ("a Russian attack"), or the subject of the verb governing the noun is the
source; prepositions on the noun (or on the verb it is the object of) give the target.
"""

from collections.abc import Callable, Iterator

from spacy.tokens import Token

from graph.actors.resolve import PARTITIVES
from graph.extract.lexicon import LexiconRule

INHERIT_SUBJECT_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "pcomp"})
NOUN_CLIMB_DEPS = frozenset({"dobj", "pobj", "prep", "xcomp", "acl", "attr", "conj", "nsubjpass"})
# An event noun inside these prepositions is background ("before the war"), not an argument.
ADVERBIAL_PREPOSITIONS = frozenset(
    {
        "before",
        "after",
        "during",
        "since",
        "until",
        "amid",
        "despite",
        "following",
        "throughout",
        "outside",
    }
)
# ... except for talks and meetings: "said after talks with X", "agreed during a meeting"
# report a consultation of the clause's subject that did take place
CONSULT_PREPOSITIONS = frozenset({"after", "during", "following", "amid"})
LOCATION_SLOTS = frozenset({"in", "into", "at", "inside", "near", "across"})
# nouns that sum up the act of a clause: "..., a move that ..."
ACTION_NOUNS = frozenset({"step", "move", "decision", "measure", "action"})
# the infinitive of a show of force that names whom it is aimed at
CONFRONTING_VERBS = frozenset(
    {"counter", "confront", "deter", "repel", "track", "monitor", "shadow", "intercept", "face"}
)
# what answers an act is done by the other side: "in retaliation for a drone attack"
RESPONSE_NOUNS = frozenset({"retaliation", "response", "revenge", "reprisal", "reaction"})
# "a missile they fired struck ...": whoever launched the subject did what it did
LAUNCH_VERBS = frozenset({"fire", "launch", "drop", "send", "fly", "plant", "lay", "use"})
# verbs that turn down what their object says: "rejected India's accusations"
REJECTING_VERBS = frozenset({"reject", "deny", "dismiss", "refute", "rebuff", "brush"})
# "called the accusations baseless": a verb of calling with one of these turns them down
DISMISSIVE_WORDS = frozenset(
    {
        "baseless",
        "unfounded",
        "groundless",
        "false",
        "absurd",
        "ridiculous",
        "fabricated",
        "untrue",
        "nonsense",
        "lie",
        "slander",
        "propaganda",
    }
)
PLACE_PREPOSITIONS = frozenset({"in", "into", "inside", "across", "on", "against", "over", "from"})

Candidate = tuple[list[Token], str]


def is_passive(verb: Token) -> bool:
    return any(child.dep_ in ("nsubjpass", "auxpass") for child in verb.children)


def children(token: Token, *deps: str) -> Iterator[Token]:
    return (child for child in token.children if child.dep_ in deps)


def pobjects(prep: Token) -> list[Token]:
    """The objects of a preposition."""
    return [child for child in prep.children if child.dep_ in ("pobj", "pcomp")]


def direct_object(verb: Token) -> Token | None:
    """The verb's patient: its direct object, or its subject when passive."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return verb.head  # "the forces expelled by Niger"
    deps = ("nsubjpass",) if is_passive(verb) else ("dobj", "obj")
    return next(children(verb, *deps), None)


def verb_sources(verb: Token) -> Iterator[Candidate]:
    """Candidate source heads of a verb trigger."""
    if is_passive(verb) or (verb.dep_ == "acl" and verb.tag_ == "VBN"):
        # "rejected by the opposition and by the United States": coordinated agents too
        agents = [a for agent in children(verb, "agent") for a in (agent, *agent.conjuncts)]
        # "were ordered to leave ... by the junta": the agent attached to the infinitive
        agents += [
            p for x in children(verb, "xcomp") for p in children(x, "prep") if p.lower_ == "by"
        ]
        yield [obj for agent in agents for obj in pobjects(agent)], "agent"
        return
    subjects = list(children(verb, "nsubj", "csubj"))
    if verb.dep_ == "relcl" and subjects and all(s.tag_ in ("WP", "WDT") for s in subjects):
        # "the junta, which accused them", "Trump, who hosted the ceremony": the antecedent
        yield [verb.head], "relative"
        step = verb.head
        if step.dep_ in ("appos", "npadvmod") and step.lemma_.casefold() in ACTION_NOUNS:
            # "declared the takeover a coup, a step that cuts off assistance": whoever took
            # the step, the subject of the clause the apposition sums up
            clause = step.head
            while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
                clause = clause.head
            if clause.pos_ in ("VERB", "AUX"):
                for heads, how in verb_sources(clause):
                    yield heads, f"inherited-{how}"
        return
    launchers = [
        agent
        for subject in subjects
        for launch in children(subject, "relcl")
        if launch.lemma_.casefold() in LAUNCH_VERBS and not any(children(launch, "dobj"))
        for agent in children(launch, "nsubj")
        if agent.tag_ not in ("WP", "WDT")
    ]
    if launchers:
        # the launcher rather than the weapon: "the Iranian-made drones they launched"
        yield launchers, "launcher"
    yield subjects, "subject"
    if subjects:
        return  # an explicit subject that names no actor is not replaced by another clause's
    if verb.dep_ == "xcomp":
        # object control: "prompting Trump to threaten" — Trump threatens
        controller = list(children(verb.head, "dobj"))
        if controller:
            yield controller, "controller"
            return
    if verb.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # "its decision to enhance cooperation": the owner of the noun acts.
        for heads, how in noun_sources(verb.head):
            yield heads, f"governor-{how}"
        return
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        yield [verb.head], "relative"
        # "signed a law suspending cooperation": the one who signed
        if verb.head.dep_ in ("dobj", "pobj") and verb.head.head.pos_ in ("VERB", "AUX"):
            for heads, how in verb_sources(verb.head.head):
                yield heads, f"inherited-{how}"
        return
    current = verb
    for _ in range(3):
        if current.dep_ not in INHERIT_SUBJECT_DEPS or current.head.i == current.i:
            return
        current = current.head
        if current.pos_ == "ADP" and current.head.i != current.i:
            current = current.head  # "retaliated by expelling": through the preposition
        if current.pos_ not in ("VERB", "AUX"):
            return
        if not is_passive(current):
            yield list(children(current, "nsubj")), "inherited"
        if current.dep_ == "relcl" and current.head.pos_ in ("NOUN", "PROPN"):
            yield [current.head], "inherited"


def noun_sources(
    noun: Token,
    is_event: Callable[[Token], bool] = lambda token: False,
    strict: bool = False,
    is_third_party: Callable[[Token], bool] = lambda token: False,
    consult: bool = False,
) -> Iterator[Candidate]:
    """Candidate source heads of a noun trigger (`is_event` tells other event nouns, which
    end the climb: whoever retaliates for an attack did not attack). A `consult` noun (talks,
    a meeting) climbs through "after" and "during" too."""
    yield list(children(noun, "poss")), "possessor"
    yield [o for p in children(noun, "prep") if p.lower_ == "by" for o in pobjects(p)], "agent"
    # "the sanctions imposed on Niger by ECOWAS" (but "a deal brokered by Qatar": a mediator)
    yield (
        [
            o
            for participle in children(noun, "acl")
            if participle.tag_ == "VBN" and not is_third_party(participle)
            for agent in children(participle, "agent")
            for o in pobjects(agent)
        ],
        "agent",
    )
    yield (
        [c for c in noun.lefts if c.dep_ in ("amod", "compound", "nmod") and c.ent_id_],
        "modifier",
    )
    # "Lee Jae-myung held talks" misparsed with "held" as an adjective on "talks": the
    # participle's own subject
    yield (
        [
            s
            for verb in noun.lefts
            if verb.dep_ in ("amod", "acl") and verb.tag_ in ("VBN", "VBD")
            for s in children(verb, "nsubj")
        ],
        "subject",
    )
    if strict:
        return
    current = noun
    for _ in range(4):
        if current.dep_ not in NOUN_CLIMB_DEPS or current.head.i == current.i:
            return
        dep = current.dep_
        current = current.head
        if current.pos_ == "ADP" and current.lower_ in ADVERBIAL_PREPOSITIONS:
            # (mediated talks are coded as the mediator's, towards the sides)
            mediated = any(is_third_party(c) for c in children(noun, "acl"))
            if not (consult and current.lower_ in CONSULT_PREPOSITIONS) or mediated:
                return
        if current.pos_ in ("VERB", "AUX"):
            if dep == "nsubjpass":
                return
            for heads, how in verb_sources(current):
                yield heads, f"governor-{how}"
            continue
        if current.pos_ in ("NOUN", "PROPN"):
            if current.lemma_.casefold() in RESPONSE_NOUNS:
                return  # "struck Iraq in retaliation for a drone attack": not the striker's
            yield list(children(current, "poss")), "governor-possessor"
            if is_event(current):
                return


def target_candidates(trigger: Token, rule: LexiconRule) -> Iterator[tuple[list[Token], str, bool]]:
    """Candidate target heads: (heads, slot, whether the slot is a place)."""
    obj = direct_object(trigger) if rule.pos == "verb" else None
    hosts = [trigger] if obj is None else [trigger, obj, *object_extensions(obj)]
    if rule.pos == "noun" and trigger.dep_ in ("dobj", "nsubj"):
        # "enhance cooperation with Moscow", "fighting broke out between X and Y"
        hosts.append(trigger.head)
    for slot in rule.targets:
        if slot == "dobj":
            if rule.pos == "verb" and obj is not None:
                yield [obj], "dobj", False
            elif rule.pos == "verb":
                # a small clause: "declared 40 Russian diplomats undesirable"
                small = [c for c in trigger.children if c.dep_ in ("ccomp", "xcomp", "oprd")]
                yield [s for c in small for s in children(c, "nsubj")], "dobj", False
        elif slot == "iobj":
            if rule.pos == "verb":
                yield (
                    [c for c in trigger.children if c.dep_ == "dative" and c.pos_ != "ADP"],
                    "iobj",
                    False,
                )
        elif slot == "poss":
            yield list(children(trigger, "poss")), "poss", False
        elif slot == "that":
            # "warned that Russia would face consequences": the subject of the complement
            clauses = list(children(trigger, "ccomp"))
            # "investigating reports that Russian soldiers executed ...": the object's clause
            if rule.pos == "verb" and obj is not None:
                clauses += [c for c in children(obj, "acl", "ccomp", "relcl") if c.pos_ == "VERB"]
            yield [s for c in clauses for s in children(c, "nsubj", "nsubjpass")], "that", False
        elif slot == "purpose":
            # "mobilised militias to counter U.S. threats", "sent ships to track the Chinese
            # vessels": the object of an infinitive of confrontation
            yield (
                [
                    o
                    for c in children(trigger, "advcl", "xcomp")
                    if c.lemma_.casefold() in CONFRONTING_VERBS
                    and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                    for o in (
                        *children(c, "dobj"),
                        # "to counter what he called U.S. threats"
                        *(
                            x
                            for called in children(c, "ccomp")
                            if any(w.lower_ == "what" for w in children(called, "dobj"))
                            for x in children(called, "oprd")
                        ),
                    )
                ],
                "purpose",
                False,
            )
        elif slot == "rejecter":
            # "Pakistan called India's accusations baseless": the accused turns them down
            if rule.pos == "noun" and _rejected(trigger):
                for heads, how in verb_sources(trigger.head):
                    yield heads, f"rejecter-{how}", False
        elif slot in ("on", "against") and _passive_with(trigger):
            # "Russia's central bank was hit with sanctions": the passive subject suffers them.
            yield list(children(trigger.head.head, "nsubjpass")), "patient", False
        else:
            # "spoke by telephone with X": a preposition on the trigger's own prepositional object
            nested = [o for p in children(trigger, "prep") if p.lower_ != slot for o in pobjects(p)]
            # two-word prepositions: "pulled troops out of Niger"
            nested += [p for p in children(trigger, "prep", "prt") if not pobjects(p)]
            for host in (*hosts, *nested):
                for prep in host.children:
                    if prep.dep_ in ("prep", "dative", "agent") and prep.lower_ == slot:
                        yield pobjects(prep), slot, slot in LOCATION_SLOTS


def _rejected(noun: Token) -> bool:
    """`noun` is the object of a verb turning it down: "rejected the allegations", "called
    the accusations baseless", "dismissed them as fabricated"."""
    if noun.dep_ != "dobj" or noun.head.pos_ != "VERB":
        return False
    verb = noun.head
    if verb.lemma_.casefold() in REJECTING_VERBS:
        return True
    words = [c for c in verb.children if c.dep_ in ("oprd", "acomp", "xcomp", "ccomp")]
    words += [o for p in children(verb, "prep") if p.lower_ == "as" for o in pobjects(p)]
    return any(w.lemma_.casefold() in DISMISSIVE_WORDS for w in words)


def object_extensions(obj: Token) -> list[Token]:
    """Where an object's prepositions may also hang: the noun after a partitive ("most of
    the sanctions") and a participle on it ("sanctions imposed on Niger")."""
    found = []
    if obj.lemma_.casefold() in PARTITIVES:
        found += [o for p in children(obj, "prep") if p.lower_ == "of" for o in pobjects(p)]
    for noun in (obj, *found):
        found += [acl for acl in children(noun, "acl") if acl.tag_ == "VBN"]
    return found


def _passive_with(noun: Token) -> bool:
    return (
        noun.dep_ == "pobj"
        and noun.head.lower_ == "with"
        and noun.head.head.pos_ == "VERB"
        and is_passive(noun.head.head)
    )


def place_candidates(trigger: Token, rule: LexiconRule) -> Iterator[tuple[list[Token], str, bool]]:
    """Where a hostile act happened ("strikes in Gaza", "abducted people from a village in
    Borno state"): the place stands for the target when no target slot names one. Places on
    the trigger and its object come first, then the other places of the sentence, nearest
    first."""
    obj = direct_object(trigger) if rule.pos == "verb" else None
    hosts = [trigger] if obj is None else [trigger, obj]
    if rule.pos == "noun" and trigger.dep_ in ("dobj", "nsubj"):
        hosts.append(trigger.head)
    seen: set[int] = set()
    preps = [
        p
        for host in hosts
        for p in children(host, "prep")
        if p.lower_ in PLACE_PREPOSITIONS or (host is trigger and p.lower_ == "near")
    ]
    for prep in sorted(preps, key=lambda p: p.lower_ == "from"):  # an origin only as a last resort
        seen.add(prep.i)
        yield pobjects(prep), f"place-{prep.lower_}", False
    clause = trigger if rule.pos == "noun" else _clause(trigger)  # a noun's own phrase only
    others = [
        t
        for t in clause.subtree
        if t.dep_ == "prep" and t.lower_ in PLACE_PREPOSITIONS and t.i not in seen
    ]
    for prep in sorted(others, key=lambda t: abs(t.i - trigger.i)):
        yield pobjects(prep), f"place-{prep.lower_}", False


MODIFIER_DEPS = frozenset(
    {
        "amod",
        "compound",
        "advmod",
        "npadvmod",
        "nmod",
        "acomp",
        "dobj",
        "xcomp",
        "oprd",
        "acl",
        "ccomp",
        "advcl",
    }
)


def _clause(token: Token) -> Token:
    """The verb heading the clause `token` is in (itself when it is a verb)."""
    current = token
    while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
        current = current.head
    return current


def object_lemmas(trigger: Token, rule_pos: str) -> set[str]:
    """Lemmas of the trigger's thing-object (verbs: direct object, or the noun after "most
    of", "some of"; nouns: `of` object)."""
    if rule_pos == "verb":
        obj = direct_object(trigger)
        heads = [] if obj is None else [obj, *obj.conjuncts]
        if obj is not None and obj.lemma_.casefold() in PARTITIVES:
            heads += [o for p in children(obj, "prep") if p.lower_ == "of" for o in pobjects(p)]
        # "French ambassador Joel Meyer": the title is the object's compound
        heads += [c for head in list(heads) for c in head.children if c.dep_ == "compound"]
    else:
        heads = [o for p in children(trigger, "prep") if p.lower_ == "of" for o in pobjects(p)]
    return {head.lemma_.casefold() for head in heads} | {head.lower_ for head in heads}


def modifier_lemmas(trigger: Token, rule_pos: str) -> set[str]:
    """Lemmas modifying the trigger or its object, including nouns of attached prepositions."""
    hosts = [trigger]
    if rule_pos == "verb":
        obj = direct_object(trigger)
        if obj is not None:
            hosts.append(obj)
    words: set[str] = set()
    for host in hosts:
        for child in host.children:
            if child.dep_ in MODIFIER_DEPS:
                # "told France 24 that the troops would leave": a clause with its own subject
                # is what was said, not how (unlike "told X to leave")
                own_clause = (
                    child.dep_ == "ccomp"
                    and child.pos_ in ("VERB", "AUX")
                    and any(g.dep_ in ("nsubj", "nsubjpass") for g in child.children)
                )
                if not own_clause:
                    words.add(child.lemma_.casefold())
                    words.add(child.lower_)
                words.update(g.lemma_.casefold() for g in child.children if g.dep_ == "compound")
                if child.dep_ == "ccomp":
                    # "vowed that X would face punishment / go unanswered": the clause's outcome
                    words.update(
                        g.lemma_.casefold()
                        for g in child.children
                        if g.dep_ in ("dobj", "acomp", "oprd", "attr")
                    )
            elif child.dep_ in ("prep", "agent"):
                for obj in pobjects(child):
                    words.add(obj.lemma_.casefold())
                    words.add(obj.lower_)  # "weeks of fighting": a gerund lemmatised as a verb
                    words.update(g.lemma_.casefold() for g in obj.children if g.dep_ == "compound")
    return words


def has_particle(trigger: Token, particle: str) -> bool:
    return any(
        child.dep_ in ("prt", "advmod", "prep") and child.lower_ == particle
        for child in trigger.children
    )
