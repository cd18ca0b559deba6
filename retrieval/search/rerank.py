"""Score candidate chunks and their sentences from what the snapshot holds.

The ranking is linear in five features; the weights were fitted by pairwise logistic regression
on the squad-a benchmark (two-fold, split by article) and rounded. A sentence's own score
(meaning plus shared rare words) is what the answer quotes; chunks are ranked by a mix of their
own similarity, their best sentence and how much of the question they cover.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import pairwise

import numpy as np

from retrieval.index.encoder import Vectors
from retrieval.index.view import ChunkTerms
from retrieval.ingest.dates import DateSpan
from retrieval.records import Hit
from retrieval.search.answer_kinds import has_shape, names_office
from retrieval.search.question import Question
from retrieval.search.speakers import speaker_score

CHUNK_WEIGHTS = {
    "chunk_similarity": 0.24,  # the chunk (headline + text) against the question
    "best_sentence_similarity": 0.29,  # the closest sentence: answers live in one sentence
    "best_sentence_score": 0.22,  # closest sentence by meaning and words together
    "bigram_coverage": 0.12,  # question word pairs found in order: phrasing shared
    "rare_coverage": 0.13,  # question words found, weighted by IDF squared: names, numbers
}
IDF_FLOOR = 1.0  # every question word counts; rare ones count more (IDF is noisy when small)
# Adjustments on the same scale as the scores above (a sentence score spans roughly 0-1).
DATE_MATCH = 0.15  # a sentence about the day asked for
DATE_MISMATCH = 0.05  # a sentence about some other day
PUBLISHED_MATCH = 0.05  # an article published on the day asked for
ROLE_MATCH = 0.15  # the question's speaker is the one speaking
# News is asked about now (as of the question's date, else the newest article) unless the
# question names its days: a fresher article is preferred, decaying over RECENT_DAYS.
RECENT = 0.1
RECENT_DAYS = 7.0
CONTEXT = 0.5  # weight of a word only the question's scene-setting sentences hold


@dataclass(frozen=True)
class Evidence:
    """How well one chunk, and each of its sentences, answers the question."""

    hit: Hit
    chunk_similarity: float
    sentence_similarity: np.ndarray
    # To the sentence that asks alone: a sentence retelling the question's scene is no answer.
    asking_similarity: np.ndarray
    sentence_vectors: Vectors  # one unit vector per sentence, to tell retellings apart
    sentence_coverage: np.ndarray
    bigram_coverage: float
    rare_coverage: float
    sentence_bonus: np.ndarray  # dates and roles, per sentence
    sentence_conflict: np.ndarray  # per sentence: contradicts the question, so cannot answer it
    chunk_bonus: float  # publication date and recency
    name_coverage: float  # share of the question's names and numbers found in the chunk

    # Cached: ranking and answering read these many times per question.
    @cached_property
    def sentence_scores(self) -> np.ndarray:
        scores: np.ndarray = self.own_scores + self.sentence_bonus
        return scores

    @cached_property
    def own_scores(self) -> np.ndarray:
        """Each sentence by meaning and shared words alone, before dates and roles."""
        scores: np.ndarray = 0.5 * self.asking_similarity + 0.5 * self.sentence_coverage
        return scores

    @cached_property
    def score(self) -> float:
        features = {
            "chunk_similarity": self.chunk_similarity,
            "best_sentence_similarity": float(self.sentence_similarity.max(initial=0.0)),
            "best_sentence_score": float(self.own_scores.max(initial=0.0)),
            "bigram_coverage": self.bigram_coverage,
            "rare_coverage": self.rare_coverage,
        }
        bonus = float(self.sentence_bonus.max(initial=0.0)) + self.chunk_bonus
        return sum(CHUNK_WEIGHTS[name] * value for name, value in features.items()) + bonus


class Scorer:
    """Evidence for candidate chunks of one question."""

    def __init__(
        self,
        question: Question,
        vector: Vectors,
        asking: Vectors | None,
        idf: Callable[[str], float],
        newest: date | None,
    ) -> None:
        self.question = question
        self.asked = frozenset(question.terms)
        self.vector = vector
        self.asking = asking  # None when the question is its one asking sentence
        scene = {t: CONTEXT if t in question.context else 1.0 for t in question.terms}
        self.weights = {t: (idf(t) + IDF_FLOOR) * scene[t] for t in question.terms}
        self.rare = {t: idf(t) ** 2 * scene[t] for t in question.terms}
        self.weight_total = sum(self.weights.values())
        self.rare_total = sum(self.rare.values())
        self.newest = question.as_of or newest

    def evidence(
        self, hit: Hit, chunk_vector: Vectors, sentence_vectors: Vectors, words: ChunkTerms
    ) -> Evidence:
        question, asked = self.question, self.asked
        count = len(hit.sentences)
        # A sentence without a day of its own tells of the day its article was published.
        published = self._date_match([hit.published_at.isoformat()] if hit.published_at else [])
        dates = [self._date_match(s.event_dates) or published for s in hit.sentences]
        roles = question.roles
        texts = [hit.sentence_text(s) for s in hit.sentences]
        speakers = [speaker_score(text, roles) for text in texts] if roles else [0] * count
        # A quiz or teaser that asks the same thing, or a sentence with no word the question
        # lacks, holds no answer: it neither answers nor makes its chunk look like an answer.
        echoes = np.array(
            [
                _asks(text) or sentence_terms <= asked
                for text, sentence_terms in zip(texts, words.sentences, strict=True)
            ],
            dtype=bool,
        )
        # A sentence that names the day asked for covers the question's words for it.
        covered = [
            set(t) | question.day_terms if d > 0 else t
            for t, d in zip(words.sentences, dates, strict=True)
        ]
        found = set(words.chunk) | (question.day_terms if max(dates, default=0) > 0 else set())
        # Only pairs whose two words the chunk has can be found in order: most chunks have none.
        pairs = {pair for pair in question.bigrams if pair[0] in found and pair[1] in found}
        if pairs:
            pairs &= set(pairwise(words.chunk))
        # Another day contradicts the question, unless its days only set the scene.
        conflict = [
            e
            or (d < 0 and not question.scene_dates)
            or r < 0
            or not has_shape(text, question.shape)
            or not names_office(text, question.office)
            for e, d, r, text in zip(echoes, dates, speakers, texts, strict=True)
        ]
        similarity = np.where(echoes, 0.0, sentence_vectors @ self.vector)
        return Evidence(
            hit=hit,
            chunk_similarity=float(chunk_vector @ self.vector),
            sentence_similarity=similarity,
            asking_similarity=similarity
            if self.asking is None
            else np.where(echoes, 0.0, sentence_vectors @ self.asking),
            sentence_vectors=sentence_vectors,
            sentence_coverage=np.array(
                [
                    0.0 if echo else _share(self.weights, self.weight_total, t)
                    for echo, t in zip(echoes, covered, strict=True)
                ]
            ),
            bigram_coverage=len(pairs) / max(1, len(question.bigrams)),
            rare_coverage=_share(self.rare, self.rare_total, found),
            sentence_bonus=np.array(
                [
                    (DATE_MATCH if d > 0 else -DATE_MISMATCH if d < 0 else 0.0) + ROLE_MATCH * r
                    for d, r in zip(dates, speakers, strict=True)
                ]
            ),
            sentence_conflict=np.array(conflict, dtype=bool),
            chunk_bonus=self._published_bonus(hit.published_at),
            name_coverage=len(question.names & found) / len(question.names)
            if question.names
            else 1.0,
        )

    def _date_match(self, event_dates: Sequence[str]) -> int:
        """+1 when the sentence is about the day asked for, -1 when about another, else 0."""
        asked = self.question.dates
        if not asked.names_days or not event_dates:
            return 0
        spans = [DateSpan.parse(d) for d in event_dates]
        days = [s.start for s in spans if s.start == s.end]
        matched = (
            any(a.overlaps(s) for a in asked.spans for s in spans)
            or any(d.weekday() in asked.weekdays for d in days)
            or any((d.month, d.day) in asked.month_days for d in days)
        )
        return 1 if matched else -1

    def _published_bonus(self, published: date | None) -> float:
        if published is None:
            return 0.0
        asked = self.question.dates
        bonus = 0.0
        if any(s.contains(published) for s in asked.spans) or (
            (published.month, published.day) in asked.month_days
        ):
            bonus += PUBLISHED_MATCH
        if (asked.recent or not asked.names_days) and self.newest:
            age = max(0, (self.newest - published).days)
            bonus += RECENT * float(np.exp(-age / RECENT_DAYS))
        return bonus


def _asks(sentence: str) -> bool:
    return sentence.rstrip(" \"'”’)").endswith("?")


def _share(weights: dict[str, float], total: float, found: set[str] | frozenset[str]) -> float:
    return sum(w for t, w in weights.items() if t in found) / total if total else 0.0
