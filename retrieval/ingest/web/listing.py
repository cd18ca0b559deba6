"""What a fetched URL is (an article page, a feed, a sitemap) and the entries a feed or sitemap
lists, in one shape."""

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from retrieval.ingest.web.fetch import Fetched, FetchFailed

Kind = Literal["page", "feed", "sitemap"]
PAGE_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = ("xml", "rss", "atom", "text/plain", "application/octet-stream", "")
FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf"})
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
SNIFF_BYTES = 4096
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z][\w:.-]*)")
_SKIPPED = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One article a feed or sitemap lists, with what the listing says about it."""

    url: str  # canonical
    title: str = ""
    published: str = ""  # ISO date or datetime, when the listing gives one
    author: str = ""
    source: str = ""  # the outlet the listing names
    text: str = ""  # the listing's own text of the article, if any
    stamp: str = ""  # the listing's update time or content: changes when the article does

    @property
    def version(self) -> str:
        """Changes when the listing says the entry changed."""
        basis = "\x1f".join((self.url, self.title, self.published, self.stamp))
        return hashlib.sha256(basis.encode()).hexdigest()[:16]


def kind_of(fetched: Fetched) -> Kind:
    """A page, feed or sitemap, by content type and the document's first element; FetchFailed
    for anything else (a PDF, an image)."""
    content_type = fetched.content_type.split(";")[0].strip().lower()
    root = _root(fetched.body)
    if root in SITEMAP_ROOTS:
        return "sitemap"
    if root in FEED_ROOTS:
        return "feed"
    if content_type in PAGE_TYPES or root == "html":
        return "page"
    if any(word in content_type for word in ("rss", "atom")):
        return "feed"  # a broken feed: the feed reader says what is wrong with it
    if any(word in content_type for word in XML_TYPES if word):
        raise FetchFailed(fetched.url, f"{content_type} that is not a feed or a sitemap")
    raise FetchFailed(
        fetched.url, f"{content_type or 'untyped content'} is not a web page, feed or sitemap"
    )


def _root(body: bytes) -> str:
    head = _SKIPPED.sub(b"", body[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n"))
    found = _FIRST_ELEMENT.search(head)
    return found.group(1).decode("ascii", "replace").lower() if found else ""


def unique(entries: list[Entry]) -> list[Entry]:
    """Each URL once, the first listing of it kept: feeds repeat entries."""
    return list({entry.url: entry for entry in reversed(entries)}.values())[::-1]
