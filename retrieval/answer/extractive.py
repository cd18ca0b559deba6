"""Question + retrieved chunks → a short answer of quoted sentences, each cited."""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from retrieval.index.encoder import Vectors
from retrieval.index.terms import terms
from retrieval.records import Answer, Hit, Sentence
from retrieval.search.question import Question, names
from retrieval.search.question_dates import without_dates
from retrieval.search.searcher import Retrieval

DECLINED = "The archive doesn't say: no article I have answers that."
MAX_SENTENCES = 3
CONTEXT_CHUNKS = 4  # the best chunks, whose sentences compete to be the answer
CHUNK_PRIOR = 0.5  # how much a sentence's chunk rank counts beside its own score
# Confidence that the archive answers at all, weighted as a logistic regression separated
# squad-a's questions from the same questions with their own paragraph removed (the rest of
# the same Wikipedia article stays: the same people and places, not this fact). Below
# MIN_CONFIDENCE (about 6% of squad-a's answerable questions) the answer is declined.
CONFIDENCE_WEIGHTS = {
    "chunk_score": 0.34,  # the best chunk's ranking score
    "name_coverage": 0.11,  # the question's names and numbers found in that chunk
    "rare_coverage": 0.17,  # its words, weighted by rarity
    "sentence_similarity": 0.15,  # the best sentence's meaning
    "sentence_coverage": 0.23,  # and the question's words it holds
}
MIN_CONFIDENCE = 0.49
NAMELESS = 0.2  # asked who or which, a sentence that names no one the question doesn't
SAME_FACT = 0.8  # sentences of two articles this alike in meaning tell one fact
MAX_WORDS = 110  # runner-ups stop short of an answer this long
SECOND_SENTENCE_MARGIN = 0.06  # a runner-up this close to the best adds to the answer
_QUOTE_OPENERS = ("“", '"', "‘", "'")
_SAID = r"(said|says|told|added|warned|stated|wrote|announced|reported|asked|explained)"
_ATTRIBUTION = re.compile(rf"\b({_SAID}|according to)\b", re.I)
_PRONOUN_ATTRIBUTION = re.compile(rf"\b(he|she|they|it)\s+{_SAID}\b", re.I)
_WORD = re.compile(r"\w+")  # "word for word" whatever the dashes and quotes
_FIRST_NAME = re.compile(r"\W*([A-Z][\w'’-]*)")
_ASKS_FOR_NAME = re.compile(r"\b(who|whom|whose|which)\b", re.I)


@dataclass(frozen=True)
class Candidate:
    """A sentence that might answer, with the hit it comes from and its scores."""

    hit: Hit
    position: int  # index of the sentence in hit.sentences
    score: float  # for choosing: own score, dates, roles and the chunk's standing
    evidence: float  # meaning and shared words only: no dates, roles or rank
    vector: Vectors  # the sentence's meaning, read in its chunk

    @property
    def sentence(self) -> Sentence:
        return self.hit.sentences[self.position]

    @property
    def text(self) -> str:
        return self.hit.sentence_text(self.sentence)


def candidates(retrieval: Retrieval, context: int = CONTEXT_CHUNKS) -> list[Candidate]:
    """Every sentence of the best chunks that doesn't contradict the question, best first."""
    hits = retrieval.hits[:context]
    if not hits:
        return []
    top = hits[0].score
    question = retrieval.question
    wants_name = _ASKS_FOR_NAME.search(question.text) is not None
    out = []
    for hit in hits:
        found = retrieval.evidence[hit.chunk_id]
        scores = found.sentence_scores + CHUNK_PRIOR * (hit.score - top)
        for j, sentence in enumerate(hit.sentences):
            if found.sentence_conflict[j]:
                continue
            score = float(scores[j])
            if wants_name and not _names_new(hit.sentence_text(sentence), hit.text, question):
                score -= NAMELESS
            vector = found.sentence_vectors[j]
            out.append(Candidate(hit, j, score, float(found.own_scores[j]), vector))
    return sorted(out, key=lambda c: c.score, reverse=True)


def confidence(retrieval: Retrieval, best: Candidate) -> float:
    """How likely the archive answers the question at all, from its best sentence and its chunk."""
    features = confidence_features(retrieval, best)
    return sum(CONFIDENCE_WEIGHTS[name] * value for name, value in features.items())


def confidence_features(retrieval: Retrieval, best: Candidate) -> dict[str, float]:
    """What `confidence` weighs (`benchmarks/fit_confidence.py` refits the weights), read from
    the chunk the answer quotes: the top chunk may have no sentence that can answer (all about
    another day), and its standing says nothing of the one quoted instead."""
    chunk = retrieval.evidence[best.hit.chunk_id]
    return {
        "chunk_score": best.hit.score,
        "name_coverage": chunk.name_coverage,
        "rare_coverage": chunk.rare_coverage,
        "sentence_similarity": float(chunk.sentence_similarity[best.position]),
        "sentence_coverage": float(chunk.sentence_coverage[best.position]),
    }


def compose(
    query: str, question: Question, candidates: Sequence[Candidate], sure: bool = True
) -> Answer:
    """The best sentences, in article order, each followed by its citation marker."""
    if not candidates or not sure:
        return Answer(question=query, text=DECLINED, answered=False)
    best = candidates[0]
    chosen = [best, *_attribution(best, candidates), *_antecedent(best, candidates, question)]
    for runner_up in candidates[1:]:
        if len(chosen) >= MAX_SENTENCES or runner_up.score < best.score - SECOND_SENTENCE_MARGIN:
            break
        if _adds(runner_up, chosen, question):
            chosen.append(runner_up)
    return _cited(query, chosen)


def _attribution(best: Candidate, candidates: Sequence[Candidate]) -> list[Candidate]:
    """A quotation whose speaker is missing, or only 'he' or 'she', takes the neighbouring
    sentence that names them: the one before for a pronoun, else the one after."""
    if not best.text.lstrip().startswith(_QUOTE_OPENERS):
        return []
    pronoun = _PRONOUN_ATTRIBUTION.search(best.text) is not None
    if _ATTRIBUTION.search(best.text) and not pronoun:
        return []
    for offset in (-1, 1) if pronoun else (1, -1):
        neighbour = _neighbour(best, candidates, offset)
        if neighbour and _ATTRIBUTION.search(neighbour.text):
            return [neighbour]
    return []


def _antecedent(
    best: Candidate, candidates: Sequence[Candidate], question: Question
) -> list[Candidate]:
    """Asked who or which, a sentence that names no one the question doesn't ("The band
    announced a tour on Tuesday") leans on the sentence before it for the name: that one comes
    too, unless it contradicts the question (a quiz's question, another day)."""
    if not _ASKS_FOR_NAME.search(question.text) or _names_new(best.text, best.hit.text, question):
        return []
    neighbour = _neighbour(best, candidates, -1)
    return [neighbour] if neighbour else []


def _neighbour(best: Candidate, candidates: Sequence[Candidate], offset: int) -> Candidate | None:
    """The sentence offset from best in its chunk, when it may answer at all."""
    return next(
        (c for c in candidates if c.hit is best.hit and c.position == best.position + offset),
        None,
    )


def _names_new(sentence: str, chunk: str, question: Question) -> bool:
    return bool(_unasked(_sentence_names(sentence, chunk), question))


def _unasked(found: frozenset[str], question: Question) -> frozenset[str]:
    """The names found that the question doesn't already say."""
    return found - question.names - set(question.terms)


def _sentence_names(sentence: str, chunk: str) -> frozenset[str]:
    """The names and numbers a sentence holds, its first word too when its chunk capitalises
    it elsewhere mid-sentence ("Microsoft announced…", but not "Given the…")."""
    text = without_dates(sentence)
    found = names(text)
    first = _FIRST_NAME.match(text)
    opening = frozenset(terms(first.group(1))) if first else frozenset()
    return found | opening if opening <= _chunk_names(chunk) else found


@lru_cache(maxsize=256)
def _chunk_names(chunk: str) -> frozenset[str]:
    return names(chunk)  # cached: every sentence of a chunk asks


def _adds(runner_up: Candidate, chosen: Sequence[Candidate], question: Question) -> bool:
    """Whether a runner-up adds to the answer: not a sentence already chosen, not past the
    answer's length and, asked who or which, naming someone the answer doesn't yet."""
    if any(_same(runner_up, c) for c in chosen):
        return False
    if sum(len(c.text.split()) for c in (*chosen, runner_up)) > MAX_WORDS:
        return False
    if not _ASKS_FOR_NAME.search(question.text):
        return True
    known = frozenset().union(*(_sentence_names(c.text, c.hit.text) for c in chosen))
    return bool(_unasked(_sentence_names(runner_up.text, runner_up.hit.text) - known, question))


def _same(a: Candidate, b: Candidate) -> bool:
    """The same sentence: in one article, told word for word again or held word for word inside
    the other (by another outlet, whatever its dashes, or by a page whose link repeats its own
    headline), or the same fact in another outlet's words."""
    if a.hit.article_id == b.hit.article_id and a.sentence.start == b.sentence.start:
        return True
    if a.hit.article_id != b.hit.article_id and float(a.vector @ b.vector) >= SAME_FACT:
        return True
    shorter, longer = sorted((" ".join(_WORD.findall(c.text.lower())) for c in (a, b)), key=len)
    return f" {shorter} " in f" {longer} "


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
        citations.append(first.hit.citation(n, first.sentence.start, last.sentence.end))
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

    def __call__(self, retrieval: Retrieval) -> Answer:
        found = candidates(retrieval)
        sure = bool(found) and confidence(retrieval, found[0]) >= MIN_CONFIDENCE
        answer = compose(retrieval.request.query, retrieval.question, found, sure)
        return replace(answer, took_ms=retrieval.elapsed_ms())

    def stream(self, retrieval: Retrieval) -> Iterator[Answer]:
        yield self(retrieval)
