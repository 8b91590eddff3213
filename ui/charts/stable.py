"""A chart built from inline data, made a template after the fact: its datasets get names by position.

Altair names each inline dataset after a hash of its rows (`data-<hash>`), so a chart whose numbers move
with a slider gets a new spec on every step — and the browser re-embeds a chart whose spec changed
(compile, parse, render: 100+ ms) instead of updating its data in place. Renamed by position, the spec
stays the same whenever only the numbers changed (tests/app/test_stable_specs.py checks the templates).

(A new ui/ file of the Gradients helper, session 5: the lead may fold it into ui.charts.spec.vega_spec.)
"""

from __future__ import annotations

from typing import Any


def _renamed(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            k: names.get(v, v) if k == "name" and isinstance(v, str) else _renamed(v, names)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_renamed(v, names) for v in node]
    return node


def stable_names(spec: dict, prefix: str = "inline") -> dict:
    """`spec` (a `vega_spec` dict) with its inline datasets named `<prefix>_0`, `<prefix>_1`, … in the order
    Altair wrote them (the chart's structure), every reference renamed too. Pure: `spec` is not changed."""
    datasets = spec.get("datasets", {})
    names = {name: f"{prefix}_{i}" for i, name in enumerate(datasets) if name.startswith("data-")}
    out = _renamed({k: v for k, v in spec.items() if k != "datasets"}, names)
    out["datasets"] = {names.get(k, k): v for k, v in datasets.items()}
    return out
