"""Sitemaps and news sitemaps → entries, with a small, safe XML read (no entities, no DTDs, no
network): a sitemap is a list of URLs, not a feed."""

from dataclasses import dataclass

from lxml import etree

from retrieval.errors import BadInput
from retrieval.ingest.web.fetch import Fetched
from retrieval.ingest.web.listing import Entry
from retrieval.ingest.web.urls import canonical_url

MAX_URLS = 1000  # a news sitemap holds the last two days: Google reads 1,000 at most
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


@dataclass(frozen=True)
class Sitemap:
    entries: list[Entry]
    children: list[str]  # the sitemaps a sitemap index lists


def read_sitemap(fetched: Fetched) -> Sitemap:
    """The pages a sitemap lists (with a news sitemap's title, date and outlet), or the
    sitemaps a sitemap index lists; BadInput when it is not well-formed XML."""
    try:
        root = etree.fromstring(fetched.body, parser=_PARSER)
    except etree.XMLSyntaxError as error:
        raise BadInput(f"{fetched.url}: not well-formed XML ({error.msg})") from None
    if _name(root) == "sitemapindex":
        children = [_text(child, "loc") for child in root if _name(child) == "sitemap"]
        return Sitemap([], [url for url in children if url][:MAX_URLS])
    entries = [_entry(item) for item in root if _name(item) == "url"]
    return Sitemap([entry for entry in entries if entry is not None][:MAX_URLS], [])


def _entry(item: etree._Element) -> Entry | None:
    loc = _text(item, "loc")
    if not loc:
        return None
    news = next((child for child in item if _name(child) == "news"), None)
    publication = (
        next((child for child in news if _name(child) == "publication"), None)
        if news is not None
        else None
    )
    published = (_text(news, "publication_date") if news is not None else "") or ""
    return Entry(
        url=canonical_url(loc),
        title=_text(news, "title") if news is not None else "",
        published=published,
        source=_text(publication, "name") if publication is not None else "",
        stamp=_text(item, "lastmod") or published,
    )


def _name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text(parent: etree._Element, name: str) -> str:
    child = next((c for c in parent if _name(c) == name), None)
    return " ".join((child.text or "").split()) if child is not None else ""
