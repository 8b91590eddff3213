"""The one palette every chart and diagram takes its colours from. No other file in ui/ or pages/
holds a colour literal (tests/app/test_palette.py greps for them).

- Categories (optimizers, activations, methods, series): Okabe–Ito, whose pairs stay apart under
  deuteranopia, protanopia and tritanopia. The light variant swaps the hues that are too pale on
  white (orange, sky blue, yellow: < 3:1) for black, magenta and brown; every pair keeps a CIEDE2000
  ΔE ≥ 10 after simulated colour blindness (tests/app/test_colour_vision.py checks the pages' charts).
- Signs: blue (negative) – orange (positive); matrices use Vega's diverging "blueorange" scheme.
- Classes of data points (Backprop's decision map): purple – green, and a shape per class, so a
  point's class never reads as a weight's sign.
- Magnitudes: viridis (perceptually uniform, readable in grey).

Each colour has a light- and a dark-theme variant. A Vega-Lite spec is built once and cached for every
viewer, so `themed(light, dark)` returns a Vega expression that picks the variant in the browser from
the chart's own `background` signal (Streamlit sets it to the theme's background colour): one spec
serves both themes, and a theme switch recolours the chart without a rerun.
"""

from __future__ import annotations

from collections.abc import Sequence

# The app's two themes (.streamlit/config.toml): background and text colours.
BACKGROUND = {"light": "#ffffff", "dark": "#0e1117"}
TEXT = {"light": "#111418", "dark": "#f5f7fa"}
# Secondary lines (zero lines, reference rules, outlines): ≥ 3:1 against the background.
MUTED = {"light": "#5b6574", "dark": "#a3acbd"}

# Okabe & Ito (2008), "Color Universal Design". Lines need ≥ 3:1 against the background (WCAG 1.4.11).
CATEGORICAL = {
    #          blue       vermillion bluish green  purple     5th        6th        7th
    "light": ["#0072B2", "#D55E00", "#009E73", "#C572A0", "#000000", "#9B0066", "#5C4736"],
    "dark": ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442"],
}
# Colours that keep ≥ 3:1 on both themes' backgrounds: for colours carried in a chart's data (markers).
MIDTONES = ["#0072B2", "#D55E00", "#009E73", "#C572A0", "#7b8494"]
# Series differ by dash too (WCAG 1.4.1: never colour alone); index i gets DASHES[i % len].
DASHES: list[list[float]] = [
    [1, 0],
    [8, 4],
    [2, 3],
    [10, 3, 2, 3],
    [4, 4],
    [12, 3],
    [2, 6],
    [14, 4, 2, 4, 2, 4],
]
# How a legend names them (player series use PLAYER["series"], i.e. CATEGORICAL["dark"], and DASHES in order).
SERIES_NAMES = ["blue", "vermillion", "green", "pink", "orange", "sky blue", "yellow"]
DASH_NAMES = [
    "solid",
    "dashed",
    "dotted",
    "dash-dot",
    "short dashes",
    "long dashes",
    "sparse dots",
    "dash-dot-dot",
]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge"]

SIGN = {
    "negative": {"light": "#0072B2", "dark": "#56B4E9"},
    "positive": {"light": "#D55E00", "dark": "#E69F00"},
}
DIVERGING_SCHEME = "blueorange"  # Vega scheme: blue < 0 < orange
CLASS = ["#762A83", "#1B7837"]  # class 0 purple, class 1 green: points on the map, white-ringed (both themes)
CLASS_SCHEME = "purplegreen"  # Vega scheme for a classifier's output 0 … 1
SEQUENTIAL_SCHEME = "viridis"  # magnitudes (loss surfaces, heatmaps); "cividis" is the alternative
# The same scale as stops, for what the browser draws itself (ui/stepper/blocks/surfacemap.js): Vega's
# viridis, low to high, interpolated linearly between these ten.
SEQUENTIAL = [
    "#440154",
    "#482878",
    "#3e4989",
    "#31688e",
    "#26828e",
    "#1f9e89",
    "#35b779",
    "#6ece58",
    "#b5de2b",
    "#fde725",
]

# Gradient-check verdicts (also told apart by a label on each bar).
LEVELS = {
    "fine": {"light": "#009E73", "dark": "#009E73"},
    "suspicious": {"light": "#C572A0", "dark": "#E69F00"},
    "bug": {"light": "#D55E00", "dark": "#D55E00"},
}

# Drawn on top of a viridis map, with a dark outline: legible on every cell, in both themes.
# These three are also ≥ 3:1 on both themes' backgrounds (they mark the same things on plain charts).
ON_MAP = {
    "outline": "#111418",
    "arrow": "#ffffff",
    "gradient": "#e83e8c",
    "direction": "#C18000",
    "point": "#e83e8c",
    "minimum": "#2f8fd8",
}
HIGHLIGHT = "#f2c14e"  # the weight or node a page is explaining (a halo under it)
NODE = {"fill": "#f4f4f4", "stroke": "#555555", "text": "#222222"}  # network nodes: light discs, both themes

# The autodiff graph (Graphviz, drawn by the browser): one set of colours per theme.
GRAPH = {
    "light": {
        "text": "#111418",
        "muted": "#5b6574",
        "edge": "#5b6574",
        "border": "#5b6574",
        "value": "#f1f3f6",
        "input": "#dbeafe",
        "input_border": "#1d4ed8",
        "const": "#ffffff",
        "op": "#ffffff",
        "current": "#fed7aa",
        "current_border": "#c2410c",
        "flow": "#c2410c",
    },
    "dark": {
        "text": "#f5f7fa",
        "muted": "#a3acbd",
        "edge": "#a3acbd",
        "border": "#a3acbd",
        "value": "#1c2230",
        "input": "#1e3a5f",
        "input_border": "#93c5fd",
        "const": "#0e1117",
        "op": "#0e1117",
        "current": "#7c2d12",
        "current_border": "#fb923c",
        "flow": "#fb923c",
    },
}
# Home page's training-loop diagram (Graphviz, light discs in both themes).
LOOP = {"node": "#c2410c", "fill": "#fff7ed", "text": "#111418", "edge": "#8b95a5"}

# The replay player (canvas, ui/player/): signs and classes blue/orange, series in Okabe–Ito order,
# a highlight, and its own diverging and sequential ramps (the canvas cannot use Vega's schemes).
PLAYER = {
    "neg": "#0072B2",
    "pos": "#E69F00",
    "highlight": "#CC79A7",
    "series": list(CATEGORICAL["dark"]),
    "diverging": ["#0072B2", "#f7f7f7", "#E69F00"],
    "sequential": ["#1b1f3a", "#2c4f8a", "#3a8fb7", "#9fd3c7", "#f7f3c2"],
}

# True in the browser when the chart sits on a light background (Streamlit's theme sets `background`).
IS_LIGHT = "luminance(background) > 0.5"


def themed(light: str, dark: str) -> dict:
    """A Vega expression choosing `light` or `dark` from the chart's background: for any colour property."""
    return {"expr": f"{IS_LIGHT} ? '{light}' : '{dark}'"}


def pick(pair: dict[str, str]) -> dict:
    """`themed` for a {"light": …, "dark": …} entry of this module."""
    return themed(pair["light"], pair["dark"])


def text() -> dict:
    return pick(TEXT)


def muted() -> dict:
    return pick(MUTED)


def background() -> dict:
    return pick(BACKGROUND)


def categorical(n: int, start: int = 0) -> list[dict]:
    """The first `n` category colours (from `start`), each theme-aware; they repeat past the 7th (dashes don't)."""
    k = len(CATEGORICAL["light"])
    return [
        themed(CATEGORICAL["light"][(start + i) % k], CATEGORICAL["dark"][(start + i) % k]) for i in range(n)
    ]


def category(i: int) -> dict:
    return categorical(1, start=i)[0]


def dashes(n: int, start: int = 0) -> list[list[float]]:
    return [DASHES[(start + i) % len(DASHES)] for i in range(n)]


def shapes(n: int, start: int = 0) -> list[str]:
    return [SHAPES[(start + i) % len(SHAPES)] for i in range(n)]


def signs() -> tuple[list[str], list[dict]]:
    """Domain and theme-aware range for a weight's sign."""
    return list(SIGN), [pick(SIGN[s]) for s in SIGN]


def levels(names: Sequence[str] = tuple(LEVELS)) -> list[dict]:
    return [pick(LEVELS[n]) for n in names]


def for_theme(theme: str | None) -> str:
    """ "dark" or "light" from `st.context.theme.type` (None → light, Streamlit's default)."""
    return "dark" if theme == "dark" else "light"
