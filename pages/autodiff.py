"""Autodiff: a micrograd-style Value engine — the computational graph and its backward pass, step by step."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()

import math

import numpy as np
import streamlit as st

from core import finite_diff
from core.autodiff import examples as presets
from core.expression import FUNCTION_NAMES, ParseError, parse
from ui import stepper as sp
from ui.graphs import PALETTES, backward_looks, backward_moment, describe, graph_layout, number, op_text
from ui.layout import stage_chart, stage_control
from ui.palette import CATEGORICAL
from ui.shell import check_badge, fmt, formula, header, show_code, show_parse_error, thresholds_caption
from ui.state import UrlState, follow_outside_fragment, stop_ends_the_page, stop_page
from ui.stepper import stepper

PAGE = "autodiff"
DRAW_LIMIT = 60  # larger graphs get a summary instead of an unreadable picture
VARIABLES = ("x", "y", "z")
DEFAULT_EXPR = "(x*y + z) * sin(x)"
DEFAULT_VALUES = {"x": 1.5, "y": 2.0, "z": -1.0}
PRESETS = {
    "article": "The article's example: L = (w1·x1 + w2·x2)²",
    "neuron": "A tanh neuron (micrograd)",
    "mlp": "A small MLP's loss",
    "expression": "Type an expression f(x, y, z)…",
}
FORMULAS = {
    "article": r"y = w_1 x_1 + w_2 x_2, \qquad L = y^2",
    "neuron": r"o = \tanh(x_1 w_1 + x_2 w_2 + b)",
    "mlp": r"L = \sum_{p} \big(\hat y_p - y_p\big)^2, \qquad "
    r"\hat y = \textstyle\sum_j W_2[j]\,\tanh\!\big(\sum_i W_1[i,j]\,x_i + b_1[j]\big) + b_2",
}
NOTES = {
    "article": "The article's numbers: x1 = 2, x2 = 3, w1 = 0.5, w2 = −0.3, so y = 0.1 and L = 0.01. "
    "Its hand-derived check: ∂L/∂w1 = 2·y·x1 = 0.4.",
    "neuron": "Karpathy's neuron from micrograd's walkthrough: x1 = 2, x2 = 0, w1 = −3, w2 = 1 and a bias "
    "b = 6.8813… chosen so that n = atanh(1/√2) and o = tanh(n) ≈ 0.7071.",
    "mlp": "micrograd's `MLP(2, [3, 1])` with tanh neurons (seed 1) and its squared-error loss on a few points "
    "with targets ±1. The inputs we differentiate by are its 13 weights and biases; the data points "
    "are leaves too, but nobody needs their grads.",
}

header(
    "Autodiff",
    "Frameworks like PyTorch never ask you for a derivative: every operation on a tensor records itself in "
    "a **computational graph**, and `loss.backward()` walks that graph from the loss back to the inputs, "
    "applying the chain rule once per node. Below is a complete scalar engine in that style (micrograd's "
    "`Value`): pick an example, look at its graph, and step through `backward()` one node at a time.",
    r"\underbrace{a.\mathrm{grad}}_{\partial L/\partial a} \mathrel{+}= "
    r"\underbrace{\frac{\partial\,\mathrm{out}}{\partial a}}_{\text{local rule}} \cdot "
    r"\underbrace{\mathrm{out}.\mathrm{grad}}_{\partial L/\partial\,\mathrm{out}}"
    r"\qquad \text{for every node } \mathrm{out} \text{ that uses } a",
)

state = UrlState(PAGE)


def _preset_label(key: str) -> str:
    return PRESETS[key]


def _problem(preset: str, text: str, values: tuple[float, ...], points: int) -> presets.Problem:
    if preset == "article":
        return presets.article_example()
    if preset == "neuron":
        return presets.tanh_neuron()
    if preset == "mlp":
        return presets.mlp_loss(points)
    return presets.expression_problem(
        parse(text, variables=VARIABLES), dict(zip(VARIABLES, values, strict=True))
    )


@cache.data(show_spinner=False, max_entries=64)
def analyse(preset: str, text: str, values: tuple[float, ...], points: int) -> dict:
    """The graph, its backward pass step by step and the gradient check, as plain data (no Value objects)."""
    problem = _problem(preset, text, values, points)
    tr = presets.trace(problem, full_grads=DRAW_LIMIT)
    report = presets.check(problem)
    kinks = {}
    if preset == "expression":  # a kink along an input (abs, relu at 0): no derivative there to check
        expr, point = parse(text, variables=VARIABLES), dict(zip(VARIABLES, values, strict=True))
        for v in expr.used_variables:
            sides = finite_diff.one_sided_slopes(lambda t, v=v: expr.evaluate(**{**point, v: t}), point[v])
            if sides.kink:
                kinks[v] = sides
    return {
        "trace": tr,
        "report": report,
        "names": problem.names,
        "theta": tuple(problem.theta),
        "output": problem.root.data,
        "summary": presets.graph_summary(tr.nodes, tr.edges),
        "ops": tuple(sorted({n.op for n in tr.nodes if n.op})),
        "kinks": kinks,
    }


@cache.data(show_spinner=False, max_entries=64)
def geometry(preset: str, text: str, values: tuple[float, ...], points: int) -> dict:
    """The drawn graph's layout, once per graph: every box sized for its texts at every step."""
    tr = analyse(preset, text, values, points)["trace"]
    inputs = set(tr.input_ids)
    looks = [
        backward_looks(tr.nodes, tr.edges, inputs=inputs, **backward_moment(tr.steps, len(tr.nodes), k))
        for k in range(len(tr.steps) + 1)
    ]
    return graph_layout(tr.nodes, tr.edges, looks)


def _rule_lines(tr, report_names: tuple[str, ...], step: int) -> list[str]:
    """What backward() does at ``step`` (Markdown subset: ui.stepper.paragraphs)."""
    nodes, steps, inputs = tr.nodes, tr.steps, set(tr.input_ids)
    n_steps, out_name = len(steps), nodes[-1].name
    current = steps[step - 1] if step else None
    if current is None:
        return [
            f"**Before the backward pass.** The forward pass has computed every `data` (left to right); "
            f"every `grad` is 0. Step 1 seeds the output: ∂{out_name}/∂{out_name} = 1."
        ]
    name, g = current.name, number(current.grad)
    is_constant = not current.terms and current.node_id not in inputs
    shown = number(current.data) if is_constant else name
    lines = [
        f"**Step {step} of {n_steps}: {'constant' if is_constant else 'node'} `{shown}`**"
        + (f" (op `{current.op}`, data {number(current.data)})" if current.op else "")
    ]
    if step == 1:
        lines.append(f"The output's grad is seeded: {name}.grad = ∂{out_name}/∂{out_name} = **1**.")
    elif current.terms:
        lines.append(
            f"Every node that uses `{name}` has already passed its share back, so its grad is final: "
            f"{name}.grad = ∂{out_name}/∂{name} = **{g}**."
        )
    if current.terms:
        lines.append(
            f"Its op passes that grad on to its {len(current.terms)} operand"
            f"{'s' if len(current.terms) > 1 else ''} by the local rule:"
        )
        items = []
        for t in current.terms:
            target = (
                t.input_name
                if (t.input_id in inputs or nodes[t.input_id].op)
                else number(nodes[t.input_id].data)
            )
            line = (
                f"- {_formula(t)}, so {target}.grad += {number(t.local)} · {name}.grad = "
                f"{number(t.local)} · {number(t.upstream)} = **{number(t.contribution)}**"
            )
            if t.grad_after != t.contribution:
                line += f" → {target}.grad is now **{number(t.grad_after)}** (the contributions add up)"
            items.append(line)
        lines.append("\n".join(items))
    elif current.node_id in inputs:
        lines.append(
            f"`{name}` is an input (a leaf): nothing to pass on. Its grad ∂{out_name}/∂{name} = **{g}** "
            f"is what `backward()` leaves in `{name}.grad`."
        )
    else:
        lines.append(
            f"A leaf that is not an input (a constant or a data value): its grad ({g}) is computed but nobody needs it."
        )
    if step == n_steps:
        lines.append(
            f"**`backward()` is done:** every node's grad is final — the table below lists the inputs' "
            f"∂{out_name}/∂input."
        )
    return lines


LEGEND = (
    "Boxes are values (name, data, grad), circles the operations that made them; inputs in blue, constants by "
    "their value, the output on the right (double border). Orange: the node whose grad is being passed back "
    "along the orange arrows; “+= …” under a grad is what this step adds to it. Dashed: part of the grad "
    "received; greyed “grad 0”: not reached yet."
)
SERIES = ("backward(), so far", "central difference")


@cache.data(show_spinner=False, max_entries=64)
def step_blocks(preset: str, text: str, values: tuple[float, ...], points: int) -> list[dict]:
    """Everything the step slider changes, at every step (ui.stepper blocks): the graph, what the step does,
    the inputs' grads so far next to central differences. Computed once per graph, for everyone (both themes: the browser picks)."""
    result = analyse(preset, text, values, points)
    tr, report, names = result["trace"], result["report"], result["names"]
    nodes, steps, inputs = tr.nodes, tr.steps, set(tr.input_ids)
    n_steps, out_name = len(steps), nodes[-1].name
    moments = [backward_moment(steps, len(nodes), k) for k in range(n_steps + 1)]
    blocks: list[dict] = []
    if len(nodes) <= DRAW_LIMIT:
        # drawn once per graph (fixed layout); a step only recolours it and rewrites its grads in place
        blocks.append(
            sp.graph(
                geometry(preset, text, values, points),
                [backward_looks(nodes, tr.edges, inputs=inputs, **m) for m in moments],
                [m["current"] for m in moments],
                [describe(nodes, tr.edges, inputs, k, n_steps, m["current"]) for k, m in enumerate(moments)],
                PALETTES,  # both themes: the browser picks the one it shows
                fit=len(nodes) >= 6,
            )
        )
        blocks.append(sp.text(sp.paragraphs(LEGEND, small=True), per_frame=False, small=True))
    blocks.append(
        sp.text(
            [sp.paragraphs(_rule_lines(tr, tuple(names), k)) for k in range(n_steps + 1)],
            per_frame=True,
            border=True,
        )
    )
    if not names:
        return blocks
    blocks.append(sp.heading("Every input's gradient"))
    rows, notes = [], []
    numeric = [r.numeric for r in report.rows]
    for k in range(n_steps + 1):
        so_far = tr.input_grads[k]
        reached = {s.node_id for s in steps[:k]} | moments[k]["touched"]
        frame_rows = []
        for i, node_id in enumerate(tr.input_ids):
            r = report.rows[i]
            grad = sp.plain(fmt(so_far[i], 4))
            if node_id not in reached:
                grad = [["m", fmt(so_far[i], 4)]]
            frame_rows.append(
                [
                    [["c", names[i]]],
                    sp.plain(fmt(result["theta"][i], 4)),
                    grad,
                    sp.plain(fmt(tr.grads[i], 4)),
                    sp.plain(fmt(r.numeric, 4)),
                    sp.plain(f"{r.rel_error:.0e}"),
                ]
            )
        rows.append(frame_rows)
        notes.append(
            sp.paragraphs(
                f"Output {out_name} = {fmt(result['output'])}. The third column fills in as you step; at step "
                f"{n_steps} it equals what `backward()` computes in one call.",
                small=True,
            )
        )
    table = sp.table(
        ["input", "value", "grad, this step", [["c", "backward()"]], "central diff.", "rel. error"],
        rows,
        align=["l", "r", "r", "r", "r", "r"],
        note=notes,
        width=470,
    )
    grads = np.array([tr.input_grads[k] for k in range(n_steps + 1)], dtype=float)
    bars = sp.bars(
        "Each input's gradient: so far vs numeric",
        names,
        [
            (SERIES[0], {"light": CATEGORICAL["light"][0], "dark": CATEGORICAL["dark"][0]}, grads),
            (
                SERIES[1],
                {"light": CATEGORICAL["light"][1], "dark": CATEGORICAL["dark"][1]},
                np.tile(numeric, (n_steps + 1, 1)),
            ),
        ],
        y_title=f"∂{out_name}/∂input",
        alt=[
            f"Bars: each input's gradient after step {k} of {n_steps} next to its central difference."
            for k in range(n_steps + 1)
        ],
    )
    blocks.append(sp.row(table, bars))
    return blocks


def _formula(term) -> str:
    """The local rule with its value, without repeating a number: '∂y/∂a = b = 3' or '∂y/∂a = 1'."""
    formula = term.formula.replace("-", "−")
    value = number(term.local)
    return formula if formula.rsplit(" = ", 1)[-1] == value else f"{formula} = {value}"


@st.fragment
@stop_ends_the_page(PAGE)
def body() -> tuple[str, ...]:
    """The example, its settings, the step-through and everything they change: a move reruns only this, not
    the header, the code or the challenge. Returns the graph's operations (the code below shows them)."""
    c1, c2 = st.columns([1.5, 2], gap="medium")  # room for the longest example name
    preset = state.select(
        "preset", "Example", list(PRESETS), "article", format_func=_preset_label, container=c1
    )
    text = ""
    values = (0.0, 0.0, 0.0)
    points = 0
    if preset == "expression":
        text = state.text(
            "expr",
            "f(x, y, z) =",
            DEFAULT_EXPR,
            container=c2,
            help=f"Use x, y, z, numbers, + - * / ** and ( ). Functions: {', '.join(FUNCTION_NAMES)}. "
            "Constants: pi, e. Write 2*x, not 2x.",
        )
        vcols = st.columns(3)
        values = tuple(
            float(state.slider(v, f"{v} =", -5.0, 5.0, DEFAULT_VALUES[v], step=0.1, container=col))
            for v, col in zip(VARIABLES, vcols, strict=True)
        )
    elif preset == "mlp":
        points = int(
            state.slider(
                "points",
                "Training points",
                2,
                len(presets.MLP_POINTS),
                3,
                container=c2,
                help="Each point adds a copy of the network's forward pass to the graph.",
            )
        )
        st.latex(FORMULAS[preset])
        st.caption(NOTES[preset])
    else:
        c2.latex(FORMULAS[preset])
        st.caption(NOTES[preset])

    expr = None
    if preset == "expression":
        try:
            expr = parse(text, variables=VARIABLES)
            st.session_state["autodiff._last_valid"] = text
        except ParseError as err:
            text = show_parse_error(
                err, text, "f", "the graph", fallback=st.session_state.get("autodiff._last_valid")
            )
            expr = parse(text, variables=VARIABLES)
        formula(f"f(x, y, z) = {expr.latex()}", f"f(x, y, z) = {text}")

    try:
        result = analyse(preset, text, values, points)
    except ValueError as err:  # a typed graph too large to step through
        st.error(f"**Could not step through this graph:** {err}", icon=":material/error:")
        stop_page()
    follow_outside_fragment(f"{PAGE}.ops", result["ops"])

    tr = result["trace"]
    nodes, steps = tr.nodes, tr.steps
    n_steps = len(steps)
    out_name = nodes[-1].name

    # A different graph (another example, expression or number of points) starts at the end of its backward
    # pass; a link's step is respected on the first render.
    signature = (preset, text, points)
    if st.session_state.get(f"{PAGE}._signature", signature) != signature:
        state.set("step", n_steps)
    st.session_state[f"{PAGE}._signature"] = signature
    if state.key("step") in st.session_state and not 0 <= state.get("step") <= n_steps:
        state.set("step", n_steps)

    report = result["report"]
    names = result["names"]
    finals = tr.grads

    st.subheader("Step through the backward pass")
    if len(nodes) > DRAW_LIMIT:
        summary = result["summary"]
        st.info(
            f"This graph has **{summary.nodes} nodes**: too many to draw legibly (the limit here is "
            f"{DRAW_LIMIT}), so here is its summary instead."
            + (
                " Every training point adds a copy of the network's forward pass (26 nodes): even micrograd's "
                "pictures of MLPs are a tangle of lines."
                if preset == "mlp"
                else ""
            ),
            icon=":material/account_tree:",
        )
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Nodes (values)", summary.nodes)
        m2.metric("Edges", summary.edges)
        m3.metric("Depth (longest path)", summary.depth)
        m4.metric("Leaves", summary.leaves)
        ops = [(f"`{op_text(op)}`" if op else "leaves", count) for op, count in summary.ops]
        st.markdown("**Nodes by operation:** " + " · ".join(f"{op}: **{count}**" for op, count in ops))

    # Every step at once: the browser draws a move of the slider without asking the server (ui.stepper).
    with stage_control(), stage_chart():  # the stepper is both: its slider and the graph it draws
        stepper(
            f"{PAGE}.steps",
            url=state,
            name="step",
            label=f"Backward step (0 = before backward(), {n_steps} = done)",
            options=list(range(n_steps + 1)),
            default=n_steps,
            values=[f"{k} of {n_steps}" for k in range(n_steps + 1)],
            help="backward() visits the nodes in reverse topological order: a node only after every node that "
            "uses it. Arrow keys step; Home and End jump.",
            blocks=step_blocks(preset, text, values, points),
        )

    def _inputs_check() -> None:
        """backward() against central differences for every input (the same at every step)."""
        if not all(math.isfinite(v) for v in (*finals, result["output"])):
            st.warning(
                f"{out_name} or a gradient is not a finite number at this point (e.g. a division by zero, log of a negative number, "
                "or an overflow): the check has nothing to compare. Move the sliders.",
                icon=":material/block:",
            )
            return
        if result["kinks"]:
            where = "; ".join(
                f"∂{out_name}/∂{v}: one-sided slopes {k.left:.4g} and {k.right:.4g}"
                for v, k in result["kinks"].items()
            )
            st.warning(
                f"**Not differentiable at this point** — {where}. A kink (abs or relu at 0) has no derivative: "
                "`backward()` uses a convention and central differences average both sides, so there is "
                "nothing to grade. Move the point off the kink.",
                icon=":material/call_split:",
            )
            return
        worst = report.worst
        note = f"Worst of the {len(report.rows)} inputs: `{worst.name}`. Central differences with h = {report.h:g}."
        if any(r.note for r in report.rows):
            note += (
                " Inputs whose grad is 0 both ways count as agreeing (a relative error of 0/0 means nothing)."
            )
        level = check_badge(
            "Every input's grad: backward() vs central differences",
            worst.analytic,
            worst.numeric,
            worst.score,
            a_name=f"backward(), {worst.name}",
            b_name="central difference",
            note=note,
        )
        if level != "green":
            st.caption(
                "A kink (relu or abs at 0) has no derivative: `backward()` uses a convention (the slope of "
                "one side, or 0) while central differences average both sides. Move the point off the kink."
            )
        st.caption(
            thresholds_caption() + " Central differences only evaluate the plain-float function twice per "
            "input — no graph, no chain rule: an independent computation."
        )

    if names:
        _inputs_check()
    else:
        st.info(
            f"{out_name} uses none of x, y, z: a constant has no inputs to differentiate by.",
            icon=":material/info:",
        )

    st.subheader("Forward vs reverse mode")
    m = len(names)
    st.markdown(
        f"One backward pass gave **all {m}** partial derivatives of {out_name} at once. *Reverse mode* (this page, "
        f"PyTorch's `backward()`) pushes one number, ∂{out_name}/∂node, from the output back to every input. "
        f"*Forward mode* pushes derivatives the other way, from **one input at a time**: it would need {m} passes "
        f"through this graph for the same {m} numbers (central differences: {2 * m} evaluations of {out_name}, and "
        "only approximately). With one loss and millions of weights, that is the difference between one pass and "
        "millions — which is why deep learning runs on reverse mode. The price: every `data` of the forward pass "
        "has to be kept until the backward pass has used it."
    )

    return result["ops"]


ops = body()

show_code(
    *presets.methods_for_ops(ops),
    caption="The `Value` operations this graph uses (each stores its local derivatives in the forward pass) "
    "and the backward pass that applies them.",
)

from ui.challenge import challenge_panel

challenge_panel("autodiff")
