"""HTML → plain text, paragraph by paragraph, without scripts or page furniture: for markup
trafilatura reads no article in (a fragment, as feeds carry and some saved files are)."""

import re
import warnings

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
_WHITESPACE = re.compile(r"\s+")


def html_text(markup: str) -> str:
    """The text of the largest <article>, else <main>, else the body, one blank line between
    paragraphs; "" when the markup holds none."""
    with warnings.catch_warnings():
        # Markup that looks like a URL or a file name is still markup here.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        try:
            soup = BeautifulSoup(markup, "html.parser")
        except ParserRejectedMarkup:
            return ""
    for tag in soup.find_all(DROPPED_TAGS):
        if not tag.decomposed:  # a dropped tag inside one already dropped
            tag.decompose()
    return _body_text(_content_root(soup))


def _content_root(soup: BeautifulSoup) -> Tag:
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda article: len(article.get_text()))
    main = soup.find("main")
    return main if isinstance(main, Tag) else soup.body or soup


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
