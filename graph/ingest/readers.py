"""Readers: files, folders, archives and feeds to `ArticleIn`s, each problem reported with its
path (and line) and skipped.

- `.txt` — one article; optional `Title:`, `Date:`, `URL:`, `Source:` header lines first.
- `.json` — one article or a list; `.jsonl` / `.ndjson` — one article a line.
- `.rss`, `.atom`, `.xml` — a saved feed, one article per item (feedparser).
- `.html`, `.htm` — a web page; its main text, without navigation and boilerplate (trafilatura).
- `.gz` — any of these compressed; `.zip` — any of these inside.
"""

import gzip
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import feedparser
import lxml.html
import trafilatura
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


Read = ReadItem | ReadError


def describe(error: ValidationError) -> str:
    """A one-line summary of a validation error: which field, what is wrong."""
    parts = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "article"
        parts.append(f"{field}: {problem['msg']}")
    return "; ".join(parts)


def parse_article(raw: object, location: str) -> Read:
    """Validate one decoded object as an article."""
    if not isinstance(raw, dict):
        return ReadError(location, f"expected a JSON object, got {type(raw).__name__}")
    try:
        return ReadItem(location, ArticleIn.model_validate(raw))
    except ValidationError as error:
        return ReadError(location, describe(error))


def read_text_article(data: bytes, location: str) -> Iterator[Read]:
    """A plain-text article with optional `Key: value` header lines."""
    fields: dict[str, str] = {}
    lines = data.decode("utf-8").splitlines()
    body_start = 0
    for index, line in enumerate(lines):
        key, sep, value = line.partition(":")
        if sep and key.strip().casefold() in TEXT_HEADERS and index == body_start:
            fields[TEXT_HEADERS[key.strip().casefold()]] = value.strip()
            body_start = index + 1
        else:
            break
    fields["text"] = "\n".join(lines[body_start:]).strip()
    yield parse_article(fields, location)


def read_json_lines(data: bytes, location: str) -> Iterator[Read]:
    for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if line.strip():
            yield _json_line(line, f"{location}:{number}")


def _json_line(line: str | bytes, where: str) -> Read:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        return ReadError(where, f"malformed JSON: {error.msg} (column {error.colno})")
    except UnicodeDecodeError as error:
        return ReadError(where, f"not UTF-8: {error.reason}")
    return parse_article(raw, where)


def read_json(data: bytes, location: str) -> Iterator[Read]:
    try:
        raw = json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as error:
        yield ReadError(f"{location}:{error.lineno}", f"malformed JSON: {error.msg}")
        return
    if isinstance(raw, list):
        for index, item in enumerate(raw):
            yield parse_article(item, f"{location}[{index}]")
    else:
        yield parse_article(raw, location)


def read_feed(data: bytes, location: str) -> Iterator[Read]:
    """One article per RSS/Atom item: its text, title, link and publication date."""
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        yield ReadError(location, f"not a readable feed: {feed.bozo_exception}")
        return
    outlet = feed.feed.get("title")
    for index, entry in enumerate(feed.entries):
        where = f"{location}#item{index + 1}"
        html = next((c.value for c in entry.get("content", []) if c.get("value")), None)
        html = html or entry.get("summary") or entry.get("description") or ""
        text = _html_text(html) if "<" in html else html
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        yield parse_article(
            {
                "text": text,
                "title": entry.get("title"),
                "url": entry.get("link"),
                "source": outlet,
                "published_at": datetime(*published[:6], tzinfo=UTC) if published else None,
            },
            where,
        )


def read_html(data: bytes, location: str) -> Iterator[Read]:
    """The main text of a web page, with its title, date and canonical url when it has them."""
    document = trafilatura.bare_extraction(
        data.decode("utf-8", errors="replace"), with_metadata=True, include_comments=False
    )
    if document is None or not (document.text or "").strip():
        yield ReadError(location, "no article text found in the page")
        return
    yield parse_article(
        {
            "text": document.text,
            "title": document.title,
            "url": document.url,
            "source": document.sitename,
            "published_at": document.date,
        },
        location,
    )


def _html_text(html: str) -> str:
    """The text of an HTML fragment (a feed item's summary or content)."""
    return lxml.html.fragment_fromstring(html, create_parent="div").text_content().strip()


READERS: dict[str, Callable[[bytes, str], Iterator[Read]]] = {
    ".txt": read_text_article,
    ".json": read_json,
    ".jsonl": read_json_lines,
    ".ndjson": read_json_lines,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
    ".html": read_html,
    ".htm": read_html,
}
ARCHIVES = (".gz", ".zip")


def is_readable(name: str) -> bool:
    suffix = PurePosixPath(name).suffix.casefold()
    if suffix == ".gz":
        return PurePosixPath(name[:-3]).suffix.casefold() in READERS
    return suffix in READERS or suffix == ".zip"


def read_bytes(name: str, data: bytes, location: str) -> Iterator[Read]:
    """Articles in the bytes of a file called `name` (archives are opened recursively)."""
    suffix = PurePosixPath(name).suffix.casefold()
    try:
        if suffix == ".gz":
            yield from read_bytes(name[:-3], gzip.decompress(data), location)
            return
        if suffix == ".zip":
            yield from _read_zip(data, location)
            return
        reader = READERS.get(suffix)
        if reader is None:
            kinds = ", ".join([*READERS, *ARCHIVES])
            yield ReadError(location, f"unsupported file type {suffix or name!r}; use {kinds}")
            return
        yield from reader(data, location)
    except (OSError, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as error:
        yield ReadError(location, f"cannot read: {error}")


def _read_zip(data: bytes, location: str) -> Iterator[Read]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if member.is_dir() or not is_readable(member.filename):
                continue
            yield from read_bytes(
                member.filename, archive.read(member), f"{location}!{member.filename}"
            )


def read_path(path: Path) -> Iterator[Read]:
    """Every article in a file or, recursively, a folder (files of unknown kinds in a folder
    are passed over; a named file of an unknown kind is an error)."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if is_readable(child.name):
                yield from read_path(child)
        return
    try:
        data = path.read_bytes()
    except OSError as error:
        yield ReadError(str(path), f"cannot read: {error.strerror or error}")
        return
    yield from read_bytes(path.name, data, str(path))


def read_stream(stream: BinaryIO, location: str = "<stdin>") -> Iterator[Read]:
    """JSON Lines from a stream (standard input), one article a line."""
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield _json_line(line, f"{location}:{number}")
