"""How the live service behaves as the archive grows: 10k, 50k and 200k chunks, on disk and on a
Chroma server. At each size, `newsdesk serve` is started as the README starts it and measured
from outside: its start-up and memory, /ask with and without filters, and how soon an article
posted while 16 clients ask is answered.

The archive is squad-a's paragraphs repeated under distinct ids, each copy under one of ten
outlets and on a day of its own (copy n is published n days after the first), so that filters
keep a known share of it. After the first copy every vector comes from the embedding cache:
the growth rates measure the stores, not the model (the ingest section has the model's rate).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import SQUAD
from benchmarks.report import machine, percentile, table
from devtools.servers import Served, every_worker_ready, running_chroma

SIZES = (10_000, 50_000, 200_000)
STORES = ("on disk", "chroma run server")
QUESTIONS = 100
OUTLETS = 10
FIRST_DAY = date(2020, 1, 1)
ASKERS = 16
LIVE_ARTICLES = 50
CHUNKS_PER_ARTICLE = 4  # a 600-word news story; the seeds average 3.5


def run() -> str:
    rows: list[list[object]] = []
    live: list[list[object]] = []
    for store in STORES:
        with tempfile.TemporaryDirectory() as scratch, _chroma(store, Path(scratch)) as url:
            env = {"NEWSDESK_DATA_DIR": str(Path(scratch) / "data"), "NEWSDESK_COLLECTION": "scale"}
            env |= {"NEWSDESK_CHROMA_URL": url} if url else {}
            copies = 0
            for size in SIZES:
                grown = _grow(env, copies, size)
                copies = grown["copies"]
                row, live_row = _serve_and_measure(store, env, grown, copies, url)
                print(json.dumps({"row": row, "live": live_row}), flush=True)
                rows.append(row)
                live.append(live_row)
    return _section(rows, live)


@contextmanager
def _chroma(store: str, folder: Path) -> Iterator[str | None]:
    if store == "on disk":
        yield None
        return
    with running_chroma(folder / "chroma") as url:
        yield url


def _grow(env: dict[str, str], copies: int, size: int) -> dict[str, Any]:
    """Add copies of squad-a, in a process of its own, until the index holds `size` chunks."""
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale_bench", "grow", str(copies), str(size)],
        env={**os.environ, **env, "HF_HUB_OFFLINE": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(child.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def grow(copies: int, size: int) -> None:
    """The child: write copies until `size` chunks; print chunks, copies and the write rate."""
    from bot.config import Settings
    from bot.wiring import build_services
    from retrieval.index.writer import index_articles
    from retrieval.ingest.files import read_paths
    from retrieval.records import Article

    services = build_services(Settings())
    base = [a for a in read_paths([SQUAD / "articles.jsonl"]) if isinstance(a, Article)]
    chunks = services.index.counts()[1]
    if chunks < size:  # the model embeds this copy; the rest come from the cache
        chunks += index_articles(_copy(base, copies), services.index).chunks
        copies += 1
    started, written = time.perf_counter(), 0
    while chunks < size:
        report = index_articles(_copy(base, copies), services.index)
        chunks += report.chunks
        written += report.chunks
        copies += 1
    seconds = time.perf_counter() - started
    rate = written / seconds if written else 0.0
    print(json.dumps({"chunks": chunks, "copies": copies, "rate": rate, "seconds": seconds}))


def _copy(base: list[Any], n: int) -> Iterator[Any]:
    day = FIRST_DAY + timedelta(days=n)
    for article in base:
        yield replace(
            article,
            article_id=f"{article.article_id}~{n}",
            source=f"Outlet {n % OUTLETS}",
            published_at=day,
        )


def _serve_and_measure(
    store: str, env: dict[str, str], grown: dict[str, Any], copies: int, url: str | None
) -> tuple[list[object], list[object]]:
    questions = _questions()
    last = FIRST_DAY + timedelta(days=copies - 1)
    middle = FIRST_DAY + timedelta(days=copies // 2)
    tenth = FIRST_DAY + timedelta(days=max(0, copies - copies // 10))
    started = time.perf_counter()
    with Served(env) as server:
        ready_s = time.perf_counter() - started
        ask = _latencies(server.url, questions, {})
        filtered = {
            "as_of (50%)": _latencies(server.url, questions, {"as_of": middle.isoformat()}),
            "source (10%)": _latencies(server.url, questions, {"source": "Outlet 3"}),
            "since/until (10%)": _latencies(
                server.url, questions, {"since": tenth.isoformat(), "until": last.isoformat()}
            ),
            "since/until (50%)": _latencies(
                server.url, questions, {"since": middle.isoformat(), "until": last.isoformat()}
            ),
        }
        rss = server.memory_mb()
        live = _live(server.url, questions)
    workers_mb = _second_worker_mb(env) if url else None
    chroma_mb = _process_mb("chroma") if url else 0.0
    worst = max(statistics.median(t) for t in filtered.values())
    row: list[object] = [
        store,
        f"{grown['chunks']:,}",
        f"{grown['rate']:.0f}",
        f"{ready_s:.1f}",
        f"{rss:,.0f}" + (f" + {chroma_mb:,.0f}" if url else ""),
        f"{workers_mb:,.0f}" if workers_mb is not None else "–",
        f"{statistics.median(ask):.0f} / {percentile(ask, 95):.0f}",
        *(f"{statistics.median(t):.0f} / {percentile(t, 95):.0f}" for t in filtered.values()),
        f"{worst / statistics.median(ask):.2f}",
    ]
    return row, [store, f"{grown['chunks']:,}", *live]


def _questions() -> list[str]:
    lines = (SQUAD / "questions.jsonl").read_text().splitlines()[:QUESTIONS]
    return [json.loads(line)["question"] for line in lines]


def _latencies(url: str, questions: list[str], filters: dict[str, str]) -> list[float]:
    took = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for question in questions:
            started = time.perf_counter()
            response = client.post("/ask", json={"question": question, **filters})
            response.raise_for_status()
            took.append((time.perf_counter() - started) * 1000)
    return took


def _live(url: str, questions: list[str]) -> list[object]:
    """Post articles one by one while 16 clients ask; the time from each POST returning to its
    first answer, the askers' latency then, and beside an idle index."""
    idle = _asking(url, questions, seconds=20)
    stop = threading.Event()
    busy: list[float] = []
    errors = [0]

    def asker(n: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            i = n
            while not stop.is_set():
                started = time.perf_counter()
                status = client.post("/ask", json={"question": questions[i % len(questions)]})
                busy.append((time.perf_counter() - started) * 1000)
                errors[0] += status.status_code != 200
                i += ASKERS

    answered = []
    with ThreadPoolExecutor(ASKERS) as pool, httpx.Client(base_url=url, timeout=120) as client:
        for n in range(ASKERS):
            pool.submit(asker, n)
        for n in range(LIVE_ARTICLES):
            article = _fresh_article(n)
            posted = client.post("/articles", json=article)
            posted.raise_for_status()
            returned = time.perf_counter()
            deadline = returned + 60
            while time.perf_counter() < deadline:
                body = client.post("/ask", json={"question": f"What did the {article['id']} do?"})
                cited = [c["article_id"] for c in body.json().get("citations", [])]
                if article["id"] in cited:
                    break
            answered.append((time.perf_counter() - returned) * 1000)
        stop.set()
    return [
        f"{statistics.median(answered):.0f} / {percentile(answered, 95):.0f}",
        f"{percentile(busy, 95):.0f}",
        f"{percentile(idle, 95):.0f}",
        errors[0],
    ]


def _asking(url: str, questions: list[str], seconds: float) -> list[float]:
    """16 clients asking for a while, without writes: each request's milliseconds."""
    took: list[float] = []
    deadline = time.monotonic() + seconds

    def asker(n: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            i = n
            while time.monotonic() < deadline:
                started = time.perf_counter()
                client.post("/ask", json={"question": questions[i % len(questions)]})
                took.append((time.perf_counter() - started) * 1000)
                i += ASKERS

    with ThreadPoolExecutor(ASKERS) as pool:
        list(pool.map(asker, range(ASKERS)))
    return took


def _fresh_article(n: int) -> dict[str, str]:
    """An article about something no other article mentions."""
    name = f"harbourmaster-{n:03d}"
    return {
        "id": name,
        "title": f"The {name} closed the port",
        "text": f"The {name} closed the port on Tuesday after a storm damaged the pier. "
        "Ships waited offshore until the inspection ended.",
        "source": "Harbour Herald",
        "published_at": date.today().isoformat(),
    }


def _second_worker_mb(env: dict[str, str]) -> float:
    """What a second worker adds: the memory of `serve --workers 2` less that of one worker."""
    log = Path(env["NEWSDESK_DATA_DIR"]) / "two-workers.log"
    log.unlink(missing_ok=True)  # each size's workers, not the last size's
    with Served(env, "--workers", "2", "--log-format", "json", log=log) as two:
        every_worker_ready(two)
        both = two.memory_mb()
    with Served(env) as one:
        single = one.memory_mb()
    return both - single


def _process_mb(name: str) -> float:
    """The resident memory of the processes running the program `name` (itself, or a script
    an interpreter runs, as `python …/bin/chroma run`)."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            program = (proc / "cmdline").read_text().split("\0")[:2]
            if name in (Path(part).name for part in program):
                status = (proc / "status").read_text().splitlines()
                total += next(int(s.split()[1]) for s in status if s.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
    return total / 1024


COLUMNS = [
    "store",
    "chunks",
    "growth chunks/s",
    "ready s",
    "RSS MB (serve + Chroma)",
    "+ a 2nd worker MB",
    "/ask p50 / p95 ms",
    "as_of (50%)",
    "source (10%)",
    "since/until (10%)",
    "since/until (50%)",
    "worst filtered p50 ÷ unfiltered",
]
LIVE_COLUMNS = [
    "store",
    "chunks",
    "POST → first answer p50 / p95 ms",
    "askers' p95 ms (writing)",
    "askers' p95 ms (idle)",
    "errors",
]


def _section(rows: list[list[object]], live: list[list[object]]) -> str:
    return f"""## Scale

squad-a's 1,023 paragraphs (1,159 chunks) repeated under distinct ids up to each size, each
copy under one of {OUTLETS} outlets and a day of its own; at each size `newsdesk serve` started
as the README starts it (one process; with a Chroma server, also `--workers 2`), timed from
launch to `/readyz`, then {QUESTIONS} squad-a questions over HTTP, one at a time, without a
filter and with each filter (the share of the archive it keeps in brackets); {machine()}. The
growth rate is writes with every vector from the embedding cache (the ingest section has the
model's rate). Memory is resident set size after the questions: the serving process's, plus the
Chroma server's where there is one.

{table(COLUMNS, rows)}

## Live index

At each size, while {ASKERS} clients ask squad-a questions without pause, {LIVE_ARTICLES}
articles are posted one at a time (`POST /articles`); after each POST returns, the article's
question is asked until an answer cites it. Beside it, the askers' p95 over 20 s with no writes.

{table(LIVE_COLUMNS, live)}

A million news articles is about {1_000_000 * CHUNKS_PER_ARTICLE:,} chunks,
{1_000_000 * CHUNKS_PER_ARTICLE // max(SIZES)}× the largest size above: not measured.
"""


if __name__ == "__main__":
    if sys.argv[1] == "grow":
        grow(int(sys.argv[2]), int(sys.argv[3]))
