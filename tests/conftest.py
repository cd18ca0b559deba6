"""Shared fixtures: the real model, real Chroma (on disk and as a server), real HTTP."""

import os
import socket
from collections.abc import Iterator

import httpx
import pytest

from bot.config import Settings
from bot.wiring import Services
from devtools.servers import running_chroma
from retrieval.index.embed import Embedder
from tests.helpers import SEEDS, LiveServer, ingest, make_services

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
    return Embedder(Settings().model_cache)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Services:
    """An on-disk index holding the two seed articles, shared by read-only tests."""
    services = make_services(tmp_path_factory.mktemp("seeded"), embedder)
    ingest(services, SEEDS)
    return services


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
