"""Many people asking at once: 16 concurrent clients for 60 s of /ask against `newsdesk serve`."""

import asyncio
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import SEEDS, SQUAD, encode_latencies, newsdesk
from benchmarks.report import machine, percentile, table
from devtools.servers import Served, running_chroma

CLIENTS = 16
SECONDS = 60.0
WARM_UP = 50
WORKERS = 2  # one per core


def run() -> str:
    questions = _questions()
    with tempfile.TemporaryDirectory() as tmp:
        on_disk = _serve({"NEWSDESK_DATA_DIR": tmp}, questions)
    with tempfile.TemporaryDirectory() as tmp, running_chroma(Path(tmp) / "chroma") as url:
        env = {"NEWSDESK_DATA_DIR": tmp, "NEWSDESK_CHROMA_URL": url}
        server = _serve(env, questions, "--workers", str(WORKERS))
    encode = _encode_rate(questions)
    blank = [""] * 5
    rows: list[list[object]] = [
        _row("one process, Chroma on disk (`make serve`)", on_disk),
        _row(f"{WORKERS} workers on a `chroma run` server", server),
        ["`model.encode`, one question at a time, in-process", f"{encode['raw']:.1f}", *blank],
        ["the same model in ONNX, as newsdesk runs it", f"{encode['newsdesk']:.1f}", *blank],
    ]
    return f"""## Load

`newsdesk serve` as the README starts it (one process: Chroma on disk serves one process),
then with `--workers {WORKERS}` on a `chroma run` server on the same machine, each on an index
of the seeds and squad-a (1,025 articles); {CLIENTS} concurrent clients from a second process
on loopback (asyncio + httpx) asking `POST /ask` for {SECONDS:.0f} s, after {WARM_UP} warm-up
requests, cycling through {len(questions)} distinct questions (squad-a's, shuffled) so that
nothing is answered from a cache; {machine()}.

{table(["what", "answers/s", "p50 ms", "p95 ms", "p99 ms", "errors", "peak server MB"], rows)}

Embedding the question is the floor: the answers/s beside the encode rates show what
retrieval, scoring and HTTP add on top of it. Each client waits for its answer before asking
again, so the mean latency is {CLIENTS} ÷ answers/s: a p95 under 250 ms at {CLIENTS} clients
needs more than {CLIENTS * 4} answers/s. The server's memory is summed over its workers.
"""


def _serve(env: dict[str, str], questions: list[str], *options: str) -> dict[str, Any]:
    newsdesk("ingest", str(SEEDS), str(SQUAD / "articles.jsonl"), env=env)
    with Served(env, *options) as server:
        figures = asyncio.run(_load(server.url, questions))
        return {**figures, "memory": server.peak_memory_mb()}


def _row(label: str, figures: dict[str, Any]) -> list[object]:
    took = figures["latencies"]
    return [
        label,
        f"{figures['ok'] / figures['seconds']:.1f}",
        f"{statistics.median(took):.0f}",
        f"{percentile(took, 95):.0f}",
        f"{percentile(took, 99):.0f}",
        figures["errors"],
        f"{figures['memory']:.0f}",
    ]


def _questions() -> list[str]:
    lines = (SQUAD / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines]
    random.Random(7).shuffle(questions)
    return questions


async def _load(url: str, questions: list[str]) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(10**9))
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for question in questions[:WARM_UP]:
            (await client.post("/ask", json={"question": question})).raise_for_status()
        deadline = time.perf_counter() + SECONDS
        started = time.perf_counter()

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                question = questions[next(counter) % len(questions)]
                sent = time.perf_counter()
                try:
                    response = await client.post("/ask", json={"question": question})
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append((time.perf_counter() - sent) * 1000)
                else:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
        seconds = time.perf_counter() - started
    return {"latencies": latencies, "errors": errors, "ok": len(latencies), "seconds": seconds}


def _encode_rate(questions: list[str]) -> dict[str, float]:
    """Questions per second through each encoder (no cache), one at a time: median."""
    took = encode_latencies(questions[: WARM_UP + 300], WARM_UP)
    return {name: 1000 / statistics.median(times) for name, times in took.items()}
