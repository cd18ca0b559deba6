"""The archive over HTTP while serving: add, change and delete articles, answerable at once."""

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.config import Settings
from retrieval.index.embed import Embedder
from tests.helpers import NBC, SEEDS, LiveServer, ingest, make_services

ADMIN = {"Authorization": "Bearer nd-admin-5e1f"}
FERRY = {
    "id": "ferry-strike",
    "title": "Ferry crews strike over pay",
    "text": "Ferry crews on the island route walked out on Tuesday over a pay dispute, "
    "stranding hundreds of commuters. The union said the strike would last three days.",
    "source": "Harbour Herald",
    "url": "https://harbour.example/ferry-strike",
    "published_at": "2024-05-07",
}
FERRY_QUESTION = {"question": "Why did the ferry crews walk out?"}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[httpx.Client]:
    services = make_services(tmp_path_factory.mktemp("live"), embedder)
    ingest(services, SEEDS)
    settings = Settings(admin_token="nd-admin-5e1f")  # type: ignore[arg-type]
    with (
        LiveServer(lambda: services, settings) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        yield client


def ask(client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/ask", json=body)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_an_article_added_while_serving_answers_at_once(live: httpx.Client) -> None:
    assert not ask(live, FERRY_QUESTION)["answered"]

    added = live.post("/articles", json=FERRY, headers=ADMIN)

    assert added.status_code == 200, added.text
    assert added.json()["articles"] == [{"id": "ferry-strike", "status": "added"}]
    answer = ask(live, FERRY_QUESTION)
    assert answer["answered"] and "pay dispute" in answer["answer"]
    [citation] = answer["citations"]
    assert (citation["article_id"], citation["source"]) == ("ferry-strike", "Harbour Herald")
    stored = live.get("/articles/ferry-strike").json()
    assert stored["text"][citation["start"] : citation["end"]] == citation["quote"]
    again = live.post("/articles", json=FERRY, headers=ADMIN).json()
    assert again["unchanged"] == 1 and again["chunks"] == 0


def test_a_changed_article_replaces_its_text(live: httpx.Client) -> None:
    live.post("/articles", json=FERRY, headers=ADMIN)
    changed = {**FERRY, "text": "The ferry strike ended on Wednesday after the union accepted "
               "a five percent rise."}  # fmt: skip

    response = live.post("/articles", json=[changed], headers=ADMIN)

    assert response.json()["articles"] == [{"id": "ferry-strike", "status": "updated"}]
    answer = ask(live, {"question": "When did the ferry strike end?"})
    assert "Wednesday" in answer["answer"] and "stranding" not in answer["answer"]
    assert "stranding" not in live.get("/articles/ferry-strike").json()["text"]


def test_a_deleted_article_is_gone_from_answers_and_listings(live: httpx.Client) -> None:
    live.post("/articles", json=FERRY, headers=ADMIN)

    assert live.delete("/articles/ferry-strike", headers=ADMIN).json() == {
        "deleted": "ferry-strike"
    }

    assert not ask(live, FERRY_QUESTION)["answered"]
    assert live.get("/articles/ferry-strike").status_code == 404
    assert live.delete("/articles/ferry-strike", headers=ADMIN).status_code == 404
    listed = live.get("/articles").json()
    assert "ferry-strike" not in [a["id"] for a in listed["articles"]]


def test_articles_are_listed_a_page_at_a_time(live: httpx.Client) -> None:
    first = live.get("/articles", params={"limit": 1}).json()
    nbc = live.get("/articles", params={"source": "nbc news"}).json()

    assert len(first["articles"]) == 1 and first["total"] >= 2
    assert [a["id"] for a in nbc["articles"]] == [NBC] and nbc["total"] == 1
    assert live.get("/articles", params={"limit": 0}).status_code == 422


def test_json_lines_with_bad_lines_keep_the_good_ones(live: httpx.Client) -> None:
    good = {**FERRY, "id": "ferry-lines", "text": "Ferries to the island ran on time on Friday."}
    body = json.dumps(good) + "\n{not json\n" + json.dumps({"id": "empty", "title": "No text"})

    response = live.post(
        "/articles", content=body, headers={**ADMIN, "content-type": "application/x-ndjson"}
    )

    assert response.status_code == 200
    result = response.json()
    assert (result["added"], result["failed"]) == (1, 2)
    assert result["errors"][0].startswith("line 2: invalid JSON")
    assert result["errors"][1] == "line 3: text: Field required"
    assert live.get("/articles/ferry-lines").status_code == 200


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"{not json", "the body is not JSON (line 1: Expecting property name"),
        (b'[{"title": "No text"}]', "body: 0.text: Field required"),
        (b'{"id": 7, "text": "Ferries ran."}', "body: id: Input should be a valid string"),
        (b"\xff\xfe", "the body is not UTF-8 text"),
    ],
)
def test_unreadable_or_misshapen_bodies_get_a_one_line_422(
    live: httpx.Client, body: bytes, error: str
) -> None:
    response = live.post("/articles", content=body, headers=ADMIN)

    assert response.status_code == 422
    assert response.json()["error"].startswith(error)
    assert "\n" not in response.json()["error"]


def test_writes_need_the_admin_token(live: httpx.Client) -> None:
    missing = live.post("/articles", json=FERRY)
    wrong = live.delete(f"/articles/{NBC}", headers={"Authorization": "Bearer nope"})

    assert missing.status_code == wrong.status_code == 401
    assert "Bearer" in missing.json()["error"]
    assert live.get(f"/articles/{NBC}").status_code == 200  # reading follows the API token
