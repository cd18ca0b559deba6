"""`newsdesk serve` as the README starts it, following a feed every second: an entry published
on the site is answerable over /ask within seconds; `newsdesk ingest URL` beside it is sent to
it."""

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

from devtools.outlet import Outlet
from devtools.servers import NEWSDESK, Served
from tests.helpers import OUTLETS, ROOT

FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour Herald</title><link>{site}/</link>
{items}
</channel></rss>"""
ITEM = "<item><title>{title}</title><link>{site}{path}</link></item>"
REGATTA = """<html><head><title>Regatta postponed | Harbour Herald</title>
<meta property="og:site_name" content="Harbour Herald">
<meta property="article:published_time" content="2024-05-10T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav><article><h1>Regatta postponed</h1>
<p>The harbour regatta has been postponed by a week because gales of up to seventy miles an
hour are forecast for Saturday, the sailing club said.</p>
<p>Races will now be held on the eighteenth of May, with the same entry list.</p></article>
<footer>© Harbour Herald</footer></body></html>"""
T = TypeVar("T")
QUESTION = {"question": "Why was the harbour regatta postponed?"}


def answered(url: str, question: dict[str, str]) -> dict[str, Any] | None:
    body: dict[str, Any] = httpx.post(f"{url}/ask", json=question, timeout=60).json()
    return body if body.get("answered") else None


def test_a_new_entry_is_answerable_seconds_after_it_appears(tmp_path: Path) -> None:
    env = {
        "NEWSDESK_DATA_DIR": str(tmp_path / "data"),
        "NEWSDESK_FETCH_DELAY": "0",
        "PYTHONPATH": str(ROOT),  # this tree's newsdesk, whichever the venv installed
    }
    with Outlet(OUTLETS) as site, Served(env) as server:
        tides = ITEM.format(title="Spring tides", site=site.url, path="/news/tides.html")
        site.put("/feeds/live.rss", FEED.format(site=site.url, items=tides))
        followed = httpx.post(
            f"{server.url}/feeds", json={"url": f"{site.url}/feeds/live.rss", "every_s": 1}
        )
        assert followed.status_code == 200, followed.text
        _until(lambda: answered(server.url, {"question": "When is high water on Saturday?"}))

        site.put("/news/regatta.html", REGATTA)
        regatta = ITEM.format(title="Regatta postponed", site=site.url, path="/news/regatta.html")
        site.put("/feeds/live.rss", FEED.format(site=site.url, items=regatta + tides))
        published = time.monotonic()
        answer = _until(lambda: answered(server.url, QUESTION))
        took = time.monotonic() - published

        sent = subprocess.run(
            [NEWSDESK, "ingest", f"{site.url}/news/ferry-strike.html"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        ferry = answered(server.url, {"question": "Why did the ferry crews walk out?"})

    assert took < 10, f"{took:.1f} s from publication to answer"  # polled every second
    [citation] = answer["citations"]
    assert (citation["title"], citation["source"], citation["published_at"]) == (
        "Regatta postponed",
        "Harbour Herald",
        "2024-05-10",
    )
    assert citation["url"] == f"{site.url}/news/regatta.html"
    assert sent.returncode == 0, sent.stderr
    assert f"Sending to the newsdesk at {server.url}" in sent.stderr
    assert ferry is not None and "pay dispute" in str(ferry["answer"])


def _until(check: Callable[[], T | None], seconds: float = 30) -> T:
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
    return found
