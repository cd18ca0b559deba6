"""Following feeds while serving: sources added over HTTP are polled by the server, their
articles answerable with the right title, outlet, date and URL; what failed is shown per
source; a second poll is a conditional GET; an updated entry replaces its article."""

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.config import Settings
from devtools.outlet import Outlet
from retrieval.index.embed import Embedder
from tests.helpers import OUTLETS, SEEDS, LiveServer, ingest, make_services

ADMIN = {"Authorization": "Bearer nd-admin-feeds"}
FEEDS = ("/feeds/herald.rss", "/feeds/courier.atom", "/feeds/news-sitemap.xml")
BAD_FEEDS = ("/feeds/broken.rss", "/feeds/missing.rss")
CIDER = "What did cider makers warn about prices?"


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every address this process connects to from now on."""
    seen: list[object] = []
    connect = socket.socket.connect

    def recorded(self: socket.socket, address: Any) -> None:
        seen.append(address)
        connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", recorded)
    return seen


@pytest.fixture
def site() -> Iterator[Outlet]:
    with Outlet(OUTLETS) as outlet:
        yield outlet


@pytest.fixture
def served(tmp_path: Path, embedder: Embedder, site: Outlet) -> Iterator[tuple[httpx.Client, Path]]:
    data = tmp_path / "data"
    services = make_services(data, embedder)
    ingest(services, SEEDS)
    settings = Settings(
        data_dir=data,
        admin_token="nd-admin-feeds",
        fetch_timeout=1.0,
        fetch_delay=0.0,
    )
    with (
        LiveServer(lambda: services, settings) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        yield client, data


def until(check: Callable[[], Any], seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
    return found


def feeds(client: httpx.Client) -> dict[str, dict[str, Any]]:
    return {f["url"]: f for f in client.get("/feeds").json()["feeds"]}


def ask(client: httpx.Client, question: str) -> dict[str, Any]:
    response = client.post("/ask", json={"question": question})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_followed_feeds_are_polled_answerable_and_their_failures_shown(
    served: tuple[httpx.Client, Path], site: Outlet, connections: list[object]
) -> None:
    client, data = served
    for path in FEEDS + BAD_FEEDS:
        added = client.post("/feeds", json={"url": site.url + path, "every_s": 1}, headers=ADMIN)
        assert added.status_code == 200, added.text

    polled = until(lambda: (f := feeds(client)) and all(s["last_fetch"] for s in f.values()) and f)

    ferry = ask(client, "Why did the ferry crews walk out?")["citations"][0]
    assert (ferry["title"], ferry["source"], ferry["published_at"], ferry["url"]) == (
        "Ferry crews strike over pay",
        "Harbour Herald",
        "2024-05-07",
        f"{site.url}/news/ferry-strike.html",
    )
    council = ask(client, "How did the council vote on Quay Street?")
    assert council["answered"] and "nine to four" in council["answer"]
    assert ask(client, "Why was the Carrow reservoir lowered?")["answered"]
    listed = client.get("/articles", params={"limit": 100}).json()["articles"]
    urls = [a["url"] for a in listed]
    assert len(urls) == len(set(urls))  # the repeated entry, the AMP page: once each
    dams = [a for a in listed if "dam" in a["url"]]
    assert len(dams) == 1  # the wire story both outlets ran
    herald = polled[site.url + "/feeds/herald.rss"]
    assert herald["new_articles_total"] == 4 and herald["failures"] == 0
    assert herald["last_error"].startswith("8 of 13 entries failed: ")  # 14, one repeated
    assert "404 Not Found" in herald["last_error"]
    broken = polled[site.url + "/feeds/broken.rss"]
    assert broken["last_error"].startswith(f"{site.url}/feeds/broken.rss: not a readable feed")
    missing = polled[site.url + "/feeds/missing.rss"]
    assert missing["last_error"] == f"{site.url}/feeds/missing.rss: 404 Not Found"
    assert missing["failures"] >= 1 and missing["new_articles"] == 0

    listing = CliRunner().invoke(app, ["feeds"], env={"NEWSDESK_DATA_DIR": str(data)})
    assert f"{site.url}/feeds/missing.rss" in listing.stdout
    assert "404 Not Found" in listing.stdout and "(4 in all)" in listing.stdout

    assert "/private/secret.html" not in site.paths()
    ports = {address[1] for address in connections if isinstance(address, tuple)}
    hosts = {address[0] for address in connections if isinstance(address, tuple)}
    assert hosts == {"127.0.0.1"} and site.port in ports


def test_a_second_poll_is_conditional_and_an_updated_entry_replaces_its_article(
    served: tuple[httpx.Client, Path], site: Outlet
) -> None:
    client, _ = served
    feed = site.url + "/feeds/courier.atom"
    client.post("/feeds", json={"url": feed, "every_s": 1}, headers=ADMIN)
    until(lambda: feeds(client)[feed]["last_fetch"])
    until(lambda: site.paths().count("/feeds/courier.atom") >= 3)  # polled twice more
    assert "would rise this autumn" in ask(client, CIDER)["answer"]

    conditional = [s for s in site.requests if s.path == "/feeds/courier.atom"][1:]
    assert all("If-None-Match" in s.headers for s in conditional)
    assert site.paths().count("/news/harvest.html") == 1  # not modified: no page read again

    page = (OUTLETS / "news" / "harvest.html").read_text()
    site.put("/news/harvest.html", page.replace("would rise", "would double"))
    atom = (OUTLETS / "feeds" / "courier.atom").read_text()
    site.put(
        "/feeds/courier.atom",
        atom.replace("2024-05-02T07:15:00Z", "2024-05-03T10:00:00Z", 1),
        "application/atom+xml",
    )

    answer = until(lambda: "would double" in (a := ask(client, CIDER))["answer"] and a)
    assert answer["citations"][0]["title"].startswith("Late frost leaves apple growers")
    [harvest] = [
        a for a in client.get("/articles").json()["articles"] if a["url"].endswith("harvest.html")
    ]
    text = client.get(f"/articles/{harvest['id']}").json()["text"]
    assert "would double" in text and "would rise" not in text


def test_feeds_are_managed_over_http_with_the_admin_token(
    served: tuple[httpx.Client, Path], site: Outlet
) -> None:
    client, _ = served
    url = site.url + "/feeds/news-sitemap.xml"

    refused = client.post("/feeds", json={"url": url})
    wrong_every = client.post("/feeds", json={"url": url, "every_s": 0}, headers=ADMIN)
    not_http = client.post("/feeds", json={"url": "ftp://x/feed"}, headers=ADMIN)
    added = client.post(
        "/feeds", json={"url": url, "every_s": 7200, "source": "Herald"}, headers=ADMIN
    )

    assert refused.status_code == 401
    assert wrong_every.status_code == 422 and wrong_every.json()["error"].startswith("every_s:")
    assert not_http.status_code == 422
    assert (added.json()["every"], added.json()["source"]) == ("2h", "Herald")
    council = until(lambda: ask(client, "How did the council vote on Quay Street?")["citations"])
    assert council[0]["source"] == "Herald"  # the name it was followed under
    assert client.delete("/feeds", params={"url": url}, headers=ADMIN).json() == {"removed": url}
    assert client.delete("/feeds", params={"url": url}, headers=ADMIN).status_code == 404
    assert url not in feeds(client)


def test_follow_polls_without_a_server(tmp_path: Path, site: Outlet) -> None:
    env = {"NEWSDESK_DATA_DIR": str(tmp_path / "data"), "NEWSDESK_FETCH_DELAY": "0"}
    run = CliRunner()
    url = site.url + "/feeds/news-sitemap.xml"

    added = run.invoke(app, ["feeds", "add", url, "--every", "10m"], env=env)
    followed = run.invoke(app, ["follow", "--once"], env=env)
    again = run.invoke(app, ["follow", "--once"], env=env)
    asked = run.invoke(app, ["ask", "When is high water on Saturday?"], env=env)
    removed = run.invoke(app, ["feeds", "remove", url], env=env)
    missing = run.invoke(app, ["feeds", "remove", url], env=env)

    assert added.exit_code == 0 and f"Following {url} every 10m." in added.output
    assert "2 articles added or updated." in followed.output
    assert "0 articles added or updated." in again.output  # not due for ten minutes
    assert "six point two metres" in asked.stdout
    assert removed.exit_code == 0 and missing.exit_code == 1
    assert "is not followed" in missing.output
