"""The web page's side of the API: its files, /sources, votes and /docs, all from newsdesk."""

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.api.page import STATIC
from bot.config import Settings
from bot.feedback import Feedback
from bot.wiring import Services
from tests.helpers import KERRY, NBC, LiveServer

XML_NAMESPACE = "http://www.w3.org/2000/svg"  # names the markup; nothing is fetched from it


def test_page_and_its_files_come_from_newsdesk(api: httpx.Client) -> None:
    page = api.get("/")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    linked = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text))
    assert linked == {"/static/page.css", "/static/page.js", "/static/icon.svg"}
    for path in STATIC.iterdir():  # the scripts page.js imports too
        assert api.get(f"/static/{path.name}").status_code == 200, path.name


@pytest.mark.parametrize("path", sorted(STATIC.iterdir()), ids=lambda p: p.name)
def test_no_file_of_the_page_names_another_host(path: Path) -> None:
    addresses = re.findall(r"(?:https?:)?//[\w.-]+\.\w+[^\s\"'<>)]*", path.read_text())
    assert [a for a in addresses if a != XML_NAMESPACE] == []


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
