"""The benchmarks (`make bench`, `make bench-paint`) are not run by the suite, and most
of their imports sit inside functions (the app must not be built before the run sets
its database). Every import they name, at any depth, must still resolve: a module
moved in the portal broke `make bench-paint` once without any test noticing."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _imports(path: Path) -> list[tuple[str, str | None]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.module, alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("path", sorted(BENCH.glob("*.py")), ids=lambda p: p.name)
def test_every_import_of_a_benchmark_resolves(path):
    missing = []
    for module, name in _imports(path):
        if module == "__future__":
            continue
        try:
            loaded = importlib.import_module(module)
        except ImportError:
            missing.append(module)
            continue
        # A submodule is found, not imported: bench.bare and bench.floor connect or
        # build the app when imported.
        if name is not None and not hasattr(loaded, name):
            if importlib.util.find_spec(f"{module}.{name}") is None:
                missing.append(f"{module}.{name}")
    assert missing == [], f"{path.name} imports what no longer exists: {missing}"
