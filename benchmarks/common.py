"""What several benchmarks share: data locations, the encode floor, the newsdesk command."""

import os
import subprocess
import time
from pathlib import Path

from sentence_transformers import SentenceTransformer

from bot.config import Settings
from devtools.servers import NEWSDESK
from retrieval.evaluate import EvalQuestion, read_questions
from retrieval.index.embed import Embedder

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SQUAD = ROOT.parent / "shared" / "eval" / "squad-a"


def eval_questions(path: Path, k: int = 10) -> list[EvalQuestion]:
    """A benchmark's questions, leaving out any line `newsdesk eval` would reject."""
    return [q for q in read_questions(path, k) if isinstance(q, EvalQuestion)]


def encode_latencies(questions: list[str], warm_up: int) -> dict[str, list[float]]:
    """Milliseconds per question, one at a time after `warm_up`, no cache: "raw" is
    sentence-transformers' own encode, "newsdesk" the exported model newsdesk runs."""
    embedder = Embedder(Settings().model_cache)
    model = SentenceTransformer(embedder.model_name, device="cpu", local_files_only=True)

    def raw(texts: list[str]) -> object:
        return model.encode(texts, normalize_embeddings=True)

    def ours(texts: list[str]) -> object:
        embedder.forget()
        return embedder.encode(texts)

    took: dict[str, list[float]] = {}
    for name, encode in (("raw", raw), ("newsdesk", ours)):
        for question in questions[:warm_up]:
            encode([question])
        took[name] = []
        for question in questions[warm_up:]:
            started = time.perf_counter()
            encode([question])
            took[name].append((time.perf_counter() - started) * 1000)
    return took


def newsdesk(*args: str, env: dict[str, str]) -> None:
    """Run the newsdesk command with `env` added to this process's environment."""
    subprocess.run([NEWSDESK, *args], env={**os.environ, **env}, check=True)
