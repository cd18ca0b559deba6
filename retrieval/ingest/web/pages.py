"""An article page → an Article: trafilatura finds the body text and the page's metadata
(title, author, date, canonical URL, site name); newsdesk's cleaning then removes what it let
through (share bars, bylines, photo credits)."""

from typing import Any

import trafilatura
from trafilatura.settings import Document

from retrieval.errors import BadInput
from retrieval.ingest.articles import build_article
from retrieval.ingest.web.fetch import Fetched
from retrieval.ingest.web.listing import Entry
from retrieval.ingest.web.urls import SCHEMES, canonical_url
from retrieval.records import Article

# Dates from the page's metadata and markup only: a date in the text may be any day it mentions.
DATE_OPTIONS = {"extensive_search": False, "original_date": True}


def page_article(fetched: Fetched, entry: Entry | None = None, source: str = "") -> Article:
    """The article on a fetched page, the listing's entry filling what the page doesn't say;
    `source` names the outlet over what the page calls itself."""
    listed = entry or Entry(url=canonical_url(fetched.url))
    found = trafilatura.bare_extraction(
        fetched.body,
        url=fetched.url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=DATE_OPTIONS,
    )
    page: dict[str, Any] = found.as_dict() if isinstance(found, Document) else {}
    text = page.get("text") or listed.text
    if not text or not text.strip():
        raise BadInput(f"{fetched.url}: no article text found on the page")
    canonical = page.get("url") or ""
    url = canonical_url(canonical if canonical.split(":")[0] in SCHEMES else fetched.url)
    fields = {
        "url": url,
        "title": page.get("title") or listed.title,
        "author": page.get("author") or listed.author,
        "published_at": page.get("date") or listed.published or None,
        "source": source or page.get("sitename") or listed.source,
    }
    return build_article(fields, text, fetched.url)
