"""BENCHMARKS.md is a set of sections, each rewritten in place by the benchmark that owns it."""

import re
import statistics
from collections.abc import Sequence
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"
HEADER = """# Benchmarks

Every figure below was measured by `make bench` (or `python -m benchmarks.run SECTION`) on the
machine named in its section; each section is rewritten whole when its benchmark runs.
"""


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section called name."""
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else HEADER
    block = f"<!-- section:{name} -->\n{body.strip()}\n<!-- /section:{name} -->"
    pattern = re.compile(
        rf"<!-- section:{re.escape(name)} -->.*?<!-- /section:{re.escape(name)} -->", re.DOTALL
    )
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text}\n{block}\n"
    BENCHMARKS.write_text(text)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), by linear interpolation."""
    if not values:
        return float("nan")
    return (
        float(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1])
        if len(values) > 1
        else values[0]
    )


def machine() -> str:
    """One line naming the machine: CPU model and count, memory."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    cores = len(re.findall(r"^processor", Path("/proc/cpuinfo").read_text(), re.MULTILINE))
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{cores} × {cpu}, {memory:.0f} GiB"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
