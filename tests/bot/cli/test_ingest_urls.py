"""`newsdesk ingest` given URLs beside paths: pages, feeds and sitemaps fetched from a local news
site and answerable with their outlet, date and URL; each URL that fails is one line."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from devtools.outlet import Outlet
from tests.helpers import NBC, OUTLETS, SEEDS


@pytest.fixture
def site() -> Iterator[Outlet]:
    with Outlet(OUTLETS) as outlet:
        yield outlet


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSDESK_FETCH_TIMEOUT", "1")
    monkeypatch.setenv("NEWSDESK_FETCH_DELAY", "0")
    return CliRunner()


def test_urls_and_paths_are_ingested_together_and_bad_urls_reported(
    run: CliRunner, site: Outlet
) -> None:
    ingested = run.invoke(
        app,
        [
            "ingest",
            str(SEEDS),
            f"{site.url}/feeds/courier.atom",
            f"{site.url}/news/ferry-strike.html?utm_source=newsletter",
            f"{site.url}/news/report.pdf",
        ],
    )

    assert ingested.exit_code == 1, ingested.output
    assert "5 added, 0 updated, 0 unchanged, 2 failed" in ingested.output
    assert f"{site.url}/news/gone.html: 404 Not Found" in ingested.output
    assert f"{site.url}/news/report.pdf: application/pdf is not a web page" in ingested.output
    asked = run.invoke(app, ["ask", "Why did the ferry crews walk out?", "--json"])
    citation = json.loads(asked.stdout)["citations"][0]
    assert (citation["title"], citation["source"], citation["published_at"]) == (
        "Ferry crews strike over pay",
        "Harbour Herald",
        "2024-05-07",
    )
    assert citation["url"] == f"{site.url}/news/ferry-strike.html"
    frost = json.loads(
        run.invoke(app, ["ask", "What destroyed the apple blossom?", "--json"]).stdout
    )
    assert "late frost" in frost["answer"]
    kerry = json.loads(
        run.invoke(app, ["ask", "What did Kerry tell Lavrov on Saturday?", "--json"]).stdout
    )
    assert kerry["citations"][0]["article_id"] == NBC


def test_the_same_url_again_is_unchanged(run: CliRunner, site: Outlet) -> None:
    page = f"{site.url}/news/tides.html"
    assert run.invoke(app, ["ingest", page]).exit_code == 0

    again = run.invoke(app, ["ingest", f"{page}?fbclid=abc"])

    assert "0 added, 0 updated, 1 unchanged, 0 failed" in again.output
