"""The article index: chunk vectors searched in Chroma, everything else read from the catalog on
disk. Nothing of the archive is held in a serving process's memory, and a write is visible to
every process sharing the data dir as soon as its catalog transaction commits."""

import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from chromadb.api import ClientAPI

from retrieval.index.catalog import Catalog, Embedded
from retrieval.index.embed import Embedder
from retrieval.index.encoder import Vectors
from retrieval.index.filters import Filters
from retrieval.index.rebuild import rebuild
from retrieval.index.vectors import ChunkVectors
from retrieval.index.view import View
from retrieval.records import Article, Chunk

# Bump when what is embedded or read from an article changes: re-ingesting then rewrites every
# article instead of skipping it as unchanged (3: sentences pooled from their chunk; 4: days
# without a year read as past when nearly as near, "will be decided" as future).
INDEX_FORMAT = 4
# Filters admitting at most this many chunks are searched exactly, in the catalog (fast for a few
# thousand rows); wider ones through Chroma's nearest, asked for more and filtered here. Chroma's
# own filtered search is not used: at 200k chunks it took 0.2–1.5 s a question.
EXACT_ROWS = 2_000
OVERFETCH = 1.5  # Chroma is asked for this many times the chunks the filters' share would give
MAX_FETCH = 1000
# The count that gives the share stops here (about 2 ms at 200k chunks): past it the share is
# a lower bound, and a lower share asks Chroma for more chunks than are needed.
SHARE_ROWS = 20_000


class Index:
    """Articles as chunks: vectors in Chroma (the store of record), a catalog beside them."""

    def __init__(
        self,
        client: ClientAPI,
        embedder: Embedder,
        catalog: Catalog,
        name: str = "newsdesk",
        location: str = "",
    ) -> None:
        self.embedder = embedder
        self.catalog = catalog
        self.location = location or name
        self.vectors = ChunkVectors(client, name, self.location)
        self.vectors_id = f"{INDEX_FORMAT}:{embedder.vectors_id}"
        self._writing = threading.Lock()  # one write at a time per process; SQLite orders processes
        if not self.counts()[1] and self.vectors.count():
            rebuild(catalog, self.vectors, self.vectors_id)

    # --- writing -------------------------------------------------------------------------

    def states(self, articles: Sequence[Article]) -> dict[str, str]:
        """'added', 'updated' or 'unchanged' for each article id: what writing it would do."""
        return self.catalog.states(articles, self.vectors_id)

    def embed(self, batch: Sequence[tuple[Article, list[Chunk]]]) -> list[Embedded]:
        """Each chunk's vector and its sentences' vectors, from one pass of the model over the
        chunk (with its headline, which gives the model context)."""
        texts, spans = [], []
        for article, chunks in batch:
            head = len(article.title) + 1 if article.title else 0
            for chunk in chunks:
                texts.append(embedded_text(article, chunk.text))
                offset = head - chunk.start
                spans.append([(offset + s.start, offset + s.end) for s in chunk.sentences])
        vectors = iter(self.embedder.encode_spans(texts, spans))
        return [Embedded(a, chunks, [next(vectors) for _ in chunks]) for a, chunks in batch]

    def store(self, batch: Sequence[Embedded]) -> None:
        """Write embedded articles, each replacing any older version of itself: first to Chroma,
        then to the catalog, whose commit makes them visible whole."""
        with self._writing:
            self.vectors.upsert(batch, self.vectors_id)
            self.catalog.write(batch, self.vectors_id)

    def write(self, batch: Sequence[tuple[Article, list[Chunk]]]) -> None:
        self.store(self.embed(batch))

    def delete(self, article_id: str) -> bool:
        """Remove an article (from the catalog first, so no search finds it meanwhile); False
        when it was not there."""
        with self._writing:
            found = self.catalog.delete(article_id)
            self.vectors.delete(article_id)
        return found

    # --- reading -------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[View]:
        """A consistent view of the catalog for one search."""
        with self.catalog.transaction() as db:
            yield View(db)

    def dense(
        self, view: View, vector: Vectors, n: int, filters: Filters
    ) -> list[tuple[int, float]]:
        """(row, cosine) of the n chunks nearest the vector among those the filters admit."""
        if not filters.any:
            return self._found(view, self.vectors.nearest(vector, n), filters)[:n]
        admitted = view.count(filters, at_most=SHARE_ROWS)
        if admitted <= EXACT_ROWS:
            return view.nearest(vector, n, filters)
        share = admitted / max(1, view.size())
        wanted = min(MAX_FETCH, math.ceil(n / share * OVERFETCH))
        found = self._found(view, self.vectors.nearest(vector, wanted), filters)
        if len(found) < n:  # the filters' chunks lie far from the question
            return view.nearest(vector, n, filters)
        return found[:n]

    def _found(
        self, view: View, nearest: list[tuple[str, float]], filters: Filters
    ) -> list[tuple[int, float]]:
        rows = view.rows([chunk_id for chunk_id, _ in nearest], filters)
        return [(rows[chunk_id], s) for chunk_id, s in nearest if chunk_id in rows]

    def counts(self) -> tuple[int, int]:
        """(articles, chunks) in the index."""
        with self.reading() as view:
            return view.articles(), view.size()

    def sources(self) -> dict[str, int]:
        """Articles per outlet, by the outlet's name as written; articles without one left out."""
        with self.reading() as view:
            return dict(view.sources().values())

    def article(self, article_id: str) -> Article | None:
        with self.reading() as view:
            return view.article(article_id)

    def articles(self, limit: int, offset: int, source: str | None) -> tuple[list[Article], int]:
        """A page of articles, the latest published first, and how many there are in all."""
        with self.reading() as view:
            total = view.sources().get(source.lower(), ("", 0))[1] if source else view.articles()
            return view.articles_page(limit, offset, source), total

    def ping(self) -> None:
        """Raise StoreUnavailable unless Chroma answers."""
        self.vectors.ping()


def embedded_text(article: Article, text: str) -> str:
    """What the model reads for a chunk: the headline gives it context."""
    return f"{article.title}\n{text}" if article.title else text
