"""A slider step on Jacobians and Derivatives only refills the charts' named datasets.
(Sliders drawn by a ui.stepper — Derivatives' h, Jacobians' m, Activations' x range, Losses' y and ŷ₀ —
change no Vega chart.)

The browser re-embeds a Vega-Lite chart whose spec JSON changed (compile, parse and render: 100+ ms) but
updates one in place when only its datasets changed. So every chart's spec must be identical for any
value of these sliders, and their datasets must carry the change (else the test would pass on a frozen
chart).
"""

from __future__ import annotations

import pytest

from tests.support import assert_ok, chart_datasets, charts, open_page
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(300)

CASES = [  # page, two links that differ in one slider
    ("jacobians", {"k": "3", "z0": "2"}, {"k": "5", "z0": "-3"}),
    ("derivatives", {"x0": "5"}, {"x0": "-1"}),
    ("derivatives", {"fn": "sin"}, {"fn": "article_loss"}),
]
TEMPLATES = {"jacobians": 1, "derivatives": 2}  # charts that must be templates


def _drawn(page: str, query: dict[str, str]) -> list[tuple[str, dict]]:
    at = open_page(page_by_url(page), query)
    assert_ok(at)
    return [(c.proto.spec, {k: t.to_pydict() for k, t in chart_datasets(c).items()}) for c in charts(at)]


@pytest.mark.parametrize(("page", "a", "b"), CASES, ids=[f"{p}-{','.join(b)}" for p, _, b in CASES])
def test_a_slider_step_changes_data_not_specs(page, a, b):
    before, after = _drawn(page, a), _drawn(page, b)
    assert len(before) == len(after)
    n = TEMPLATES[page]
    for (spec_a, _), (spec_b, _) in zip(before[:n], after[:n], strict=True):
        assert spec_a == spec_b, "the chart's spec changed with the slider: the browser would re-embed it"
    assert any(da != db for (_, da), (_, db) in zip(before, after, strict=True)), "no chart's data changed"
