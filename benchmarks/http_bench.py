"""/ask and /search latency over HTTP, against the raw cost of embedding a question."""

import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.common import SEEDS, SQUAD, encode_latencies, newsdesk
from benchmarks.report import machine, percentile, table
from devtools.servers import Served

SEED_QUESTIONS = [
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
    squad = _squad_questions(2 * (WARM_UP + REQUESTS))
    seeds = _measure([SEEDS], SEED_QUESTIONS, SEED_QUESTIONS)
    half = WARM_UP + REQUESTS  # /ask and /search get different questions: no shared cache
    archive = _measure([SEEDS, SQUAD / "articles.jsonl"], squad[:half], squad[half:])
    encodes = encode_latencies(squad[:half], WARM_UP)
    floor = encodes["raw"]
    rows = []
    for label, (ask, search, memory) in (
        ("seeds (2 articles)", seeds),
        ("seeds + squad-a (1,025 articles)", archive),
    ):
        rows += [
            [f"`POST /ask`, {label}", *_figures(ask, floor), f"{memory:.0f}"],
            [f"`POST /search`, {label}", *_figures(search, floor), ""],
        ]
    rows += [
        ["`model.encode` of one question, in-process (the floor)", *_figures(floor, floor), ""],
        ["the same model in ONNX, as newsdesk runs it", *_figures(encodes["newsdesk"], floor), ""],
    ]
    return f"""## HTTP latency

`newsdesk serve` started as the README does (one process), articles ingested first;
{REQUESTS} sequential requests per route after {WARM_UP} warm-up requests, timed by the client
over loopback; {machine()}. On the seeds the {len(SEED_QUESTIONS)} questions repeat, so their
vectors come from the embedding cache; on squad-a every question is new, and `/ask` and
`/search` get different ones.

{table(["what", "p50 ms", "p95 ms", "p50 ÷ encode p50", "peak server MB"], rows)}
"""


def _measure(
    paths: list[Path], asked: list[str], searched: list[str]
) -> tuple[list[float], list[float], float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {"NEWSDESK_DATA_DIR": tmp}
        newsdesk("ingest", *map(str, paths), env=env)
        with Served(env) as server, httpx.Client(base_url=server.url, timeout=30) as client:
            ask = _latencies(client, "/ask", "question", asked)
            search = _latencies(client, "/search", "query", searched)
            return ask, search, server.peak_memory_mb()


def _squad_questions(n: int) -> list[str]:
    lines = (SQUAD / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines]
    random.Random(11).shuffle(questions)
    return questions[:n]


def _latencies(client: httpx.Client, route: str, field: str, questions: list[str]) -> list[float]:
    for i in range(WARM_UP):
        client.post(route, json={field: questions[i % len(questions)]}).raise_for_status()
    took = []
    for i in range(WARM_UP, WARM_UP + REQUESTS):
        started = time.perf_counter()
        client.post(route, json={field: questions[i % len(questions)]}).raise_for_status()
        took.append((time.perf_counter() - started) * 1000)
    return took


def _figures(values: list[float], floor: list[float]) -> list[str]:
    p50 = statistics.median(values)
    return [f"{p50:.1f}", f"{percentile(values, 95):.1f}", f"{p50 / statistics.median(floor):.1f}"]
