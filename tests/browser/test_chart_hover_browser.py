"""Real browser: the charts answer the pointer (hover tangents, tooltips) with Vega's hybrid renderer.

The hybrid renderer draws marks on a canvas and text in an SVG layer over it; a painted view background
in that layer once swallowed every pointer event, so no tooltip or hover tangent ever appeared while
every other test still passed. Here the pointer moves over a chart's plot area and the tooltip must show.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_charts_drawn, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

TOOLTIP = "#vg-tooltip-element"


@pytest.mark.parametrize("path", ["derivatives"])
def test_hovering_a_chart_shows_its_tooltip(page, server, path):
    page.goto(f"{server}/{path}")
    wait_ready(page)
    wait_charts_drawn(page)
    chart = page.locator("[data-testid=stVegaLiteChart]").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    shown = False
    # Sweep across the upper panel's plot area: some x there is near a curve's pointer-catching point.
    for fx in (0.35, 0.45, 0.55, 0.65, 0.75):
        page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * 0.3, steps=4)
        page.wait_for_timeout(250)
        tip = page.locator(TOOLTIP)
        if tip.count() and tip.first.is_visible() and tip.first.inner_text().strip():
            shown = True
            break
    assert shown, f"{path}: no tooltip while the pointer is over the chart"


def test_hovering_a_stepper_chart_shows_its_readout(page, server):
    """Activations' f and f′ are drawn by its x-range stepper (ui.stepper's xy block): the pointer over the f
    panel draws a readout (x and every curve's value) in both panels, which follow one pointer together."""
    page.goto(f"{server}/activations")
    wait_ready(page)
    charts = page.locator(".gls svg[role=img]")
    charts.first.wait_for()
    assert charts.count() >= 2
    box = charts.first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5, steps=4)
    page.wait_for_timeout(300)
    readouts = page.evaluate(
        """() => [...document.querySelectorAll('*')].filter(h => h.shadowRoot)
            .flatMap(h => [...h.shadowRoot.querySelectorAll('.gls svg text')])
            .map(t => t.textContent).filter(t => t.startsWith('x = '))"""
    )
    assert len(readouts) >= 2, readouts  # f's panel and f′'s, one pointer
