"""The codebook: what each CAMEO code means.

The one place that knows a code's name, root, GDELT quad class, Goldstein value and PLOVER
type. Read from `seeds/codebook/cameo.tsv`.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graph import SEEDS_DIR
from graph.datafile import DataFileError, read_rows

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
QUAD_CLASS_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


def quad_class_of(root: str) -> int:
    """GDELT quad class of a two-digit root code: 01–05 → 1, 06–08 → 2, 09–13 → 3, 14–20 → 4."""
    number = int(root)
    if not 1 <= number <= 20:
        raise ValueError(f"{root!r} is not a CAMEO root code (01–20)")
    if number <= 5:
        return 1
    if number <= 8:
        return 2
    if number <= 13:
        return 3
    return 4


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO code with everything derived from it."""

    code: str
    name: str
    goldstein: float
    plover: str | None
    mode: str | None

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def quad_class(self) -> int:
        return quad_class_of(self.root)


class Codebook:
    """All CAMEO codes, looked up by their string code."""

    def __init__(self, codes: dict[str, CameoCode]):
        self._codes = codes

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def __iter__(self):
        return iter(self._codes.values())

    def __len__(self) -> int:
        return len(self._codes)

    def get(self, code: str) -> CameoCode:
        """The code's entry; `KeyError` naming the code when it is not in the codebook."""
        try:
            return self._codes[code]
        except KeyError:
            raise KeyError(f"unknown CAMEO code {code!r}") from None

    def codes_with_prefix(self, prefix: str) -> list[CameoCode]:
        """Every code starting with `prefix` (`"06"` gives the whole root)."""
        return [entry for code, entry in self._codes.items() if code.startswith(prefix)]

    @classmethod
    def from_file(cls, path: Path) -> "Codebook":
        """Read and check the codebook TSV."""
        codes: dict[str, CameoCode] = {}
        for row in read_rows(path, ("code", "name", "goldstein", "plover", "mode")):
            code = row["code"]
            if not (code.isdigit() and 2 <= len(code) <= 4 and 1 <= int(code[:2]) <= 20):
                raise row.error(f"{code!r} is not a CAMEO code")
            if code in codes:
                raise row.error(f"code {code} listed twice")
            try:
                goldstein = float(row["goldstein"])
            except ValueError:
                raise row.error(f"goldstein {row['goldstein']!r} is not a number") from None
            if not -10 <= goldstein <= 10:
                raise row.error(f"goldstein {goldstein} outside -10..10")
            plover = row.get("plover") or None
            if plover is not None and plover not in PLOVER_TYPES:
                raise row.error(f"unknown PLOVER type {plover!r}")
            codes[code] = CameoCode(code, row["name"], goldstein, plover, row.get("mode") or None)
        if not codes:
            raise DataFileError(f"{path}: no codes")
        return cls(codes)


@cache
def load_codebook(seeds_dir: Path = SEEDS_DIR) -> Codebook:
    """The codebook from `seeds_dir`, read once per process."""
    return Codebook.from_file(seeds_dir / "codebook" / "cameo.tsv")
