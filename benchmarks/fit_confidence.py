"""Refit the weights that decide whether to answer or decline, on Wikipedia and on news.

Each source gives answerable questions and the same kind of questions with what answers them
taken out of the index, in two folds so every question is asked once each way:
- squad-a: a fold drops every other paragraph; the questions on the dropped ones have lost
  their own paragraph but not their article (the same people and places, not this fact).
- RealTime QA weeks other than the news dev set's (TRAIN_MONTHS; git-ignored data, built by
  `benchmarks/realtimeqa.py`): a fold drops, for every other question, its gold articles (those
  its search returned that hold the right choice); each question is asked as of its own date.
  Beside them, questions of a later year asked as of those weeks' last day: other events.
A logistic regression on both, each source weighing the same, gives the weights; the floor
keeps squad-a's false declines where they were. Prints both, and each source's false declines
and false answers under today's weights and the refit ones.

Run: python -m benchmarks.fit_confidence
"""

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.common import SQUAD, eval_questions
from benchmarks.news_dev import DATA
from bot.config import Settings
from bot.wiring import build_services
from retrieval.answer.extractive import (
    CONFIDENCE_WEIGHTS,
    MIN_CONFIDENCE,
    candidates,
    confidence_features,
)
from retrieval.evaluate import EvalQuestion
from retrieval.index.embed import Embedder
from retrieval.index.writer import index_articles
from retrieval.ingest.files import read_paths
from retrieval.records import Article
from retrieval.search.searcher import Retrieval

TRAIN_MONTHS = ("2023-03", "2023-04")  # the dev set measures 2023-01 and 2023-02
FOLDS = 2
LATER_YEAR = "2025"
LATER_QUESTIONS = 80
SQUAD_DECLINES = 0.075  # squad-a's false declines on these folds with the weights of 2026-12-01
Featurize = Callable[[Retrieval], dict[str, float] | None]


@dataclass(frozen=True)
class Example:
    source: str
    answerable: bool
    features: dict[str, float]


def default_features(retrieval: Retrieval) -> dict[str, float] | None:
    """The features `confidence` weighs, or None when nothing could be quoted at all."""
    found = candidates(retrieval)
    return confidence_features(retrieval, found[0]) if found else None


def examples(embedder: Embedder, featurize: Featurize = default_features) -> list[Example]:
    squad_articles = _articles(SQUAD / "articles.jsonl")
    squad_questions = eval_questions(SQUAD / "questions.jsonl")
    news_articles, news_questions, later = _news_training()
    out: list[Example] = []
    for fold in range(FOLDS):
        dropped = {a.article_id for i, a in enumerate(squad_articles) if i % FOLDS == fold}
        asked = [(q, not q.gold_ids <= dropped) for q in squad_questions]
        kept = [a for a in squad_articles if a.article_id not in dropped]
        out += _asked("squad-a", embedder, kept, asked, featurize)
        held = [i % FOLDS == fold for i in range(len(news_questions))]
        dropped = {g for q, h in zip(news_questions, held, strict=True) if h for g in q.gold_ids}
        asked = [
            (q, not h)
            for q, h in zip(news_questions, held, strict=True)
            if h or q.gold_ids - dropped
        ]
        asked += [(q, False) for q in later[fold::FOLDS]]
        kept = [a for a in news_articles if a.article_id not in dropped]
        out += _asked("news", embedder, kept, asked, featurize)
    return out


def fit(found: list[Example], names: Iterable[str]) -> dict[str, float]:
    """Logistic regression weights, scaled to sum to 1, each source weighing the same."""
    names = list(names)
    x = np.array([[e.features[n] for n in names] for e in found])
    y = np.array([e.answerable for e in found])
    per_source = {s: sum(e.source == s for e in found) for s in {e.source for e in found}}
    weight = np.array([len(found) / per_source[e.source] for e in found])
    model = LogisticRegression(C=10.0, max_iter=1000).fit(x, y, sample_weight=weight)
    scale = float(np.sum(model.coef_[0]))
    return {n: round(float(c) / scale, 2) for n, c in zip(names, model.coef_[0], strict=True)}


def floor(found: list[Example], weights: dict[str, float]) -> float:
    """The confidence under which squad-a's answerable questions are declined as often as
    today (SQUAD_DECLINES): its negatives are the noisier, so they don't set the floor."""
    scores = sorted(_score(e, weights) for e in found if e.source == "squad-a" and e.answerable)
    return round(scores[int(SQUAD_DECLINES * len(scores))], 3)


def report(found: list[Example], weights: dict[str, float], floor: float) -> str:
    lines = []
    for source in sorted({e.source for e in found}):
        mine = [e for e in found if e.source == source]
        scores = [(_score(e, weights), e) for e in mine]
        answerable = [s for s, e in scores if e.answerable]
        other = [s for s, e in scores if not e.answerable]
        declined = sum(s < floor for s in answerable) / len(answerable)
        answered = sum(s >= floor for s in other) / len(other)
        lines.append(
            f"{source}: {len(answerable)} answerable, {len(other)} not; "
            f"false declines {declined:.3f}, false answers {answered:.3f}"
        )
    return "\n".join(lines)


def _score(example: Example, weights: dict[str, float]) -> float:
    return sum(w * example.features[n] for n, w in weights.items())


def _asked(
    source: str,
    embedder: Embedder,
    articles: list[Article],
    asked: list[tuple[EvalQuestion, bool]],
    featurize: Featurize,
) -> list[Example]:
    """Each question asked of an index of `articles`, labelled answerable or not."""
    with tempfile.TemporaryDirectory() as scratch:
        services = build_services(Settings(data_dir=Path(scratch)), embedder)
        index_articles(articles, services.index)
        found = [(featurize(services.searcher.retrieve(q.request)), a) for q, a in asked]
    return [Example(source, answerable, f) for f, answerable in found if f is not None]


def _news_training() -> tuple[list[Article], list[EvalQuestion], list[EvalQuestion]]:
    """The training weeks' articles and questions with gold, and questions of LATER_YEAR asked
    as of the weeks' last day (the dev set's unanswerable ones come from later still)."""
    records = [json.loads(line) for line in (DATA / "questions.jsonl").open(encoding="utf-8")]
    asked = [r for r in records if r["as_of"][:7] in TRAIN_MONTHS and r["gold_ids"]]
    last_day = max(r["as_of"] for r in asked)
    later = [
        r | {"as_of": last_day, "gold_ids": [], "choices": []}
        for r in records
        if r["as_of"][:4] == LATER_YEAR
    ][:LATER_QUESTIONS]
    searched = {i for r in asked for i in r["search_ids"]}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        lines = (DATA / "articles.jsonl").open(encoding="utf-8")
        kept = "".join(line for line in lines if json.loads(line)["id"] in searched)
        (folder / "articles.jsonl").write_text(kept, encoding="utf-8")
        for name, chosen in (("asked.jsonl", asked), ("later.jsonl", later)):
            text = "".join(json.dumps(r) + "\n" for r in chosen)
            (folder / name).write_text(text, encoding="utf-8")
        return (
            _articles(folder / "articles.jsonl"),
            eval_questions(folder / "asked.jsonl"),
            eval_questions(folder / "later.jsonl"),
        )


def _articles(path: Path) -> list[Article]:
    return [a for a in read_paths([path]) if isinstance(a, Article)]


def main() -> None:
    found = examples(Embedder(Settings().model_cache))
    print("today's weights:", CONFIDENCE_WEIGHTS)
    print(report(found, CONFIDENCE_WEIGHTS, MIN_CONFIDENCE))
    weights = fit(found, CONFIDENCE_WEIGHTS)
    print("refit:", weights, "floor", floor(found, weights))
    print(report(found, weights, floor(found, weights)))


if __name__ == "__main__":
    main()
