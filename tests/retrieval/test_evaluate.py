"""Scoring: SQuAD-style normalisation and the figures `newsdesk eval` reports."""

import json
from pathlib import Path

from retrieval.errors import BadInput
from retrieval.evaluate import (
    EvalQuestion,
    Scores,
    contains_gold,
    names_choice,
    normalise,
    read_questions,
)
from retrieval.records import Answer, SearchRequest
from retrieval.search.question import analyse
from retrieval.search.searcher import Retrieval


def test_normalise_follows_squad() -> None:
    assert normalise("The  Denver Broncos!") == "denver broncos"
    assert normalise("“Levi’s Stadium”") == "levi s stadium"


def test_contains_gold_ignores_markers_case_and_punctuation() -> None:
    answer = "The Denver Broncos defeated the Carolina Panthers [1]. It was in Santa Clara, California [2]."

    assert contains_gold(answer, ["Denver Broncos"])
    assert contains_gold(answer, ["santa clara california"])
    assert not contains_gold(answer, ["Broncos 24"])
    assert not contains_gold(answer, ["pan"])  # whole words only
    assert not contains_gold(answer, [""])


def test_names_choice_wants_the_right_choice_alone() -> None:
    choices = ["Delta", "United Airlines", "United", "Southwest"]

    assert names_choice("United Airlines is cutting 20 flights [1].", "United Airlines", choices)
    assert not names_choice(
        "Delta and United Airlines both cut flights [1].", "United Airlines", choices
    )
    assert not names_choice("Southwest is cutting flights [1].", "United Airlines", choices)
    assert names_choice("United said so [1].", "United", ["Delta", "United"])


def test_choice_accuracy_is_over_every_quiz_question_and_apart_over_those_with_gold() -> None:
    choices = ("Delta", "Southwest")
    held = EvalQuestion(
        "1", "Which airline?", ("Delta",), frozenset({"a"}), SearchRequest("?"), choices
    )
    not_held = EvalQuestion(
        "2", "Which airline?", ("Delta",), frozenset(), SearchRequest("?"), choices
    )
    retrieval = Retrieval(SearchRequest("?"), analyse("?", None, {}), [], {}, 0.0)
    scores = Scores(k=10)

    scores.add(held, retrieval, Answer("Which airline?", "Delta cut flights [1].", answered=True))
    scores.add(not_held, retrieval, Answer("Which airline?", "Southwest did [1].", answered=True))

    figures = scores.figures()
    assert figures["choice_accuracy"] == 0.5
    assert figures["choice_accuracy_answerable"] == 1.0


def test_read_questions_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "1",
                "question": "Who?",
                "answers": ["x"],
                "gold_ids": ["a"],
                "as_of": "2024-01-02",
                "choices": ["x", "y"],
            }
        )
        + "\n{bad\n"
        + json.dumps({"id": "3", "answers": []})
        + "\n"
    )

    records = list(read_questions(path, 10))

    good = [r for r in records if isinstance(r, EvalQuestion)]
    bad = [str(r) for r in records if isinstance(r, BadInput)]
    assert [q.question_id for q in good] == ["1"]
    assert good[0].request.as_of is not None and good[0].answerable
    assert good[0].choices == ("x", "y")
    assert [b.split(": ")[0] for b in bad] == [f"{path}:2", f"{path}:3"]
