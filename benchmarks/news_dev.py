"""The RealTime QA news dev set (built by `benchmarks/realtimeqa.py`, git-ignored): the weeks
measured, newsdesk and the LangChain tutorial pipeline side by side on them.

Dev loop: python -m benchmarks.news_dev OUT writes the subset's articles.jsonl and
questions.jsonl into OUT, for `newsdesk eval OUT/questions.jsonl --articles OUT/articles.jsonl
--index-dir …`."""

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, eval_questions
from benchmarks.report import table
from benchmarks.tutorial_pipeline import TutorialPipeline
from bot.config import Settings
from bot.wiring import Services, build_services
from retrieval.evaluate import Scores, evaluate
from retrieval.index.embed import Embedder
from retrieval.index.writer import index_articles
from retrieval.ingest.files import read_paths
from retrieval.records import Answer, Article, SearchRequest
from retrieval.search.searcher import Retrieval

DATA = ROOT / "benchmarks" / "data" / "realtimeqa"
# All 2023-and-later weeks hold 22,591 articles (31 million words): hours of ingest on two
# cores for each pipeline. The first weeks of 2023 are measured.
MONTHS = ("2023-01", "2023-02")
# Questions the archive can't answer. Written for it: other events of the same weeks, and other
# facts about the people in its stories (each checked to be in none of its articles).
WRITTEN = ROOT / "benchmarks" / "news" / "realtimeqa_unanswerable.jsonl"
# And the quiz's last weeks (2026), asked as of the last day of MONTHS, years before their
# events: the same kinds of story, other facts.
LATER = "2026-05"
UNANSWERABLE = 60
K = 10
COLUMNS = [
    "hits@1",
    "hits@5",
    f"mrr@{K}",
    "answer_contains_gold",
    "choice_accuracy",
    "choice_accuracy_answerable",
    "cites_gold",
    "false_decline_rate",
    "false_answer_rate",
    "false_answers_later",
    "mean_answer_words",
    "p50_ms",
    "p95_ms",
]


def write_subset(out: Path) -> tuple[Path, Path, Path, Path]:
    """Eval files: every article searched for the questions asked in MONTHS, those questions,
    and the unanswerable ones (written, later)."""
    questions = [
        json.loads(line)
        for line in (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    asked = [q for q in questions if q["as_of"][:7] in MONTHS]
    searched = {i for q in asked for i in q["search_ids"]}
    last_day = max(q["as_of"] for q in asked)
    later = [
        q | {"id": f"later-{q['id']}", "as_of": last_day, "gold_ids": [], "choices": []}
        for q in questions
        if q["as_of"] >= LATER
    ][:UNANSWERABLE]
    articles = [
        line
        for line in (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(line)["id"] in searched
    ]
    out.mkdir(parents=True, exist_ok=True)
    (out / "articles.jsonl").write_text("\n".join(articles) + "\n", encoding="utf-8")
    for name, records in (("questions.jsonl", asked), ("later.jsonl", later)):
        lines = (json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        (out / name).write_text("".join(lines), encoding="utf-8")
    return out / "articles.jsonl", out / "questions.jsonl", WRITTEN, out / "later.jsonl"


def section(embedder: Embedder) -> str:
    """The news dev set's part of "Answer quality"; how to build the set when it is absent."""
    if not (DATA / "questions.jsonl").exists():
        return (
            "The RealTime QA news dev set is not on this machine (git-ignored; build it with "
            "`python -m benchmarks.realtimeqa GIT_DIR`), so it was not measured.\n"
        )
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        articles_path, *question_paths = write_subset(folder / "subset")
        articles = [a for a in read_paths([articles_path]) if isinstance(a, Article)]
        questions, written, later = (eval_questions(path, K) for path in question_paths)
        services = build_services(Settings(data_dir=folder / "newsdesk"), embedder)
        started = time.perf_counter()
        index_articles(articles, services.index)
        ours_s = time.perf_counter() - started
        ours = [
            evaluate(group, lambda request: _ask(services, request), K)
            for group in (questions, written, later)
        ]
        started = time.perf_counter()
        tutorial = TutorialPipeline(articles, folder / "tutorial")
        tutorial_s = time.perf_counter() - started
        theirs = [evaluate(group, tutorial, K) for group in (questions, written, later)]
    rows = [
        [f"newsdesk (as of each question's date; ingest {ours_s:.0f} s)", *_row(*ours)],
        [f"LangChain tutorial pipeline (no dates; ingest {tutorial_s:.0f} s)", *_row(*theirs)],
    ]
    words = sum(len(a.text.split()) for a in articles)
    gold = sum(q.answerable for q in questions)
    return f"""The news dev set: RealTime QA's weekly news-quiz questions of {", ".join(MONTHS)}
({len(questions)} questions, {gold} with a silver gold article: one of the articles a search
returned for the question that holds the right choice), over every article returned for them
({len(articles):,} articles, {words:,} words, mostly USA TODAY and CNN). Hits, MRR, contains-gold,
cites-gold and false declines are over the {gold} questions with gold; choice accuracy (the
answer names the right choice and no other) over all {len(questions)}, though for the other
{len(questions) - gold} no returned article holds the right choice word for word (an answer
quoting them reaches {gold / len(questions):.2f} at most), and apart over the {gold} with gold
(`choice_accuracy_answerable`). False answers:
over {len(written)} questions written for this archive that it can't answer (other events of the
same weeks, other facts about the people in its stories: `{WRITTEN.relative_to(ROOT)}`), and, as
"later", over {len(later)} questions of the quiz's weeks from {LATER} on, asked as of
{later[0].request.as_of}, years before their events:

{_table(rows)}
"""


def _ask(services: Services, request: SearchRequest) -> tuple[Retrieval, Answer]:
    retrieval = services.searcher.retrieve(request)
    return retrieval, services.answerer(retrieval)


def _row(answerable: Scores, written: Scores, later: Scores) -> list[str]:
    figures: dict[str, Any] = answerable.figures()
    figures["false_answer_rate"] = written.figures()["false_answer_rate"]
    figures["false_answers_later"] = later.figures()["false_answer_rate"]
    return ["–" if figures[c] is None else str(figures[c]) for c in COLUMNS]


def _table(rows: list[list[str]]) -> str:
    return table(["pipeline", *COLUMNS], rows)


if __name__ == "__main__":
    print(*write_subset(Path(sys.argv[1])))
