"""The tree reads as the pipeline: data flows ingest → index → search → answer → interfaces, and
no import runs against that flow or goes round in a circle."""

import ast
from functools import cache
from pathlib import Path

import pytest

from tests.helpers import ROOT

# Each package may import those before it, never one after it.
ORDER = [
    "retrieval.errors",
    "retrieval.records",
    "retrieval.ingest",
    "retrieval.index",
    "retrieval.search",
    "retrieval.answer",
    "retrieval.evaluate",
    "bot",
    "devtools",
    "benchmarks",
]
PACKAGES = ("retrieval", "bot", "devtools", "benchmarks")


@cache
def modules() -> dict[str, set[str]]:
    """Every module of the shipped packages, with the newsdesk modules it imports."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = _imports(path)
    return found


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return {n for n in names if n.split(".")[0] in (*PACKAGES, "tests")}


def rank(module: str) -> int:
    return max(
        i for i, prefix in enumerate(ORDER) if module == prefix or module.startswith(prefix + ".")
    )


def test_no_import_runs_against_the_flow() -> None:
    backwards = [
        f"{module} imports {imported}"
        for module, imported_names in modules().items()
        for imported in imported_names
        if imported.startswith("tests") or rank(imported) > rank(module)
    ]
    assert backwards == []


@pytest.mark.parametrize("package", ["retrieval", "bot"])
def test_no_two_modules_import_each_other(package: str) -> None:
    graph = {m: {i for i in found if i in modules()} for m, found in modules().items()}
    cycles = [
        f"{a} ↔ {b}"
        for a, deps in graph.items()
        if a.startswith(package)
        for b in deps
        if a in graph.get(b, ())
    ]
    assert cycles == []
