"""Shared fixtures: the real model, real Chroma (on disk and as a server), real HTTP."""

import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from bot.api import create_app
from bot.config import Settings
from bot.wiring import Services, build_services
from retrieval.embed import Embedder
from retrieval.indexing import index_articles
from retrieval.ingest import read_paths
from tests.local_servers import free_port, running_chroma, wait_until_ok

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
NBC = "000_bd662be0dd968903"
PBS = "004_8e0b26ad5e015dd3"

os.environ["HF_HUB_OFFLINE"] = "1"
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@pytest.fixture(autouse=True)
def no_outbound_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection that leaves the machine: a model download must be a test failure."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in _LOOPBACK:
            raise ConnectionRefusedError(f"test tried to reach {address!r}")
        real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder()


def make_services(data_dir: Path, embedder: Embedder, **settings: object) -> Services:
    return build_services(Settings(data_dir=data_dir, **settings), embedder)  # type: ignore[arg-type]


def ingest(services: Services, *paths: Path) -> None:
    report = index_articles(read_paths(list(paths)), services.index)
    assert not report.errors, report.errors


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Services:
    """An on-disk index holding the two seed articles, shared by read-only tests."""
    services = make_services(tmp_path_factory.mktemp("seeded"), embedder)
    ingest(services, SEEDS)
    return services


class LiveServer:
    """The FastAPI app served by uvicorn on a free loopback port."""

    def __init__(self, load: Callable[[], Services], settings: Settings | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(load, settings or Settings())
        config = uvicorn.Config(app, port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        wait_until_ok(f"{self.url}/readyz", alive=self.thread.is_alive)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def api(seeded: Services) -> Iterator[httpx.Client]:
    """A client for the seeded API over real HTTP."""
    with LiveServer(lambda: seeded) as server, httpx.Client(base_url=server.url) as client:
        yield client


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on a free loopback port; yields its url."""
    with running_chroma(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url
