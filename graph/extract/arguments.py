"""Arguments: where a trigger's source and target sit in the dependency parse.

Verbs: the subject (or the passive `by`-agent) is the source; the target comes from the
slots the lexicon row names — the direct object (the passive subject), an indirect object,
or a preposition on the verb or on its object. Nouns: the possessor, a `by` phrase, an actor
adjective ("a Russian attack"), or the subject of the verb governing the noun is the source;
prepositions on the noun give the target.
"""

from collections.abc import Iterator

from spacy.tokens import Token

from graph.extract.lexicon import LexiconRule

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
INHERIT_SUBJECT_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "pcomp"})
NOUN_CLIMB_DEPS = frozenset({"dobj", "pobj", "prep", "xcomp", "acl", "attr", "conj", "nsubjpass"})


def is_passive(verb: Token) -> bool:
    return any(child.dep_ in ("nsubjpass", "auxpass") for child in verb.children)


def children(token: Token, *deps: str) -> Iterator[Token]:
    return (child for child in token.children if child.dep_ in deps)


def pobjects(prep: Token) -> Iterator[Token]:
    """The objects of a preposition (also through "between X and Y" and "pcomp")."""
    for child in prep.children:
        if child.dep_ in ("pobj", "pcomp"):
            yield child


def direct_object(verb: Token) -> Token | None:
    """The verb's patient: its direct object, or its subject when passive."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return verb.head  # "the forces expelled by Niger"
    deps = ("nsubjpass",) if is_passive(verb) else ("dobj", "obj")
    return next(children(verb, *deps), None)


def verb_source_heads(verb: Token) -> tuple[list[Token], str]:
    """The tokens heading the source of a verb trigger, and how they were found."""
    if is_passive(verb) or (verb.dep_ == "acl" and verb.tag_ == "VBN"):
        agents = [obj for agent in children(verb, "agent") for obj in pobjects(agent)]
        return agents, "agent"
    subjects = list(children(verb, "nsubj"))
    if subjects:
        return subjects, "subject"
    if verb.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # "its decision to enhance cooperation": the owner of the noun acts.
        heads, how = noun_source_heads(verb.head)
        return heads, f"governor-{how}" if heads else ""
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return [verb.head], "relative"
    current = verb
    for _ in range(3):
        if current.dep_ not in INHERIT_SUBJECT_DEPS or current.head is current:
            break
        current = current.head
        if current.pos_ not in ("VERB", "AUX"):
            break
        subjects = list(children(current, "nsubj"))
        if subjects and not is_passive(current):
            return subjects, "inherited"
        if current.dep_ == "relcl" and current.head.pos_ in ("NOUN", "PROPN"):
            return [current.head], "inherited"
    return [], ""


def noun_source_heads(noun: Token) -> tuple[list[Token], str]:
    """The tokens heading the source of a noun trigger, and how they were found."""
    possessors = list(children(noun, "poss"))
    if possessors:
        return possessors, "possessor"
    agents = [
        obj for prep in children(noun, "prep") if prep.lower_ == "by" for obj in pobjects(prep)
    ]
    if agents:
        return agents, "agent"
    modifiers = [c for c in noun.lefts if c.dep_ in ("amod", "compound", "nmod") and c.ent_id_]
    if modifiers:
        return modifiers, "modifier"
    current = noun
    for _ in range(4):
        if current.dep_ not in NOUN_CLIMB_DEPS or current.head is current:
            break
        dep = current.dep_
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            if dep == "nsubjpass":
                break
            heads, how = verb_source_heads(current)
            if heads:
                return heads, f"governor-{how}"
            continue
        if current.pos_ in ("NOUN", "PROPN"):
            possessors = list(children(current, "poss"))
            if possessors:
                return possessors, "governor-possessor"
    return [], ""


def target_heads(trigger: Token, rule: LexiconRule) -> tuple[list[Token], str, bool]:
    """The tokens heading the target, the slot that gave them, and whether that slot is a
    location preposition (so a capital there is a place, not a government)."""
    obj = direct_object(trigger) if rule.pos == "verb" else None
    for slot in rule.targets:
        if slot == "dobj" and rule.pos == "verb":
            if obj is not None:
                return [obj], "dobj", False
        elif slot == "iobj" and rule.pos == "verb":
            found = [c for c in trigger.children if c.dep_ == "dative" and c.pos_ != "ADP"]
            if found:
                return found, "iobj", False
        elif slot == "poss":
            found = list(children(trigger, "poss"))
            if found:
                return found, "poss", False
        else:
            hosts = [trigger] if obj is None else [trigger, obj]
            # "spoke by telephone with X": a preposition on the trigger's own prepositional object
            hosts += [o for p in children(trigger, "prep") if p.lower_ != slot for o in pobjects(p)]
            if rule.pos == "noun" and trigger.dep_ == "dobj":
                hosts.append(trigger.head)  # "enhance cooperation with Moscow"
            for host in hosts:
                for prep in host.children:
                    if prep.dep_ in ("prep", "dative", "agent") and prep.lower_ == slot:
                        objects = list(pobjects(prep))
                        if objects:
                            return objects, slot, slot in ("in", "into", "at", "inside", "near")
    return [], "", False


def object_lemmas(trigger: Token, rule_pos: str) -> set[str]:
    """Lemmas of the trigger's thing-object (verbs: direct object; nouns: `of` object)."""
    if rule_pos == "verb":
        obj = direct_object(trigger)
        heads = [] if obj is None else [obj, *obj.conjuncts]
    else:
        heads = [
            o for prep in children(trigger, "prep") if prep.lower_ == "of" for o in pobjects(prep)
        ]
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
            if child.dep_ in ("amod", "compound", "advmod", "npadvmod", "nmod", "acomp", "dobj"):
                words.add(child.lemma_.casefold())
                words.add(child.lower_)
                words.update(g.lemma_.casefold() for g in child.children if g.dep_ == "compound")
            elif child.dep_ in ("prep", "agent"):
                for obj in pobjects(child):
                    words.add(obj.lemma_.casefold())
                    words.update(g.lemma_.casefold() for g in obj.children if g.dep_ == "compound")
    return words


def has_particle(trigger: Token, particle: str) -> bool:
    return any(
        child.dep_ in ("prt", "advmod", "prep") and child.lower_ == particle
        for child in trigger.children
    )
