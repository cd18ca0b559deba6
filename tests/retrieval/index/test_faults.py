"""Faults: ingest killed mid-way, ingest beside queries, the Chroma server leaving and returning."""

import concurrent.futures
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.wiring import build_services
from devtools.servers import NEWSDESK, free_port, start_chroma, wait_for_process, wait_until_ok
from retrieval.errors import StoreUnavailable
from retrieval.index.embed import Embedder
from retrieval.records import SearchRequest
from tests.helpers import NBC, SEEDS, SQUAD, LiveServer, ingest, make_services

KERRY = SearchRequest("What did Kerry tell Lavrov on Saturday?")


def articles_file(tmp_path: Path, n: int) -> Path:
    lines = SQUAD.read_text(encoding="utf-8").splitlines(keepends=True)[:n]
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def start_ingest(path: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [NEWSDESK, "ingest", str(path)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.parametrize("kill_after_first_write", [[0.0, 1.5, 3.0]])
def test_ingest_killed_at_any_point_completes_on_rerun(
    tmp_path: Path, embedder: Embedder, kill_after_first_write: list[float]
) -> None:
    path = articles_file(tmp_path, 150)
    data = tmp_path / "data"
    sqlite = data / "chroma" / "chroma.sqlite3"
    env = {"NEWSDESK_DATA_DIR": str(data)}
    for delay in kill_after_first_write:
        before = sqlite.stat().st_mtime_ns if sqlite.exists() else 0
        child = start_ingest(path, env)
        deadline = time.monotonic() + 120
        while (not sqlite.exists() or sqlite.stat().st_mtime_ns == before) and child.poll() is None:
            assert time.monotonic() < deadline, "ingest never wrote"
            time.sleep(0.05)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()

    finished = subprocess.run(
        [NEWSDESK, "ingest", str(path)], env={**os.environ, **env}, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr

    services = build_services(Settings(data_dir=data), embedder)
    chunks = services.index.vectors.collection.get(include=["metadatas"])["metadatas"] or []
    per_article = Counter(str(m["article_id"]) for m in chunks)
    catalog = services.index.catalog.connection()
    stored = dict(catalog.execute("SELECT article_id, n_chunks FROM articles").fetchall())
    catalogued = Counter(a for (a,) in catalog.execute("SELECT article_id FROM chunks"))
    assert len(stored) == len(per_article) == 150
    assert stored == catalogued == per_article  # every article whole, in both stores
    assert services.chain.invoke(SearchRequest("Where did Super Bowl 50 take place?")).answered


@pytest.fixture
def on_server(chroma_server: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    yield chroma_server, tmp_path.name


def test_queries_keep_working_while_another_process_ingests(
    on_server: tuple[str, str], tmp_path: Path, embedder: Embedder
) -> None:
    url, collection = on_server
    services = make_services(tmp_path / "here", embedder, chroma_url=url, collection=collection)
    ingest(services, SEEDS)
    child = start_ingest(
        articles_file(tmp_path, 120),
        {
            "NEWSDESK_CHROMA_URL": url,
            "NEWSDESK_COLLECTION": collection,
            "NEWSDESK_DATA_DIR": str(tmp_path / "here"),  # the catalog this machine shares
        },
    )
    answers, sizes = [], []
    while child.poll() is None:
        answers.append(services.chain.invoke(KERRY))
        sizes.append(services.index.counts()[0])
    output = child.stdout.read().decode() if child.stdout else ""

    assert child.returncode == 0, output
    assert len(answers) > 5
    assert all(a.answered and a.citations[0].article_id == NBC for a in answers)
    assert sizes == sorted(sizes)  # articles only ever appear, whole
    assert services.index.counts()[0] == 122


def test_chroma_server_going_away_is_a_503_and_recovers(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_chroma(tmp_path / "chroma", port)
    try:
        wait_for_process(server, f"{url}/api/v2/heartbeat")
        services = make_services(tmp_path, embedder, chroma_url=url)
        ingest(services, SEEDS)
        with LiveServer(lambda: services) as api, httpx.Client(base_url=api.url) as client:
            server.terminate()
            server.wait()
            down = client.post("/ask", json={"question": KERRY.query})
            ready = client.get("/readyz")
            assert down.status_code == ready.status_code == 503
            assert down.json() == {
                "error": f"The article index at {url} is not reachable; try again shortly"
            }
            assert "not reachable" in ready.json()["error"]

            server = start_chroma(tmp_path / "chroma", port)
            wait_until_ok(f"{api.url}/readyz")
            back = client.post("/ask", json={"question": KERRY.query})
            assert back.status_code == 200
            assert back.json()["citations"][0]["article_id"] == NBC
    finally:
        server.terminate()
        server.wait()


def test_unreachable_index_is_store_unavailable(tmp_path: Path, embedder: Embedder) -> None:
    with pytest.raises(StoreUnavailable):
        make_services(tmp_path, embedder, chroma_url=f"http://127.0.0.1:{free_port()}")


def test_sigterm_lets_requests_in_flight_finish(tmp_path: Path) -> None:
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    subprocess.run([NEWSDESK, "ingest", str(SEEDS)], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [NEWSDESK, "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_process(server, f"{base}/readyz")
        clients = [httpx.Client(base_url=base, timeout=60) for _ in range(12)]
        for client in clients:  # connected before the signal: only requests are in flight
            client.get("/healthz")
        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            futures = [pool.submit(c.post, "/ask", json={"question": KERRY.query}) for c in clients]
            time.sleep(0.1)
            server.send_signal(signal.SIGTERM)
            results = [f.result() for f in futures]
        assert [r.status_code for r in results] == [200] * 12
        # uvicorn re-raises the signal once it has shut down cleanly
        assert server.wait(timeout=40) in (0, -signal.SIGTERM)
    finally:
        server.kill()
        server.wait()
