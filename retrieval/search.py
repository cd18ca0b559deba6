"""Dense (chunks and sentences) and BM25 retrieval, fused into one ranking of chunks."""

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from retrieval.documents import Hit
from retrieval.embed import Vectors
from retrieval.errors import EmptyIndex
from retrieval.followup import standalone_question
from retrieval.store import Filters, Index, Lexicon

RRF_K = 60  # Cormack et al. 2009: larger values flatten the difference between ranks
CANDIDATES = 50  # per retriever; fusion only reorders what some retriever found


@dataclass(frozen=True)
class SearchRequest:
    """A query and the restrictions a user can put on it."""

    query: str
    k: int = 10
    source: str | None = None
    since: date | None = None
    until: date | None = None
    as_of: date | None = None  # the archive as it stood that day: nothing published later
    history: tuple[str, ...] = ()  # earlier questions of the same conversation, oldest first

    def __post_init__(self) -> None:
        if not self.query.strip():
            raise ValueError("the question is empty")
        if self.k < 1:
            raise ValueError(f"k ({self.k}) must be at least 1")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")


@dataclass(frozen=True)
class Retrieval:
    """What search found for a request, kept for the answer stage."""

    request: SearchRequest
    query: str  # the request's query, made standalone when it follows up on earlier ones
    vector: Vectors
    hits: list[Hit]  # chunks, best first, several per article possible
    lexicon: Lexicon
    started: float  # time.perf_counter() when the request came in

    def elapsed_ms(self) -> float:
        return round((time.perf_counter() - self.started) * 1000, 1)


class Searcher:
    """Hybrid search over an Index."""

    def __init__(self, index: Index, candidates: int = CANDIDATES) -> None:
        if candidates < 1:
            raise ValueError(f"candidates ({candidates}) must be at least 1")
        self.index = index
        self.candidates = candidates

    def retrieve(self, request: SearchRequest) -> Retrieval:
        """Fused chunk ranking for a request."""
        started = time.perf_counter()
        lexicon = self.index.lexicon()
        if not lexicon.ids:
            raise EmptyIndex()
        filters = self.filters(request, lexicon)
        query = standalone_question(request.query, request.history)
        vector = self.index.embedder.encode([query])[0]
        n = self.candidates
        rankings = [
            self.index.dense(vector, n, filters),
            self.index.dense(vector, n, filters, sentences=True),
            [(lexicon.ids[i], s) for i, s in lexicon.index.top(query, n, lexicon.allowed(filters))],
        ]
        fused = reciprocal_rank_fusion(rankings)[:n]
        return Retrieval(request, query, vector, self.index.hits(fused), lexicon, started)

    def search(self, request: SearchRequest) -> list[Hit]:
        """The best chunk of each of the k best articles."""
        return best_per_article(self.retrieve(request).hits)[: request.k]

    def filters(self, request: SearchRequest, lexicon: Lexicon) -> Filters:
        until = (
            min(d for d in (request.until, request.as_of) if d)
            if (request.until or request.as_of)
            else None
        )
        sources = match_sources(request.source, lexicon.sources) if request.source else None
        return Filters(sources=sources, since=request.since, until=until)


def match_sources(wanted: str, known: Sequence[str]) -> frozenset[str]:
    """Indexed source names matching what a user typed: 'nbc' finds 'nbc news', 'pbs.org'."""
    key = wanted.strip().lower()
    return frozenset(s for s in known if key == s or key in s.split() or s.startswith(key))


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[tuple[str, float]]],
) -> list[tuple[str, float]]:
    """Merge ranked lists: each item scores the sum of 1 / (RRF_K + rank) over the lists."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, (item, _) in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda pair: pair[1], reverse=True)


def best_per_article(hits: Sequence[Hit]) -> list[Hit]:
    """Keep the first (best) hit of each article."""
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.article_id not in seen:
            seen.add(hit.article_id)
            out.append(hit)
    return out
