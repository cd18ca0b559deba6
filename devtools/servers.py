"""Local servers for tests and benchmarks: free loopback ports, waiting until a server answers,
a real `chroma run` server, and `newsdesk serve` as the README starts it."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

CHROMA = str(Path(sys.executable).with_name("chroma"))
NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_ok(url: str, seconds: float = 60, alive: Callable[[], bool] = lambda: True) -> None:
    """Poll `url` until it answers 200; RuntimeError after `seconds`, or as soon as the server's
    process is no longer `alive`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or not alive():
            raise RuntimeError(f"{url} did not answer 200 within {seconds:.0f} s")
        time.sleep(0.1)


def wait_for_process(process: subprocess.Popen[bytes], url: str, seconds: float = 60) -> None:
    """Wait until the server started as `process` answers 200 at `url`; kill it if it never does."""
    try:
        wait_until_ok(url, seconds, alive=lambda: process.poll() is None)
    except RuntimeError:
        process.kill()
        raise


def start_chroma(folder: Path, port: int) -> subprocess.Popen[bytes]:
    """`chroma run` keeping its data in `folder`, on loopback; the caller waits and stops it."""
    return subprocess.Popen(
        [CHROMA, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@contextmanager
def running_chroma(folder: Path, seconds: float = 60) -> Iterator[str]:
    """The server keeping its data in `folder`, once it answers, until the block ends; yields
    its url."""
    port = free_port()
    process = start_chroma(folder, port)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_process(process, f"{url}/api/v2/heartbeat", seconds)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def every_worker_ready(served: "Served", workers: int = 2, seconds: float = 120) -> None:
    """/readyz answered 200 by that many worker processes, as the server's JSON request log
    shows (20 answers in a row were not enough: a worker busy loading can leave every fresh
    connection to the one already up)."""
    if served.log is None:
        raise ValueError("every_worker_ready reads the server's log: serve with log=…")
    deadline = time.monotonic() + seconds
    while len(_ready_workers(served.log)) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"fewer than {workers} workers became ready in {seconds:.0f} s")
        httpx.get(f"{served.url}/readyz", headers={"Connection": "close"}, timeout=10)


def _ready_workers(log: Path) -> set[int]:
    lines = [json.loads(line) for line in log.read_text().splitlines() if line[:1] == "{"]
    return {
        line["pid"]
        for line in lines
        if line.get("route") == "/readyz" and line.get("status") == 200
    }


class Served:
    """`newsdesk serve` as the README starts it, on a free port, until the block ends; its log
    goes to `log` when given."""

    def __init__(self, env: dict[str, str], *extra: str, log: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "HF_HUB_OFFLINE": "1", **env}
        self.extra = extra
        self.log = log

    def __enter__(self) -> "Served":
        with self.log.open("ab") if self.log else open(os.devnull, "wb") as log:
            self.process = subprocess.Popen(
                [NEWSDESK, "serve", "--port", str(self.port), *self.extra],
                env=self.env,
                stdout=log,
                stderr=log,
            )
        wait_for_process(self.process, f"{self.url}/readyz", 120)
        return self

    def memory_mb(self) -> float:
        """Resident memory of the server and its children (workers) now, in MB."""
        pids = [self.process.pid, *_children(self.process.pid)]
        return sum(_status_kb(pid, "VmRSS:") for pid in pids) / 1024

    def peak_memory_mb(self) -> float:
        """Peak resident memory of the server and its children (workers), in MB."""
        pids = [self.process.pid, *_children(self.process.pid)]
        return sum(_status_kb(pid, "VmHWM:") for pid in pids) / 1024

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


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0
