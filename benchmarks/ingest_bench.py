"""Ingest throughput beside the raw model.encode throughput on the same texts."""

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import SEEDS, SQUAD
from benchmarks.report import machine, table
from bot.config import Settings
from bot.wiring import build_services
from retrieval.index.embed import Embedder
from retrieval.index.store import embedded_text
from retrieval.index.writer import index_articles
from retrieval.ingest.chunk import chunk_article
from retrieval.ingest.files import read_paths
from retrieval.records import Article

RUNS = 3
ARTICLES = 300  # enough for a steady rate; the whole squad-a set takes minutes per run


def run() -> str:
    source = SQUAD / "articles.jsonl" if SQUAD.exists() else SEEDS
    with tempfile.TemporaryDirectory() as scratch:
        sample = Path(scratch) / "sample.jsonl"
        if source.is_file():
            lines = source.read_text(encoding="utf-8").splitlines(keepends=True)[:ARTICLES]
            sample.write_text("".join(lines), encoding="utf-8")
        return _measure(sample if source.is_file() else source, source)


def _measure(path: Path, source: Path) -> str:
    articles = [a for a in read_paths([path]) if isinstance(a, Article)]
    chunks = [(a, c) for a in articles for c in chunk_article(a)]
    chunk_texts = [embedded_text(a, c.text) for a, c in chunks]
    sentence_texts = [
        embedded_text(a, a.text[s.start : s.end]) for a, c in chunks for s in c.sentences
    ]
    ingest_s, raw_all_s, raw_chunks_s = [], [], []
    for _ in range(RUNS):
        embedder = Embedder()  # an empty cache: every text is embedded
        embedder.model.encode(chunk_texts[:64])  # warm-up
        with tempfile.TemporaryDirectory() as tmp:
            services = build_services(Settings(data_dir=Path(tmp)), embedder)
            started = time.perf_counter()
            report = index_articles(read_paths([path]), services.index)
            ingest_s.append(time.perf_counter() - started)
            assert report.chunks == len(chunks), (report.chunks, len(chunks))
        raw_all_s.append(_encode_seconds(embedder, chunk_texts + sentence_texts))
        raw_chunks_s.append(_encode_seconds(embedder, chunk_texts))

    n = len(chunks)
    ingest, raw_all, raw_chunks = (
        statistics.median(x) for x in (ingest_s, raw_all_s, raw_chunks_s)
    )
    rows = [
        ["`newsdesk` ingest (read, clean, chunk, date, embed, write)", f"{n / ingest:.1f}", "1.00"],
        [
            f"model.encode of the same {n} chunk + {len(sentence_texts)} sentence texts",
            f"{n / raw_all:.1f}",
            f"{ingest / raw_all:.2f}",
        ],
        [
            f"model.encode of the {n} chunk texts only",
            f"{n / raw_chunks:.1f}",
            f"{ingest / raw_chunks:.2f}",
        ],
    ]
    name = source.relative_to(source.parents[2])
    return f"""## Ingest throughput

The first {len(articles)} articles of `{name}`: {n} chunks, {len(sentence_texts)} sentences;
a fresh on-disk index each run; median of {RUNS} runs; {machine()}.

{table(["what", "chunks/s", "ingest time ÷ this time"], rows)}

Ingest embeds every sentence as well as every chunk (sentence vectors are what the answer step
scores), so it embeds {(n + len(sentence_texts)) / n:.1f} texts per chunk. The ratio against
encoding those same texts shows what the rest of the pipeline (cleaning, dating sentences, Chroma
writes) costs on top of the model.
"""


def _encode_seconds(embedder: Embedder, texts: list[str]) -> float:
    """The model alone, as ingest calls it, without newsdesk's cache."""
    started = time.perf_counter()
    embedder.model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True)
    return time.perf_counter() - started
