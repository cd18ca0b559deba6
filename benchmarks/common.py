"""What several benchmarks share: data locations and a served API in a subprocess."""

import os
import subprocess
import sys
import time
from pathlib import Path

from retrieval.embed import Embedder
from retrieval.exported import eager_encoder
from tests.local_servers import free_port, wait_for_process

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SQUAD = ROOT.parent / "shared" / "eval" / "squad-a"
NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))


def encode_latencies(questions: list[str], warm_up: int) -> dict[str, list[float]]:
    """Milliseconds per question, one at a time after `warm_up`, no cache: "raw" is
    sentence-transformers' own encode, "newsdesk" the exported model newsdesk runs."""
    embedder = Embedder()
    raw = eager_encoder(embedder.model, batch_size=1)

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


class Served:
    """`newsdesk serve` as the README starts it, on a free port, until the block ends."""

    def __init__(self, env: dict[str, str], *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "HF_HUB_OFFLINE": "1", **env}
        self.extra = extra

    def __enter__(self) -> "Served":
        self.process = subprocess.Popen(
            [NEWSDESK, "serve", "--port", str(self.port), *self.extra],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_process(self.process, f"{self.url}/readyz", 120)
        return self

    def peak_memory_mb(self) -> float:
        """Peak resident memory of the server and its children (workers), in MB."""
        pids = [self.process.pid, *_children(self.process.pid)]
        return sum(_vm_hwm_kb(pid) for pid in pids) / 1024

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found += [child, *_children(child)]
    return found


def _vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
