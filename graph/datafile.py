"""Read the analyst-editable TSV files in `seeds/`.

Format shared by every file: a header line, TAB-separated columns, `#` comment lines and
blank lines ignored, `|`-separated lists inside a cell. A malformed row raises
`DataFileError` naming the file and line.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path


class DataFileError(ValueError):
    """A seeds data file could not be read; the message names file, line and problem."""


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its cells by column name and where it came from."""

    path: Path
    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def get(self, column: str) -> str:
        """The cell, or an empty string when the column is absent or empty."""
        return self.cells.get(column, "")

    def list(self, column: str) -> list[str]:
        """The cell split on `|`, stripped, empties dropped."""
        return [part.strip() for part in self.get(column).split("|") if part.strip()]

    def date(self, column: str) -> date | None:
        """The cell as an ISO date, or None when empty."""
        value = self.get(column)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.error(f"column {column!r}: {value!r} is not a YYYY-MM-DD date") from None

    def error(self, message: str) -> DataFileError:
        """An error pointing at this row."""
        return DataFileError(f"{self.path}:{self.line}: {message}")


def read_rows(path: Path, required: tuple[str, ...]) -> Iterator[Row]:
    """Yield the rows of a seeds TSV file, checking the header has the `required` columns."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataFileError(f"{path}: data file not found") from None
    header: list[str] | None = None
    for number, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.rstrip("\r\n").split("\t")
        if header is None:
            header = [cell.strip() for cell in cells]
            missing = [column for column in required if column not in header]
            if missing:
                raise DataFileError(f"{path}:{number}: header lacks columns {missing}")
            continue
        if len(cells) > len(header):
            raise DataFileError(
                f"{path}:{number}: {len(cells)} cells but the header has {len(header)} columns"
            )
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        yield Row(path, number, values)
    if header is None:
        raise DataFileError(f"{path}: empty data file (no header)")
