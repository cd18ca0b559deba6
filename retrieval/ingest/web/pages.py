"""An article page → an Article: read_html finds the body text and the page's metadata (title,
author, date, canonical URL, site name); newsdesk's cleaning then removes what it let through
(share bars, bylines, photo credits)."""

from retrieval.errors import BadInput
from retrieval.ingest.articles import build_article
from retrieval.ingest.html import read_html
from retrieval.ingest.web.fetch import Fetched
from retrieval.ingest.web.listing import Entry
from retrieval.ingest.web.urls import canonical_url
from retrieval.records import Article


def page_article(fetched: Fetched, entry: Entry | None = None, source: str = "") -> Article:
    """The article on a fetched page, the listing's entry filling what the page doesn't say;
    `source` names the outlet over what the page calls itself."""
    listed = entry or Entry(url=canonical_url(fetched.url))
    page = read_html(fetched.body, fetched.url)
    text = page.text or listed.text
    if not text or not text.strip():
        raise BadInput(f"{fetched.url}: no article text found on the page")
    fields = {
        "url": page.url or canonical_url(fetched.url),
        "title": page.title or listed.title,
        "author": page.author or listed.author,
        "published_at": page.published or listed.published or None,
        "source": source or page.source or listed.source,
    }
    return build_article(fields, text, fetched.url)
