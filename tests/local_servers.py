"""Local servers for tests and benchmarks: free loopback ports, waiting until a server answers,
and a real `chroma run` server."""

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

CHROMA = str(Path(sys.executable).with_name("chroma"))


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


@contextmanager
def running_chroma(folder: Path, seconds: float = 60) -> Iterator[str]:
    """The server keeping its data in `folder`, once it answers, until the block ends; yields
    its url."""
    port = free_port()
    process = subprocess.Popen(
        [CHROMA, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_process(process, f"{url}/api/v2/heartbeat", seconds)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
