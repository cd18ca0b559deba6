"""An in-memory view of the index: every chunk with its vectors, BM25, and filter columns.

Chroma stays the store of record and answers nearest-neighbour queries; the snapshot holds what
scoring a few dozen candidates needs, so a question costs no further round trips to Chroma.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from chromadb.api.models.Collection import Collection

from retrieval.index.encoders import Vectors
from retrieval.index.lexical import LexicalIndex
from retrieval.index.terms import terms
from retrieval.records import Hit, Sentence

NO_DAY = -1  # published_day of an undated article: never inside a date filter
# Up to this many sentence vectors, comparing the question with all of them takes a few
# milliseconds and beats a round trip to Chroma's approximate index.
EXACT_SEARCH_LIMIT = 200_000
PAGE = 5000


@dataclass(frozen=True)
class Filters:
    """Restrictions on which articles may answer: sources and publication days (inclusive)."""

    sources: frozenset[str] | None = None  # lower-cased source names; None = any
    since: date | None = None
    until: date | None = None

    def where(self) -> dict[str, Any] | None:
        """The same restriction as a Chroma `where` clause."""
        clauses: list[dict[str, Any]] = []
        if self.sources is not None:
            clauses.append({"source_key": {"$in": sorted(self.sources) or [""]}})
        if self.since:
            clauses.append({"published_day": {"$gte": self.since.toordinal()}})
        if self.until:
            clauses.append({"published_day": {"$lte": self.until.toordinal()}})
            clauses.append({"published_day": {"$gt": NO_DAY}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass(frozen=True)
class ChunkTerms:
    chunk: list[str]
    sentences: list[frozenset[str]]


@dataclass(frozen=True)
class Snapshot:
    """Every chunk as a Hit, row-aligned with its vector, its sentences' vectors and BM25."""

    revision: str | None
    chunks: list[Hit]
    row: dict[str, int]  # chunk id → row
    chunk_vectors: Vectors
    sentence_vectors: Vectors  # sentences of chunk r are rows sentence_rows[r]:sentence_rows[r+1]
    sentence_rows: np.ndarray
    lexical: LexicalIndex
    source_keys: np.ndarray
    published_days: np.ndarray
    event_days: dict[date, list[int]]  # a day some sentence talks about → rows of its chunks
    sources: dict[str, str]  # indexed source names, lower-cased, with how each is written
    sentence_chunk: np.ndarray  # the row of each sentence's chunk
    _terms: dict[int, "ChunkTerms"] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.chunks)

    @property
    def articles(self) -> int:
        return len({hit.article_id for hit in self.chunks})

    @property
    def exact(self) -> bool:
        """Small enough to compare the question with every vector rather than ask Chroma."""
        return len(self.sentence_vectors) <= EXACT_SEARCH_LIMIT

    def nearest(
        self, vector: Vectors, n: int, allowed: np.ndarray | None, sentences: bool = False
    ) -> list[tuple[int, float]]:
        """(row, similarity) of the n nearest chunks, or of the chunks of the n nearest
        sentences (best sentence per chunk), by exact comparison."""
        similarity = (self.sentence_vectors if sentences else self.chunk_vectors) @ vector
        rows = self.sentence_chunk if sentences else np.arange(self.size)
        if allowed is not None:
            similarity = np.where(allowed[rows], similarity, -np.inf)
        n = min(n, int(np.isfinite(similarity).sum()))
        if n <= 0:
            return []
        best = np.argpartition(-similarity, n - 1)[:n]
        best = best[np.argsort(-similarity[best], kind="stable")]
        found: dict[int, float] = {}
        for i in best:
            found.setdefault(int(rows[i]), float(similarity[i]))
        return list(found.items())

    def terms_of(self, row: int) -> "ChunkTerms":
        """The chunk's (headline + text) and each sentence's stemmed words, computed once."""
        cached = self._terms.get(row)
        if cached is None:
            hit = self.chunks[row]
            cached = ChunkTerms(
                self.lexical.documents[row],  # BM25 read the same headline and text
                [frozenset(terms(hit.sentence_text(s))) for s in hit.sentences],
            )
            self._terms[row] = cached
        return cached

    def sentences_of(self, row: int) -> Vectors:
        return self.sentence_vectors[self.sentence_rows[row] : self.sentence_rows[row + 1]]

    def rows_about(self, asked: Callable[[date], bool]) -> np.ndarray:
        """Rows with a sentence about a day the question asks for."""
        rows = {r for day, day_rows in self.event_days.items() if asked(day) for r in day_rows}
        return np.array(sorted(rows), dtype=np.int64)

    def allowed(self, filters: Filters) -> np.ndarray | None:
        """Rows the filters admit, or None when they admit every row."""
        mask = np.ones(self.size, dtype=bool)
        if filters.sources is not None:
            mask &= np.isin(self.source_keys, list(filters.sources))
        if filters.since:
            mask &= self.published_days >= filters.since.toordinal()
        if filters.until:
            mask &= (self.published_days <= filters.until.toordinal()) & (
                self.published_days > NO_DAY
            )
        return None if mask.all() else mask


def load_snapshot(chunks: Collection, sentences: Collection, revision: str | None) -> Snapshot:
    """Read both collections page by page into a Snapshot."""
    hits: list[Hit] = []
    chunk_vectors: list[Any] = []
    for rows in _pages(chunks, ["documents", "metadatas", "embeddings"]):
        for chunk_id, text, meta, vector in zip(
            rows["ids"], rows["documents"], rows["metadatas"], rows["embeddings"], strict=True
        ):
            hits.append(_hit(chunk_id, text, meta))
            chunk_vectors.append(vector)
    row = {hit.chunk_id: r for r, hit in enumerate(hits)}
    dimension = len(chunk_vectors[0]) if chunk_vectors else 0
    counts = np.array([len(hit.sentences) for hit in hits], dtype=np.int64)
    sentence_rows = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    # A chunk whose sentences are missing (a write cut short) keeps zero vectors: never quoted.
    sentence_vectors = np.zeros((int(sentence_rows[-1]), dimension), dtype=np.float32)
    for rows in _pages(sentences, ["embeddings"]):
        for sentence_id, vector in zip(rows["ids"], rows["embeddings"], strict=True):
            chunk_id, _, position = sentence_id.rpartition("::")
            r = row.get(chunk_id)
            if r is not None and int(position) < counts[r]:
                sentence_vectors[sentence_rows[r] + int(position)] = vector
    return Snapshot(
        revision=revision,
        chunks=hits,
        row=row,
        chunk_vectors=np.asarray(chunk_vectors, dtype=np.float32).reshape(len(hits), dimension),
        sentence_vectors=sentence_vectors,
        sentence_rows=sentence_rows,
        lexical=LexicalIndex([f"{hit.title}\n{hit.text}" for hit in hits]),
        source_keys=np.array([hit.source.lower() for hit in hits], dtype=object),
        published_days=np.array(
            [hit.published_at.toordinal() if hit.published_at else NO_DAY for hit in hits],
            dtype=np.int64,
        ),
        event_days=_event_days(hits),
        sources={hit.source.lower(): hit.source for hit in hits if hit.source},
        sentence_chunk=np.repeat(np.arange(len(hits)), counts),
    )


def _event_days(hits: list[Hit]) -> dict[date, list[int]]:
    days: dict[date, list[int]] = defaultdict(list)
    for r, hit in enumerate(hits):
        for day in {d for s in hit.sentences for d in s.event_dates if "/" not in d}:
            days[date.fromisoformat(day)].append(r)
    return dict(days)


def _hit(chunk_id: str, text: str, meta: Any) -> Hit:
    starts, ends, dates = meta["sentence_starts"], meta["sentence_ends"], meta["sentence_dates"]
    sentences = tuple(
        Sentence(s, e, tuple(d.split())) for s, e, d in zip(starts, ends, dates, strict=True)
    )
    published = meta["published_at"]
    return Hit(
        chunk_id=chunk_id,
        article_id=str(meta["article_id"]),
        title=str(meta["title"]),
        url=str(meta["url"]),
        source=str(meta["source"]),
        published_at=date.fromisoformat(published) if published else None,
        text=text,
        start=int(meta["start"]),
        score=0.0,
        sentences=sentences,
    )


def _pages(collection: Collection, include: list[Any]) -> Iterator[Any]:
    offset = 0
    while True:
        rows = collection.get(include=include, limit=PAGE, offset=offset)
        if not rows["ids"]:
            return
        yield rows
        offset += len(rows["ids"])
