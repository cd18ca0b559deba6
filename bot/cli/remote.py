"""A running newsdesk reached over HTTP: where `newsdesk ingest` and `newsdesk delete` send their
work when a server holds the index (Chroma on disk serves one process), or when given --server."""

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bot.config import Settings
from bot.errors import ServerRefused
from retrieval.errors import NotFound
from retrieval.index.writer import IngestReport, Progress
from retrieval.records import Article

SERVER_FILE = "server.json"  # written by `newsdesk serve` on the data dir while it runs
BATCH_BYTES = 2 * 1024 * 1024  # per POST /articles, well under the server's 16 MiB limit
BATCH_ARTICLES = 100
TIMEOUT_S = 600.0  # a batch is embedded before the server answers


def running_server(settings: Settings) -> str | None:
    """The url of the newsdesk serving this data dir's on-disk index, if one is running."""
    path = settings.data_dir / SERVER_FILE
    if settings.chroma_url or not path.is_file():
        return None
    try:
        found = json.loads(path.read_text())
        os.kill(int(found["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # left behind by a server that is gone
    return str(found["url"])


def announce(settings: Settings, url: str) -> Path:
    """Tell later commands on this data dir where the server is; the caller removes the file."""
    path = settings.data_dir / SERVER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"url": url, "pid": os.getpid()}))
    return path


class Remote:
    """The archive routes of a newsdesk server, with the admin (or API) token."""

    def __init__(self, url: str, settings: Settings) -> None:
        token = settings.admin_token or settings.api_token
        headers = {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}
        self.url = url
        self.http = httpx.Client(base_url=url, headers=headers, timeout=TIMEOUT_S)

    def add(
        self,
        articles: list[Article],
        report: IngestReport,
        progress: Progress,
        on_error: Callable[[str], None],
    ) -> None:
        """Send the articles in batches, adding the server's account of each to the report."""
        done = 0
        progress(0, len(articles))
        for batch in _batches(articles):
            body = self._call("POST", "/articles", json=[_record(a) for a in batch])
            report.added += body["added"]
            report.updated += body["updated"]
            report.unchanged += body["unchanged"]
            report.chunks += body["chunks"]
            for message in body["errors"]:
                report.errors.append(message)
                on_error(message)
            report.states.update({a["id"]: a["status"] for a in body["articles"]})
            done += len(batch)
            progress(done, len(articles))

    def delete(self, article_id: str) -> None:
        self._call("DELETE", f"/articles/{article_id}")

    def _call(self, method: str, path: str, **options: Any) -> Any:
        try:
            response = self.http.request(method, path, **options)
        except httpx.HTTPError as error:
            raise ServerRefused(self.url, f"not reachable ({type(error).__name__})") from None
        body = (
            response.json()
            if response.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        if response.status_code == 404 and method == "DELETE":
            raise NotFound(path.rpartition("/")[2])
        if response.status_code == 422 and "articles" in body:
            return body  # none of these articles could be read; the report says why
        if response.status_code != 200:
            raise ServerRefused(self.url, body.get("error", f"HTTP {response.status_code}"))
        return body


def _batches(articles: list[Article]) -> list[list[Article]]:
    batches: list[list[Article]] = [[]]
    size = 0
    for article in articles:
        if batches[-1] and (
            size + len(article.text) > BATCH_BYTES or len(batches[-1]) >= BATCH_ARTICLES
        ):
            batches.append([])
            size = 0
        batches[-1].append(article)
        size += len(article.text)
    return [b for b in batches if b]


def _record(article: Article) -> dict[str, Any]:
    published = article.published_at
    return {
        "id": article.article_id,
        "title": article.title,
        "text": article.text,
        "url": article.url,
        "source": article.source,
        "author": article.author,
        "published_at": published.isoformat() if published else None,
    }
