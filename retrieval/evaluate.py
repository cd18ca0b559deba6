"""Measure retrieval and answers against questions with known answers and source articles."""

import json
import re
import statistics
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retrieval.errors import BadInput, InvalidRequest
from retrieval.ingest.dates import parse_date
from retrieval.records import Answer, SearchRequest
from retrieval.search.fusion import best_per_article
from retrieval.search.searcher import Retrieval

_MARKER = re.compile(r"\s*\[\d+\]")
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans(string.punctuation + "‘’“”—–", " " * (len(string.punctuation) + 6))


@dataclass(frozen=True)
class EvalQuestion:
    """One benchmark question; no gold ids means the archive cannot answer it."""

    question_id: str
    question: str
    answers: tuple[str, ...]
    gold_ids: frozenset[str]
    request: SearchRequest
    choices: tuple[str, ...] = ()  # a multiple-choice question's options; answers[0] is right

    @property
    def answerable(self) -> bool:
        return bool(self.gold_ids)


def read_questions(path: Path, k: int) -> Iterator[EvalQuestion | BadInput]:
    """Question records from a JSON Lines file: id, question, answers, gold_ids, as_of?,
    choices?."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
            as_of = parse_date(record["as_of"]) if record.get("as_of") else None
            yield EvalQuestion(
                question_id=str(record.get("id", number)),
                question=record["question"],
                answers=tuple(record.get("answers") or ()),
                gold_ids=frozenset(record.get("gold_ids") or ()),
                request=SearchRequest(record["question"], k, as_of=as_of),
                choices=tuple(record.get("choices") or ()),
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, InvalidRequest) as error:
            yield BadInput(f"{where}: {type(error).__name__}: {error}")


def normalise(text: str) -> str:
    """Lower case, no punctuation, no articles, single spaces (the SQuAD convention)."""
    text = _ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION))
    return " ".join(text.split())


def contains_gold(answer_text: str, answers: Iterable[str]) -> bool:
    """Whether a gold answer appears in the answer text, both normalised."""
    normalised = f" {normalise(_MARKER.sub('', answer_text))} "
    return any(f" {normalise(a)} " in normalised for a in answers if normalise(a))


def names_choice(answer_text: str, right: str, choices: Iterable[str]) -> bool:
    """Whether the answer names the right choice and no other (one held inside the right one,
    as "Biden" in "Joe Biden", is not another)."""
    if not contains_gold(answer_text, [right]):
        return False
    inside = f" {normalise(right)} "
    others = [c for c in choices if normalise(c) and f" {normalise(c)} " not in inside]
    return not contains_gold(answer_text, others)


@dataclass
class Scores:
    """Running totals of every figure `newsdesk eval` reports."""

    k: int
    answerable: int = 0
    unanswerable: int = 0
    hits: dict[int, int] = field(default_factory=lambda: {1: 0, 5: 0, 10: 0})
    reciprocal_ranks: float = 0.0
    contains_gold: int = 0
    choice_questions: int = 0
    right_choices: int = 0
    answerable_choice_questions: int = 0  # those whose gold articles hold the right choice
    answerable_right_choices: int = 0
    cites_gold: int = 0
    declined_answerable: int = 0
    answered_unanswerable: int = 0
    answer_words: list[int] = field(default_factory=list)
    answer_sentences: list[int] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    def add(self, question: EvalQuestion, retrieval: Retrieval, answer: Answer) -> None:
        self.latencies_ms.append(answer.took_ms)
        if answer.answered:
            self.answer_words.append(len(_MARKER.sub("", answer.text).split()))
            self.answer_sentences.append(len(_MARKER.findall(answer.text)))
        if question.choices:  # answerable or not: a quiz question always has its right choice
            right = answer.answered and names_choice(
                answer.text, question.answers[0], question.choices
            )
            self.choice_questions += 1
            self.right_choices += right
            self.answerable_choice_questions += question.answerable
            self.answerable_right_choices += question.answerable and right
        if not question.answerable:
            self.unanswerable += 1
            self.answered_unanswerable += answer.answered
            return
        self.answerable += 1
        ranked = [h.article_id for h in best_per_article(retrieval.hits)][: self.k]
        rank = next((i for i, a in enumerate(ranked, 1) if a in question.gold_ids), None)
        for cutoff in self.hits:
            self.hits[cutoff] += rank is not None and rank <= cutoff
        self.reciprocal_ranks += 1 / rank if rank else 0.0
        self.contains_gold += answer.answered and contains_gold(answer.text, question.answers)
        self.cites_gold += any(c.article_id in question.gold_ids for c in answer.citations)
        self.declined_answerable += not answer.answered

    def figures(self) -> dict[str, Any]:
        """Rates over answerable questions, except false_answer_rate over unanswerable ones."""
        n = self.answerable or 1
        return {
            "questions": self.answerable + self.unanswerable,
            "answerable": self.answerable,
            "unanswerable": self.unanswerable,
            **{f"hits@{c}": round(v / n, 4) for c, v in self.hits.items()},
            f"mrr@{self.k}": round(self.reciprocal_ranks / n, 4),
            "answer_contains_gold": round(self.contains_gold / n, 4),
            "cites_gold": round(self.cites_gold / n, 4),
            "choice_accuracy": _rate(self.right_choices, self.choice_questions),
            "choice_accuracy_answerable": _rate(
                self.answerable_right_choices, self.answerable_choice_questions
            ),
            "declined_rate": round(
                (self.declined_answerable + self.unanswerable - self.answered_unanswerable)
                / max(1, self.answerable + self.unanswerable),
                4,
            ),
            "false_decline_rate": round(self.declined_answerable / n, 4),
            "false_answer_rate": round(self.answered_unanswerable / max(1, self.unanswerable), 4)
            if self.unanswerable
            else None,
            "mean_answer_words": round(statistics.fmean(self.answer_words), 1)
            if self.answer_words
            else 0.0,
            "max_answer_sentences": max(self.answer_sentences, default=0),
            "p50_ms": round(_percentile(self.latencies_ms, 50), 1),
            "p95_ms": round(_percentile(self.latencies_ms, 95), 1),
        }


def evaluate(
    questions: Iterable[EvalQuestion],
    run: Callable[[SearchRequest], tuple[Retrieval, Answer]],
    k: int,
    progress: Callable[[], None] = lambda: None,
) -> Scores:
    """Run every question through `run` (search and answer, as /ask does) and score it."""
    scores = Scores(k)
    for question in questions:
        retrieval, answer = run(question.request)
        scores.add(question, retrieval, answer)
        progress()
    return scores


def _rate(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]
