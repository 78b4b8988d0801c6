"""Resolution: from a noun phrase in a parsed sentence to the actor(s) it names.

Tries, in order: a gazetteer mention (country, demonym, capital, seat of power, organisation,
armed group, leader), a person introduced earlier with a title, a sector noun refined by a
country ("Russian instructors" → RUSMIL), a pronoun, a description ("the West African
nation"), and a definite sector noun ("the junta") — the last three through the article
context. Each answer says how it was found, so confidence and rule names can tell.
"""

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token

from graph.actors.context import (
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    PRONOUNS,
    THING_PRONOUNS,
    ArticleContext,
)
from graph.actors.gazetteer import Gazetteer
from graph.types import ActorRef

LOCATION_PREPOSITIONS = frozenset({"in", "to", "into", "at", "inside", "near", "across", "from"})
OWNER_PREPOSITIONS = frozenset({"of", "from"})
# actors that stand up to their own state: their "the government" is their country's own
DOMESTIC_SECTORS = frozenset({"CVL", "OPP", "REB", "LEG", "JUD", "MED", "BUS", "REF"})
# "bases housing U.S. troops": the housed are whom an attack on the place targets
HOUSING_VERBS = frozenset({"house", "host", "housing", "hosting"})
# words between a country and a title: "Nigeria's former head of state", "the then president"
TITLE_MODIFIERS = frozenset(
    {"former", "late", "then", "acting", "interim", "outgoing", "incoming", "ex", "-", "new"}
)
NOMINAL_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "pobj"})
# the state's forces and courts, which act on their own country's opposition
STATE_FORCES = frozenset({"MIL", "COP", "JUD", "SPY"})
# counts of people: "thousands of Georgians rallied" are Georgian civilians
CROWD_COUNTS = frozenset({"dozen", "hundred", "thousand", "tens", "scores", "million"})
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
PARTITIVES = frozenset(
    {
        "most",
        "some",
        "all",
        "part",
        "many",
        "much",
        "rest",
        "bulk",
        "total",
        "volume",
        "quantity",
        "barrel",
        "one",
        "none",
        "number",
        "dozen",
        "hundred",
        "thousand",
        "million",
        "handful",
        "group",
        "two",
        "three",
        "several",
        "ten",
        "tens",
        "scores",
        "score",
        "contingent",
        "batch",
        "tonne",
        "ton",
        "shipment",
        "consignment",
        "cargo",
    }
)
COUNTS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5}
SCENE_SECTORS = frozenset({"CVL", "OPP", "REF", "COP", "MIL"})
SCENE_PREPOSITIONS = frozenset({"in", "through", "across", "outside", "inside", "at"})
THING_PREPOSITIONS = frozenset(
    {"of", "in", "near", "at", "across", "outside", "inside", "on", "with", "against", "by"}
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
ANTECEDENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "poss"})
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "npadvmod"})
NAME_PARTICLES = frozenset({"al", "al-", "bin", "ben", "de", "da", "van", "von", "el", "-", "abu"})
INFERRED = frozenset({"pronoun", "anaphor", "definite", "counterpart"})


@dataclass(frozen=True, slots=True)
class Found:
    """An actor found for a noun phrase, and how."""

    actor: ActorRef
    how: str

    @property
    def inferred(self) -> bool:
        return self.how in INFERRED


def mention_of(token: Token) -> tuple[str, str] | None:
    """The gazetteer mention (kind, key) a token belongs to, if any."""
    kind, sep, key = token.ent_id_.partition(":")
    return (kind, key) if sep else None


class SentenceResolver:
    """Resolve noun phrases of one parsed sentence against the gazetteer and the article."""

    def __init__(self, gazetteer: Gazetteer, context: ArticleContext, day: date, doc: Doc):
        self.gazetteer = gazetteer
        self.context = context
        self.day = day
        self.doc = doc
        self._cache: dict[tuple[int, bool], Found | None] = {}

    # ---------------------------------------------------------------- public
    def resolve_all(self, token: Token, location: bool = False) -> list[Found]:
        """The actors of the phrase headed by `token` and of the phrases coordinated with it
        ("Mali, Burkina Faso and Niger", however the parser attached the list)."""
        found: list[Found] = []
        for head in coordinated(token):
            for answer in self.resolve(head, location):
                if all(f.actor.id != answer.actor.id for f in found):
                    found.append(answer)
        return found

    def resolve(self, token: Token, location: bool = False) -> list[Found]:
        """The actors of the phrase headed by `token` (several for "Russian and Ukrainian
        delegations"), or an empty list when it names none."""
        key = (token.i, location)
        if key not in self._cache:
            self._cache[key] = []  # a phrase met again while resolving itself names nobody
            self._cache[key] = self._resolve(token, location)
        return self._cache[key]

    def resolve_thing(
        self, token: Token, exclude: frozenset[str] = frozenset(), depth: int = 3
    ) -> list[Found]:
        """A target that is a thing or a place: "the centre of the Ukrainian city of Sumy",
        "a hospital in El Fasher" stand for the country (or group) they belong to. Actors
        whose code is in `exclude` (the source) do not count: "its border with Ukraine"."""
        found = [f for f in self.resolve_all(token) if f.actor.code not in exclude]
        if found or depth == 0:
            return found
        for participle in token.children:
            # "a proposal put forward by the United States": a thing stands for its maker
            if participle.dep_ == "acl" and participle.tag_ == "VBN":
                for agent in (c for c in participle.children if c.dep_ == "agent"):
                    for obj in (c for c in agent.children if c.dep_ == "pobj"):
                        found = [f for f in self.resolve_all(obj) if f.actor.code not in exclude]
                        if found:
                            return [Found(f.actor, "maker") for f in found]
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in THING_PREPOSITIONS:
                for obj in (c for c in prep.children if c.dep_ == "pobj"):
                    here = self.resolve_all(obj, location=True)
                    found = [f for f in here if f.actor.code not in exclude]
                    found = found or self.resolve_thing(obj, exclude, depth - 1)
                    if found:
                        # the actor a thing belongs to, reached through the thing
                        return [Found(f.actor, "thing") for f in found]
        return []

    def mention_found(self, mention: tuple[str, str], token: Token) -> Found:
        """The actor of a gazetteer mention found inside a word ("U.S.-brokered")."""
        return self._from_mention(mention, token, False)

    def first(self, token: Token, location: bool = False) -> Found | None:
        found = self.resolve(token, location)
        return found[0] if found else None

    # --------------------------------------------------------------- helpers
    def _resolve(self, token: Token, location: bool) -> list[Found]:
        appositive = self._appositive_person(token)
        if appositive is not None:
            return [appositive]
        mention = mention_of(token)
        if mention is not None:
            return [self._from_mention(mention, token, location)]
        person = self._person(token)
        if person is not None:
            return [Found(person, "person")]
        if token.lower_ in PRONOUNS:
            subjects, others = self._earlier_actors(token, agree_with=token)
            objective = _in_object(token)
            if token.lower_ in ("they", "their"):
                group = subjects if len(subjects) >= 2 else self.context.recent_subject_group()
                if len(group) >= 2:
                    return [Found(actor, "pronoun") for actor in group]
            actor = self.context.pronoun(token.lower_, subjects, others, objective)
            if actor is None and token.lower_ in PERSON_PRONOUNS and subjects:
                actor = subjects[-1]  # "the ICC's prosecutor said his office": the office-holder
            return [Found(actor, "pronoun")] if actor else []
        if token.pos_ not in ("NOUN", "PROPN", "NUM", "ADJ"):
            return []
        if token.lemma_.casefold() in PARTITIVES:
            # "thousands of Georgians", "dozens of Malian soldiers"
            of = [
                o
                for p in token.children
                if p.lower_ == "of"
                for o in p.children
                if o.dep_ == "pobj"
            ]
            if token.lemma_.casefold() in CROWD_COUNTS:
                crowd = [c for obj in of for c in self._crowd(obj)]
                if crowd:
                    return crowd
            phrase = self._sector_of(token)  # "the regional group": a term of its own
            own_term = phrase is not None and " " in phrase.term
            if of or (token.dep_ != "poss" and not own_term):
                return [f for obj in of for f in self.resolve_all(obj, location)]
            # a possessor with no "of" ("the group's commanders") is a noun in its own right
        # "arrested a French national": a noun the tagger read as an adjective in a noun's slot
        nominal = token.pos_ == "ADJ" and token.dep_ in NOMINAL_DEPS
        if token.pos_ not in ("NOUN", "PROPN") and not nominal:
            return []
        if location and token.ent_type_ in PLACE_LABELS:
            country = self.context.recent_country()
            return [Found(self.gazetteer.country_actor(country), "place")] if country else []
        sector = self._sector_of(token)
        owners = self._owners(token, with_places=sector is not None)
        if sector is not None and sector.sector is not None and "group" in sector.roles:
            found = []
            for owner in owners:
                if owner.actor.kind in ("organization", "group"):
                    found.append(Found(owner.actor, "modifier"))
                elif owner.actor.country:
                    actor = self.gazetteer.country_actor(owner.actor.country, sector.sector)
                    found.append(Found(actor, "sector" if not owner.inferred else owner.how))
            if found:
                if len(found) == 1 and found[0].actor.kind == "country":
                    self.context.bound[sector.term] = found[0].actor.country
                return found
            if (
                sector.sector == "REB"
                and len(self.context.article_groups) == 1
                and (self._is_definite(token) or token.dep_ in ("nsubj", "nsubjpass"))
            ):
                # "Jihadist fighters attacked", "the assailants" in an article about one armed
                # group: that group, named before or after (not "the war against jihadists")
                return [Found(self.context.article_groups[0], "anaphor")]
            counted = self._the_few(token)
            if counted:
                return counted
            if self._is_definite(token):
                # "France called on the authorities to ...": not France's own authorities
                foreign = sector.sector in ("GOV", "MIL") and _in_object(token)
                avoid = self._subject_countries(token) if foreign else set()
                country = self.context.bound.get(sector.term)
                if country is None or country in avoid:
                    country = self._sentence_country(token, avoid) or self.context.recent_country(
                        exclude=avoid
                    )
                if country:
                    self.context.bound[sector.term] = country
                    return [Found(self.gazetteer.country_actor(country, sector.sector), "definite")]
                return []
            # "protesters marched through Belgrade": unowned civilians take the scene's country
            # (not "gunmen": unnamed armed men are not codable)
            place = self._scene_country(token) if sector.sector in SCENE_SECTORS else None
            if place is None and sector.sector == "OPP" and _in_object(token):
                # "Venezuelan troops fired tear gas at opposition supporters": an opposition is
                # domestic, so it is that of the country whose forces or courts act on it
                subjects, _ = self._earlier_actors(token)
                acting = {a.country for a in subjects if a.country and a.sector in STATE_FORCES}
                place = acting.pop() if len(acting) == 1 else None
            return (
                [Found(self.gazetteer.country_actor(place, sector.sector), "scene")]
                if place
                else []
            )
        if sector is not None and "party-anaphor" in sector.roles and self._is_definite(token):
            # "both sides", "the two sides": the sides of the latest act between several actors
            # (the article's main sides, even some sentences later)
            parties = self.context.recent_parties(within=8)
            if len(parties) >= 2:
                return [Found(actor, "anaphor") for actor in parties]
            return self._the_few(token)
        if sector is not None and "anaphor" in sector.roles and self._is_definite(token):
            counted = self._the_few(token)  # "the three countries"
            if counted:
                return counted
            allowed = self._region_filter(token)
            country = self.context.recent_country(allowed)
            return [Found(self.gazetteer.country_actor(country), "anaphor")] if country else []
        for role, kind in (("org-anaphor", "organization"), ("group-anaphor", "group")):
            if sector is not None and role in sector.roles and self._is_definite(token):
                subjects, others = self._earlier_actors(token)
                here = [a for a in reversed([*subjects, *others]) if a.kind == kind]
                actor = here[0] if here else self.context.recent_named(kind)
                return [Found(actor, "anaphor")] if actor else []
        if not location and sector is None:
            # "two Iraqi bases housing U.S. troops": a place stands for whom it houses
            housed = [
                f
                for acl in token.children
                if acl.dep_ in ("acl", "appos")  # "housing" is sometimes read as a noun
                and (acl.lemma_.casefold() in HOUSING_VERBS or acl.lower_ in HOUSING_VERBS)
                for obj in acl.children
                if obj.dep_ == "dobj"
                for f in self.resolve_all(obj)
            ]
            if housed:
                return housed
        if not location and (sector is None or "member" not in sector.roles):
            # "a Russian airbase", "Houthi targets": the thing stands for its owner.
            return [
                Found(owner.actor, "modifier")
                if owner.actor.kind in ("organization", "group")
                else Found(self.gazetteer.country_actor(owner.actor.country), "modifier")
                for owner in owners
                if owner.actor.kind in ("organization", "group") or owner.actor.country
            ]
        return []

    def _crowd(self, token: Token) -> list[Found]:
        """ "thousands of Georgians": a counted crowd of a people is its civilians."""
        found = []
        for head in coordinated(token):
            mention = mention_of(head)
            if mention is None or mention[0] != "demonym" or head.tag_ not in PLURAL_TAGS:
                continue
            actor = self._from_mention(mention, head, False).actor
            if actor.kind == "country" and actor.country:
                found.append(Found(self.gazetteer.country_actor(actor.country, "CVL"), "crowd"))
        return found

    def _from_mention(self, mention: tuple[str, str], token: Token, location: bool) -> Found:
        kind, key = mention
        gazetteer = self.gazetteer
        if kind in ("country", "demonym", "place"):
            return Found(gazetteer.country_actor(key), kind)
        if kind == "capital":
            if location or _is_location(token):
                return Found(gazetteer.country_actor(key), "capital-place")
            return Found(gazetteer.country_actor(key, "GOV"), "capital")
        if kind == "metonym":
            return Found(gazetteer.actor_for_code(key), kind)
        if kind in ("org", "group"):
            return Found(gazetteer.named_actor(key), kind)
        return Found(gazetteer.leader_actor(key, self.day), "leader")

    def _person(self, token: Token) -> ActorRef | None:
        if token.pos_ != "PROPN":
            return None
        span = _entity_span(token)
        if span is not None:
            return self.context.person(span.text) or self.context.person(span[-1].text)
        return self.context.person(token.text)

    def _appositive_person(self, token: Token) -> Found | None:
        """ "Niger's leader, General Abdourahamane Tiani," → the person, not the title (not
        for a plural: "11 people Trump described as ..." misparsed with Trump in apposition)."""
        if token.tag_ in ("NNS", "NNPS"):
            return None
        for child in token.children:
            if child.dep_ == "appos":
                mention = mention_of(child)
                if mention and mention[0] == "leader":
                    return self._from_mention(mention, child, False)
                person = self._person(child)
                if person is not None:
                    return Found(person, "person")
        return None

    def _sector_of(self, token: Token):
        compounds = [c for c in token.lefts if c.dep_ in ("compound", "amod") and not c.ent_id_]
        if compounds:
            phrase = " ".join(c.lemma_.casefold() for c in compounds[-1:]) + " " + token.lemma_
            term = self.gazetteer.sector_term(phrase.casefold())
            if term is not None:
                return term
        return self.gazetteer.sector_term(token.lemma_.casefold()) or self.gazetteer.sector_term(
            token.lower_
        )

    def _owners(self, token: Token, with_places: bool) -> list[Found]:
        """Who a noun belongs to: "Russian"/"Niger's"/"its" + noun, noun + "of Niger", and for
        group nouns also a place ("protesters in Tbilisi"); coordinated owners all count."""
        found: list[Found] = []
        for child in token.children:
            if child.dep_ in MODIFIER_DEPS:
                # "French embassy staff": the owner may modify the noun's own modifier
                nested = [g for g in child.children if g.dep_ in ("amod", "compound", "poss")]
                for owner in (child, *child.conjuncts, *nested):
                    mention = mention_of(owner)
                    if _supporter_prefix(owner):
                        continue  # "pro-EU protesters" are not the EU
                    if mention is not None and mention[0] != "leader":
                        found.append(self._from_mention(mention, owner, True))
                    elif owner.dep_ == "poss" or child.dep_ == "poss":
                        found.extend(self.resolve(owner))
        if found:
            return found
        preps = OWNER_PREPOSITIONS | (LOCATION_PREPOSITIONS if with_places else frozenset())
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for obj in (g for g in child.children if g.dep_ == "pobj"):
                    for owner in (obj, *obj.conjuncts):
                        mention = mention_of(owner)
                        if mention is not None and mention[0] != "leader":
                            found.append(self._from_mention(mention, owner, True))
                        elif child.lower_ == "of" and (mention is not None or self._person(owner)):
                            # "the government of President X": the leader's country
                            found.extend(f for f in self.resolve(owner) if f.actor.country)
                        elif child.lower_ == "of" and with_places and self._sector_of(owner):
                            # "representatives of Sudan's army and the RSF": the groups they
                            # speak for
                            found.extend(self.resolve(owner))
        return found

    def _earlier_actors(
        self, token: Token, agree_with: Token | None = None
    ) -> tuple[list[ActorRef], list[ActorRef]]:
        """Actors named earlier in the sentence: (subjects, others), in text order. With
        `agree_with` a pronoun, antecedents of the other grammatical number are left out when
        any of the same number exist ("them" → "three French diplomats", not "the junta")."""
        candidates: list[tuple[ActorRef, bool, bool]] = []  # actor, is subject, is plural
        for other in token.sent:
            if other.i >= token.i:
                break
            if other.lower_ in PRONOUNS or other.dep_ not in ANTECEDENT_DEPS:
                continue
            role = other
            while role.dep_ in ("conj", "appos") and role.head.i != role.i:
                role = role.head  # "Mali, Burkina Faso and Niger said": all three are subjects
            # a named actor is one thing ("the United Arab Emirates"); a common noun or a
            # coordinated list has its grammatical number
            plural = len(coordinated(role)) > 1 or (not mention_of(other) and other.tag_ == "NNS")
            subject = role.dep_ in ("nsubj", "nsubjpass")
            candidates += [(f.actor, subject, plural) for f in self.resolve(other)]
        if agree_with is not None and agree_with.lower_ in PLURAL_PRONOUNS | THING_PRONOUNS:
            wanted = agree_with.lower_ in PLURAL_PRONOUNS
            agreeing = [c for c in candidates if c[2] == wanted]
            candidates = agreeing or candidates
        subjects = [actor for actor, subject, _ in candidates if subject]
        others = [actor for actor, subject, _ in candidates if not subject]
        return subjects, others

    def _the_few(self, token: Token) -> list[Found]:
        """ "the two leaders", "both sides", "the three countries": the last N actors named."""
        counted = {c.lower_ for c in token.children if c.dep_ in ("nummod", "det", "predet")}
        size = next((COUNTS[word] for word in counted if word in COUNTS), 0)
        if not size:
            return []
        subjects, others = self._earlier_actors(token)
        if not (subjects or others):
            # "the meeting between the two delegations": the sides of the latest act between
            # that many actors, rather than the last countries named (who may be bystanders)
            parties = self.context.recent_parties()
            if len(parties) == size:
                return [Found(actor, "anaphor") for actor in parties]
        recent = [*subjects, *others] or [m.actor for m in self.context.mentions]
        few: list[ActorRef] = []
        for actor in reversed(recent):
            if all(actor.rollup != other.rollup for other in few):
                few.append(actor)
            if len(few) == size:
                return [Found(actor, "anaphor") for actor in reversed(few)]
        # "Trump congratulated both countries": too few named in the sentence, so the sides
        # of the article's latest act between that many
        parties = self.context.recent_parties(within=8)
        if len(parties) == size:
            return [Found(actor, "anaphor") for actor in parties]
        return []

    def _sentence_country(self, token: Token, avoid: set[str] = frozenset()) -> str | None:
        """The country last named earlier in the same sentence (other than `avoid`)."""
        subjects, others = self._earlier_actors(token)
        named = [a.country for a in [*subjects, *others] if a.country and a.country not in avoid]
        return named[-1] if named else None

    def _subject_countries(self, token: Token) -> set[str]:
        """Countries of the subjects before `token` — not of civilians, opposition, rebels and
        other domestic actors, whose "the government" is their own ("thousands of Georgians
        rallied against the government's decision")."""
        subjects, _ = self._earlier_actors(token)
        return {a.country for a in subjects if a.country and a.sector not in DOMESTIC_SECTORS}

    def _scene_country(self, token: Token) -> str | None:
        """The country where the clause of `token` takes place ("rallied in Tbilisi",
        "gathered outside the French embassy in Niamey" → Niger): the first country, capital
        or place named in its place phrases."""
        clause = token.head
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        for prep in clause.children:
            if prep.dep_ == "prep" and prep.lower_ in SCENE_PREPOSITIONS:
                for word in prep.subtree:
                    mention = mention_of(word)
                    if mention and mention[0] in ("country", "capital", "place"):
                        return mention[1]
        return None

    @staticmethod
    def _is_definite(token: Token) -> bool:
        return any(
            child.dep_ in ("det", "poss", "predet") and child.lower_ in DEFINITE | {"its", "their"}
            for child in token.children
        ) or (token.tag_ == "NNS" and any(c.lower_ == "both" for c in token.children))

    def _region_filter(self, token: Token) -> set[str] | None:
        words = [c for c in token.lefts if c.dep_ in ("amod", "compound", "npadvmod")]
        if not words:
            return None
        phrase = " ".join(w.text for w in words).casefold()
        allowed = set(self.gazetteer.countries_in_region(phrase))
        for word in words:
            allowed |= self.gazetteer.countries_in_region(word.text)
        return allowed or None


def _supporter_prefix(token: Token) -> bool:
    """ "pro-EU", "anti-Russian": the mention is what the noun is for or against."""
    doc = token.doc
    return (
        token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ in ("pro", "anti")
    )


def _in_object(token: Token) -> bool:
    """Whether a pronoun sits inside an object ("killed several of its commanders"), where
    it rarely refers back to the subject of its own clause."""
    current = token
    for _ in range(4):
        if current.dep_ in ("dobj", "pobj", "dative", "iobj"):
            return True
        if current.dep_ in ("nsubj", "nsubjpass") or current.head.i == current.i:
            return False
        current = current.head
    return False


def coordinated(token: Token) -> list[Token]:
    """`token` and the heads coordinated with it: conjuncts, and actor mentions in
    appositions (parsers often read "Mali, Burkina Faso and Niger" as an apposition)."""
    found = [token]
    for head in found:
        listed = [c for c in head.children if c.dep_ in ("appos", "nmod") and mention_of(c)]
        # "Putin and U.S. President Donald Trump" is sometimes parsed with Putin as a modifier
        # of Trump (but "Azerbaijani and Armenian forces" are forces, not three actors).
        # (not an "apposition" heading its own clause: "11 people Trump described as ...")
        listed = [
            c
            for c in listed
            if (c.dep_ == "appos" and not any(g.dep_ in ("acl", "relcl") for g in c.children))
            or (mention_of(head) and any(g.dep_ == "cc" for g in c.children))
        ]
        for other in (*head.conjuncts, *listed):
            if other not in found:
                found.append(other)
    return found


def _entity_span(token: Token) -> Span | None:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _is_location(token: Token) -> bool:
    head = token.head
    return token.dep_ == "pobj" and head.lower_ in LOCATION_PREPOSITIONS


def introduce_titled_persons(
    tokens: Span | Doc, gazetteer: Gazetteer, context: ArticleContext, day: date
) -> list[tuple[Span, ActorRef]]:
    """Find "Russian President Vladimir Putin"-style introductions and register the persons.

    Works on tokens alone (no parse), so it runs on every sentence of an article.
    """
    found: list[tuple[Span, ActorRef]] = []
    doc = tokens.doc if isinstance(tokens, Span) else tokens
    start, end = (tokens.start, tokens.end) if isinstance(tokens, Span) else (0, len(doc))
    i = start
    carried_country: str | None = None
    while i < end:
        title, width = _title_at(doc, i, end, gazetteer)
        if title is None:
            i += 1
            continue
        name_start = i + width
        while name_start < end and doc[name_start].text == ",":
            name_start += 1
        next_title, _ = _title_at(doc, name_start, end, gazetteer)
        country = _country_before(doc, i, start, gazetteer) or carried_country
        if next_title is not None:  # "Niger's leader, General Tiani": carry the country on
            carried_country = country
            i = name_start
            continue
        name_end = name_start
        while name_end < end and name_end - name_start < 4:
            word = doc[name_end]
            if (word.is_title and not mention_of(word) and not word.is_stop) or (
                word.lower_ in NAME_PARTICLES and name_end > name_start
            ):
                name_end += 1
            else:
                break
        while name_end > name_start and doc[name_end - 1].lower_ in NAME_PARTICLES:
            name_end -= 1
        carried_country = None
        if name_end == name_start:
            leader = mention_of(doc[name_start]) if name_start < end else None
            if leader and leader[0] == "leader":
                person = gazetteer.leader_actor(leader[1], day)
                context.introduce(person, [person.name])
            i = name_start + 1
            continue
        name = doc[name_start:name_end]
        country = country or context.recent_country()
        if country is not None and name.text.count(" ") <= 3:
            sector = title.sector or "GOV"
            person = gazetteer.person_actor(name.text, country, sector)
            names = [name.text, name[-1].text]
            context.introduce(person, names)
            found.append((name, person))
        i = name_end
    return found


def _title_at(doc: Doc, i: int, end: int, gazetteer: Gazetteer):
    """A title at token `i` ("President", "Foreign Minister"), or a lower-case title or group
    noun directly followed by a full name ("ambassador Joel Meyer", "reporter Evan Gershkovich")."""
    if i >= end or doc[i].lower_ not in gazetteer.term_starts:
        return None, 0
    for width in (3, 2, 1):
        if i + width > end:
            continue
        phrase = " ".join(t.lower_ for t in doc[i : i + width])
        term = gazetteer.sector_term(phrase)
        if term is None or term.sector is None:
            continue
        if "title" in term.roles and doc[i].is_title:
            return term, width
        if ("title" in term.roles or "group" in term.roles) and _full_name_at(doc, i + width, end):
            return term, width
    return None, 0


def _full_name_at(doc: Doc, i: int, end: int) -> bool:
    """Two or more capitalised words that are not a known actor: a person's name."""
    words = 0
    while i < end and doc[i].is_title and not doc[i].is_stop and not mention_of(doc[i]):
        words += 1
        i += 1
    return words >= 2 and doc[i - 1].ent_type_ in ("PERSON", "")


def _country_before(doc: Doc, i: int, start: int, gazetteer: Gazetteer) -> str | None:
    for j in range(i - 1, max(start, i - 4) - 1, -1):
        mention = mention_of(doc[j])
        if mention is None:
            if doc[j].lower_ in ("'s", "’s", "'") or doc[j].is_title:
                continue
            if doc[j].lower_ in TITLE_MODIFIERS:  # "Nigeria's former head of state"
                continue
            break
        kind, key = mention
        if kind in ("country", "demonym", "capital", "place"):
            return key
        if kind == "metonym":
            return key[:3]
        if kind in ("org", "group"):
            return key if gazetteer.named_actor(key) else None
    return None
