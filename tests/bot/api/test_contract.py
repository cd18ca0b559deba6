"""The API keeps the promises of its own OpenAPI: Schemathesis, a client that knows nothing else
of newsdesk, reads the schema the seeded app serves and sends over HTTP what it describes (and
what it forbids, and methods it doesn't list), with every check on, for every route it finds.

NEWSDESK_CONTRACT_EXAMPLES sets the examples per route (the benchmark runs more);
NEWSDESK_CONTRACT_REPORT, when set, names a JSON file that receives, for each route, the cases
generated and the statuses of the requests sent (the checks' own included).
"""

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from retrieval.index.embed import Embedder
from tests.helpers import SEEDS, LiveServer, ingest, make_services

EXAMPLES = int(os.environ.get("NEWSDESK_CONTRACT_EXAMPLES", "50"))
SEED = os.environ.get("NEWSDESK_CONTRACT_SEED", "20261202")


@pytest.fixture
def api(tmp_path: Path, embedder: Embedder) -> Iterator[httpx.Client]:
    """The seeded API on an index of its own: Schemathesis deletes what it finds."""
    services = make_services(tmp_path / "data", embedder)
    ingest(services, SEEDS)
    # The feeds it follows are made up: they are kept beside the index and never polled.
    settings = Settings(data_dir=tmp_path / "data", follow=False)
    with LiveServer(lambda: services, settings) as server:
        yield httpx.Client(base_url=server.url)


def test_every_route_answers_as_its_openapi_says(api: httpx.Client, tmp_path: Path) -> None:
    events = tmp_path / "events.ndjson"
    run = subprocess.run(
        [
            *(sys.executable, "-m", "schemathesis.cli", "run", "--no-color"),
            *("--checks", "all", "--workers", "1", "--max-examples", str(EXAMPLES)),
            *("--seed", SEED),  # the same cases every run: a failure is one to fix, not luck
            *("--report", "ndjson", "--report-ndjson-path", str(events)),
            str(api.base_url.join("/openapi.json")),
        ],
        cwd=tmp_path,  # its example database stays out of the tree
        capture_output=True,
        text=True,
        timeout=300,
    )
    cases, statuses = what_was_sent(events)
    if path := os.environ.get("NEWSDESK_CONTRACT_REPORT"):
        Path(path).write_text(json.dumps({"cases": cases, "statuses": statuses}))

    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    documented = {
        f"{method.upper()} {path}"
        for path, methods in api.get("/openapi.json").json()["paths"].items()
        for method in methods
    }
    assert documented <= set(cases)


def what_was_sent(events: Path) -> tuple[Counter[str], Counter[str]]:
    """From the run's events: 'POST /ask' → cases generated, and 'POST /ask 422' → requests
    that got that answer (the checks' own included, such as TRACE for the 405 check)."""
    cases: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for line in events.read_text().splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if not finished or not finished["recorder"].get("cases"):
            continue
        recorder = finished["recorder"]
        cases[recorder["label"]] += len(recorder["cases"])
        for interaction in recorder.get("interactions", {}).values():
            if interaction.get("response"):
                statuses[f"{recorder['label']} {interaction['response']['status_code']}"] += 1
    return cases, statuses
