"""Find candidate chunks (dense, BM25, dates) and rank them by the evidence they hold."""

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

import numpy as np

from retrieval.documents import Hit
from retrieval.embed import Vectors, cores
from retrieval.errors import EmptyIndex
from retrieval.followup import standalone_question
from retrieval.question import Question, analyse
from retrieval.rerank import Evidence, Scorer
from retrieval.snapshot import Filters, Snapshot
from retrieval.store import Index

RRF_K = 60  # Cormack et al. 2009: larger values flatten the difference between ranks
CANDIDATES = 30  # per retriever; the reranker only reorders what some retriever found
DATE_CANDIDATES = 20  # chunks about the day asked for, added even when no retriever found them
# Searches run at once per process: two per core, one encoding while the other runs Python.
# More would only take turns at the interpreter lock, which is unfair to the latecomers; a
# pool takes requests first come, first served (16 clients: p95 400 → 290 ms).
SEARCHES_PER_CORE = 2
Mode = Literal["dense", "bm25", "hybrid", "rerank"]


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
    question: Question  # the request's query made standalone, and read for dates and roles
    hits: list[Hit]  # chunks, best first, several per article possible
    evidence: dict[str, Evidence]  # by chunk id
    started: float  # time.perf_counter() when the request came in

    def elapsed_ms(self) -> float:
        return round((time.perf_counter() - self.started) * 1000, 1)


class Searcher:
    """Hybrid search over an Index; `mode` other than 'rerank' exists for ablations."""

    def __init__(self, index: Index, candidates: int = CANDIDATES, mode: Mode = "rerank") -> None:
        if candidates < 1:
            raise ValueError(f"candidates ({candidates}) must be at least 1")
        self.index = index
        self.candidates = candidates
        self.mode = mode
        self._pool = ThreadPoolExecutor(SEARCHES_PER_CORE * cores(), thread_name_prefix="search")

    def retrieve(self, request: SearchRequest) -> Retrieval:
        """Ranked chunks for a request, with the evidence each holds."""
        started = time.perf_counter()  # the wait for a turn counts in the time taken
        return self._pool.submit(self._retrieve, request, started).result()

    def _retrieve(self, request: SearchRequest, started: float) -> Retrieval:
        snapshot = self.index.snapshot()
        if not snapshot.size:
            raise EmptyIndex()
        query = standalone_question(request.query, request.history)
        question = analyse(query, request.as_of, snapshot.sources)
        filters = self.filters(request, question, snapshot)
        vector = self.index.embedder.encode([query])[0]
        rankings = self._rankings(query, vector, filters, snapshot)
        rows = list(dict.fromkeys(r for ranking in rankings for r, _ in ranking))
        rows += [r for r in _dated_rows(question, vector, filters, snapshot) if r not in rows]
        newest = max((d for d in snapshot.published_days if d > 0), default=None)
        scorer = Scorer(
            question, vector, snapshot.lexical.idf, date.fromordinal(newest) if newest else None
        )
        evidence = {
            snapshot.chunks[r].chunk_id: scorer.evidence(
                snapshot.chunks[r],
                snapshot.chunk_vectors[r],
                snapshot.sentences_of(r),
                snapshot.terms_of(r),
            )
            for r in rows
        }
        order = self._order(rankings, evidence, snapshot)
        hits = [replace(evidence[c].hit, score=evidence[c].score) for c in order]
        return Retrieval(request, question, hits, evidence, started)

    def search(self, request: SearchRequest) -> list[Hit]:
        """The best chunk of each of the k best articles."""
        return best_per_article(self.retrieve(request).hits)[: request.k]

    def filters(self, request: SearchRequest, question: Question, snapshot: Snapshot) -> Filters:
        """The request's filters; an outlet named in the question restricts to it."""
        until = min((d for d in (request.until, request.as_of) if d), default=None)
        if request.source:
            sources: frozenset[str] | None = match_sources(request.source, snapshot.sources)
        else:
            sources = question.sources or None
        return Filters(sources=sources, since=request.since, until=until)

    def _rankings(
        self, query: str, vector: Vectors, filters: Filters, snapshot: Snapshot
    ) -> list[list[tuple[int, float]]]:
        n = self.candidates
        allowed = snapshot.allowed(filters)
        if snapshot.exact:
            dense = [
                snapshot.nearest(vector, n, allowed),
                snapshot.nearest(vector, n, allowed, sentences=True),
            ]
        else:
            dense = [
                [(snapshot.row[c], s) for c, s in ranking if c in snapshot.row]
                for ranking in (
                    self.index.dense(vector, n, filters),
                    self.index.dense(vector, n, filters, sentences=True),
                )
            ]
        lexical = snapshot.lexical.top(query, n, allowed)
        return {"dense": dense[:1], "bm25": [lexical]}.get(self.mode, [*dense, lexical])

    def _order(
        self,
        rankings: list[list[tuple[int, float]]],
        evidence: dict[str, Evidence],
        snapshot: Snapshot,
    ) -> list[str]:
        """Chunk ids, best first: by evidence, or (for ablations) as the retrievers rank them;
        either way each hit's score is its evidence, which the answer stage reads."""
        if self.mode == "rerank":
            return sorted(evidence, key=lambda chunk_id: evidence[chunk_id].score, reverse=True)
        ids = [[(snapshot.chunks[r].chunk_id, s) for r, s in ranking] for ranking in rankings]
        return [chunk_id for chunk_id, _ in reciprocal_rank_fusion(ids)]


def _dated_rows(
    question: Question, vector: Vectors, filters: Filters, snapshot: Snapshot
) -> list[int]:
    """Chunks with a sentence about the day asked for, the closest in meaning first."""
    rows = snapshot.rows_about(question.dates)
    allowed = snapshot.allowed(filters)
    if allowed is not None:
        rows = rows[allowed[rows]]
    if not rows.size:
        return []
    similarity = snapshot.chunk_vectors[rows] @ vector
    return [int(r) for r in rows[np.argsort(-similarity)[:DATE_CANDIDATES]]]


def match_sources(wanted: str, known: dict[str, str] | Sequence[str]) -> frozenset[str]:
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
