"""'Show the code': every page's teaching version is short, NumPy-only, runs on its own, and is shown."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.support import PAGES, assert_ok, open_page
from ui.shell import SNIPPETS, show_code_key

CONCEPT_PAGES = [p for p in PAGES if p.url_path]
SNIPPET_FILES = sorted(SNIPPETS.glob("*.py"))


def test_every_concept_page_has_a_teaching_version():
    assert {p.url_path for p in CONCEPT_PAGES} <= {f.stem for f in SNIPPET_FILES}


@pytest.mark.parametrize("path", SNIPPET_FILES, ids=[f.stem for f in SNIPPET_FILES])
def test_teaching_version_is_short_numpy_only_and_runs(path, tmp_path):
    text = path.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert 10 <= len(lines) <= 30, len(lines)
    modules = {
        a.name.split(".")[0]
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Import)
        for a in node.names
    }
    modules |= {
        node.module.split(".")[0]
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert modules <= {"numpy", "math"}, modules
    # run it alone, from an empty directory, with warnings as errors
    done = subprocess.run(
        [sys.executable, "-W", "error", str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "it prints what it computed"


@pytest.mark.parametrize(
    "page", [p for p in CONCEPT_PAGES if p.url_path in ("derivatives", "backprop")], ids=lambda p: p.url_path
)
def test_show_the_code_shows_the_teaching_version_first(page):
    at = open_page(page)
    assert_ok(at)
    assert not at.code and not at.tabs, "closed: the code is not drawn (nor re-rendered on every step)"
    at.session_state[show_code_key(page.url_path)] = True  # the learner opens "Show the code"
    at.run()
    assert_ok(at)
    tabs = [t.label for t in at.tabs]
    assert tabs[:2] == ["Teaching version", "Full core source"], tabs
    snippet = (SNIPPETS / f"{page.url_path}.py").read_text(encoding="utf-8")
    assert any(c.value.strip() == snippet.strip() for c in at.code)
