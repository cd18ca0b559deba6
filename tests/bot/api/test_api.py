"""The HTTP API end to end: uvicorn on a free port, the real model, Chroma on disk."""

from typing import Any

import httpx
import pytest

from retrieval.ingest.files import read_paths
from tests.helpers import NBC, PBS, SEEDS


def articles() -> dict[str, str]:
    return {a.article_id: a.text for a in read_paths([SEEDS]) if not isinstance(a, Exception)}


def ask(api: httpx.Client, question: str, **extra: Any) -> dict[str, Any]:
    response = api.post("/ask", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_kerry_question_is_answered_from_the_saturday_call_citing_nbc(api: httpx.Client) -> None:
    body = ask(api, "What did Kerry tell Lavrov on Saturday?")

    assert body["answered"] is True
    assert "close the door to diplomacy" in body["answer"]
    assert "hasty and reckless" not in body["answer"]
    first = body["citations"][0]
    assert first["article_id"] == NBC
    assert first["source"] == "NBC News"
    assert first["published_at"] == "2014-03-08"
    assert "[1]" in body["answer"]


def test_every_quote_is_exact_text_of_the_cited_article(api: httpx.Client) -> None:
    texts = articles()
    for question in (
        "What did Kerry tell Lavrov on Saturday?",
        "What did Lavrov warn the United States against?",
        "Who did Obama call about Ukraine?",
    ):
        body = ask(api, question)
        assert body["citations"], question
        for citation in body["citations"]:
            assert citation["quote"] in texts[citation["article_id"]]
            assert f"[{citation['n']}]" in body["answer"]


def test_each_citation_carries_the_passage_it_quotes(api: httpx.Client) -> None:
    texts = articles()
    for citation in ask(api, "What did Lavrov warn the United States against?")["citations"]:
        passage, at = citation["passage"], citation["passage_start"]
        assert texts[citation["article_id"]][at : at + len(passage)] == passage
        quoted = passage[citation["start"] - at : citation["end"] - at]
        assert quoted == citation["quote"]
        assert len(passage) > len(quoted)


def test_lavrov_warning_cites_pbs(api: httpx.Client) -> None:
    body = ask(api, "What did Lavrov warn the United States against?")

    assert body["answered"] is True
    assert "hasty and reckless steps" in body["answer"]
    assert body["citations"][0]["article_id"] == PBS
    assert body["citations"][0]["url"] == "https://www.pbs.org/newshour/world/ukraine-update"


def test_question_the_archive_cannot_answer_is_declined(api: httpx.Client) -> None:
    body = ask(api, "Who won the 2014 World Cup?")

    assert body["answered"] is False
    assert body["citations"] == []


def test_search_returns_one_hit_per_article_with_its_metadata(api: httpx.Client) -> None:
    response = api.post("/search", json={"query": "Kerry Lavrov telephone call", "k": 5})

    assert response.status_code == 200
    hits = response.json()["hits"]
    assert {h["article_id"] for h in hits} == {NBC, PBS}
    assert len(hits) == 2
    for hit in hits:
        assert set(hit) >= {"article_id", "chunk_id", "title", "url", "source", "published_at"}
        assert hit["text"] and hit["score"] > 0


def test_source_filter_keeps_only_that_outlet(api: httpx.Client) -> None:
    response = api.post("/search", json={"query": "Kerry Lavrov", "source": "pbs"})

    assert [h["article_id"] for h in response.json()["hits"]] == [PBS]


def test_as_of_hides_articles_published_later(api: httpx.Client) -> None:
    body = ask(api, "What did Kerry tell Lavrov?", as_of="2014-03-07")

    assert body["citations"]
    assert all(c["article_id"] == PBS for c in body["citations"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question": ""}, "question"),
        ({"question": "   "}, "question"),
        ({"question": "x" * 1001}, "question"),
        ({"question": "Kerry?", "k": 0}, "k"),
        ({"question": "Kerry?", "k": 10_000}, "k"),
        ({"question": "Kerry?", "as_of": "2014-02-30"}, "as_of"),
        ({"question": "Kerry?", "since": "yesterday"}, "since"),
        ({"question": "Kerry?", "until": "20140308"}, "until"),
        ({"question": "Kerry?", "as_of": 0}, "as_of"),
        ({"question": "Kerry?", "k": "5"}, "k"),
        ({"question": "Kerry?", "k": True}, "k"),
        ({"question": "\x1c\u3000"}, "question"),
        ({"question": "Kerry?", "colour": "blue"}, "colour"),
        ({"question": 42}, "question"),
        ({}, "question"),
    ],
)
def test_invalid_ask_gets_422_naming_the_field(
    api: httpx.Client, body: dict[str, Any], field: str
) -> None:
    response = api.post("/ask", json=body)

    assert response.status_code == 422
    assert response.json()["error"].startswith(field)


def test_since_after_until_is_an_empty_window(api: httpx.Client) -> None:
    window = {"since": "2014-03-09", "until": "2014-03-01"}
    found = api.post("/search", json={"query": "Kerry", **window})
    asked = ask(api, "What did Kerry tell Lavrov on Saturday?", **window)

    assert found.status_code == 200
    assert found.json()["hits"] == []
    assert asked["answered"] is False
    assert asked["citations"] == []


def test_body_that_is_not_json_gets_a_clear_4xx(api: httpx.Client) -> None:
    headers = {"content-type": "application/json"}
    response = api.post("/ask", content=b"\xff\xfe not json", headers=headers)

    assert response.status_code in (400, 422)
    assert response.json()["error"]


def test_health_readiness_and_docs(api: httpx.Client) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    ready = api.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["articles"] == 2
    assert api.get("/docs").status_code == 200
    assert "/ask" in api.get("/openapi.json").json()["paths"]


def test_wrong_method_gets_405_with_allow(api: httpx.Client) -> None:
    response = api.request("TRACE", "/ask")

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json() == {"error": "Method Not Allowed"}


def test_openapi_documents_every_error_a_question_can_meet(api: httpx.Client) -> None:
    paths = api.get("/openapi.json").json()["paths"]

    for route in ("/ask", "/ask/stream", "/search"):
        documented = paths[route]["post"]["responses"]
        assert set(documented) == {"200", "400", "401", "409", "413", "422", "429", "503"}, route
        assert "Retry-After" in documented["429"]["headers"]
