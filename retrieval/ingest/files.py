"""Files → Articles: formats, front matter and sidecars, encodings."""

import codecs
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from retrieval.errors import BadInput
from retrieval.ingest.articles import DATE_FIELDS, article_from_record, build_article
from retrieval.ingest.dates import best_date_in_text
from retrieval.ingest.html import read_html
from retrieval.records import Article

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json", ".jsonl"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
SIDECAR_SUFFIXES = (".yaml", ".yml")
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
        yield _guard(lambda record=record, where=where: article_from_record(record, where), where)


def _from_json_text(line: str, where: str) -> Result:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return BadInput(f"{where}: invalid JSON: {error.msg}")
    return _guard(lambda: article_from_record(record, where), where)


def _guard(build: Any, where: str) -> Result:
    try:
        result: Result = build()
    except BadInput as error:
        return error
    except (ValueError, TypeError) as error:
        return BadInput(f"{where}: {error}")
    return result


def _from_document(text: str, path: Path, suffix: str) -> Article:
    given: dict[str, Any] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        given = _yaml_fields(front.group(1), str(path))
        text = text[front.end() :]
    found: dict[str, Any] = {}
    if suffix in HTML_SUFFIXES:
        page = read_html(text)
        found = {
            "title": page.title,
            "url": page.url,
            "author": page.author,
            "published_at": page.published,
            "source": page.source,
        }
        text = page.text
    elif suffix != ".txt":
        for pattern, replacement in _MARKDOWN:
            text = pattern.sub(replacement, text)
    # What the file's writer says (front matter, then a sidecar) over what the page says.
    fields = {k: v for said in (found, given) for k, v in said.items() if v} | _sidecar(path)
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
