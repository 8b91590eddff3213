"""Gradients' stepper (pages/gradients.py): what the point (w₁, w₂) and the direction θ change, computed for
every position of a window of them (ui.stepper's cross) and described as stepper blocks: the surface map, the
numbers at the point, the two slices with their checks, and the directional derivative with its sweep.

core does the maths (core.surfaces, core.gradient_check); this module only formats. Everything that depends
on the point and not on θ is sent once per point (``sp.picked``), not once per frame."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from core import gradient_check, surfaces
from core.formatting import short_number
from core.surfaces import SURFACES
from ui import cache, geometry
from ui import stepper as sp
from ui.shell import check_level, fmt, thresholds_caption
from ui.stepper_map import stack, surfacemap

H = 1e-5  # the article's step for the numerical partials
GRID_N = 40  # map cells per axis
FIELD_N = 10  # arrows per axis
FIELD_LEN = 0.8  # arrow length, in cells of the arrow grid
GRAD_LEN = 2.2  # length of the highlighted ∇L arrow, same unit
U_LEN = 1.7  # length of the direction-u arrow
LABEL_GAP = 0.55  # a label's distance beyond its arrow's tip, in cells
LABEL_ROOM = 0.4  # room kept between a label and the plot's edge, in cells
SLICE_N = 81  # points along each slice (smooth at a chart's width; every point is sent once per point)
SWEEP = np.arange(0, 361, 3)  # degrees, the directional-derivative sweep's points
ANGLES = list(range(361))  # the direction θ's positions, whole degrees
_ICONS = {"green": "✓", "orange": "⚠", "red": "✗"}
_WORDS = {"green": "agree", "orange": "suspicious", "red": "disagree"}
# colours of the sweep chart's marks (indices of ui/palette.py's CATEGORICAL)
C_CURVE, C_MAX, C_MIN, C_U, C_TANGENT = 0, 3, 0, 1, 2

FIELD_NOTES = (
    f"- **White arrows**: −∇L on a {FIELD_N}×{FIELD_N} grid — the downhill direction, where gradient descent "
    "would step. They are all drawn **the same length** so they stay readable; only their direction is "
    "meaningful (hover a head for ‖∇L‖ there).\n"
    "- **Pink arrow** ∇L at your point: uphill, the direction of steepest ascent (drawn to a fixed length, "
    "shorter near an edge; its components and length are the numbers under the map).\n"
    "- **Amber arrow** u: the direction θ chosen below.\n\n"
    ":gray[Colour is log₁₀ of the loss above its lowest value on the plot: dark = low, yellow = high. The "
    "arrows cross the colour bands at right angles — the gradient is perpendicular to the level curves "
    "(exactly so when both axes have the same scale).]"
)
SLICES_TEXT = (
    "Hold one parameter fixed and the loss becomes an ordinary function of the other. The slope of that slice "
    "at your point is the partial derivative. Green: the tangent at the point; hover to move a dashed tangent "
    "along the slice. Below each slice, the partial derivative along it. Numeric check: central differences "
    f"with h = {H:g} (the article's), e.g. (L(w₁+h, w₂) − L(w₁−h, w₂)) / 2h."
)
ARTICLE = (
    "This is the article's example: `loss_2d(1, 1)` = 6 with ∂L/∂w₁ = 2(1 − 2) + 1 = −1 and ∂L/∂w₂ = "
    "2(1 − 3) + 1 = −3. Both partials are negative: increasing either weight lowers the loss."
)
STATIONARY = "The gradient is exactly zero here: a stationary point. Every direction is flat to first order."


def num(x: float) -> str:
    """A short number with a typographic minus, for the numbers and labels."""
    return short_number(x, 6)


def step_of(lo: float, hi: float) -> float:
    return 0.05 if hi - lo <= 10 else 0.1


@functools.cache
def grid_of(lo: float, hi: float) -> tuple[float, ...]:
    """A point slider's positions: today's grid (step 0.05 over a span ≤ 10, else 0.1). Made once per
    surface (every run and every window reads it)."""
    step = step_of(lo, hi)
    n = int(round((hi - lo) / step))
    return tuple(float(np.round(lo + step * k, 10)) for k in range(n + 1))


def _packed(values: list, keys: list) -> Any:
    """values[f] sent once per distinct keys[f] (``sp.picked``)."""
    return _by_point(values, keys, lambda v: v)


def _by_point(rows: list, pts: list, build: Callable[[Any], Any]) -> Any:
    """``build(row)`` for a field that depends on the point only: built once per point of the window (its θ
    frames share it) and sent once per point — :func:`_packed` of the per-frame list, without building the
    ~40 copies first."""
    index: dict = {}
    items: list = []
    pick: list[int] = []
    for r, k in zip(rows, pts, strict=True):
        if k not in index:
            index[k] = len(items)
            items.append(build(r))
        pick.append(index[k])
    return sp.picked(items, pick)


@cache.data(show_spinner=False, max_entries=16)
def picture(key: str) -> dict:
    """The map's cells (the loss at the centres of GRID_N × GRID_N cells spanning the domain) and arrows."""
    s = SURFACES[key]
    (lo1, hi1), (lo2, hi2) = s.domain
    c1 = lo1 + (hi1 - lo1) / GRID_N * (np.arange(GRID_N) + 0.5)
    c2 = lo2 + (hi2 - lo2) / GRID_N * (np.arange(GRID_N) + 0.5)
    W1, W2 = np.meshgrid(c1, c2)
    field = surfaces.gradient_field(key, FIELD_N, FIELD_LEN)
    arrows = {
        "x": field["w1"],
        "y": field["w2"],
        "x2": field["w1"] + field["d1"],
        "y2": field["w2"] + field["d2"],
        "norm": field["norm"],
    }
    return {"Z": np.asarray(s.f(W1, W2), dtype=float), "arrows": arrows, "cell": field["cell"]}


@cache.data(show_spinner=False, max_entries=512)
def at_point(key: str, w1: float, w2: float) -> dict:
    """Loss, analytic and numeric gradient, steepest ascent and the two axis slices at (w1, w2)."""
    s = SURFACES[key]
    w = np.array([w1, w2])
    (lo1, hi1), (lo2, hi2) = s.domain
    check = gradient_check.check_function(s.value, s.grad, w, h=H)
    theta, norm = surfaces.steepest_ascent(s, w)
    x1 = np.linspace(lo1, hi1, SLICE_N)
    x2 = np.linspace(lo2, hi2, SLICE_N)
    along_w1 = s.grad(np.stack([x1, np.full_like(x1, w2)]))
    along_w2 = s.grad(np.stack([np.full_like(x2, w1), x2]))
    return {
        "L": float(s.value(w)),
        "g": np.array([row.analytic for row in check.rows]),
        "numeric": np.array([row.numeric for row in check.rows]),
        "rel": [row.rel_error for row in check.rows],
        "theta": theta,
        "norm": norm,
        "x1": x1,
        "f1": s.f(x1, w2),
        "df1": along_w1[0],
        "x2": x2,
        "f2": s.f(w1, x2),
        "df2": along_w2[1],
        "sweep": surfaces.directional_derivatives(s, w, SWEEP),
    }


def directional(key: str, w1: float, w2: float, angles: tuple[int, ...]) -> list[dict]:
    """D_u L at each angle: ∇L·u against the central difference along u (core.gradient_check's batch form,
    the same numbers as directional_check angle by angle, with one evaluation of L for all of them)."""
    analytic, numeric, rel = gradient_check.directional_checks(SURFACES[key], (w1, w2), angles, h=H)
    return [
        {"analytic": float(a), "numeric": float(n), "rel": float(r)}
        for a, n, r in zip(analytic, numeric, rel, strict=True)
    ]


def _arrow(w: tuple[float, float], v: np.ndarray, length: float, cell, domain) -> list[float]:
    """An arrow from w along v, `length` cells long, its label just beyond the tip; shortened (to at least a
    third) when the label would fall off the plot: (tip x, tip y, label x, label y)."""
    tip = surfaces.scaled_arrow(v, cell, length)
    beyond = surfaces.scaled_arrow(v, cell, length + LABEL_GAP)
    room = surfaces.scaled_arrow(v, cell, length + LABEL_GAP + LABEL_ROOM)
    k = max(geometry.fit_factor(w, room, domain), 1 / 3)
    return [
        w[0] + k * float(tip[0]),
        w[1] + k * float(tip[1]),
        w[0] + k * float(beyond[0]),
        w[1] + k * float(beyond[1]),
    ]


def check_lines(
    label: str, a: float, b: float, rel: float, a_name: str, b_name: str, note: str = ""
) -> list[str]:
    """One check as ui.shell.check_text words it (Markdown subset: ui.stepper.paragraphs)."""
    level = check_level(rel)
    lines = [
        f"**{label}** · **{_ICONS[level]} {_WORDS[level]}**",
        f"{a_name}: `{fmt(a)}` · {b_name}: `{fmt(b)}` · relative error `{rel:.1e}`",
    ]
    return lines + ([f":gray[{note}]"] if note else [])


def frame_numbers(key: str, frames: Sequence[tuple[int, int, int]]) -> list[dict]:
    """What every frame shows, as numbers: its point, angle, the point's data and the direction's check."""
    s = SURFACES[key]
    (lo1, hi1), (lo2, hi2) = s.domain
    g1, g2 = grid_of(lo1, hi1), grid_of(lo2, hi2)
    angles: dict[tuple[float, float], list[int]] = {}
    for i1, i2, ia in frames:
        angles.setdefault((g1[i1], g2[i2]), []).append(ANGLES[ia])
    checks = {}
    for (w1, w2), a in angles.items():
        todo = tuple(sorted(set(a)))
        checks.update({(w1, w2, t): c for t, c in zip(todo, directional(key, w1, w2, todo), strict=True)})
    points = {w: at_point(key, *w) for w in angles}  # one cached lookup per point, not one per frame
    out = []
    for i1, i2, ia in frames:
        w1, w2, a = g1[i1], g2[i2], ANGLES[ia]
        out.append({"w1": w1, "w2": w2, "angle": a, "r": points[(w1, w2)], "d": checks[(w1, w2, a)]})
    return out


def _map_block(key: str, rows: list[dict], pts: list) -> dict:
    s = SURFACES[key]
    pic = picture(key)
    cell, dom = pic["cell"], s.domain
    us = [_arrow((r["w1"], r["w2"]), surfaces.unit_vector(r["angle"]), U_LEN, cell, dom) for r in rows]
    return surfacemap(
        "L(w₁, w₂) from above, −∇L arrows",
        pic["Z"],
        domain=dom,
        field=pic["arrows"],
        point=_by_point(rows, pts, lambda r: [r["w1"], r["w2"]]),
        tip=_by_point(rows, pts, lambda r: f"({r['w1']:g}, {r['w2']:g}): L = {num(r['r']['L'])}"),
        grad=_by_point(
            rows,
            pts,
            lambda r: (
                _arrow((r["w1"], r["w2"]), r["r"]["g"], GRAD_LEN, cell, dom) if r["r"]["norm"] > 0 else None
            ),
        ),
        u=us,
        alt=_by_point(
            rows,
            pts,
            lambda r: (
                f"{s.name} from above, with the downhill arrows. Your point ({r['w1']:g}, {r['w2']:g}), "
                f"L = {num(r['r']['L'])}; ∇L = ({num(r['r']['g'][0])}, {num(r['r']['g'][1])}), and the direction u."
            ),
        ),
    )


def _numbers_block(key: str, rows: list[dict], pts: list) -> dict:
    def cells(r: dict) -> list:
        p = r["r"]
        return [
            [sp.plain(f"({r['w1']:g}, {r['w2']:g})")]
            + [sp.plain(num(v)) for v in (p["L"], p["g"][0], p["g"][1], p["norm"])]
        ]

    def note(r: dict) -> list:
        out = []
        if key == "coupled" and (r["w1"], r["w2"]) == (1.0, 1.0):
            out += sp.paragraphs(ARTICLE, small=True)
        if r["r"]["norm"] == 0:
            out += sp.paragraphs(f"**{STATIONARY}**")
        return out

    block = sp.table(
        ["point (w₁, w₂)", "L", "∂L/∂w₁", "∂L/∂w₂", "‖∇L‖ (steepest slope)"],
        [[]],
        align=["l", "r", "r", "r", "r"],
        note=[[]],
    )
    block["rows"], block["note"] = _by_point(rows, pts, cells), _by_point(rows, pts, note)
    return block


def _slice_blocks(i: int, rows: list[dict], pts: list, domain) -> dict:
    """L along w_i with the other fixed, its tangent at the point and the partial derivative below."""
    name, other = ("w₁", "w₂") if i == 0 else ("w₂", "w₁")
    xs_key, f_key, df_key = ("x1", "f1", "df1") if i == 0 else ("x2", "f2", "df2")
    fixed = [r["w2"] if i == 0 else r["w1"] for r in rows]  # what the curve depends on
    xs = rows[0]["r"][xs_key]
    ends = [float(xs[0]), float(xs[-1])]  # the tangent at the point, across the plot (clipped to its y range)

    def x_of(r: dict) -> float:
        return r["w1"] if i == 0 else r["w2"]

    def o_of(r: dict) -> float:
        return r["w2"] if i == 0 else r["w1"]

    def tangent(r: dict) -> list[float]:
        p, x = r["r"], x_of(r)
        return [p["L"] + float(p["g"][i]) * (e - x) for e in ends]

    once = list({k: r for k, r in zip(pts, rows, strict=True)}.values())  # a row per point
    f_all = np.concatenate([r["r"][f_key] for r in once])
    df_all = np.concatenate([r["r"][df_key] for r in once])
    group = f"gradients.slice{i + 1}"
    f_chart = sp.xy(
        "",
        [
            sp.xy_line(
                f"L along {name}",
                xs,
                _packed([r["r"][f_key] for r in rows], fixed),
                slope=_packed([r["r"][df_key] for r in rows], fixed),
                per_frame=True,
                colour=0,
            ),
            sp.xy_line(
                "tangent at the point",
                ends,
                _by_point(rows, pts, tangent),
                per_frame=True,
                colour=C_TANGENT,
                digits=6,
            ),
        ],
        points=[sp.xy_points("", _by_point(rows, pts, lambda r: [(x_of(r), r["r"]["L"])]), colour=C_TANGENT)],
        x_title=name,
        y_title=f"L along {name}",
        x_domain=domain,
        y_domain=_robust(f_all),
        alt=_by_point(
            rows,
            pts,
            lambda r: (
                f"L along {name} with {other} = {o_of(r):g}: at {name} = {x_of(r):g}, L = "
                f"{num(r['r']['L'])}, slope ∂L/∂{name} = {num(r['r']['g'][i])}."
            ),
        ),
        height=230,
        hover=group,
    )
    df_chart = sp.xy(
        "",
        [
            sp.xy_line(
                f"∂L/∂{name}", xs, _packed([r["r"][df_key] for r in rows], fixed), per_frame=True, colour=3
            )
        ],
        points=[
            sp.xy_points("", _by_point(rows, pts, lambda r: [(x_of(r), float(r["r"]["g"][i]))]), colour=3)
        ],
        x_title=name,
        y_title=f"∂L/∂{name}",
        x_domain=domain,
        y_domain=_robust(df_all),
        alt=_packed([f"∂L/∂{name} along {name} with {other} = {o:g}." for o in fixed], fixed),
        height=170,
        hover=group,
    )
    text = sp.text([[]], per_frame=True, border=True)
    text["paras"] = _by_point(
        rows,
        pts,
        lambda r: sp.paragraphs(
            check_lines(
                f"∂L/∂{name} at ({r['w1']:g}, {r['w2']:g})",
                float(r["r"]["g"][i]),
                float(r["r"]["numeric"][i]),
                r["r"]["rel"][i],
                "analytic",
                f"central difference (h = {H:g})",
            )
        ),
    )
    title = sp.text(
        sp.paragraphs(f"**L along {name}, with {other} fixed** — its slope is ∂L/∂{name}"), per_frame=False
    )
    return stack(title, f_chart, df_chart, text)


def _robust(values: np.ndarray) -> tuple[float, float]:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
    if hi - lo < 1e-12 * max(1.0, abs(hi)):
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.05 * (hi - lo)
    return (float(f"{lo - pad:.6g}"), float(f"{hi + pad:.6g}"))


def _directional_blocks(rows: list[dict], pts: list) -> dict:
    paras = []
    for r in rows:
        p, d, a = r["r"], r["d"], r["angle"]
        u = surfaces.unit_vector(a)
        near_zero = abs(d["analytic"]) < 1e-8 * max(p["norm"], 1e-300)
        level = check_level(d["rel"])
        # compact (one entry for each of ~400 frames): the check's words, its values as plain text
        lines = [
            f"= ({num(p['g'][0])})({num(u[0])}) + ({num(p['g'][1])})({num(u[1])}) = **{num(d['analytic'])}**",
            f"**D_u L at θ = {a}° · {_ICONS[level]} {_WORDS[level]}**",
            f"∇L·u: {fmt(d['analytic'])} · central difference along u: {fmt(d['numeric'])} · relative error "
            f"{d['rel']:.1e}",
        ]
        if near_zero:
            lines.append(
                ":gray[u is (almost) perpendicular to ∇L: both values are ≈ 0 and their relative error only "
                "measures round-off.]"
            )
        paras.append([{"runs": q["runs"]} for q in sp.paragraphs(lines)])

    def extreme(r: dict) -> tuple[list, list, list, list]:
        """The max and min of D_u L at the point: (marks, labels, tips, the line under the text)."""
        p = r["r"]
        if p["norm"] <= 0:
            return [], [], [], sp.paragraphs("∇L = 0: every direction is flat to first order.", small=True)
        low = (p["theta"] + 180) % 360
        words = [
            f"max = ‖∇L‖ = {num(p['norm'])} at θ* = {p['theta']:.1f}°",
            f"min = −‖∇L‖ at {low:.1f}° (steepest descent)",
        ]
        return (
            [(p["theta"], p["norm"]), (low, -p["norm"])],
            ["max", "min"],
            words,
            sp.paragraphs(" · ".join(words), small=True),
        )

    ext = _by_point(rows, pts, extreme)
    marks, labels, tips, extremes = (
        sp.picked([e[j] for e in ext["__items"]], ext["__pick"]) for j in range(4)
    )
    where = sp.text([[]], per_frame=True, small=True)
    where["paras"] = extremes
    text = stack(
        sp.text(sp.paragraphs("**D_u L = ∇L·u = ∂L/∂w₁ cos θ + ∂L/∂w₂ sin θ**"), per_frame=False),
        sp.text(paras, per_frame=True, border=True),
        where,
    )
    sweeps = _by_point(rows, pts, lambda r: r["r"]["sweep"])
    top = max(float(np.nanmax(np.abs(s))) for s in sweeps["__items"]) or 1.0
    chart = sp.xy(
        "Slope in every direction — the dot is your θ, its height D_u L",
        [sp.xy_line("D_u L = ∇L·u", SWEEP, sweeps, per_frame=True, colour=C_CURVE)],
        points=[
            sp.xy_points(
                "max / min (steepest ascent / descent)",
                marks,
                labels=labels,
                tips=tips,
                colour=C_MAX,
            ),
            sp.xy_points("your θ", [[(r["angle"], r["d"]["analytic"])] for r in rows], colour=C_U),
        ],
        x_title="direction θ of u (degrees)",
        y_title="D_u L = ∇L·u",
        x_domain=(0, 360),
        y_domain=(-1.25 * top, 1.25 * top),
        alt=_by_point(
            rows, pts, lambda r: f"D_u L against θ from 0° to 360°: a cosine between ±{num(r['r']['norm'])}."
        ),
        height=300,
    )
    return sp.row(text, chart)


@cache.data(show_spinner=False, max_entries=32)
def blocks(key: str, frames: tuple[tuple[int, int, int], ...]) -> list[dict]:
    """Every block of Gradients' stepper, one entry per frame of ``frames`` (index tuples into the w₁ grid,
    the w₂ grid and ANGLES) in every per-frame field."""
    rows = frame_numbers(key, frames)
    pts = [(r["w1"], r["w2"]) for r in rows]
    domain = SURFACES[key].domain
    (lo1, hi1), (lo2, hi2) = domain
    notes = FIELD_NOTES
    if (hi1 - lo1) / (hi2 - lo2) > 2 or (hi2 - lo2) / (hi1 - lo1) > 2:
        notes += (
            f"\n\n:gray[The axes have very different ranges (w₁ spans {hi1 - lo1:g}, w₂ spans {hi2 - lo2:g}), so "
            "the map stretches angles: an arrow at 45° does not look like 45° there.]"
        )
    return [
        sp.row(_map_block(key, rows, pts), sp.text(sp.paragraphs(notes), per_frame=False)),
        _numbers_block(key, rows, pts),
        sp.heading("Partial derivatives are slopes of slices"),
        sp.text(sp.paragraphs(SLICES_TEXT), per_frame=False),
        sp.row(*(_slice_blocks(i, rows, pts, domain[i]) for i in (0, 1))),
        sp.text(
            sp.paragraphs(
                thresholds_caption()
                + " The analytic partials are the hand-derived formulas above; the central "
                "differences only evaluate L — two independent computations.",
                small=True,
            ),
            per_frame=False,
            small=True,
        ),
        sp.heading("Directional derivative: the slope in any direction"),
        _directional_blocks(rows, pts),
    ]
