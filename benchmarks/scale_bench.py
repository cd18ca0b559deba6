"""How cost grows with the archive: 10k, 50k and 200k chunks, on disk and on a Chroma server.

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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import SQUAD
from benchmarks.report import machine, percentile, table
from bot.config import Settings
from bot.wiring import Services, build_services
from devtools.servers import running_chroma
from retrieval.index.writer import index_articles
from retrieval.ingest.files import read_paths
from retrieval.records import Article, SearchRequest

# Chunks to grow each store to. Over HTTP, 200k is about an hour of writes on this machine.
STEPS = {"on disk": (10_000, 50_000, 200_000), "chroma run server": (10_000, 50_000, 200_000)}
COLUMNS = [
    "store",
    "chunks",
    "sentences",
    "ingest chunks/s",
    "ingest s (this step)",
    "disk MB",
    "snapshot load s",
    "/ask p50 ms",
    "/ask p95 ms",
    "process RSS MB",
]
QUESTIONS = 100
CHUNKS_PER_ARTICLE = 4  # a 600-word news story; the seeds average 3.5


def run() -> str:
    measurements: list[dict[str, Any]] = []
    for where in STEPS:
        # Each store in a fresh process, so its memory figures are its own.
        child = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.scale_bench", where],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        for line in child.stdout:
            print(line, end="", flush=True)  # a cut-short run still leaves its figures
            measurements.append(json.loads(line))
        if child.wait() != 0:
            raise SystemExit(f"scale benchmark on {where} failed (exit {child.returncode})")
    return section(measurements)


def section(measurements: list[dict[str, Any]]) -> str:
    """The BENCHMARKS.md section from the lines the per-store processes printed."""
    rows: list[list[object]] = [m["row"] for m in measurements]
    on_disk = [Point(**m["point"]) for m in measurements if m["point"]["where"] == "on disk"]
    return f"""## Scale

squad-a's 1,023 paragraphs (1,159 chunks) repeated under distinct ids up to each size, ingested
in batches of 64 chunks, then {QUESTIONS} squad-a questions through the answer chain
in-process (no HTTP); {machine()}. Each store runs in its own process.
The model embeds the first copy only (inside the first row's ingest rate); every later copy's
vectors come from the embedding cache, so the later rates measure Chroma's writes, which are
what a re-ingest or an archive of many similar texts costs. The snapshot (every chunk and
sentence vector, texts and BM25) is reloaded after each ingest: that is the load column.

{table(COLUMNS, rows)}

Search compares the question with every sentence vector in memory up to 200,000 sentences
(about 46,000 chunks) and asks Chroma's HNSW index beyond that; BM25 scores every chunk that
shares a word with the question at every size.

{_million(on_disk)}
"""


@contextmanager
def _store(where: str, folder: Path) -> Iterator[Settings]:
    if where == "on disk":
        yield Settings(data_dir=folder, collection="scale")
        return
    with running_chroma(folder / "server") as url:
        yield Settings(data_dir=folder, collection="scale", chroma_url=url)


@dataclass(frozen=True)
class Point:
    where: str
    chunks: int
    sentences: int
    disk_mb: float
    rss_mb: float
    chunks_per_s: float
    p50_ms: float


def _million(points: list[Point]) -> str:
    """What a million news articles would take, extrapolated linearly from the two largest sizes."""
    if len(points) < 2:
        return "Too few sizes were measured to extrapolate to a million articles."
    small, large = points[-2], points[-1]
    chunks = 1_000_000 * CHUNKS_PER_ARTICLE
    grow = (chunks - large.chunks) / (large.chunks - small.chunks)
    disk_gb = (large.disk_mb + grow * (large.disk_mb - small.disk_mb)) / 1000
    rss_gb = (large.rss_mb + grow * (large.rss_mb - small.rss_mb)) / 1000
    hours = chunks / large.chunks_per_s / 3600
    records = chunks * (1 + large.sentences / large.chunks) / 1e6
    return f"""### What a million articles would need

Extrapolated linearly from the two largest on-disk sizes above (a long way: {chunks:,} chunks, at
{CHUNKS_PER_ARTICLE} chunks per news article, is {chunks // large.chunks}× the largest size
measured), not measured: about {disk_gb:.0f} GB of Chroma data, {rss_gb:.0f} GB resident in
each serving process (the snapshot holds every chunk and sentence vector), and
{hours:.0f} hours of store writes at the measured {large.chunks_per_s:.0f} chunks/s, before
the model's own time (the ingest section's rate). That is {records:.0f} million Chroma
records (chunks and their sentences), beyond the "fewer than 10 million records" Chroma's
documentation sizes its single-node server for. The in-memory snapshot stops scaling first:
every process holds all vectors and reloads them all on every change. A million articles
needs the snapshot cut down to texts and BM25 (vectors searched in Chroma only, as beyond
200,000 sentences already), refreshed by revision increments instead of reloaded, and
Chroma's distributed mode (a write-ahead log, query executors with SSD caches, compactors
writing indexes to object storage), whose full-text search could replace the per-process
BM25 copies."""


def _measure(where: str) -> None:
    """Grow one store through every step, printing a JSON line per step."""
    base = [a for a in read_paths([SQUAD / "articles.jsonl"]) if isinstance(a, Article)]
    questions = [
        json.loads(line)["question"]
        for line in (SQUAD / "questions.jsonl").read_text().splitlines()[:QUESTIONS]
    ]
    with tempfile.TemporaryDirectory() as tmp, _store(where, Path(tmp)) as settings:
        services = build_services(settings)
        for point, row in _grow(services, base, questions, where, Path(tmp)):
            print(json.dumps({"point": asdict(point), "row": row}), flush=True)


def _grow(
    services: Services, base: list[Article], questions: list[str], where: str, folder: Path
) -> Iterator[tuple[Point, list[str]]]:
    copies = 0
    written = 0
    for target in STEPS[where]:
        started = time.perf_counter()
        chunks_before = written
        while written < target:
            report = index_articles(_copy(base, copies), services.index)
            written += report.chunks
            copies += 1
        ingest_s = time.perf_counter() - started
        rate = (written - chunks_before) / ingest_s
        load = time.perf_counter()
        chunks = services.index.counts()[1]
        load_s = time.perf_counter() - load
        took = []
        for question in questions:
            began = time.perf_counter()
            services.chain.invoke(SearchRequest(question))
            took.append((time.perf_counter() - began) * 1000)
        point = Point(
            where,
            chunks,
            0,
            _disk_mb(folder),
            _rss_mb(),
            rate,
            statistics.median(took),
        )
        yield (
            point,
            [
                where,
                f"{chunks:,}",
                "",
                f"{rate:.0f}",
                f"{ingest_s:.0f}",
                f"{point.disk_mb:.0f}",
                f"{load_s:.1f}",
                f"{point.p50_ms:.0f}",
                f"{percentile(took, 95):.0f}",
                f"{point.rss_mb:.0f}",
            ],
        )


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


if __name__ == "__main__":
    _measure(sys.argv[1])
