"""Files → Articles: formats, front matter and sidecars, encodings, cleaning."""

import codecs
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from retrieval.clean import clean_article_text
from retrieval.dates import best_date_in_text, parse_date
from retrieval.documents import Article
from retrieval.errors import BadInput
from retrieval.html import parse_html

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json", ".jsonl"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
SIDECAR_SUFFIXES = (".yaml", ".yml")
# A news article is tens of kilobytes; anything this big is a dump that needs splitting first.
MAX_ARTICLE_CHARS = 1_000_000
TEXT_FIELDS = ("text", "body", "content")
DATE_FIELDS = ("published_at", "published", "date")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_MARKDOWN = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d+\.)\s+", re.MULTILINE), ""),
    (re.compile(r"(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1"), r"\2"),
]

Result = Article | BadInput


def read_paths(paths: Iterable[Path]) -> Iterator[Result]:
    """Every article in these files and folders, or a BadInput naming what could not be read."""
    for path in paths:
        if not path.exists():
            yield BadInput(f"{path}: no such file or directory")
        elif path.is_dir():
            for file in _walk(path):
                yield from read_file(file)
        else:
            yield from read_file(path)


def _walk(folder: Path) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        stat = os.stat(root)
        if (stat.st_dev, stat.st_ino) in seen:  # a symlink loop: each folder once
            dirs.clear()
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs.sort()
        for name in sorted(files):
            if Path(name).suffix.lower() in SUFFIXES and not name.startswith("."):
                yield Path(root) / name


def read_file(path: Path) -> Iterator[Result]:
    """The articles in one file; a JSON Lines file yields one result per line."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield BadInput(
            f"{path}: unsupported file type {suffix or '(none)'}; expected one of "
            + ", ".join(sorted(SUFFIXES))
        )
        return
    try:
        text = decode(path.read_bytes(), path)
    except (OSError, BadInput) as error:
        yield error if isinstance(error, BadInput) else BadInput(f"{path}: {error.strerror}")
        return
    if suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield _from_json_text(line, f"{path}:{number}")
    elif suffix == ".json":
        yield from _from_json_document(text, path)
    else:
        yield _guard(lambda: _from_document(text, path, suffix), str(path))


def decode(data: bytes, path: Path) -> str:
    """Bytes → text: UTF-8 or UTF-16 by their BOM, else UTF-8, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise BadInput(f"{path}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _from_json_document(text: str, path: Path) -> Iterator[Result]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        yield BadInput(f"{path}:{error.lineno}: invalid JSON: {error.msg}")
        return
    records = value if isinstance(value, list) else [value]
    for number, record in enumerate(records, 1):
        where = f"{path}[{number - 1}]" if isinstance(value, list) else str(path)
        yield _guard(lambda record=record, where=where: _from_record(record, where), where)


def _from_json_text(line: str, where: str) -> Result:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return BadInput(f"{where}: invalid JSON: {error.msg}")
    return _guard(lambda: _from_record(record, where), where)


def _guard(build: Any, where: str) -> Result:
    try:
        result: Result = build()
    except BadInput as error:
        return error
    except (ValueError, TypeError) as error:
        return BadInput(f"{where}: {error}")
    return result


def _from_record(record: Any, where: str) -> Article:
    if not isinstance(record, dict):
        raise BadInput(f"{where}: expected a JSON object, got {type(record).__name__}")
    text = next((record[f] for f in TEXT_FIELDS if record.get(f)), None)
    if not isinstance(text, str) or not text.strip():
        raise BadInput(f"{where}: record has no text (expected 'text', 'body' or 'content')")
    return build_article(record, text, where)


def _from_document(text: str, path: Path, suffix: str) -> Article:
    fields: dict[str, Any] = {}
    if suffix in HTML_SUFFIXES:
        page = parse_html(text)
        fields = {
            "title": page.title,
            "url": page.url,
            "author": page.author,
            "published_at": page.published,
            "source": page.source,
        }
        text = page.text
    else:
        front = _FRONT_MATTER.match(text)
        if front:
            fields = _yaml_fields(front.group(1), str(path))
            text = text[front.end() :]
        if suffix != ".txt":
            for pattern, replacement in _MARKDOWN:
                text = pattern.sub(replacement, text)
    fields = {k: v for k, v in fields.items() if v} | _sidecar(path)
    if not fields.get("title"):
        first, _, rest = text.strip().partition("\n")
        fields["title"], text = first.strip(), rest if rest.strip() else text
    if not any(fields.get(f) for f in DATE_FIELDS):
        fields["published_at"] = best_date_in_text(text)
    return build_article(fields, text, str(path))


def _sidecar(path: Path) -> dict[str, Any]:
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_suffix(suffix)
        if sidecar.is_file():
            return _yaml_fields(sidecar.read_text(encoding="utf-8"), str(sidecar))
    return {}


def _yaml_fields(text: str, where: str) -> dict[str, Any]:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise BadInput(f"{where}: invalid front matter: {error}".splitlines()[0]) from error
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadInput(f"{where}: front matter must be a mapping of fields")
    return value


def build_article(fields: dict[str, Any], text: str, where: str) -> Article:
    """An Article from raw fields: cleaned text, parsed date, a stable id."""
    title = _string(fields.get("title"), "title", where)
    if len(text) > MAX_ARTICLE_CHARS:
        raise BadInput(
            f"{where}: article text is {len(text) / 1e6:.1f} MB; "
            f"newsdesk indexes articles up to {MAX_ARTICLE_CHARS / 1e6:.0f} MB"
        )
    cleaned = clean_article_text(text, title or None)
    if not cleaned:
        raise BadInput(f"{where}: no article text left after removing page boilerplate")
    url = _string(fields.get("url"), "url", where)
    article_id = _string(fields.get("id"), "id", where) or _stable_id(url, title, cleaned)
    published = next((fields[f] for f in DATE_FIELDS if fields.get(f)), None)
    return Article(
        article_id=article_id,
        title=title or cleaned[:80],
        text=cleaned,
        source=_string(fields.get("source"), "source", where) or _domain(url),
        url=url,
        author=_authors(fields.get("author") or fields.get("authors"), where),
        published_at=_published(published, where),
        origin=where,
    )


def _string(value: Any, name: str, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return " ".join(str(value).split())
    raise BadInput(f"{where}: field '{name}' must be text, got {type(value).__name__}")


def _authors(value: Any, where: str) -> str:
    if isinstance(value, list):
        return ", ".join(_string(v, "author", where) for v in value)
    return _string(value, "author", where)


def _published(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    try:
        return parse_date(str(value))
    except ValueError as error:
        raise BadInput(f"{where}: field 'published_at': {error}") from error


def _stable_id(url: str, title: str, text: str) -> str:
    basis = url or f"{title}\n{text}"
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def _domain(url: str) -> str:
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.")
