"""The same code against a real `chroma run` server: a configuration change, not a fork."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.wiring import Services
from devtools.servers import free_port
from retrieval.errors import StoreUnavailable
from retrieval.index.embed import Embedder
from retrieval.records import SearchRequest
from tests.helpers import NBC, SEEDS, ingest, make_services


@pytest.fixture
def on_server(chroma_server: str, tmp_path: Path, embedder: Embedder) -> Services:
    return make_services(tmp_path, embedder, chroma_url=chroma_server, collection=tmp_path.name)


def test_kerry_question_over_a_chroma_server(on_server: Services, tmp_path: Path) -> None:
    ingest(on_server, SEEDS)

    answer = on_server.chain.invoke(SearchRequest("What did Kerry tell Lavrov on Saturday?"))

    assert answer.answered
    assert answer.citations[0].article_id == NBC
    assert "close the door to diplomacy" in answer.text
    assert not (tmp_path / "chroma").exists()  # the vectors are on the server


def test_another_process_ingesting_on_this_machine_is_seen_at_once(
    on_server: Services, chroma_server: str, tmp_path: Path
) -> None:
    ingest(on_server, SEEDS)
    assert on_server.index.counts()[0] == 2
    article = {
        "id": "ferry",
        "title": "Ferry strike",
        "text": "Ferry crews walked out on Tuesday over pay.",
    }
    (tmp_path / "new.jsonl").write_text(json.dumps(article) + "\n")
    env = {
        **os.environ,
        "NEWSDESK_CHROMA_URL": chroma_server,
        "NEWSDESK_COLLECTION": tmp_path.name,
        "NEWSDESK_DATA_DIR": str(tmp_path),  # the catalog, shared by this machine's processes
    }

    subprocess.run(
        [str(Path(sys.executable).with_name("newsdesk")), "ingest", str(tmp_path / "new.jsonl")],
        env=env,
        check=True,
        capture_output=True,
    )

    assert on_server.index.counts()[0] == 3
    [hit] = on_server.searcher.search(SearchRequest("ferry crews pay", k=1))
    assert hit.chunk_id == "ferry::0"


def test_unreachable_server_is_a_clear_error(tmp_path: Path, embedder: Embedder) -> None:
    url = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(StoreUnavailable, match=f"The article index at {url} is not reachable"):
        make_services(tmp_path, embedder, chroma_url=url)
