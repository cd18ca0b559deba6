"""RSS and Atom feeds → entries, read by feedparser (which copes with the feeds outlets really
publish)."""

import io
import time
from typing import Any

import feedparser

from retrieval.errors import BadInput
from retrieval.ingest.html_text import html_text
from retrieval.ingest.web.fetch import Fetched
from retrieval.ingest.web.listing import Entry
from retrieval.ingest.web.urls import canonical_url

MAX_ENTRIES = 1000  # a feed lists its latest articles: tens, at most hundreds


def feed_entries(fetched: Fetched) -> list[Entry]:
    """The feed's entries that link to an article; BadInput when nothing can be read."""
    # A stream, never a string: feedparser fetches strings that look like URLs or paths.
    parsed = feedparser.parse(
        io.BytesIO(fetched.body),
        response_headers={"content-type": fetched.content_type, "content-location": fetched.url},
        sanitize_html=False,  # the text is only read, never shown as HTML
    )
    source = " ".join(str(parsed.feed.get("title", "")).split())
    found = (_entry(item, source) for item in parsed.entries[:MAX_ENTRIES])
    entries = [entry for entry in found if entry is not None]
    if not entries and parsed.get("bozo"):
        problem = str(parsed.get("bozo_exception", "")) or "unreadable"
        raise BadInput(f"{fetched.url}: not a readable feed ({problem})")
    return entries


def _entry(item: Any, source: str) -> Entry | None:
    guid = str(item.get("id", ""))
    link = item.get("link") or (guid if guid.startswith(("http://", "https://")) else "")
    if not link:
        return None
    content = item.get("content") or []
    html = content[0].get("value", "") if content else item.get("summary", "")
    # Read as a plain dict: feedparser's own lookups swap a missing date for the other one.
    published = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
    return Entry(
        url=canonical_url(link),
        title=" ".join(str(item.get("title", "")).split()),
        published=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", published) if published else "",
        author=str(item.get("author", "")),
        source=source,
        text=html_text(html) if html else "",
        stamp=f"{dict.get(item, 'updated', '')}\x1f{html}",
    )
