"""Question + retrieved chunks → a short answer of quoted sentences, each cited; the LCEL chain."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from langchain_core.runnables import Runnable, RunnableLambda

from retrieval.documents import Answer, Citation, Hit, Sentence
from retrieval.embed import Vectors
from retrieval.lexical import terms
from retrieval.search import Retrieval, Searcher, SearchRequest

DECLINED = "The archive doesn't say: no article I have answers that."
MAX_SENTENCES = 3
CONTEXT_CHUNKS = 8  # chunks whose sentences compete to be the answer
# Weights of the sentence score; the evidence floor below which the answer is declined.
DENSE_WEIGHT = 0.5
LEXICAL_WEIGHT = 0.5
RANK_WEIGHT = 0.1
MIN_EVIDENCE = 0.45
IDF_FLOOR = 1.0  # every question word counts; rare ones count more (IDF is noisy in small archives)
SECOND_SENTENCE_MARGIN = 0.05  # a runner-up this close to the best adds to the answer
_QUOTE_OPENERS = ("“", '"', "‘", "'")
_ATTRIBUTION = re.compile(
    r"\b(said|says|told|added|according to|warned|stated|wrote|announced|reported)\b", re.I
)


@dataclass(frozen=True)
class Candidate:
    """A sentence that might answer, with the hit it comes from and its score."""

    hit: Hit
    position: int  # index of the sentence in hit.sentences
    score: float
    dense: float
    lexical: float

    @property
    def sentence(self) -> Sentence:
        return self.hit.sentences[self.position]

    @property
    def text(self) -> str:
        return self.hit.sentence_text(self.sentence)


def score_sentences(
    question: str,
    query_vector: Vectors,
    hits: Sequence[Hit],
    sentence_vectors: dict[str, Vectors],
    idf: Callable[[str], float],
) -> list[Candidate]:
    """Every sentence of the hits, scored by meaning, shared rare words and its chunk's rank."""
    wanted = {t: idf(t) + IDF_FLOOR for t in set(terms(question))}
    total = sum(wanted.values()) or 1.0
    candidates = []
    for rank, hit in enumerate(hits):
        vectors = sentence_vectors.get(hit.chunk_id)
        if vectors is None:
            continue
        dense = vectors @ query_vector
        for position, sentence in enumerate(hit.sentences):
            found = set(terms(hit.sentence_text(sentence)))
            lexical = sum(w for t, w in wanted.items() if t in found) / total
            score = (
                DENSE_WEIGHT * float(dense[position])
                + LEXICAL_WEIGHT * lexical
                + RANK_WEIGHT / (1 + rank)
            )
            candidates.append(Candidate(hit, position, score, float(dense[position]), lexical))
    return sorted(candidates, key=lambda c: c.score, reverse=True)


def compose(question: str, candidates: Sequence[Candidate]) -> Answer:
    """The best sentences, in article order, each followed by its citation marker."""
    if not candidates or evidence(candidates[0]) < MIN_EVIDENCE:
        return Answer(question=question, text=DECLINED, answered=False)
    best = candidates[0]
    chosen = [best, *_attribution(best, candidates)]
    for runner_up in candidates[1:]:
        if len(chosen) >= MAX_SENTENCES or runner_up.score < best.score - SECOND_SENTENCE_MARGIN:
            break
        if not any(_same(runner_up, c) for c in chosen):
            chosen.append(runner_up)
    return _cited(question, chosen)


def evidence(candidate: Candidate) -> float:
    """How strongly a sentence supports answering at all (rank aside)."""
    return DENSE_WEIGHT * candidate.dense + LEXICAL_WEIGHT * candidate.lexical


def _attribution(best: Candidate, candidates: Sequence[Candidate]) -> list[Candidate]:
    """A quotation without its speaker takes the neighbouring sentence that names them."""
    if not best.text.startswith(_QUOTE_OPENERS) or _ATTRIBUTION.search(best.text):
        return []
    for offset in (1, -1):
        neighbour = next(
            (c for c in candidates if c.hit is best.hit and c.position == best.position + offset),
            None,
        )
        if neighbour and _ATTRIBUTION.search(neighbour.text):
            return [neighbour]
    return []


def _same(a: Candidate, b: Candidate) -> bool:
    return a.hit.article_id == b.hit.article_id and a.sentence.start == b.sentence.start


def _cited(question: str, chosen: list[Candidate]) -> Answer:
    # Article order keeps an attribution next to its quote; the best article leads.
    articles = list(dict.fromkeys(c.hit.article_id for c in chosen))
    ordered = sorted(chosen, key=lambda c: (articles.index(c.hit.article_id), c.sentence.start))
    spans: list[list[Candidate]] = []
    for candidate in ordered:
        previous = spans[-1][-1] if spans else None
        adjacent = (
            previous is not None
            and previous.hit.article_id == candidate.hit.article_id
            and _only_space_between(previous, candidate)
        )
        if adjacent:
            spans[-1].append(candidate)
        else:
            spans.append([candidate])
    citations = []
    parts: list[str] = []
    for n, span in enumerate(spans, 1):
        first, last = span[0], span[-1]
        hit = first.hit
        citations.append(
            Citation(
                n=n,
                article_id=hit.article_id,
                title=hit.title,
                url=hit.url,
                source=hit.source,
                published_at=hit.published_at,
                quote=hit.text[first.sentence.start - hit.start : last.sentence.end - hit.start],
                start=first.sentence.start,
                end=last.sentence.end,
            )
        )
        parts.extend(f"{c.text} [{n}]" for c in span)
    return Answer(
        question=question, text=" ".join(parts), answered=True, citations=tuple(citations)
    )


def _only_space_between(a: Candidate, b: Candidate) -> bool:
    if a.hit is not b.hit:
        return False
    gap = a.hit.text[a.sentence.end - a.hit.start : b.sentence.start - a.hit.start]
    return b.position == a.position + 1 and not gap.strip()


class ExtractiveAnswerer:
    """Quotes the best sentences of the retrieved chunks; needs no language model."""

    name = "extractive"

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher

    def __call__(self, retrieval: Retrieval) -> Answer:
        hits = retrieval.hits[:CONTEXT_CHUNKS]
        vectors = self.searcher.index.sentence_vectors(hits)
        candidates = score_sentences(
            retrieval.query, retrieval.vector, hits, vectors, retrieval.lexicon.index.idf
        )
        answer = compose(retrieval.request.query, candidates)
        return replace(answer, took_ms=retrieval.elapsed_ms())


def build_chain(
    searcher: Searcher, answerer: Callable[[Retrieval], Answer]
) -> Runnable[SearchRequest, Answer]:
    """The one answer path, request → retrieve → answer; HTTP, Slack and the CLI all call it."""
    retrieve = RunnableLambda(searcher.retrieve, name="retrieve")
    return retrieve | RunnableLambda(answerer, name="answer")
