"""How cost grows with the archive: 10k and 50k chunks, on disk and on a Chroma server.

The archive is squad-a's paragraphs repeated under distinct ids until it holds the chunk count:
after the first copy every text comes from the embedding cache, so the figures measure the
store, the snapshot and search rather than the model (whose rate the ingest section gives).
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.common import SQUAD, free_port
from benchmarks.report import machine, percentile, table
from bot.config import Settings
from bot.wiring import Services, build_services
from retrieval.documents import Article
from retrieval.embed import Embedder
from retrieval.indexing import index_articles
from retrieval.ingest import read_paths
from retrieval.search import SearchRequest

STEPS = (10_000, 50_000)  # 200k is ~1.1M Chroma records, ~20 min per store here: not run
COLUMNS = [
    "store",
    "chunks",
    "sentences",
    "ingest chunks/s",
    "disk MB",
    "snapshot load s",
    "/ask p50 ms",
    "/ask p95 ms",
    "process RSS MB",
]
QUESTIONS = 100


def run() -> str:
    base = [a for a in read_paths([SQUAD / "articles.jsonl"]) if isinstance(a, Article)]
    questions = [
        json.loads(line)["question"]
        for line in (SQUAD / "questions.jsonl").read_text().splitlines()[:QUESTIONS]
    ]
    embedder = Embedder()
    rows = []
    for where in ("on disk", "chroma run server"):
        with tempfile.TemporaryDirectory() as tmp, _store(where, Path(tmp)) as settings:
            services = build_services(settings, embedder)
            rows += _grow(services, base, questions, where, Path(tmp))
    return f"""## Scale

squad-a's 1,023 paragraphs (1,159 chunks) repeated under distinct ids up to each size, ingested
in batches, then {QUESTIONS} squad-a questions through the answer chain in-process (no HTTP);
the first question after an ingest pays for reloading the snapshot and is left out of the
latencies (the reload is its own column); {machine()}.

{table(COLUMNS, rows)}

Search compares the question with every sentence vector in memory up to 200,000 sentences
(about 46,000 chunks) and asks Chroma's HNSW index beyond that, which is why the curve bends
between the first two sizes.
"""


@contextmanager
def _store(where: str, folder: Path) -> Iterator[Settings]:
    if where == "on disk":
        yield Settings(data_dir=folder, collection="scale")
        return
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(folder / "server"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(5)
    try:
        yield Settings(data_dir=folder, collection="scale", chroma_url=f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait()


def _grow(
    services: Services, base: list[Article], questions: list[str], where: str, folder: Path
) -> list[list[object]]:
    rows: list[list[object]] = []
    copies = 0
    written = 0
    for target in STEPS:
        started = time.perf_counter()
        chunks_before = written
        while written < target:
            report = index_articles(_copy(base, copies), services.index)
            written += report.chunks
            copies += 1
        rate = (written - chunks_before) / (time.perf_counter() - started)
        load = time.perf_counter()
        snapshot = services.index.snapshot()
        load_s = time.perf_counter() - load
        took = []
        for question in questions:
            began = time.perf_counter()
            services.chain.invoke(SearchRequest(question))
            took.append((time.perf_counter() - began) * 1000)
        rows.append(
            [
                where,
                f"{snapshot.size:,}",
                f"{len(snapshot.sentence_vectors):,}",
                f"{rate:.0f}",
                f"{_disk_mb(folder):.0f}",
                f"{load_s:.1f}",
                f"{statistics.median(took):.0f}",
                f"{percentile(took, 95):.0f}",
                f"{_rss_mb():.0f}",
            ]
        )
    return rows


def _copy(base: list[Article], n: int) -> Iterator[Article]:
    for article in base:
        yield Article(
            article_id=f"{article.article_id}~{n}",
            title=article.title,
            text=article.text,
            source=article.source,
            url=article.url,
            published_at=article.published_at,
            origin=article.origin,
        )


def _disk_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
