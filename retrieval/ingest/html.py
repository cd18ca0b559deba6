"""An HTML news page → its body text and metadata, before clean_article_text runs."""

import re
import warnings
from dataclasses import dataclass

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag
from bs4.element import NavigableString, PageElement
from bs4.exceptions import ParserRejectedMarkup

# Page furniture and non-text content; a <figure> is a photo and its caption.
DROPPED_TAGS = frozenset({
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "figure",
    "figcaption", "iframe", "svg", "template", "button", "object", "embed",
})  # fmt: skip
# Tags whose start and end are paragraph breaks, so their sentences never run together.
BLOCK_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "blockquote", "br", "tr", "section",
    "article", "main", "ul", "ol", "dl", "dt", "dd", "table", "pre", "hr", "address", "details",
})  # fmt: skip
CELL_TAGS = frozenset(("td", "th"))  # cells of a row are separated by a space, not a paragraph
_AUTHOR_KEYS = ("author", "article:author")
_PUBLISHED_KEYS = ("article:published_time", "date", "pubdate", "publishdate")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class HtmlPage:
    """What a page says about itself; every field but text is None when the page is silent."""

    title: str | None
    text: str
    url: str | None
    author: str | None
    published: str | None  # raw, as the page wrote it; parsing dates is another module's job
    source: str | None


def parse_html(markup: str) -> HtmlPage:
    """Read the title, metadata and paragraph-separated body text of an HTML page."""
    soup = _soup(markup)
    if soup is None:
        return HtmlPage(title=None, text="", url=None, author=None, published=None, source=None)
    tags = _tags_by_name(soup)
    meta = _meta_values(tags.get("meta", []))
    title = meta.get("og:title") or _heading(tags) or _document_title(tags.get("title", []))
    published = _first(meta, _PUBLISHED_KEYS) or _time_datetime(tags.get("time", []))
    url = _canonical_url(tags.get("link", [])) or meta.get("og:url")
    for name in DROPPED_TAGS:  # only now: a <header> may hold the <h1> or <time>
        for tag in tags.get(name, []):
            if not tag.decomposed:
                tag.decompose()
    return HtmlPage(
        title=title,
        text=_body_text(_content_root(soup, tags)),
        url=url,
        author=_first(meta, _AUTHOR_KEYS),
        published=published,
        source=meta.get("og:site_name"),
    )


def _soup(markup: str) -> BeautifulSoup | None:
    with warnings.catch_warnings():
        # Markup that looks like a URL or a file name is still markup here.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        try:
            return BeautifulSoup(markup, "html.parser")
        except ParserRejectedMarkup:
            return None


def _tags_by_name(soup: BeautifulSoup) -> dict[str, list[Tag]]:
    """Every tag in document order, by name: one walk instead of a find_all per question."""
    tags: dict[str, list[Tag]] = {}
    for node in soup.descendants:
        if isinstance(node, Tag):
            tags.setdefault(node.name, []).append(node)
    return tags


def _meta_values(metas: list[Tag]) -> dict[str, str]:
    """<meta> contents keyed by their lower-cased property, name or itemprop; first one wins."""
    values: dict[str, str] = {}
    for tag in metas:
        content = _attribute(tag, "content")
        if not content:
            continue
        for key_attribute in ("property", "name", "itemprop"):
            key = _attribute(tag, key_attribute)
            if key:
                values.setdefault(key.lower(), content)
    return values


def _attribute(tag: Tag, name: str) -> str | None:
    value = tag.get(name)
    if isinstance(value, list):
        value = " ".join(value)
    value = value.strip() if isinstance(value, str) else ""
    return value or None


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((meta[key] for key in keys if key in meta), None)


def _heading(tags: dict[str, list[Tag]]) -> str | None:
    # A site logo is often an <h1> in the page header: an article's own <h1> comes first.
    for article in tags.get("article", []):
        heading = article.find("h1")
        if isinstance(heading, Tag):
            return _text_of(heading)
    return _text_of(tags["h1"][0]) if tags.get("h1") else None


def _document_title(titles: list[Tag]) -> str | None:
    for tag in titles:
        if tag.find_parent("svg") is None:  # an <svg> icon has a <title> of its own
            return _text_of(tag)
    return None


def _text_of(tag: Tag) -> str | None:
    return " ".join(tag.get_text(" ").split()) or None


def _canonical_url(links: list[Tag]) -> str | None:
    for link in links:
        if "canonical" in (_attribute(link, "rel") or "").lower().split():
            return _attribute(link, "href")
    return None


def _time_datetime(times: list[Tag]) -> str | None:
    return next((value for tag in times if (value := _attribute(tag, "datetime"))), None)


def _content_root(soup: BeautifulSoup, tags: dict[str, list[Tag]]) -> Tag:
    """The largest <article>, else <main>, else <body>, else the whole document."""
    articles = [tag for tag in tags.get("article", []) if not tag.decomposed]
    if articles:
        return max(articles, key=lambda article: len(article.get_text()))
    mains = [tag for tag in tags.get("main", []) if not tag.decomposed]
    return mains[0] if mains else soup.body or soup


def _body_text(root: Tag) -> str:
    """Text of root with one blank line between paragraphs and single spaces inside them."""
    # A walk with an explicit stack: scraped pages can nest deeper than Python's recursion limit.
    pieces: list[str] = []
    stack: list[PageElement | str] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Tag):
            separator = _separator(node.name)
            pieces.append(separator)
            stack.append(separator)  # plain str: emitted again when the tag's contents end
            stack.extend(reversed(node.contents))
        elif type(node) is str:
            pieces.append(node)
        elif type(node) is NavigableString:  # not a comment, CDATA or doctype
            pieces.append(_WHITESPACE.sub(" ", node))
    paragraphs = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _separator(name: str) -> str:
    if name in BLOCK_TAGS:
        return "\n"
    return " " if name in CELL_TAGS else ""
