"""An HTML page → its body text and the page's metadata, the one reading of pages fetched by URL
and of saved .html files; clean_article_text runs after."""

from dataclasses import dataclass

import trafilatura
from trafilatura.settings import Document
from trafilatura.utils import decode_file

from retrieval.ingest.html_text import html_text
from retrieval.ingest.web.urls import SCHEMES, canonical_url

# Dates from the page's metadata and markup only: a date in the text may be any day it mentions.
DATE_OPTIONS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class HtmlPage:
    """What a page says about itself; every field but text is None when the page is silent."""

    title: str | None
    text: str
    url: str | None  # its canonical URL, else the one it was fetched from; http(s) only
    author: str | None
    published: str | None  # as trafilatura read it; parsing dates is another module's job
    source: str | None


def read_html(markup: str | bytes, url: str | None = None) -> HtmlPage:
    """The body text, title, author, date, canonical URL and site name of a page; `url` is
    where it was fetched from, if it was."""
    try:
        found = trafilatura.bare_extraction(
            markup,
            url=url,
            with_metadata=True,
            include_comments=False,
            # On a short page trafilatura's default mode falls back to the whole page's text,
            # navigation and photo captions included; precision mode keeps to the article.
            favor_precision=True,
            date_extraction_params=DATE_OPTIONS,
        )
    except Exception:  # lxml asserts on some broken markup (`<!><svg><a>`): read as text below
        found = None
    page = found if isinstance(found, Document) else Document()
    canonical = page.url if page.url and page.url.split(":")[0] in SCHEMES else None
    return HtmlPage(
        title=page.title,
        # What trafilatura reads no article in (a fragment, plain text) is read as it stands.
        text=page.text or html_text(decode_file(markup)),
        url=canonical_url(canonical) if canonical else None,
        author=page.author,
        published=page.date,
        source=page.sitename,
    )
