"""/ask and /search latency over HTTP on the seeds, against the raw cost of embedding a question."""

import statistics
import tempfile
import time

import httpx

from benchmarks.common import SEEDS, Served, newsdesk
from benchmarks.report import machine, percentile, table
from retrieval.embed import Embedder

QUESTIONS = [
    "What did Kerry tell Lavrov on Saturday?",
    "What did Lavrov warn the United States against?",
    "Who did Obama call about Ukraine?",
    "Where did Kerry and Lavrov meet on Thursday?",
    "What did Putin say about the troops in Crimea?",
    "Who won the 2014 World Cup?",
]
REQUESTS = 300
WARM_UP = 30


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        env = {"NEWSDESK_DATA_DIR": tmp}
        newsdesk("ingest", str(SEEDS), env=env)
        with Served(env) as server, httpx.Client(base_url=server.url, timeout=30) as client:
            ask = _latencies(client, "/ask", "question")
            search = _latencies(client, "/search", "query")
            memory = server.peak_memory_mb()
    encode = _encode_latencies()
    floor = statistics.median(encode)
    rows = [
        [name, *_figures(values), f"{statistics.median(values) / floor:.1f}"]
        for name, values in (
            ("`POST /ask`", ask),
            ("`POST /search`", search),
            ("`model.encode` of one question, in-process (the floor)", encode),
        )
    ]
    return f"""## HTTP latency on the seeds

`newsdesk serve` started as the README does (one process), seeds ingested; {REQUESTS} sequential
requests per route cycling over {len(QUESTIONS)} questions after {WARM_UP} warm-up requests,
timed by the client over loopback; {machine()}.

{table(["what", "p50 ms", "p95 ms", "p50 ÷ encode p50"], rows)}

Peak resident memory of the server: {memory:.0f} MB.
"""


def _latencies(client: httpx.Client, route: str, field: str) -> list[float]:
    for i in range(WARM_UP):
        client.post(route, json={field: QUESTIONS[i % len(QUESTIONS)]}).raise_for_status()
    took = []
    for i in range(REQUESTS):
        started = time.perf_counter()
        client.post(route, json={field: QUESTIONS[i % len(QUESTIONS)]}).raise_for_status()
        took.append((time.perf_counter() - started) * 1000)
    return took


def _encode_latencies() -> list[float]:
    embedder = Embedder()
    for question in QUESTIONS:
        embedder.encode([question])
    took = []
    for i in range(REQUESTS):
        started = time.perf_counter()
        embedder.encode([QUESTIONS[i % len(QUESTIONS)]])
        took.append((time.perf_counter() - started) * 1000)
    return took


def _figures(values: list[float]) -> list[str]:
    return [f"{statistics.median(values):.1f}", f"{percentile(values, 95):.1f}"]
