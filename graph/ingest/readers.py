"""Readers: files on disk to `ArticleIn`s, each problem reported with its path and line.

`.txt` is one article (optional `Title:`, `Date:`, `URL:`, `Source:` header lines, then a
blank line); `.json` one article or a list of them; `.jsonl`/`.ndjson` one article a line.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from graph.types import ArticleIn

TEXT_HEADERS = {"title": "title", "date": "published_at", "url": "url", "source": "source"}


@dataclass(frozen=True, slots=True)
class ReadError:
    """An input that could not be read as an article."""

    location: str
    message: str


@dataclass(frozen=True, slots=True)
class ReadItem:
    """An article read from `location` (a path, with `:line` for line-based files)."""

    location: str
    article: ArticleIn


def describe(error: ValidationError) -> str:
    """A one-line summary of a validation error: which field, what is wrong."""
    parts = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "article"
        parts.append(f"{field}: {problem['msg']}")
    return "; ".join(parts)


def parse_article(raw: object, location: str) -> ReadItem | ReadError:
    """Validate one decoded JSON object as an article."""
    if not isinstance(raw, dict):
        return ReadError(location, f"expected a JSON object, got {type(raw).__name__}")
    try:
        return ReadItem(location, ArticleIn.model_validate(raw))
    except ValidationError as error:
        return ReadError(location, describe(error))


def read_text_article(text: str, location: str) -> ReadItem | ReadError:
    """A plain-text article with optional `Key: value` header lines."""
    fields: dict[str, str] = {}
    lines = text.splitlines()
    body_start = 0
    for index, line in enumerate(lines):
        key, sep, value = line.partition(":")
        if sep and key.strip().casefold() in TEXT_HEADERS and index == body_start:
            fields[TEXT_HEADERS[key.strip().casefold()]] = value.strip()
            body_start = index + 1
        else:
            break
    fields["text"] = "\n".join(lines[body_start:]).strip()
    return parse_article(fields, location)


def read_json_lines(text: str, location: str) -> Iterator[ReadItem | ReadError]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{location}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as error:
            yield ReadError(where, f"malformed JSON: {error.msg} (column {error.colno})")
            continue
        yield parse_article(raw, where)


def read_json(text: str, location: str) -> Iterator[ReadItem | ReadError]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        yield ReadError(f"{location}:{error.lineno}", f"malformed JSON: {error.msg}")
        return
    if isinstance(raw, list):
        for index, item in enumerate(raw):
            yield parse_article(item, f"{location}[{index}]")
    else:
        yield parse_article(raw, location)


READERS = {
    ".txt": lambda text, where: iter([read_text_article(text, where)]),
    ".json": read_json,
    ".jsonl": read_json_lines,
    ".ndjson": read_json_lines,
}


def read_path(path: Path) -> Iterator[ReadItem | ReadError]:
    """Every article in a file or, recursively, a folder."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.suffix.casefold() in READERS:
                yield from read_path(child)
        return
    reader = READERS.get(path.suffix.casefold())
    if reader is None:
        yield ReadError(str(path), f"unsupported file type {path.suffix!r}; use {sorted(READERS)}")
        return
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        yield ReadError(str(path), f"cannot read: {error}")
        return
    yield from reader(text, str(path))
