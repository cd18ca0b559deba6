"""`newsdesk serve --workers 2` on a Chroma server, and `newsdesk ingest` beside it, as the
README runs them: /metrics gives the service's figures, not the answering worker's (and the
ingest's), and a client's rate limit holds across both workers.

Each request opens its own connection, several at once, so both workers answer some; the JSON
request log (its pid, and the id each request sent) shows which one did."""

import json
import os
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from devtools.servers import NEWSDESK, Served, every_worker_ready
from tests.bot.api.test_metrics import samples, value
from tests.helpers import KERRY, LAVROV, ROOT, SEEDS, WORLD_CUP

LIMIT = 5  # requests per minute for each client


class Service:
    """The two-worker server, and what its log says about each request."""

    def __init__(self, served: Served, log: Path) -> None:
        self.url = served.url
        self.log = log

    def post(self, route: str, body: dict[str, Any], request_id: str, client: str) -> int:
        headers = {"X-Request-ID": request_id, "X-Forwarded-For": client}
        with httpx.Client(base_url=self.url, headers={"Connection": "close"}) as fresh:
            return fresh.post(route, json=body, headers=headers, timeout=30).status_code

    def at_once(self, calls: list[tuple[str, dict[str, Any], str, str]]) -> list[int]:
        with ThreadPoolExecutor(4) as pool:
            return list(pool.map(lambda call: self.post(*call), calls))

    def workers_of(self, prefix: str) -> set[int]:
        """The pids that answered the requests whose ids start with `prefix`."""
        lines = [json.loads(line) for line in self.log.read_text().splitlines() if line[:1] == "{"]
        return {line["pid"] for line in lines if line.get("request_id", "").startswith(prefix)}


@pytest.fixture(scope="module")
def service(chroma_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    data_dir = tmp_path_factory.mktemp("workers")
    env = {
        "PYTHONPATH": str(ROOT),  # this tree's code, whichever newsdesk is installed
        "NEWSDESK_CHROMA_URL": chroma_server,
        "NEWSDESK_COLLECTION": "workers",
        "NEWSDESK_DATA_DIR": str(data_dir),
        "NEWSDESK_RATE_LIMIT": f"{LIMIT}/minute",
    }
    log = data_dir / "serve.log"
    with Served(env, "--workers", "2", "--log-format", "json", log=log) as served:
        every_worker_ready(served)
        ingest = [NEWSDESK, "ingest", str(SEEDS)]
        subprocess.run(ingest, env={**os.environ, **env}, check=True, capture_output=True)
        yield Service(served, log)


def test_metrics_are_the_services_not_one_workers(service: Service) -> None:
    questions = [KERRY, LAVROV, KERRY, LAVROV, WORLD_CUP, WORLD_CUP, KERRY, WORLD_CUP]
    statuses = service.at_once(
        [("/ask", {"question": q}, f"metric-{i}", f"192.0.2.{i}") for i, q in enumerate(questions)]
    )
    ferry = {"id": "ferry", "title": "Ferry strike", "text": "Ferry crews walked out on Tuesday."}
    added = httpx.post(f"{service.url}/articles", json=ferry, timeout=60)
    scraped = samples(httpx.get(f"{service.url}/metrics").text)

    assert statuses == [200] * len(questions) and added.status_code == 200
    assert len(service.workers_of("metric-")) == 2
    asked = value(
        scraped, "newsdesk_http_requests_total", method="POST", route="/ask", status="200"
    )
    assert asked == len(questions)
    answered = value(scraped, "newsdesk_answers_total", interface="http", outcome="answered")
    declined = value(scraped, "newsdesk_answers_total", interface="http", outcome="declined")
    assert (answered, declined) == (5, 3)
    assert value(scraped, "newsdesk_index_articles") == 3
    assert value(scraped, "newsdesk_ingest_duration_seconds_count") == 1
    assert value(scraped, "newsdesk_index_write_duration_seconds_count") == 1


def test_a_client_gets_exactly_its_limit_across_both_workers(service: Service) -> None:
    statuses = service.at_once(
        [("/search", {"query": "Kerry"}, f"limit-{i}", "198.51.100.7") for i in range(3 * LIMIT)]
    )

    assert len(service.workers_of("limit-")) == 2
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == 2 * LIMIT
