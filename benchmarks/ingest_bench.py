"""Ingest throughput, side by side in one run: newsdesk now, newsdesk before late chunking (a git
worktree of BASELINE), the LangChain tutorial pipeline, and the model alone as the floor. Each
runs in its own process, so its peak resident memory is its own."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import ROOT, SQUAD
from benchmarks.report import machine, table

# The last commit that embedded every sentence apart from its chunk (5 texts per chunk).
BASELINE = "f0cba90"
RUNS = 3  # the baseline runs once: on the long articles it takes minutes
SQUAD_ARTICLES = 1000
LONG_ARTICLES = 500
PARAGRAPHS_PER_LONG = 6  # six squad-a paragraphs make one article of about 700 words, as the seeds

# Each child prints one JSON line: seconds spent ingesting, and chunks (or texts) it made.
NEWSDESK = """
import json, sys, time
from pathlib import Path
from bot.config import Settings
from bot.wiring import build_services
from retrieval.index.writer import index_articles
from retrieval.ingest.files import read_paths
services = build_services(Settings(data_dir=Path(sys.argv[2])))
started = time.perf_counter()
report = index_articles(read_paths([Path(sys.argv[1])]), services.index)
print(json.dumps({"seconds": time.perf_counter() - started, "chunks": report.chunks}))
"""
LANGCHAIN = """
import json, sys, time
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_huggingface import HuggingFaceEmbeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter
from retrieval.index.embed import default_model_path
records = [json.loads(line) for line in open(sys.argv[1])]
embeddings = HuggingFaceEmbeddings(model_name=default_model_path())
store = Chroma(embedding_function=embeddings, persist_directory=sys.argv[2])
started = time.perf_counter()
splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
docs = [Document(r["text"], metadata={"title": r["title"]}) for r in records]
chunks = splitter.split_documents(docs)
for i in range(0, len(chunks), 256):
    store.add_documents(chunks[i : i + 256])
print(json.dumps({"seconds": time.perf_counter() - started, "chunks": len(chunks)}))
"""
FLOOR = """
import json, sys, time
from pathlib import Path
from bot.config import Settings
from retrieval.index.embed import Embedder
from retrieval.index.store import embedded_text
from retrieval.ingest.chunk import chunk_article
from retrieval.ingest.files import read_paths
embedder = Embedder(Settings().model_cache)
articles = list(read_paths([Path(sys.argv[1])]))
texts = [embedded_text(a, c.text) for a in articles for c in chunk_article(a)]
embedder.encode(texts[:64])
embedder.forget()
started = time.perf_counter()
for i in range(0, len(texts), 128):
    embedder.encode(texts[i : i + 128])
print(json.dumps({"seconds": time.perf_counter() - started, "chunks": len(texts)}))
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    chunks: int
    peak_mb: float


def run() -> str:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        corpora = {
            f"the first {SQUAD_ARTICLES:,} squad-a articles": _squad(folder / "squad.jsonl"),
            f"{LONG_ARTICLES} long articles": _long(folder / "long.jsonl"),
        }
        with _worktree(folder / "baseline") as baseline:
            sections = [_measure(name, path, baseline, folder) for name, path in corpora.items()]
    return f"""## Ingest throughput

Each corpus ingested into a fresh on-disk index, one process per run (start-up not timed; peak
memory is the whole process's); {machine()}. "newsdesk" is this version; "before" is newsdesk at
commit {BASELINE}, which embedded every sentence apart from its chunk (5 texts per chunk), run
from a git worktree in the same benchmark; the LangChain tutorial pipeline splits with
RecursiveCharacterTextSplitter (1000/200) and stores in Chroma through langchain-chroma with the
same all-MiniLM-L6-v2 (sentence-transformers, as the tutorial runs it); the floor is the model
alone, as newsdesk runs it, encoding newsdesk's chunk texts. The long articles are six
consecutive squad-a paragraphs each (about 700 words, the seeds' length). Medians of {RUNS} runs
(the baseline: one run). Chunks differ between pipelines, so words/s compares them.

{"".join(sections)}"""


def _measure(name: str, path: Path, baseline: Path, folder: Path) -> str:
    records = [json.loads(line) for line in path.read_text().splitlines()]
    words = sum(len(r["text"].split()) for r in records)
    runs = {
        "newsdesk (read, clean, chunk, date, embed, write)": _median(
            [_child(NEWSDESK, path, folder, ROOT) for _ in range(RUNS)]
        ),
        f"newsdesk before late chunking ({BASELINE})": _child(NEWSDESK, path, folder, baseline),
        "LangChain tutorial pipeline": _median(
            [_child(LANGCHAIN, path, folder, ROOT) for _ in range(RUNS)]
        ),
        "floor: the model encoding newsdesk's chunk texts": _median(
            [_child(FLOOR, path, folder, ROOT) for _ in range(RUNS)]
        ),
    }
    ours = runs["newsdesk (read, clean, chunk, date, embed, write)"]
    before = runs[f"newsdesk before late chunking ({BASELINE})"]
    rows = [
        [
            what,
            f"{r.chunks / r.seconds:.1f}",
            f"{len(records) / r.seconds:.1f}" if "floor" not in what else "",
            f"{words / r.seconds:,.0f}" if "floor" not in what else "",
            f"{r.seconds:.1f}",
            f"{r.peak_mb:,.0f}",
        ]
        for what, r in runs.items()
    ]
    speedup = (ours.chunks / ours.seconds) / (before.chunks / before.seconds)
    return f"""
{name} ({len(records)} articles, {words:,} words, {ours.chunks:,} newsdesk chunks):

{table(["what", "chunks/s", "articles/s", "words/s", "s", "peak MB"], rows)}

newsdesk ingests {speedup:.1f}× as many chunks a second as before.
"""


def _child(script: str, path: Path, folder: Path, tree: Path) -> Run:
    """Run one ingest in a fresh process with `tree`'s code; its time, chunks and peak RSS."""
    with tempfile.TemporaryDirectory(dir=folder) as data:
        env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}
        child = subprocess.Popen(
            [sys.executable, "-c", script, str(path), data],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=tree,
        )
        assert child.stdout is not None
        output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"ingest child failed ({child.returncode}) in {tree}")
    result = json.loads(output.decode().strip().splitlines()[-1])
    return Run(result["seconds"], result["chunks"], usage.ru_maxrss / 1024)


def _median(runs: list[Run]) -> Run:
    middle = statistics.median(r.seconds for r in runs)
    return next(r for r in runs if r.seconds == middle) if len(runs) % 2 else runs[0]


@contextmanager
def _worktree(folder: Path) -> Iterator[Path]:
    """The baseline's code, checked out beside this one until the block ends."""
    git = ["git", "-C", str(ROOT), "worktree"]
    subprocess.run(
        [*git, "add", "--detach", str(folder), BASELINE], check=True, capture_output=True
    )
    try:
        yield folder
    finally:
        subprocess.run([*git, "remove", "--force", str(folder)], capture_output=True)


def _squad(path: Path) -> Path:
    lines = (SQUAD / "articles.jsonl").read_text().splitlines(keepends=True)[:SQUAD_ARTICLES]
    path.write_text("".join(lines))
    return path


def _long(path: Path) -> Path:
    """Long articles: windows of consecutive squad-a paragraphs, under ids of their own."""
    paragraphs = [json.loads(line) for line in (SQUAD / "articles.jsonl").read_text().splitlines()]
    records = []
    for i in range(LONG_ARTICLES):
        window = paragraphs[i : i + PARAGRAPHS_PER_LONG]
        records.append(
            {
                "id": f"long-{i}",
                "title": f"{window[0]['title']} ({i})",
                "text": "\n\n".join(p["text"] for p in window),
                "source": "Wikipedia",
                "published_at": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            }
        )
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path
