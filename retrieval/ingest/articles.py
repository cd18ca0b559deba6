"""Raw fields → an Article: cleaned text, a parsed date, a stable id; the one way every input
(files, JSON records) becomes an article."""

import hashlib
from datetime import date, datetime
from typing import Any
from urllib.parse import urlparse

from retrieval.errors import BadInput
from retrieval.ingest.clean import clean_article_text
from retrieval.ingest.dates import parse_date
from retrieval.records import Article

# A news article is tens of kilobytes; anything this big is a dump that needs splitting first.
MAX_ARTICLE_CHARS = 1_000_000
TEXT_FIELDS = ("text", "body", "content")
DATE_FIELDS = ("published_at", "published", "date")


def article_from_record(record: Any, where: str) -> Article:
    """An Article from a JSON record (as in .json/.jsonl files and API bodies)."""
    if not isinstance(record, dict):
        raise BadInput(f"{where}: expected a JSON object, got {type(record).__name__}")
    text = next((record[f] for f in TEXT_FIELDS if record.get(f)), None)
    if not isinstance(text, str) or not text.strip():
        raise BadInput(f"{where}: record has no text (expected 'text', 'body' or 'content')")
    return build_article(record, text, where)


def build_article(fields: dict[str, Any], text: str, where: str) -> Article:
    """An Article from raw fields: cleaned text, parsed date, a stable id."""
    title = _string(fields.get("title"), "title", where)
    if len(text) > MAX_ARTICLE_CHARS:
        raise BadInput(
            f"{where}: article text is {len(text) / 1e6:.1f} MB; "
            f"newsdesk indexes articles up to {MAX_ARTICLE_CHARS / 1e6:.0f} MB"
        )
    # A text that is nothing but what cleaning removes (its own headline, a lone label) is kept
    # as written: it is all the article says.
    cleaned = clean_article_text(text, title or None) or " ".join(text.split())
    if not any(ch.isalnum() for ch in cleaned):
        raise BadInput(f"{where}: the article has no text (no letter or digit)")
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
