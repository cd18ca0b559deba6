"""The HTTP fuzz run of tests/bot/test_fuzz.py with more examples, and what every case got."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import ROOT
from benchmarks.report import machine, table

EXAMPLES = 1000  # generated bodies per route, beside the fixed extreme ones


def run() -> str:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "statuses.json"
        env = {
            **os.environ,
            "NEWSDESK_FUZZ_EXAMPLES": str(EXAMPLES),
            "NEWSDESK_FUZZ_REPORT": str(report),
        }
        test = ROOT / "tests" / "bot" / "test_fuzz.py"
        finished = subprocess.run([sys.executable, "-m", "pytest", "-q", str(test)], env=env)
        statuses: dict[str, int] = json.loads(report.read_text())
    by_route: dict[str, dict[str, int]] = {}
    for key, count in statuses.items():
        route, status = key.rsplit(" ", 1)
        by_route.setdefault(route, {})[status] = count
    codes = sorted({code for counts in by_route.values() for code in counts})
    rows = [
        [route, sum(counts.values()), *(counts.get(code, 0) for code in codes)]
        for route, counts in sorted(by_route.items())
    ]
    verdict = "passed" if finished.returncode == 0 else f"FAILED (exit {finished.returncode})"
    return f"""## Fuzzed HTTP input

`tests/bot/test_fuzz.py` with {EXAMPLES} hypothesis-generated bodies per route (random JSON of
the right and wrong fields, types and nesting, raw bytes, invalid UTF-8) plus fixed extremes
(a 1 MB question, 5,000-deep nesting, huge and negative k, an empty body), over real HTTP to
the seeded API; {machine()}. The run {verdict}: every response was a 4xx with a one-line error
or a 200 with the documented shape.

{table(["route", "cases", *codes], rows)}
"""
