"""Find candidate chunks (dense, BM25, dates) and rank them by the evidence they hold."""

import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import Literal

import numpy as np

from retrieval.errors import EmptyIndex
from retrieval.index.cores import cores
from retrieval.index.encoder import Vectors
from retrieval.index.filters import Filters
from retrieval.index.store import Index
from retrieval.index.terms import terms
from retrieval.index.view import DaysAsked, View
from retrieval.records import Hit, SearchRequest
from retrieval.search.followup import standalone_question
from retrieval.search.fusion import best_per_article, match_sources, reciprocal_rank_fusion
from retrieval.search.question import Question, analyse, asking
from retrieval.search.rerank import Evidence, Scorer
from retrieval.search.stories import latest_tellings_first, stale_last

CANDIDATES = 30  # per retriever; the reranker only reorders what some retriever found
STORY_WORDS = 0.4  # share of the question's words a sentence of news on its story holds
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
        query = standalone_question(request.query, request.history)
        # The sentence that asks, read apart from any that set the scene, judges sentences.
        asked = asking(query)
        encoded = self.index.embedder.encode([query] if asked == query else [query, asked])
        vector = encoded[0]
        with self.index.reading() as view:
            size = view.size()
            if not size:
                raise EmptyIndex()
            known = view.sources()
            question = analyse(query, request.as_of, {k: w for k, (w, _) in known.items()})
            filters = self.filters(request, question, known)
            words = terms(query)
            # Looked up once: BM25 picks its words by them, the scorer weighs by them.
            frequencies = view.document_frequencies(list(dict.fromkeys([*words, *question.terms])))
            rankings = self._rankings(view, words, frequencies, vector, filters)
            rows = list(dict.fromkeys(r for ranking in rankings for r, _ in ranking))
            rows += [r for r in _dated_rows(view, question, vector, filters) if r not in rows]
            found = view.candidates(rows)
            newest = view.newest_day()
        asking_vector = encoded[1] if len(encoded) > 1 else None
        scorer = Scorer(question, vector, asking_vector, partial(idf, frequencies, size), newest)
        evidence = {
            found[r].hit.chunk_id: scorer.evidence(
                found[r].hit, found[r].vector, found[r].sentence_vectors, found[r].terms
            )
            for r in rows
            if r in found
        }
        ids = {r: found[r].hit.chunk_id for r in found}
        order = self._order(rankings, evidence, ids)
        hits = [replace(evidence[c].hit, score=evidence[c].score) for c in order]
        # Asked about a named day, that day's telling leads; ablations keep their retrievers' order.
        if self.mode == "rerank" and not question.dates.names_days:
            vectors = {found[r].hit.chunk_id: found[r].vector for r in found}
            hits = latest_tellings_first(hits, vectors)
            hits = stale_last(hits, partial(_on_topic, evidence))
        return Retrieval(request, question, hits, evidence, started)

    def search(self, request: SearchRequest) -> list[Hit]:
        """The best chunk of each of the k best articles."""
        return best_per_article(self.retrieve(request).hits)[: request.k]

    def filters(
        self, request: SearchRequest, question: Question, known: Mapping[str, object]
    ) -> Filters:
        """The request's filters; an outlet named in the question restricts to it."""
        until = min((d for d in (request.until, request.as_of) if d), default=None)
        if request.source:
            sources: frozenset[str] | None = match_sources(request.source, list(known))
        else:
            sources = question.sources or None
        return Filters(sources=sources, since=request.since, until=until)

    def _rankings(
        self,
        view: View,
        words: Sequence[str],
        frequencies: Mapping[str, int],
        vector: Vectors,
        filters: Filters,
    ) -> list[list[tuple[int, float]]]:
        n = self.candidates
        dense = self.index.dense(view, vector, n, filters)
        lexical = view.lexical(words, frequencies, n, filters)
        return {"dense": [dense], "bm25": [lexical]}.get(self.mode, [dense, lexical])

    def _order(
        self,
        rankings: list[list[tuple[int, float]]],
        evidence: dict[str, Evidence],
        ids: dict[int, str],
    ) -> list[str]:
        """Chunk ids, best first: by evidence, or (for ablations) as the retrievers rank them;
        either way each hit's score is its evidence, which the answer stage reads."""
        if self.mode == "rerank":
            return sorted(evidence, key=lambda chunk_id: evidence[chunk_id].score, reverse=True)
        ranked = [[(ids[r], s) for r, s in ranking if r in ids] for ranking in rankings]
        return [chunk_id for chunk_id, _ in reciprocal_rank_fusion(ranked)]


def _dated_rows(view: View, question: Question, vector: Vectors, filters: Filters) -> list[int]:
    """Chunks with a sentence about the day asked for, the closest in meaning first."""
    asked = question.dates
    if not asked.names_days:
        return []
    days = DaysAsked([(s.start, s.end) for s in asked.spans], asked.weekdays, asked.month_days)
    rows = view.rows_about(days, filters)
    if not rows:
        return []
    vectors = view.vectors(rows)
    return sorted(vectors, key=lambda r: -float(vectors[r] @ vector))[:DATE_CANDIDATES]


def _on_topic(evidence: Mapping[str, Evidence], hit: Hit) -> bool:
    """Whether a hit is news of the story asked about: all the question's names, and a sentence
    (not a quiz's echo of the question) holding STORY_WORDS of the question's words."""
    found = evidence[hit.chunk_id]
    return (
        found.name_coverage >= 1.0
        and float(found.sentence_coverage.max(initial=0.0)) >= STORY_WORDS
    )


def idf(frequencies: Mapping[str, int], size: int, term: str) -> float:
    """Inverse document frequency of a stemmed term over the chunks; rare terms weigh more."""
    df = frequencies.get(term, 0)
    return float(np.log(1 + (size - df + 0.5) / (df + 0.5)))
