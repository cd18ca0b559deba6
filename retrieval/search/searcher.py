"""Find candidate chunks (dense, BM25, dates) and rank them by the evidence they hold."""

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

import numpy as np

from retrieval.errors import EmptyIndex
from retrieval.index.cores import cores
from retrieval.index.encoders import Vectors
from retrieval.index.snapshot import Filters, Snapshot
from retrieval.index.store import Index
from retrieval.records import Hit, SearchRequest
from retrieval.search.followup import standalone_question
from retrieval.search.fusion import best_per_article, match_sources, reciprocal_rank_fusion
from retrieval.search.question import Question, analyse
from retrieval.search.rerank import Evidence, Scorer

CANDIDATES = 30  # per retriever; the reranker only reorders what some retriever found
DATE_CANDIDATES = 20  # chunks about the day asked for, added even when no retriever found them
# Searches run at once per process: two per core, one encoding while the other runs Python.
# More would only take turns at the interpreter lock, which is unfair to the latecomers; a
# pool takes requests first come, first served (16 clients: p95 400 → 290 ms).
SEARCHES_PER_CORE = 2
Mode = Literal["dense", "bm25", "hybrid", "rerank"]


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
    if not question.dates.names_days:
        return []
    rows = snapshot.rows_about(question.dates.asks_about)
    allowed = snapshot.allowed(filters)
    if allowed is not None:
        rows = rows[allowed[rows]]
    if not rows.size:
        return []
    similarity = snapshot.chunk_vectors[rows] @ vector
    return [int(r) for r in rows[np.argsort(-similarity)[:DATE_CANDIDATES]]]
