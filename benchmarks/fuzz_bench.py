"""The HTTP fuzz runs with more examples, and what every case got: tests/bot/api/test_fuzz.py
(hypothesis bodies, right and wrong) and tests/bot/api/test_contract.py (Schemathesis, from the
OpenAPI)."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import ROOT
from benchmarks.report import machine, table

EXAMPLES = 1000  # generated bodies per route, beside the fixed extreme ones
CONTRACT_EXAMPLES = 300  # Schemathesis' examples per route and phase
TESTS = ROOT / "tests" / "bot" / "api"


def run() -> str:
    with tempfile.TemporaryDirectory() as scratch:
        fuzz_report = Path(scratch) / "statuses.json"
        contract_report = Path(scratch) / "contract.json"
        env = {
            **os.environ,
            "NEWSDESK_FUZZ_EXAMPLES": str(EXAMPLES),
            "NEWSDESK_FUZZ_REPORT": str(fuzz_report),
            "NEWSDESK_CONTRACT_EXAMPLES": str(CONTRACT_EXAMPLES),
            "NEWSDESK_CONTRACT_REPORT": str(contract_report),
        }
        fuzz = _pytest(TESTS / "test_fuzz.py", env)
        contract = _pytest(TESTS / "test_contract.py", env)
        statuses: dict[str, int] = json.loads(fuzz_report.read_text())
        sent: dict[str, dict[str, int]] = json.loads(contract_report.read_text())
    return f"""## Fuzzed HTTP input

`tests/bot/api/test_fuzz.py` with {EXAMPLES} hypothesis-generated bodies per route (random JSON of
the right and wrong fields, types and nesting, raw bytes, invalid UTF-8) plus fixed extremes
(a 1 MB question, 5,000-deep nesting, huge and negative k, an empty body), over real HTTP to
the seeded API; {machine()}. The run {_verdict(fuzz)}: every response was a 4xx with a one-line
error or a 200 with the documented shape.

{_by_route(statuses, "cases")}

`tests/bot/api/test_contract.py` with Schemathesis' CLI, every check on and up to
{CONTRACT_EXAMPLES} examples per route and phase: cases generated from the OpenAPI the app serves
(valid ones, and ones breaking each rule it states), and the statuses of every request sent,
its checks' own included (TRACE and other methods a route doesn't take, which must get 405
with `Allow`). The run {_verdict(contract)}: no response the OpenAPI doesn't describe.

{_by_route(sent["statuses"], "requests", sent["cases"])}
"""


def _pytest(test: Path, env: dict[str, str]) -> int:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", str(test)], env=env).returncode


def _verdict(returncode: int) -> str:
    return "passed" if returncode == 0 else f"FAILED (exit {returncode})"


def _by_route(statuses: dict[str, int], counted: str, cases: dict[str, int] | None = None) -> str:
    """A row per route: its cases (when given), the total counted, and each status's share."""
    by_route: dict[str, dict[str, int]] = {}
    for key, count in statuses.items():
        route, status = key.rsplit(" ", 1)
        by_route.setdefault(route, {})[status] = count
    codes = sorted({code for counts in by_route.values() for code in counts})
    rows = [
        [
            route,
            *([cases.get(route, 0)] if cases is not None else []),
            sum(counts.values()),
            *(counts.get(code, 0) for code in codes),
        ]
        for route, counts in sorted(by_route.items())
    ]
    head = ["route", *(["cases"] if cases is not None else []), counted, *codes]
    return table(head, rows)
