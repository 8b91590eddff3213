"""Garbage collection for a class on one server.

Streamlit's `runner.postScriptGC` (on by default) runs `gc.collect(2)` after every script run; in
this app that walks ~150 000 objects and took ~54 ms per run, most of the server's CPU under a
class's load. `.streamlit/config.toml` turns it off. Memory stays bounded without it: reference
counting frees almost everything, Python's own generational collector still runs, and once the
process is warm (modules, Altair schemas, cached specs loaded) `gc.freeze()` moves those long-lived
objects out of the collector's sight, so the occasional full collection walks only what is young.
`benchmarks/classroom.py --soak` checks that RSS levels off.
"""

from __future__ import annotations

import gc
import threading

# Script runs after which the process's survivors are frozen: the first page, then once several
# pages and sessions have been seen. A handful of freezes, ever, per process.
_FREEZE_AT = frozenset({1, 20, 200})
_lock = threading.Lock()
_runs = 0


def after_run() -> None:
    """Count one finished script run; at the marks, collect once and freeze what survives."""
    global _runs
    with _lock:
        _runs += 1
        if _runs not in _FREEZE_AT:
            return
    gc.collect()
    gc.freeze()
