"""Pure parts of search: rank fusion, per-article de-duplication, source matching, follow-ups."""

import pytest

from retrieval.records import Hit
from retrieval.search.followup import standalone_question
from retrieval.search.fusion import RRF_K, best_per_article, match_sources, reciprocal_rank_fusion


def test_rrf_rewards_agreement_between_rankings() -> None:
    fused = reciprocal_rank_fusion([[("a", 9.0), ("b", 8.0)], [("b", 0.9), ("c", 0.8)]])

    assert [item for item, _ in fused] == ["b", "a", "c"]
    assert fused[0][1] == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))


def hit(chunk_id: str, article_id: str) -> Hit:
    return Hit(chunk_id, article_id, "T", "", "S", None, "text", 0, 1.0)


def test_best_per_article_keeps_the_first_chunk_of_each() -> None:
    hits = [hit("a::1", "a"), hit("b::0", "b"), hit("a::0", "a")]

    assert [h.chunk_id for h in best_per_article(hits)] == ["a::1", "b::0"]


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [("NBC", {"nbc news"}), ("pbs", {"pbs newshour"}), ("nbc news", {"nbc news"}), ("CNN", set())],
)
def test_sources_match_by_name_word_or_prefix(wanted: str, expected: set[str]) -> None:
    assert match_sources(wanted, ["nbc news", "pbs newshour", "reuters"]) == expected


def test_follow_up_carries_the_names_of_the_previous_question() -> None:
    history = ["What did Kerry tell Lavrov on Saturday?"]

    assert standalone_question("and what did Lavrov say on Friday?", history) == (
        "and what did Lavrov say on Friday? (Kerry)"
    )
    assert (
        standalone_question("Who won the 2014 World Cup?", history) == "Who won the 2014 World Cup?"
    )
    assert standalone_question("What did he say?", []) == "What did he say?"
