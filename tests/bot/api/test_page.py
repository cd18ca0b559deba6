"""The web page's side of the API: what it calls besides /ask, and /docs, from newsdesk alone."""

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.feedback import Feedback
from bot.wiring import Services
from tests.helpers import KERRY, NBC, LiveServer


def test_docs_load_their_files_from_newsdesk(api: httpx.Client) -> None:
    docs = api.get("/docs").text
    files = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", docs)

    assert len(files) >= 3  # Swagger UI's script and style sheet, and the OpenAPI document
    for path in files:
        assert path.startswith("/") and not path.startswith("//"), path
        assert api.get(path).status_code == 200, path


def test_sources_lists_each_outlet_with_its_articles(api: httpx.Client) -> None:
    response = api.get("/sources")

    assert response.status_code == 200
    assert response.json() == {
        "sources": [{"name": "NBC News", "articles": 1}, {"name": "PBS NewsHour", "articles": 1}]
    }


@pytest.fixture(scope="module")
def voting(
    seeded: Services, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    data_dir = tmp_path_factory.mktemp("votes")
    with LiveServer(lambda: seeded, Settings(data_dir=data_dir)) as server:
        yield server.url, data_dir


def test_a_vote_from_the_page_is_kept_with_slacks(voting: tuple[str, Path]) -> None:
    url, data_dir = voting
    vote = {"question": KERRY, "answer": "Kerry told Lavrov… [1]", "article_ids": [NBC]}

    response = httpx.post(f"{url}/feedback", json={**vote, "vote": "up"})

    assert response.status_code == 204
    kept = Feedback(data_dir).recent(1)[0]
    assert (kept.question, kept.article_ids, kept.vote) == (KERRY, (NBC,), "up")
    assert (kept.origin, kept.user) == ("web", "127.0.0.1")


def test_a_vote_that_is_neither_up_nor_down_gets_422(voting: tuple[str, Path]) -> None:
    url, _ = voting
    vote = {"question": KERRY, "answer": "…", "article_ids": [], "vote": "sideways"}

    response = httpx.post(f"{url}/feedback", json=vote)

    assert response.status_code == 422
    assert response.json()["error"].startswith("vote: ")
