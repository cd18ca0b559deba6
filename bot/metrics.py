"""What the service counts, for GET /metrics. prometheus-client keeps metrics per process, by
design; under `newsdesk serve` each worker writes its own to files in PROMETHEUS_MULTIPROC_DIR,
which /metrics adds up, so the figures are the service's, not one worker's."""

from prometheus_client import Counter, Histogram

from retrieval.records import Answer

# From a 10 ms extractive answer to a model's 20 s timeout.
SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter(
    "newsdesk_http_requests", "HTTP requests answered", ["method", "route", "status"]
)
REQUEST_SECONDS = Histogram(
    "newsdesk_http_request_duration_seconds",
    "Time from an HTTP request to the last byte of its answer",
    ["method", "route"],
    buckets=SECONDS,
)
ANSWERS = Counter(
    "newsdesk_answers",
    "Questions answered from the archive (answered) or not (declined)",
    ["interface", "outcome"],
)
LLM_FALLBACKS = Counter(
    "newsdesk_llm_fallbacks",
    "Model answers replaced by the extractive one (model error, timeout, failed verification)",
    ["interface"],
)
SLACK_EVENTS = Counter("newsdesk_slack_events", "Slack requests handled", ["kind"])
INDEX_WRITE_SECONDS = Histogram(
    "newsdesk_index_write_duration_seconds",
    "Time to write the articles of a POST /articles, embedding included: when it ends, they are "
    "answerable in every process",
    buckets=SECONDS,
)
INGEST_SECONDS = Histogram(
    "newsdesk_ingest_duration_seconds",
    "Time of each `newsdesk ingest` run on this data dir since the server started",
    buckets=(1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 4 * 3600.0),
)


def count_answer(answer: Answer, interface: str) -> None:
    ANSWERS.labels(interface, "answered" if answer.answered else "declined").inc()
    if answer.fallback:
        LLM_FALLBACKS.labels(interface).inc()
