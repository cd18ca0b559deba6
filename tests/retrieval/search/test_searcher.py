"""Searches from many threads at once take turns on a few workers: each gets its own answer."""

from concurrent.futures import ThreadPoolExecutor

from bot.wiring import Services
from retrieval.records import SearchRequest

QUESTIONS = [
    "What did Kerry tell Lavrov on Saturday?",
    "Who called Putin about Crimea?",
    "What did PBS report about sanctions?",
    "Where is the Crimean peninsula?",
]


def test_searches_at_once_find_what_each_finds_alone(seeded: Services) -> None:
    def ranked(question: str) -> list[tuple[str, float]]:
        return [(h.chunk_id, h.score) for h in seeded.searcher.search(SearchRequest(question))]

    alone = [ranked(question) for question in QUESTIONS]
    with ThreadPoolExecutor(16) as pool:
        together = list(pool.map(ranked, QUESTIONS * 8))
    assert together == alone * 8
    assert len({tuple(ranking) for ranking in alone}) == len(QUESTIONS)
