"""GET /metrics: the service's figures in Prometheus' text format, the index's read as scraped."""

import os
from collections.abc import Iterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from bot.api.access import BearerToken
from bot.api.holder import ServiceHolder
from bot.api.schemas import errors
from retrieval.errors import NewsdeskError

router = APIRouter()


def scraper_allowed(request: Request) -> None:
    """The API token, unless /metrics is open (NEWSDESK_METRICS_OPEN); never the rate limit."""
    token: BearerToken | None = request.app.state.metrics_token
    if token:
        token.check(request)


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}},
        **errors(401),
    },
    dependencies=[Depends(scraper_allowed)],
)
def metrics(request: Request) -> Response:
    """Requests by route and status, latencies, answers and declines, model fallbacks, Slack
    events, the index's size and write times, in Prometheus' text format."""
    registry = CollectorRegistry()
    # prometheus-client reads the variable itself; `newsdesk serve` sets it for its workers.
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # every worker's files
    else:
        registry.register(REGISTRY)
    registry.register(IndexSize(request.app.state.holder))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


class IndexSize:
    """Articles and chunks in the index, as the catalog counts them."""

    def __init__(self, holder: ServiceHolder) -> None:
        self.holder = holder

    def collect(self) -> Iterator[Metric]:
        if self.holder.services is None:
            return  # still loading: no figure rather than a false zero
        try:
            articles, chunks = self.holder.services.index.counts()
        except NewsdeskError:
            return
        yield GaugeMetricFamily("newsdesk_index_articles", "Articles in the index", articles)
        yield GaugeMetricFamily("newsdesk_index_chunks", "Chunks in the index", chunks)
