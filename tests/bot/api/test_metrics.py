"""GET /metrics in one process: Prometheus' text format, the counts a request causes, and the
API token in front of it unless it is configured open."""

from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.config import Settings
from bot.wiring import Services
from tests.helpers import KERRY, WORLD_CUP, LiveServer

TOKEN = "nd-metrics-token-51c2"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Each sample of an exposition, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(
    scraped: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


def test_metrics_count_requests_answers_and_the_index(api: httpx.Client) -> None:
    before = samples(api.get("/metrics").text)
    api.post("/ask", json={"question": KERRY})
    api.post("/ask", json={"question": WORLD_CUP})
    api.post("/search", json={"query": ""})
    response = api.get("/metrics")
    after = samples(response.text)

    assert response.headers["content-type"].startswith("text/plain")

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("newsdesk_http_requests_total", method="POST", route="/ask", status="200") == 2
    assert grew("newsdesk_http_requests_total", method="POST", route="/search", status="422") == 1
    assert grew("newsdesk_http_request_duration_seconds_count", method="POST", route="/ask") == 2
    assert grew("newsdesk_answers_total", interface="http", outcome="answered") == 1
    assert grew("newsdesk_answers_total", interface="http", outcome="declined") == 1
    assert value(after, "newsdesk_index_articles") == 2
    assert value(after, "newsdesk_index_chunks") > 2


def test_metrics_need_the_api_token_unless_open(seeded: Services, tmp_path: Path) -> None:
    guarded = Settings(api_token=TOKEN, data_dir=tmp_path)
    opened = Settings(api_token=TOKEN, metrics_open=True, data_dir=tmp_path)
    with LiveServer(lambda: seeded, guarded) as server:
        refused = httpx.get(f"{server.url}/metrics")
        allowed = httpx.get(f"{server.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    with LiveServer(lambda: seeded, opened) as server:
        open_ = httpx.get(f"{server.url}/metrics")
        still_guarded = httpx.post(f"{server.url}/ask", json={"question": KERRY})

    assert refused.status_code == 401 and allowed.status_code == 200
    assert open_.status_code == 200 and still_guarded.status_code == 401
    assert TOKEN not in allowed.text


@pytest.mark.parametrize("route", ["/healthz", "/metrics"])
def test_each_route_is_a_label_not_each_path(api: httpx.Client, route: str) -> None:
    api.get(f"{route}?token=nd-secret-in-a-query")
    api.get("/no/such/page/nd-secret-in-a-path")

    scraped = api.get("/metrics").text
    assert "nd-secret" not in scraped
    assert 'route="unmatched"' in scraped
