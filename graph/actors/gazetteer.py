"""The gazetteer: every actor name geokg knows, read from the `seeds/` data files.

It answers two questions: which phrases in a text name an actor (as spaCy EntityRuler
patterns, each carrying a mention id such as `demonym:RUS` or `org:nato`), and which
`ActorRef` a mention id, a country plus sector, or a leader on a date stands for.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from graph import SEEDS_DIR
from graph.datafile import DataFileError, Row, read_rows
from graph.types import ActorRef

MENTION_KINDS = ("country", "demonym", "capital", "place", "metonym", "org", "group", "leader")
ENTITY_LABELS = {
    "country": "GPE",
    "capital": "GPE",
    "place": "GPE",
    "demonym": "NORP",
    "metonym": "ORG",
    "org": "ORG",
    "group": "ORG",
    "leader": "PERSON",
}
SECTOR_ROLES = frozenset(
    {"group", "title", "anaphor", "org-anaphor", "group-anaphor", "party-anaphor", "member"}
)
_ACTOR_CODE = re.compile(r"^[A-Z]{3}[A-Z0-9]*$")


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]
    regions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectorTerm:
    term: str
    sector: str | None
    roles: frozenset[str]


@dataclass(frozen=True, slots=True)
class LeaderRole:
    id: str
    name: str
    aliases: tuple[str, ...]
    affiliation: str | None  # ISO3 country, or an organisation/group id
    sector: str | None
    title: str
    start: date | None
    end: date | None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Pattern:
    """A phrase to recognise, with its entity label and mention id."""

    phrase: str
    label: str
    mention: str
    exact: bool  # match case-sensitively (acronyms and person names)


def _is_exact(phrase: str, kind: str) -> bool:
    return kind == "leader" or (not any(ch.islower() for ch in phrase) and len(phrase) <= 8)


class Gazetteer:
    """All actor dictionaries, indexed for recognition and resolution."""

    def __init__(self, seeds_dir: Path = SEEDS_DIR):
        self.seeds_dir = seeds_dir
        self.sector_labels = {
            row["code"]: row["label"]
            for row in read_rows(seeds_dir / "sector_codes.tsv", ("code", "label"))
        }
        self.countries: dict[str, Country] = {}
        self.orgs: dict[str, ActorRef] = {}
        self.groups: dict[str, ActorRef] = {}
        self.metonyms: dict[str, str] = {}  # phrase (lower) → actor code
        self.sectors: dict[str, SectorTerm] = {}
        self.leaders: dict[str, list[LeaderRole]] = {}
        self._region_index: dict[str, set[str]] = {}
        self._patterns: dict[tuple[str, bool], Pattern] = {}
        self._by_code: dict[str, ActorRef] | None = None
        self._term_starts: frozenset[str] | None = None
        self._load_countries()
        self._load_sectors()
        self._load_orgs()
        self._load_groups()
        self._load_metonyms()
        self._load_places()
        self._load_leaders()

    # ----------------------------------------------------------------- loading
    def _add_pattern(self, row: Row, phrase: str, kind: str, key: str) -> None:
        exact = _is_exact(phrase, kind)
        norm = phrase if exact else phrase.casefold()
        mention = f"{kind}:{key}"
        existing = self._patterns.get((norm, exact))
        if existing is not None and existing.mention != mention:
            raise row.error(f"phrase {phrase!r} already names {existing.mention}")
        self._patterns[(norm, exact)] = Pattern(phrase, ENTITY_LABELS[kind], mention, exact)

    def _load_countries(self) -> None:
        path = self.seeds_dir / "countries.tsv"
        columns = ("iso3", "name", "aliases", "demonyms", "capitals", "regions")
        for row in read_rows(path, columns):
            iso3 = row["iso3"]
            if not re.fullmatch(r"[A-Z]{3}", iso3):
                raise row.error(f"iso3 {iso3!r} is not three capital letters")
            if iso3 in self.countries:
                raise row.error(f"country {iso3} listed twice")
            if not row["name"]:
                raise row.error("empty name")
            country = Country(
                iso3,
                row["name"],
                tuple(row.list("aliases")),
                tuple(row.list("demonyms")),
                tuple(row.list("capitals")),
                tuple(row.list("regions")),
            )
            self.countries[iso3] = country
            for phrase in (country.name, *country.aliases):
                self._add_pattern(row, phrase, "country", iso3)
            for phrase in country.demonyms:
                self._add_pattern(row, phrase, "demonym", iso3)
            for phrase in country.capitals:
                self._add_pattern(row, phrase, "capital", iso3)
            for word in country.regions:
                self._region_index.setdefault(word.casefold(), set()).add(iso3)

    def _check_code(self, row: Row, code: str) -> None:
        if not _ACTOR_CODE.fullmatch(code):
            raise row.error(f"actor code {code!r} is not upper-case letters and digits")

    def _check_country(self, row: Row, iso3: str | None) -> None:
        if iso3 and iso3 not in self.countries:
            raise row.error(f"unknown country {iso3!r} (not in countries.tsv)")

    def _check_sector(self, row: Row, sector: str | None) -> None:
        if sector and sector not in self.sector_labels:
            raise row.error(f"unknown sector {sector!r} (not in sector_codes.tsv)")

    def _load_metonyms(self) -> None:
        for row in read_rows(self.seeds_dir / "metonyms.tsv", ("phrase", "code")):
            code = row["code"]
            self._check_code(row, code)
            if self.actor_by_code(code) is None:
                self._check_country(row, code[:3])
                self._check_sector(row, code[3:] or None)
            self.metonyms[row["phrase"].casefold()] = code
            self._add_pattern(row, row["phrase"], "metonym", code)

    def _load_places(self) -> None:
        for row in read_rows(self.seeds_dir / "places.tsv", ("name", "iso3", "aliases")):
            self._check_country(row, row["iso3"])
            for phrase in (row["name"], *row.list("aliases")):
                self._add_pattern(row, phrase, "place", row["iso3"])

    def _load_sectors(self) -> None:
        for row in read_rows(self.seeds_dir / "sectors.tsv", ("term", "sector", "role")):
            sector = row.get("sector") or None
            self._check_sector(row, sector)
            roles = frozenset(row.list("role"))
            unknown = roles - SECTOR_ROLES
            if not roles or unknown:
                raise row.error(f"role must be one of {sorted(SECTOR_ROLES)}, got {row['role']!r}")
            term = row["term"].casefold()
            self.sectors[term] = SectorTerm(term, sector, roles)

    def _load_orgs(self) -> None:
        columns = ("id", "name", "code", "country", "aliases")
        for row in read_rows(self.seeds_dir / "organizations.tsv", columns):
            # a national body coded country + sector ("BBC" GBRMED) has that sector
            code, country = row["code"], row.get("country") or ""
            sector = code[3:6] if country and code.startswith(country) else ""
            actor = self._named_actor(
                row, "organization", sector=sector if sector in self.sector_labels else None
            )
            self.orgs[actor.id] = actor
            for phrase in (actor.name, *actor.aliases):
                self._add_pattern(row, phrase, "org", actor.id)

    def _load_groups(self) -> None:
        columns = ("id", "name", "code", "country", "sector", "aliases")
        for row in read_rows(self.seeds_dir / "groups.tsv", columns):
            sector = row.get("sector") or None
            self._check_sector(row, sector)
            actor = self._named_actor(row, "group", sector=sector)
            self.groups[actor.id] = actor
            for phrase in (actor.name, *actor.aliases):
                self._add_pattern(row, phrase, "group", actor.id)

    def _named_actor(self, row: Row, kind: str, sector: str | None) -> ActorRef:
        actor_id, code = row["id"], row["code"]
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", actor_id):
            raise row.error(f"id {actor_id!r} must be lower-case letters, digits and dashes")
        if actor_id in self.orgs or actor_id in self.groups:
            raise row.error(f"id {actor_id!r} already used")
        self._check_code(row, code)
        country = row.get("country") or None
        self._check_country(row, country)
        return ActorRef(
            actor_id, row["name"], code, country, sector, kind, tuple(row.list("aliases"))
        )

    def _load_leaders(self) -> None:
        columns = ("id", "name", "aliases", "country", "sector", "title", "start", "end")
        for row in read_rows(self.seeds_dir / "leaders.tsv", columns):
            affiliation = row.get("country") or None
            if affiliation is None:
                raise row.error("empty country: give an ISO3 code or an organisation/group id")
            if affiliation not in self.countries and not self._named(affiliation):
                raise row.error(
                    f"country {affiliation!r} is neither an ISO3 code nor an org/group id"
                )
            sector = row.get("sector") or None
            self._check_sector(row, sector)
            role = LeaderRole(
                row["id"],
                row["name"],
                tuple(row.list("aliases")),
                affiliation,
                sector,
                row.get("title"),
                row.date("start"),
                row.date("end"),
            )
            if role.start and role.end and role.end < role.start:
                raise row.error("end date before start date")
            roles = self.leaders.setdefault(role.id, [])
            if roles and roles[0].name != role.name:
                raise row.error(f"id {role.id!r} already names {roles[0].name!r}")
            roles.append(role)
            for phrase in (role.name, *role.aliases):
                self._add_pattern(row, phrase, "leader", role.id)

    def _named(self, actor_id: str) -> ActorRef | None:
        return self.orgs.get(actor_id) or self.groups.get(actor_id)

    # ----------------------------------------------------------------- lookups
    def patterns(self) -> list[Pattern]:
        """Every phrase to recognise, longest first."""
        return sorted(self._patterns.values(), key=lambda p: -len(p.phrase))

    def mention_for(self, phrase: str) -> tuple[str, str] | None:
        """The mention (kind, key) a phrase names on its own ("U.S." in "U.S.-brokered")."""
        for exact in (True, False):
            pattern = self._patterns.get((phrase if exact else phrase.casefold(), exact))
            if pattern is not None:
                kind, _, key = pattern.mention.partition(":")
                return kind, key
        return None

    def country_actor(self, iso3: str, sector: str | None = None) -> ActorRef:
        """The actor for a country, refined by a sector when given (`RUS` + `MIL` → `RUSMIL`)."""
        country = self.countries[iso3]
        if sector is None:
            return ActorRef(iso3, country.name, iso3, iso3, None, "country")
        label = self.sector_labels.get(sector, sector.lower())
        code = iso3 + sector
        return ActorRef(
            code, f"{country.name} {label}", code, iso3, sector, "country", (), country.name
        )

    def actor_for_code(self, code: str) -> ActorRef:
        """The actor for a code: an organisation or group code, or country plus sector
        (`RUSGOV`)."""
        return self.actor_by_code(code) or self.country_actor(code[:3], code[3:] or None)

    def named_actor(self, actor_id: str) -> ActorRef | None:
        """An organisation or armed group by id."""
        return self._named(actor_id)

    def actor_by_code(self, code: str) -> ActorRef | None:
        """The organisation or armed group with this CAMEO-style code (the first listed)."""
        if self._by_code is None:
            self._by_code = {}
            for actor in (*self.orgs.values(), *self.groups.values()):
                self._by_code.setdefault(actor.code, actor)
        return self._by_code.get(code)

    def leader_actor(self, leader_id: str, on: date) -> ActorRef:
        """A person from the leaders table, coded by the role they hold on `on`."""
        roles = self.leaders[leader_id]
        current = next((role for role in roles if role.covers(on)), None)
        person = roles[0]
        aliases = tuple(dict.fromkeys(alias for role in roles for alias in role.aliases))
        if current is None:
            # Out of office: keep the affiliation of the nearest role, no sector.
            nearest = min(roles, key=lambda role: _distance(role, on))
            return self._person(person.id, person.name, nearest.affiliation, None, aliases)
        return self._person(person.id, person.name, current.affiliation, current.sector, aliases)

    def person_actor(
        self, name: str, country: str | None, sector: str | None, aliases: tuple[str, ...] = ()
    ) -> ActorRef:
        """A person not in the leaders table, introduced in the text with a title."""
        slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
        return self._person(slug, name, country, sector, aliases)

    def _person(
        self,
        person_id: str,
        name: str,
        affiliation: str | None,
        sector: str | None,
        aliases: tuple[str, ...],
    ) -> ActorRef:
        org = self._named(affiliation) if affiliation else None
        if org is not None:
            return ActorRef(
                person_id,
                name,
                org.code,
                org.country,
                org.sector,
                "person",
                aliases,
                org.country_name,
            )
        if affiliation is None:
            raise ValueError(f"person {name!r} has no country or organisation")
        code = affiliation + (sector or "")
        country_name = self.countries[affiliation].name
        return ActorRef(person_id, name, code, affiliation, sector, "person", aliases, country_name)

    @property
    def term_starts(self) -> frozenset[str]:
        """First words of every sector term and title: a cheap test before a lookup."""
        if self._term_starts is None:
            self._term_starts = frozenset(term.split()[0] for term in self.sectors)
        return self._term_starts

    def sector_term(self, phrase: str) -> SectorTerm | None:
        """The sector entry for a lemma or lemma phrase (`troop`, `foreign minister`)."""
        return self.sectors.get(phrase.casefold())

    def countries_in_region(self, word: str) -> set[str]:
        """ISO3 codes of the countries a region word describes (`West African`)."""
        return self._region_index.get(word.casefold(), set())

    @property
    def region_words(self) -> set[str]:
        return set(self._region_index)


def _distance(role: LeaderRole, on: date) -> int:
    if role.start and on < role.start:
        return (role.start - on).days
    if role.end and on > role.end:
        return (on - role.end).days
    return 0


@cache
def load_gazetteer(seeds_dir: Path = SEEDS_DIR) -> Gazetteer:
    """The gazetteer from `seeds_dir`, read once per process."""
    return Gazetteer(seeds_dir)


__all__ = ["Country", "DataFileError", "Gazetteer", "LeaderRole", "Pattern", "load_gazetteer"]
