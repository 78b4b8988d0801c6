"""GDELT 2.0 event files: tab-separated, 61 columns, no header (`.CSV` or `.CSV.zip`).

Actors map onto geokg's own (country + sector codes, organisations and groups by code) so
imported events join the extracted ones. Rows without both actors are counted and skipped.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graph.actors.gazetteer import Gazetteer
from graph.ontology import Codebook
from graph.store.bulk import ImportedEvent
from graph.types import ActorRef

COLUMNS = 61
# Column positions in the GDELT 2.0 event table.
GLOBALEVENTID, SQLDATE = 0, 1
ACTOR1 = {"code": 5, "name": 6, "country": 7, "type": 12}
ACTOR2 = {"code": 15, "name": 16, "country": 17, "type": 22}
EVENTCODE, EVENTROOTCODE, QUADCLASS, GOLDSTEIN = 26, 28, 29, 30
NUMMENTIONS, NUMSOURCES, NUMARTICLES = 31, 32, 33
SOURCEURL = 60
ORGANIZATION_PREFIXES = ("IGO", "NGO", "INT", "MNC")


@dataclass
class GdeltReport:
    rows: int = 0
    missing_actor: int = 0
    problems: list[str] = field(default_factory=list)


class GdeltMapper:
    """Turn GDELT rows into `ImportedEvent`s with geokg actors."""

    def __init__(self, gazetteer: Gazetteer, codebook: Codebook):
        self.gazetteer = gazetteer
        self.codebook = codebook
        self._actors: dict[tuple[str, str, str, str], ActorRef] = {}

    def actor(self, code: str, name: str, country: str, kind_code: str) -> ActorRef | None:
        if not code:
            return None
        key = (code, name, country, kind_code)
        if key not in self._actors:
            self._actors[key] = self._actor(code, name, country, kind_code)
        return self._actors[key]

    def _actor(self, code: str, name: str, country: str, kind_code: str) -> ActorRef:
        named = self.gazetteer.actor_by_code(code)
        if named is not None:
            return named
        countries = self.gazetteer.countries
        iso3 = country if country in countries else code[:3] if code[:3] in countries else None
        if iso3 is not None:
            sector = kind_code if kind_code in self.gazetteer.sector_labels else None
            return self.gazetteer.country_actor(iso3, sector)
        kind = "organization" if code.startswith(ORGANIZATION_PREFIXES) else "group"
        return ActorRef(code, name.title() or code, code, None, None, kind)

    def event(self, cells: list[str], where: str) -> ImportedEvent | str | None:
        """An event, None when an actor is missing, or a problem description."""
        if len(cells) != COLUMNS:
            return f"{where}: {len(cells)} columns, expected {COLUMNS}"
        source = self.actor(*(cells[ACTOR1[k]] for k in ("code", "name", "country", "type")))
        target = self.actor(*(cells[ACTOR2[k]] for k in ("code", "name", "country", "type")))
        if source is None or target is None or source.id == target.id:
            return None
        code = cells[EVENTCODE]
        if code not in self.codebook:
            return f"{where}: unknown CAMEO code {code!r}"
        entry = self.codebook.get(code)
        try:
            day = date(int(cells[SQLDATE][:4]), int(cells[SQLDATE][4:6]), int(cells[SQLDATE][6:8]))
            quad_class = int(cells[QUADCLASS])
            goldstein = float(cells[GOLDSTEIN])
            mentions, sources, articles = (
                int(cells[i] or 0) for i in (NUMMENTIONS, NUMSOURCES, NUMARTICLES)
            )
        except ValueError as error:
            return f"{where}: {error}"
        url = cells[SOURCEURL] or None
        return ImportedEvent(
            external_id=f"gdelt:{cells[GLOBALEVENTID]}",
            source=source,
            target=target,
            cameo=code,
            root=cells[EVENTROOTCODE] or entry.root,
            quad_class=quad_class,
            goldstein=goldstein,
            plover=entry.plover,
            plover_mode=entry.mode,
            date=day,
            url=url,
            mentions=mentions,
            sources=sources,
            articles=articles,
            rule=f"gdelt:{cells[GLOBALEVENTID]}",
        )


def read_gdelt(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(location, cells) for every row of a GDELT file or of the files inside a zip."""
    if path.suffix.casefold() == ".zip":
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                with archive.open(name) as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
                    yield from _rows(text, f"{path}!{name}")
        return
    with open(path, encoding="utf-8", errors="replace", newline="") as text:
        yield from _rows(text, str(path))


def _rows(text, location: str) -> Iterator[tuple[str, list[str]]]:
    reader = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, cells in enumerate(reader, start=1):
        if cells:
            yield f"{location}:{number}", cells


def gdelt_events(
    paths: list[Path], mapper: GdeltMapper, report: GdeltReport
) -> Iterator[ImportedEvent]:
    """Every importable event in `paths`; skips and problems are tallied in `report`."""
    for path in paths:
        for where, cells in read_gdelt(path):
            report.rows += 1
            found = mapper.event(cells, where)
            if found is None:
                report.missing_actor += 1
            elif isinstance(found, str):
                report.problems.append(found)
            else:
                yield found
