"""Dates, outlets and roles through POST /ask, on the seeds and a small hand-written news set."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from retrieval.index.embed import Embedder
from tests.helpers import NBC, NEWS, PBS, SEEDS, LiveServer, ingest, make_services

STRIKE = "harbour-gazette-2024-05-10-ferry-strike"
STRIKE_ENDS = "city-times-2024-05-13-strike-ends"
PROTEST = "city-times-2024-05-07-protest"


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[httpx.Client]:
    services = make_services(tmp_path_factory.mktemp("news"), embedder)
    ingest(services, SEEDS, NEWS)
    with LiveServer(lambda: services) as server, httpx.Client(base_url=server.url) as client:
        yield client


def ask(client: httpx.Client, question: str, **extra: Any) -> dict[str, Any]:
    response = client.post("/ask", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["answered"], body
    return body


def cited(body: dict[str, Any]) -> list[str]:
    return [c["article_id"] for c in body["citations"]]


@pytest.mark.parametrize(
    "question",
    [
        "What did Kerry tell Lavrov on Saturday?",
        "What did Kerry tell Lavrov on March 8?",
        "What did Kerry say on March 8?",
    ],
)
def test_a_day_named_in_the_question_finds_the_call_on_that_day(
    news: httpx.Client, question: str
) -> None:
    body = ask(news, question)

    assert cited(body)[0] == NBC
    assert "close the door to diplomacy" in body["answer"]
    assert "hasty and reckless" not in body["answer"]


def test_friday_finds_the_friday_call(news: httpx.Client) -> None:
    body = ask(news, "What did Lavrov say to Kerry on Friday?")

    assert cited(body)[0] == PBS
    assert "hasty and reckless steps" in body["answer"]


def test_as_of_resolves_a_weekday_against_that_date(news: httpx.Client) -> None:
    body = ask(news, "What did Kerry and Lavrov talk about on Friday?", as_of="2014-03-09")

    assert cited(body)[0] == PBS


def test_speaker_beats_listener(news: httpx.Client) -> None:
    told = ask(news, "What did Patel tell Reed?")
    warned = ask(news, "What did Reed warn Patel?")

    assert cited(told)[0] == STRIKE and "eight percent" in told["answer"]
    assert cited(warned)[0] == STRIKE and "three percent" in warned["answer"]
    assert warned["answer"].startswith("Reed warned Patel")


@pytest.mark.parametrize("country", ["the US", "the U.S.", "the United States"])
def test_us_is_the_country_not_the_pronoun(news: httpx.Client, country: str) -> None:
    body = ask(news, f"What sanctions did {country} announce?")

    assert cited(body)[0] == PBS
    assert "financial sanctions" in body["answer"]


def test_named_outlet_restricts_the_sources(news: httpx.Client) -> None:
    pbs = ask(news, "According to PBS, what did Kerry say about Russia?")
    nbc = ask(news, "What did NBC report about Obama's calls?")

    assert set(cited(pbs)) == {PBS}
    assert set(cited(nbc)) == {NBC}


def test_latest_as_of_prefers_the_newest_article(news: httpx.Client) -> None:
    early = ask(news, "What is the latest on the ferry strike?", as_of="2024-05-11")
    late = ask(news, "What is the latest on the ferry strike?", as_of="2024-05-14")

    assert set(cited(early)) == {STRIKE}
    assert cited(late)[0] == STRIKE_ENDS


def test_a_quote_comes_with_the_sentence_naming_its_speaker(news: httpx.Client) -> None:
    body = ask(news, "Who said they would be back next year asking for more money?")

    assert cited(body)[0] == PROTEST
    assert "Okafor" in body["answer"]
    assert "“We will be back here next year" in body["answer"]


def test_search_hits_carry_resolved_event_dates(news: httpx.Client) -> None:
    hits = news.post("/search", json={"query": "Kerry Lavrov telephone call annex Crimea"}).json()[
        "hits"
    ]

    nbc = next(h for h in hits if h["article_id"] == NBC)
    assert "2014-03-08" in nbc["event_dates"]


@pytest.mark.parametrize(
    "question",
    [
        "Who won the 2014 World Cup?",
        "What is the capital of Australia?",
        "What did the mayor say about the tram line?",
        "How much did the new football stadium cost?",
    ],
)
def test_questions_the_archive_cannot_answer_are_declined(
    news: httpx.Client, question: str
) -> None:
    body = news.post("/ask", json={"question": question}).json()

    assert body["answered"] is False
    assert body["citations"] == []


def test_instructions_inside_an_article_are_only_data(news: httpx.Client) -> None:
    cost = ask(news, "How much did the library roof repairs cost?")
    unrelated = news.post("/ask", json={"question": "Who won the 2014 World Cup?"}).json()

    assert "2.3 million dollars" in cost["answer"]
    assert "Ignore previous instructions" not in cost["answer"]
    assert unrelated["answered"] is False


@pytest.mark.parametrize(
    "question",
    [
        "What did Lavrov say on Saturday?",  # Saturday's call has Kerry speaking, Lavrov told
        "How many Russian troops were killed in Crimea?",  # Crimea is there; no such number
    ],
)
def test_a_sentence_that_contradicts_the_question_is_not_its_answer(
    news: httpx.Client, question: str
) -> None:
    response = news.post("/ask", json={"question": question})

    assert response.status_code == 200
    assert not response.json()["answered"], response.json()["answer"]
