"""A live archive through the public interfaces: `newsdesk ingest` and `delete` beside a running
`newsdesk serve`, two workers on a `chroma run` server, and a server killed mid-write."""

import json
import os
import signal
import sqlite3
import subprocess
import threading
from contextlib import closing, suppress
from pathlib import Path

import httpx

from devtools.servers import NEWSDESK, Served, every_worker_ready, running_chroma
from tests.helpers import NBC, SEEDS, SQUAD

FERRY = {
    "id": "ferry-strike",
    "title": "Ferry crews strike over pay",
    "text": "Ferry crews on the island route walked out on Tuesday over a pay dispute, "
    "stranding hundreds of commuters.",
    "source": "Harbour Herald",
    "published_at": "2024-05-07",
}
FERRY_QUESTION = {"question": "Why did the ferry crews walk out?"}


def newsdesk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NEWSDESK, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )


def answer(url: str, question: dict[str, str]) -> dict[str, object]:
    with httpx.Client(base_url=url, timeout=60) as client:  # a new connection each time
        response = client.post("/ask", json=question)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_cli_ingest_and_delete_go_through_the_running_server(tmp_path: Path) -> None:
    env = {"NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    assert newsdesk(env, "ingest", str(SEEDS)).returncode == 0
    (tmp_path / "ferry.jsonl").write_text(json.dumps(FERRY) + "\n{oops\n")

    with Served(env) as server:
        added = newsdesk(env, "ingest", str(tmp_path / "ferry.jsonl"))
        found = answer(server.url, FERRY_QUESTION)
        deleted = newsdesk(env, "delete", "ferry-strike")
        gone = answer(server.url, FERRY_QUESTION)
        missing = newsdesk(env, "delete", "ferry-strike")

    assert added.returncode == 1  # the bad line; the good one was sent
    assert f"Sending to the newsdesk at {server.url}" in added.stderr
    assert "ferry.jsonl:2: invalid JSON" in added.stderr
    assert "1 added, 0 updated, 0 unchanged, 1 failed" in added.stderr
    assert "in use by another process" not in added.stderr
    assert found["answered"] and "pay dispute" in str(found["answer"])
    assert deleted.returncode == 0 and not gone["answered"]
    assert missing.returncode == 1 and "no article with id 'ferry-strike'" in missing.stderr


def test_two_workers_on_a_chroma_server_both_see_a_write(tmp_path: Path) -> None:
    with running_chroma(tmp_path / "chroma") as chroma:
        env = {"NEWSDESK_DATA_DIR": str(tmp_path / "data"), "NEWSDESK_CHROMA_URL": chroma}
        assert newsdesk(env, "ingest", str(SEEDS)).returncode == 0
        log = tmp_path / "serve.log"
        with Served(env, "--workers", "2", "--log-format", "json", log=log) as server:
            every_worker_ready(server)
            before = [answer(server.url, FERRY_QUESTION)["answered"] for _ in range(6)]
            added = httpx.post(f"{server.url}/articles", json=FERRY, timeout=60)
            after = [answer(server.url, FERRY_QUESTION) for _ in range(12)]
            kerry = answer(server.url, {"question": "What did Kerry tell Lavrov on Saturday?"})

    assert added.status_code == 200 and not any(before)
    assert all(a["answered"] and "pay dispute" in str(a["answer"]) for a in after)
    assert kerry["citations"][0]["article_id"] == NBC  # type: ignore[index]


def post_cut_short(url: str, articles: list[dict[str, str]]) -> None:
    with suppress(httpx.HTTPError):  # the server dies before it answers
        httpx.post(f"{url}/articles", json=articles, timeout=60)


def test_a_server_killed_mid_write_loses_nothing_it_acknowledged(tmp_path: Path) -> None:
    env = {"NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    many = [json.loads(line) for line in SQUAD.read_text().splitlines()[:200]]
    with Served(env) as server:
        acknowledged = httpx.post(f"{server.url}/articles", json=FERRY, timeout=60)
        sending = threading.Thread(target=post_cut_short, args=(server.url, many), daemon=True)
        sending.start()
        chroma_files = tmp_path / "data" / "chroma"
        size = sum(f.stat().st_size for f in chroma_files.rglob("*") if f.is_file())
        while sum(f.stat().st_size for f in chroma_files.rglob("*") if f.is_file()) == size:
            pass  # until the batch's first write lands
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()

    with Served(env) as again:
        ferry = answer(again.url, FERRY_QUESTION)
        listed = httpx.get(f"{again.url}/articles", params={"limit": 500}).json()

    assert acknowledged.status_code == 200
    assert ferry["answered"]
    assert listed["total"] < 201  # the batch was cut short
    with closing(sqlite3.connect(tmp_path / "data" / "catalog" / "newsdesk.sqlite3")) as db:
        whole = db.execute(
            "SELECT count(*) FROM articles WHERE n_chunks = "
            "(SELECT count(*) FROM chunks WHERE chunks.article_id = articles.article_id)"
        ).fetchone()[0]
    assert whole == listed["total"]  # whatever did land, landed whole
