"""What an article has said so far: the state coreference resolution reads.

Sentences are observed in order; later sentences resolve "the country", "the junta", "it",
"he" or a bare surname against what came before.
"""

from collections import Counter
from dataclasses import dataclass, field

from graph.types import ActorRef

PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs"})
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})
THING_PRONOUNS = frozenset({"it", "its"})
PRONOUNS = PLURAL_PRONOUNS | PERSON_PRONOUNS | THING_PRONOUNS


@dataclass(slots=True)
class Mention:
    actor: ActorRef
    sentence: int
    subject: bool


@dataclass
class ArticleContext:
    """Actors mentioned so far, persons introduced by name, and the article's countries."""

    mentions: list[Mention] = field(default_factory=list)
    persons: dict[str, ActorRef] = field(default_factory=dict)
    countries: Counter = field(default_factory=Counter)
    sentence: int = 0
    # the two (or more) sides of the latest act between several actors, and its sentence:
    # whom "the truce, mediated by Qatar" or "Turkey hosted the meeting" was between
    parties: list[ActorRef] = field(default_factory=list)
    parties_sentence: int = -1
    # the latest hostile act coded (its sources and sentence): what "the attack" or "the
    # strikes" in a later sentence refer back to when the sentence names no attacker
    attackers: list[ActorRef] = field(default_factory=list)
    attack_sentence: int = -1
    # the country each sector noun last stood for ("Niger's junta" → NER): a later "the junta"
    # is the same junta, even when another country was named since
    bound: dict[str, str] = field(default_factory=dict)
    # the armed groups the whole article names (read ahead): "Jihadist fighters attacked ..."
    # before the article names JNIM are JNIM's when it names no other group
    article_groups: list[ActorRef] = field(default_factory=list)
    # the pairs of every act coded so far (source, target): whom a later "pledged $300
    # million" with no recipient in its sentence is pledged to
    dealings: list[tuple[ActorRef, ActorRef, str]] = field(default_factory=list)

    def next_sentence(self) -> None:
        self.sentence += 1

    def note(self, actor: ActorRef, subject: bool = False) -> None:
        """Record that `actor` was mentioned in the current sentence."""
        self.mentions.append(Mention(actor, self.sentence, subject))
        if actor.country:
            self.countries[actor.country] += 1

    def note_parties(self, actors: list[ActorRef]) -> None:
        """Record the sides of an act just coded, for a later mediator or host."""
        self.parties = list(actors)
        self.parties_sentence = self.sentence

    def note_attack(self, sources: list[ActorRef]) -> None:
        """Record the sources of a hostile act just coded, for a later "the attack"."""
        self.attackers = list(sources)
        self.attack_sentence = self.sentence

    def note_dealing(self, source: ActorRef, target: ActorRef, code: str) -> None:
        """Record the actors (and CAMEO code) of an act just coded, for a later act with no
        target."""
        self.dealings.append((source, target, code))

    def latest_source(self, root: str) -> ActorRef | None:
        """The source of the latest act coded with a CAMEO code under `root` ("11": the
        latest accusation, which a later "the accusations" refers to)."""
        for source, _, code in reversed(self.dealings):
            if code.startswith(root):
                return source
        return None

    def counterpart(self, actor: ActorRef) -> ActorRef | None:
        """The one country `actor`'s country has cooperated with (roots 03–08) in earlier
        sentences' acts, if there is exactly one and no act of material conflict (roots 14–20)
        lies between them: what one sends towards an adversary is no aid."""
        if not actor.country:
            return None
        others: dict[str, ActorRef] = {}
        hostile: set[str] = set()
        for source, target, code in self.dealings:
            for mine, other in ((source, target), (target, source)):
                if mine.country == actor.country and other.country != actor.country:
                    key = other.country or other.code
                    if "03" <= code[:2] <= "08":
                        others.setdefault(key, other)
                    if code[:2] >= "14":
                        hostile.add(key)
        if len(others) != 1 or set(others) & hostile:
            return None
        return next(iter(others.values()))

    def recent_attackers(self, within: int = 6) -> list[ActorRef]:
        """The sources of the latest hostile act coded in an earlier sentence, if recent."""
        if self.attack_sentence == self.sentence:
            return []
        return self.attackers if self.sentence - self.attack_sentence <= within else []

    def recent_parties(self, within: int = 3) -> list[ActorRef]:
        """The sides of the latest act between several actors, if it is recent."""
        return self.parties if self.sentence - self.parties_sentence <= within else []

    def introduce(self, person: ActorRef, names: list[str]) -> None:
        """Register a titled person so later bare mentions of `names` resolve to them."""
        for name in names:
            self.persons.setdefault(name.casefold(), person)

    def person(self, name: str) -> ActorRef | None:
        return self.persons.get(name.casefold())

    def recent_country(
        self, allowed: set[str] | None = None, exclude: set[str] = frozenset()
    ) -> str | None:
        """The most recently mentioned country (ISO3), preferring subjects, optionally among
        `allowed` and other than `exclude`; falls back to the article's most mentioned one."""
        for want_subject in (True, False):
            for mention in reversed(self.mentions[-40:]):
                country = mention.actor.country
                if country is None or country in exclude:
                    continue
                if allowed is not None and country not in allowed:
                    continue
                if mention.subject or not want_subject:
                    if want_subject and self.sentence - mention.sentence > 3:
                        break
                    return country
        ranked = [
            c
            for c, _ in self.countries.most_common()
            if (allowed is None or c in allowed) and c not in exclude
        ]
        return ranked[0] if ranked else None

    def recent_named(self, kind: str) -> ActorRef | None:
        """The most recently mentioned organisation or armed group (`kind`)."""
        for mention in reversed(self.mentions[-40:]):
            if mention.actor.kind == kind:
                return mention.actor
        return None

    def recent_subject_group(self) -> list[ActorRef]:
        """The coordinated subjects of the latest sentence that had several ("Mali, Burkina
        Faso and Niger said ... they"), for a plural pronoun."""
        by_sentence: dict[int, list[ActorRef]] = {}
        for mention in self.mentions[-40:]:
            if mention.subject and mention.actor.kind != "person":
                group = by_sentence.setdefault(mention.sentence, [])
                if mention.actor not in group:
                    group.append(mention.actor)
        for sentence in sorted(by_sentence, reverse=True)[:2]:
            if len(by_sentence[sentence]) >= 2:
                return by_sentence[sentence]
        return []

    def pronoun(
        self,
        word: str,
        subjects: list[ActorRef] | None = None,
        others: list[ActorRef] | None = None,
        objective: bool = False,
    ) -> ActorRef | None:
        """The antecedent of a personal or possessive pronoun.

        `subjects` and `others` are the actors seen earlier in the same sentence, nearest
        last. A subject pronoun prefers earlier subjects; an object pronoun ("target him")
        prefers the nearest earlier non-subject.
        """
        word = word.casefold()
        near_subjects = [Mention(a, self.sentence, True) for a in reversed(subjects or [])]
        near_others = [Mention(a, self.sentence, False) for a in reversed(others or [])]
        here = near_others + near_subjects if objective else near_subjects + near_others
        recent = [m for m in self.mentions if self.sentence - m.sentence <= 2]
        pool = here + sorted(
            reversed(recent), key=lambda m: (not m.subject, self.sentence - m.sentence)
        )
        for mention in pool:
            actor = mention.actor
            if word in PERSON_PRONOUNS and actor.kind == "person":
                return actor
            if word in THING_PRONOUNS and actor.kind != "person":
                return actor
            if word in PLURAL_PRONOUNS and (actor.kind == "group" or actor.sector is not None):
                return actor
        if word in PLURAL_PRONOUNS:
            return next((m.actor for m in pool if m.actor.kind != "person"), None)
        return None
