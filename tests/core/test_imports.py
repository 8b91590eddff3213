"""core/ as a library: pure NumPy + stdlib, no import cycle between its modules, no module named after a page."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"
PAGES = Path(__file__).resolve().parents[2] / "pages"


def _module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Module -> the core modules it imports at module level (not inside functions or TYPE_CHECKING)."""
    graph: dict[str, set[str]] = {}
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("core"):
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.startswith("core"))
        graph[_module_name(path)] = found
    return {name: {m for m in deps if m in graph and m != name} for name, deps in graph.items()}


def test_core_has_no_import_cycle():
    graph = _imports()
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for dep in sorted(graph[name]):
            if state.get(dep) == 1 and not name.startswith(
                dep + "."
            ):  # a package's own __init__ is not a cycle
                raise AssertionError(" -> ".join([*path, name, dep]))
            if dep not in state:
                visit(dep, [*path, name])
        state[name] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


def test_core_never_imports_streamlit_altair_or_pandas():
    for path in CORE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for name in ("streamlit", "altair", "pandas"):
            assert f"import {name}" not in source and f"from {name}" not in source, path


def test_no_core_module_is_named_after_a_page():
    pages = {p.stem for p in PAGES.glob("*.py")}
    modules = {p.stem for p in CORE.rglob("*.py")} | {p.name for p in CORE.iterdir() if p.is_dir()}
    assert not any(name.endswith(("_presets", "_page")) for name in modules)
    assert (modules & pages) <= {"activations", "losses", "jacobians", "autodiff"}, modules & pages
