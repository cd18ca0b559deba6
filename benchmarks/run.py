"""Run benchmarks and rewrite their sections of BENCHMARKS.md.

Example: python -m benchmarks.run            # every section
         python -m benchmarks.run ingest http
"""

import sys
from collections.abc import Callable

from benchmarks import (
    feeds_bench,
    fuzz_bench,
    http_bench,
    ingest_bench,
    llm_bench,
    load_bench,
    quality_bench,
    scale_bench,
)
from benchmarks.report import write_section

SECTIONS: dict[str, Callable[[], str]] = {
    "ingest": ingest_bench.run,
    "http": http_bench.run,
    "quality": quality_bench.run,
    "load": load_bench.run,
    "llm": llm_bench.run,
    "fuzz": fuzz_bench.run,
    "scale": scale_bench.run,
    "feeds": feeds_bench.run,
}


def main(names: list[str]) -> None:
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        sys.exit(f"unknown section(s): {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    for name in names or list(SECTIONS):
        print(f"== {name}", flush=True)
        body = SECTIONS[name]()
        write_section(name, body)
        print(body, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
