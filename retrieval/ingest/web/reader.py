"""URLs → articles: an article page is one, a feed or sitemap gives one per entry. Each URL
that fails is a BadInput naming it; the others are still read."""

import re
from collections.abc import Callable, Iterable, Iterator

from retrieval.errors import BadInput
from retrieval.ingest.web.dedup import Fingerprints, SeenInThisRun, text_fingerprint
from retrieval.ingest.web.feeds import feed_entries
from retrieval.ingest.web.fetch import Fetched, Fetcher, FetchFailed
from retrieval.ingest.web.listing import Entry, kind_of, unique
from retrieval.ingest.web.pages import page_article
from retrieval.ingest.web.sitemaps import read_sitemap
from retrieval.records import Article

MAX_CHILD_SITEMAPS = 50  # of a sitemap index; a news site's index lists a handful
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def looks_like_url(value: str) -> bool:
    """A command-line argument meant as a URL rather than a path."""
    return _SCHEME.match(value) is not None


class WebReader:
    """Reads URLs with a Fetcher; `fingerprints` remembers texts already seen, so a story
    syndicated by several outlets is read once (`on_note` hears of each one skipped)."""

    def __init__(
        self,
        fetcher: Fetcher,
        fingerprints: Fingerprints | None = None,
        on_note: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.fetcher = fetcher
        self.fingerprints = fingerprints or SeenInThisRun()
        self.on_note = on_note

    def read(self, urls: Iterable[str]) -> Iterator[Article | BadInput]:
        """Every article the URLs give (each once, however many URLs lead to it), or a
        BadInput for each that fails."""
        read: set[str] = set()
        for article in self._read(urls):
            if isinstance(article, BadInput) or article.article_id not in read:
                yield article
            if isinstance(article, Article):
                read.add(article.article_id)

    def _read(self, urls: Iterable[str]) -> Iterator[Article | BadInput]:
        for url in urls:
            try:
                fetched = self.fetcher.get(url)
                if kind_of(fetched) == "page":
                    found = [self.fresh(page_article(fetched))]
                    yield from (article for article in found if article is not None)
                    continue
                entries = self.entries(fetched)
            except BadInput as error:
                yield error
                continue
            for entry in entries:
                try:
                    article = self.fresh(self.article(entry))
                except BadInput as error:
                    yield error
                    continue
                if article is not None:
                    yield article

    def entries(self, fetched: Fetched) -> list[Entry]:
        """The entries of a fetched feed or sitemap (a sitemap index's sitemaps read too)."""
        kind = kind_of(fetched)
        if kind == "feed":
            return unique(feed_entries(fetched))
        if kind == "page":
            raise FetchFailed(fetched.url, "an article page, not a feed or a sitemap")
        sitemap = read_sitemap(fetched)
        entries = list(sitemap.entries)
        for child in sitemap.children[:MAX_CHILD_SITEMAPS]:
            try:
                entries += read_sitemap(self.fetcher.get(child)).entries
            except BadInput as problem:  # the index's other sitemaps are still read
                self.on_note(str(problem))
        return unique(entries)

    def article(self, entry: Entry, source: str = "") -> Article:
        """The article an entry links to, fetched; BadInput naming its URL when that fails."""
        fetched = self.fetcher.get(entry.url)
        if kind_of(fetched) != "page":
            raise FetchFailed(entry.url, "a feed or sitemap where an article page was expected")
        return page_article(fetched, entry, source)

    def fresh(self, article: Article) -> Article | None:
        """The article, unless another with the same text was already read (syndication)."""
        fingerprint = text_fingerprint(article.text)
        earlier = self.fingerprints.earlier(fingerprint, article.article_id)
        if earlier is not None:
            self.on_note(f"{article.url}: the same text as {earlier}; indexed once")
            return None
        self.fingerprints.remember(fingerprint, article.article_id)
        return article
