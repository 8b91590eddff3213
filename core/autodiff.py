"""A scalar reverse-mode autodiff engine with micrograd's API, and a little more.

``Value`` wraps one float. Every arithmetic operation on Values builds a new node that
remembers its inputs (``_prev``) and, computed right away in the forward pass, the local
derivative of its output with respect to each input (``_local``). ``backward()`` walks the
graph from the output back to the inputs in reverse topological order and applies the chain
rule: ``input.grad += local * output.grad``.

micrograd's examples run unchanged with ``from core.autodiff import Value`` (the same
constructor ``Value(data, _children=(), _op='')``, ``data``/``grad``/``_prev``/``_op``
attributes, operators and ``relu``/``backward``), and ``Neuron``/``Layer``/``MLP`` mirror
``micrograd.nn``. Differences from micrograd, all deliberate:

- ``tanh exp log sigmoid sin cos`` (and ``number ** Value``) are built in.
- Graph traversal is iterative: a graph a million operations deep backpropagates without
  ``RecursionError``. A training step is several times faster than micrograd's
  (``benchmarks/autodiff.py``).
- Data is stored as a Python ``float`` (float64). Out-of-domain inputs follow IEEE / NumPy
  rather than raising: ``log(0) = -inf``, ``log(-1) = nan``, ``0 ** -1 = inf``,
  ``(-8) ** (1/3) = nan``, ``exp(1000) = inf``, ``sin(inf) = nan``; no warnings either way.
  A graph built from any finite input always completes; callers check ``math.isfinite``.
- ``backward()`` adds d(root)/d(node) to *every* node's ``grad`` (the root gains 1), so a
  second call without ``zero_grad`` exactly doubles all gradients. (micrograd resets the
  root to 1 and re-propagates the already accumulated intermediate grads, so its deeper
  leaves gain more than one extra copy.) Call ``zero_grad(root)`` or ``model.zero_grad()``
  between passes.
- Values compare and hash by identity (as in micrograd); ``_prev`` is a tuple with one
  entry per operand (``a * a`` lists ``a`` twice), not a set. A node has at most two operands.
- Each node's backward is data (the local derivatives, computed in the forward pass), not a
  closure, so ``_backward`` is a method rather than an assignable attribute, and graphs hold
  no reference cycles: they are freed as soon as the last reference goes.
- As in any engine, two threads must not run ``backward`` on one graph at the same time;
  the read-only helpers below are safe to share.

Module functions: ``topological_order``, ``graph`` (for drawing), ``backward_steps`` (the
ordered local chain-rule steps, for a step-through view) and ``zero_grad``.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

__all__ = [
    "Value",
    "GraphNode",
    "BackwardTerm",
    "BackwardStep",
    "topological_order",
    "graph",
    "backward_steps",
    "zero_grad",
    "Module",
    "Neuron",
    "Layer",
    "MLP",
]

_INF = math.inf
_NAN = math.nan
_new = object.__new__


def _pow(base: float, exponent: float) -> float:
    """``base ** exponent`` as a float with IEEE results instead of errors or complex numbers."""
    try:
        r = base**exponent
    except (ZeroDivisionError, OverflowError):
        # 0 ** negative (ZeroDivisionError) or a result beyond float range (OverflowError):
        # infinite, negative only for a negative base raised to an odd integer power.
        odd = exponent % 2 == 1
        return -_INF if odd and math.copysign(1.0, base) < 0 else _INF
    if type(r) is complex:  # negative base, fractional exponent
        return _NAN
    return float(r)


class Value:
    """One scalar in a computation graph: ``data``, ``grad`` and the operation that made it.

    ``Value(data, _children=(), _op='', label='')``; ``data`` is converted to ``float``.
    A node has at most two operands, kept in slots ``_a`` and ``_b`` together with the local
    derivatives ``_da`` = ∂self/∂a and ``_db`` = ∂self/∂b, filled in by the forward pass.
    ``_prev`` (the operands) and ``_local`` (their local derivatives) are tuple views of
    these; ``_op`` names the operation and ``label`` is an optional display name.
    A node built by hand with ``_children`` (micrograd style) gets local derivatives 0, so
    no gradient flows through it, as with micrograd's default no-op ``_backward``.
    """

    __slots__ = ("data", "grad", "_a", "_b", "_da", "_db", "_op", "label", "_mark", "_cnt")
    __array_ufunc__ = None  # ``np.float64(2) * v`` defers to ``Value.__rmul__``

    data: float
    grad: float
    _a: Value | None
    _b: Value | None
    _da: float
    _db: float
    _op: str
    label: str

    def __init__(self, data: float, _children: Iterable[Value] = (), _op: str = "", label: str = "") -> None:
        self.data = float(data)
        self.grad = 0.0
        self._a = self._b = None
        self._da = self._db = 0.0
        self._op = _op
        self.label = label
        self._mark = None  # traversal scratch: see _count_uses
        self._cnt = 0
        if _children:
            children = tuple(_children)
            if len(children) > 2 or not all(isinstance(c, Value) for c in children):
                raise ValueError("a Value node has at most two operands, each a Value")
            self._a = children[0]
            if len(children) == 2:
                self._b = children[1]

    @property
    def _prev(self) -> tuple[Value, ...]:
        """The operands, one entry per operand slot (``a * a`` lists ``a`` twice)."""
        a = self._a
        if a is None:
            return ()
        b = self._b
        return (a,) if b is None else (a, b)

    @property
    def _local(self) -> tuple[float, ...]:
        """∂self/∂operand for each operand of ``_prev``, in the same order."""
        if self._a is None:
            return ()
        return (self._da,) if self._b is None else (self._da, self._db)

    # -- primitives: forward value and local derivatives side by side -------------------
    # (add and mul build their node inline: they are most of any network's graph)

    def __add__(self, other: Value | float) -> Value:
        """a + b.  ∂/∂a = 1, ∂/∂b = 1."""
        if type(other) is not Value:
            other = _coerce(other)
            if other is NotImplemented:
                return NotImplemented
        out = _new(Value)
        out.data = self.data + other.data
        out.grad = 0.0
        out._a = self
        out._b = other
        out._da = 1.0
        out._db = 1.0
        out._op = "+"
        out.label = ""
        out._mark = None
        out._cnt = 0
        return out

    def __mul__(self, other: Value | float) -> Value:
        """a · b.  ∂/∂a = b, ∂/∂b = a."""
        if type(other) is not Value:
            other = _coerce(other)
            if other is NotImplemented:
                return NotImplemented
        a = self.data
        b = other.data
        out = _new(Value)
        out.data = a * b
        out.grad = 0.0
        out._a = self
        out._b = other
        out._da = b
        out._db = a
        out._op = "*"
        out.label = ""
        out._mark = None
        out._cnt = 0
        return out

    def __pow__(self, other: float) -> Value:
        """a ** k for a number k.  ∂/∂a = k · a^(k−1)."""
        if isinstance(other, Value) or not isinstance(other, numbers.Real):
            raise TypeError(
                "only int/float powers are supported: for x ** y with y a Value use (y * x.log()).exp()"
            )
        a = self.data
        k = other
        if k == 2:
            y, d = a * a, 2.0 * a
        elif k == -1:
            y = _pow(a, -1.0)
            d = -(y * y)
        elif k == 0:
            y, d = 1.0, 0.0
        else:
            y, d = _pow(a, k), k * _pow(a, k - 1)
        return _unary(self, y, d, f"**{other}")

    def __rpow__(self, other: float) -> Value:
        """c ** a for a number c.  ∂/∂a = c^a · ln c."""
        if not isinstance(other, numbers.Real):
            return NotImplemented
        c = float(other)
        y = _pow(c, self.data)
        if c > 0:
            d = y * math.log(c)
        elif c == 0:
            d = 0.0 if self.data > 0 else _NAN
        else:
            d = _NAN
        return _unary(self, y, d, f"{other}**")

    def relu(self) -> Value:
        """max(0, a).  ∂/∂a = 1 if a > 0 else 0."""
        a = self.data
        return _unary(self, 0.0 if a < 0 else a, 1.0 if a > 0 else 0.0, "ReLU")

    def tanh(self) -> Value:
        """tanh(a).  ∂/∂a = 1 − tanh(a)²."""
        t = math.tanh(self.data)
        return _unary(self, t, 1.0 - t * t, "tanh")

    def exp(self) -> Value:
        """e^a (inf past float range).  ∂/∂a = e^a."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            e = _INF
        return _unary(self, e, e, "exp")

    def log(self) -> Value:
        """ln a (−inf at 0, nan below).  ∂/∂a = 1/a."""
        a = self.data
        if a > 0:
            return _unary(self, math.log(a), 1.0 / a, "log")
        if a == 0:
            return _unary(self, -_INF, _INF, "log")
        return _unary(self, _NAN, _NAN, "log")  # negative or nan

    def sigmoid(self) -> Value:
        """σ(a) = 1 / (1 + e^−a), computed without overflow.  ∂/∂a = σ(a)(1 − σ(a))."""
        a = self.data
        if a >= 0:
            s = 1.0 / (1.0 + math.exp(-a))
        elif a < 0:
            e = math.exp(a)
            s = e / (1.0 + e)
        else:  # nan
            s = _NAN
        return _unary(self, s, s * (1.0 - s), "sigmoid")

    def sin(self) -> Value:
        """sin(a) (nan at ±inf).  ∂/∂a = cos(a)."""
        a = self.data
        if math.isinf(a):
            return _unary(self, _NAN, _NAN, "sin")
        return _unary(self, math.sin(a), math.cos(a), "sin")

    def cos(self) -> Value:
        """cos(a) (nan at ±inf).  ∂/∂a = −sin(a)."""
        a = self.data
        if math.isinf(a):
            return _unary(self, _NAN, _NAN, "cos")
        return _unary(self, math.cos(a), -math.sin(a), "cos")

    # -- derived operations: built from the primitives, no backward of their own --------

    def __neg__(self) -> Value:
        """−a = a · (−1)."""
        return self * -1

    def __radd__(self, other: float) -> Value:
        """c + a = a + c."""
        return self + other

    def __sub__(self, other: Value | float) -> Value:
        """a − b = a + (−b)."""
        return self + (-other)

    def __rsub__(self, other: float) -> Value:
        """c − a = c + (−a)."""
        return other + (-self)

    def __rmul__(self, other: float) -> Value:
        """c · a = a · c."""
        return self * other

    def __truediv__(self, other: Value | float) -> Value:
        """a / b = a · b^−1."""
        return self * other**-1

    def __rtruediv__(self, other: float) -> Value:
        """c / a = c · a^−1."""
        return other * self**-1

    # -- reverse mode ----------------------------------------------------------------------

    def _backward(self) -> None:
        """Apply this node's local chain rule once: ``operand.grad += local · self.grad``."""
        g = self.grad
        if self._a is not None:
            self._a.grad += self._da * g
        if self._b is not None:
            self._b.grad += self._db * g

    def backward(self) -> None:
        """Add d(self)/d(node) to every node's ``grad`` in the graph ending at ``self``.

        Gradients accumulate: nothing is zeroed first, so a second call adds a second copy
        (use ``zero_grad(root)`` in between). Iterative: works on arbitrarily deep graphs.
        """
        nodes = _count_uses(self, object())
        if any(map(_get_grad, nodes)):
            # Leftover grads: run this pass on zeroed grads, then add the old ones back, so
            # each node gains exactly d(self)/d(node).
            saved = [v.grad for v in nodes]
            for v in nodes:
                v.grad = 0.0
            _propagate(self)
            for v, g in zip(nodes, saved, strict=True):
                v.grad += g
        else:
            _propagate(self)

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"


_get_grad = attrgetter("grad")


def _coerce(x: object) -> Value:
    """``x`` itself if it is a Value, a constant leaf for a real number, else NotImplemented."""
    if type(x) is float or type(x) is int:  # fast path before the slower ABC check
        return _const(x)
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real):  # bool, NumPy scalars, fractions...
        return _const(x)
    return NotImplemented


def _const(x: float) -> Value:
    """A leaf Value for a Python number that appears in an expression (``2 * x``)."""
    v = _new(Value)
    v.data = float(x)
    v.grad = 0.0
    v._a = v._b = None
    v._da = v._db = 0.0
    v._op = ""
    v.label = ""
    v._mark = None
    v._cnt = 0
    return v


def _unary(a: Value, y: float, d: float, op: str) -> Value:
    """A node with output ``y`` of the single operand ``a``, local derivative ``d``."""
    out = _new(Value)
    out.data = y
    out.grad = 0.0
    out._a = a
    out._b = None
    out._da = d
    out._db = 0.0
    out._op = op
    out.label = ""
    out._mark = None
    out._cnt = 0
    return out


# -- graph traversal (iterative: no recursion, any depth) ---------------------------------------
#
# Reverse mode needs each node's grad to be complete before it is passed on: a node is
# processed only after every node that uses it. So we first count how many times nodes of the
# graph use each node, then start at the root and release a node when its count drops to 0
# (Kahn's algorithm). ``backward`` and ``zero_grad``, which mutate the graph anyway, keep the
# counts in private per-node slots (``_mark``/``_cnt``, with a token fresh to each call): in
# Python this is much faster than a dict or a depth-first sort with visited sets. The read-only
# helpers (``topological_order``, ``graph``, ``backward_steps``) count in a local dict and never
# write to the nodes, so drawing a shared graph from several threads is safe. (Running
# ``backward`` on one graph from two threads at once is not, as in any engine.)


def _count_uses(root: Value, token: object) -> list[Value]:
    """Mark every node of the graph with ``token``, count its uses in ``_cnt``; list them."""
    root._mark = token
    root._cnt = 0
    nodes = [root]
    stack = [root]
    push = stack.append
    pop = stack.pop
    add = nodes.append
    while stack:
        v = pop()
        a = v._a
        if a is not None:
            if a._mark is token:
                a._cnt += 1
            else:
                a._mark = token
                a._cnt = 1
                push(a)
                add(a)
            b = v._b
            if b is not None:
                if b._mark is token:
                    b._cnt += 1
                else:
                    b._mark = token
                    b._cnt = 1
                    push(b)
                    add(b)
    return nodes


def _propagate(root: Value) -> None:
    """One backward pass after ``_count_uses(root)``: seed 1, apply every local chain rule."""
    root.grad += 1.0
    ready = [root]
    push = ready.append
    pop = ready.pop
    while ready:
        v = pop()
        a = v._a
        if a is not None:
            g = v.grad
            a.grad += v._da * g
            k = a._cnt - 1
            a._cnt = k
            if not k:
                push(a)
            b = v._b
            if b is not None:
                b.grad += v._db * g
                k = b._cnt - 1
                b._cnt = k
                if not k:
                    push(b)


def topological_order(root: Value) -> list[Value]:
    """Every node the root depends on, each after all of its inputs (inputs first, root last).

    Read-only (the nodes are not written to); iterative, so any depth works.
    """
    uses: dict[Value, int] = {root: 0}
    get = uses.get
    stack = [root]
    push = stack.append
    pop = stack.pop
    while stack:
        for c in pop()._prev:
            k = get(c)
            if k is None:
                uses[c] = 1
                push(c)
            else:
                uses[c] = k + 1
    order: list[Value] = []
    emit = order.append
    ready = [root]
    push = ready.append
    pop = ready.pop
    while ready:
        v = pop()
        emit(v)
        for c in v._prev:
            k = uses[c] - 1
            uses[c] = k
            if not k:
                push(c)
    order.reverse()
    return order


def zero_grad(root: Value) -> None:
    """Set the ``grad`` of every node in the graph ending at ``root`` to 0."""
    for v in _count_uses(root, object()):
        v.grad = 0.0


@dataclass(frozen=True, slots=True)
class GraphNode:
    """One node of ``graph(root)``: ``id`` is its index in ``topological_order(root)``.

    ``name`` is ``label`` if set, else ``f"v{id}"``; ``op`` is ``''`` for inputs and constants.
    """

    id: int
    name: str
    label: str
    op: str
    data: float
    grad: float


def _names(topo: Sequence[Value]) -> list[str]:
    return [v.label or f"v{i}" for i, v in enumerate(topo)]


def graph(root: Value) -> tuple[list[GraphNode], list[tuple[int, int]]]:
    """Nodes and edges of the graph ending at ``root``, for drawing (e.g. with graphviz).

    Nodes are in topological order (inputs first); an edge ``(child_id, parent_id)`` runs from
    an operand to the node that used it, one edge per operand slot (``a * a`` gives two).
    """
    topo = topological_order(root)
    index = {v: i for i, v in enumerate(topo)}
    names = _names(topo)
    nodes = [
        GraphNode(id=i, name=names[i], label=v.label, op=v._op, data=v.data, grad=v.grad)
        for i, v in enumerate(topo)
    ]
    edges = [(index[c], i) for i, v in enumerate(topo) for c in v._prev]
    return nodes, edges


@dataclass(frozen=True, slots=True)
class BackwardTerm:
    """One operand's share of a backward step: ``input.grad += local · upstream``.

    ``formula`` is symbolic, e.g. ``"∂c/∂a = b"``; ``local`` its value; ``upstream`` the
    processed node's grad; ``contribution = local · upstream``; ``grad_after`` the operand's
    grad once the contribution is added.
    """

    input_id: int
    input_name: str
    local: float
    formula: str
    upstream: float
    contribution: float
    grad_after: float


@dataclass(frozen=True, slots=True)
class BackwardStep:
    """Processing one node in backward order: its (now final) ``grad`` flows to its operands.

    ``node_id`` indexes ``topological_order(root)`` / ``graph(root)``; ``terms`` has one entry
    per operand (empty for inputs and constants); ``grads`` is every node's grad, indexed by id,
    after this step.
    """

    node_id: int
    name: str
    op: str
    data: float
    grad: float
    terms: tuple[BackwardTerm, ...]
    grads: tuple[float, ...]


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _local_formula(v: Value, k: int, out: str, terms: list[str]) -> str:
    """Symbolic ∂out/∂(operand k) for node ``v``; ``terms`` are the operands as they'd be written."""
    op = v._op
    a = terms[k]
    head = f"∂{out}/∂{a} = "
    if op == "+":
        return head + "1"
    if op == "*":
        return head + terms[1 - k] if len(terms) == 2 else head + "?"
    if op.startswith("**"):
        p = float(op[2:])
        if p == 2:
            return head + f"2·{a}"
        q = _fmt(p - 1) if p >= 1 else f"({_fmt(p - 1)})"
        return head + f"{_fmt(p)}·{a}^{q}"
    if op.endswith("**"):
        c = op[:-2]
        return head + f"{c}^{a}·ln {c} = {out}·ln {c}"
    rules = {
        "ReLU": f"[{a} > 0]",
        "tanh": f"1 − tanh({a})² = 1 − {out}²",
        "exp": f"exp({a}) = {out}",
        "log": f"1/{a}",
        "sigmoid": f"σ({a})·(1 − σ({a})) = {out}·(1 − {out})",
        "sin": f"cos({a})",
        "cos": f"−sin({a})",
    }
    return head + rules.get(op, "?")


def backward_steps(root: Value, max_nodes: int = 2000) -> list[BackwardStep]:
    """The chain-rule steps ``root.backward()`` takes, one per node, root first (grad 1).

    Same order as ``backward()`` (the reverse of ``topological_order(root)``), computed on the
    side from the stored data and local derivatives as one backward pass from zero grads: the
    graph's own ``grad`` fields are not touched. Each step copies all grads (O(nodes²) in
    total), so graphs larger than ``max_nodes`` raise ``ValueError``: this is for the small
    graphs of a step-through view.
    """
    topo = topological_order(root)
    if len(topo) > max_nodes:
        raise ValueError(
            f"backward_steps is for small graphs: this one has {len(topo)} nodes (max_nodes={max_nodes})"
        )
    index = {v: i for i, v in enumerate(topo)}
    names = _names(topo)
    # How an operand is written inside a formula: its name, or its number for a constant.
    written = [names[i] if (v.label or v._prev) else _fmt(v.data) for i, v in enumerate(topo)]
    grads = [0.0] * len(topo)
    grads[-1] = 1.0
    steps: list[BackwardStep] = []
    for i in range(len(topo) - 1, -1, -1):
        v = topo[i]
        up = grads[i]
        operands = [index[c] for c in v._prev]
        operand_terms = [written[j] for j in operands]
        terms = []
        for k, (j, d) in enumerate(zip(operands, v._local, strict=False)):
            contribution = d * up
            grads[j] += contribution
            terms.append(
                BackwardTerm(
                    input_id=j,
                    input_name=names[j],
                    local=d,
                    formula=_local_formula(v, k, names[i], operand_terms),
                    upstream=up,
                    contribution=contribution,
                    grad_after=grads[j],
                )
            )
        steps.append(
            BackwardStep(
                node_id=i,
                name=names[i],
                op=v._op,
                data=v.data,
                grad=up,
                terms=tuple(terms),
                grads=tuple(grads),
            )
        )
    return steps


# -- a tiny neural-network library (micrograd.nn's API) ----------------------------------------


class Module:
    """Base class: ``parameters()`` and ``zero_grad()``."""

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0."""
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        """All trainable Values."""
        return []


_ACTIVATIONS = ("relu", "tanh", "sigmoid")


class Neuron(Module):
    """``act(b + Σ wᵢ·xᵢ)``; weights uniform in [−1, 1] from ``rng``, bias 0 (as micrograd)."""

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        *,
        activation: str = "relu",
        rng: random.Random | None = None,
    ) -> None:
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be one of {_ACTIVATIONS}, got {activation!r}")
        rng = rng if rng is not None else random.Random(0)
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin
        self.activation = activation

    def __call__(self, x: Sequence[Value | float]) -> Value:
        act = sum((wi * xi for wi, xi in zip(self.w, x, strict=False)), self.b)
        if not self.nonlin:
            return act
        if self.activation == "relu":
            return act.relu()
        return act.tanh() if self.activation == "tanh" else act.sigmoid()

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        kind = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}[self.activation]
        return f"{kind if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same inputs; one output is returned bare (as micrograd)."""

    def __init__(
        self,
        nin: int,
        nout: int,
        nonlin: bool = True,
        *,
        activation: str = "relu",
        rng: random.Random | None = None,
    ) -> None:
        rng = rng if rng is not None else random.Random(0)
        self.neurons = [Neuron(nin, nonlin, activation=activation, rng=rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """``MLP(nin, nouts)``: layers of sizes ``nouts``, nonlinear except the last (as micrograd).

    Weights come from ``random.Random(seed)``: the same seed gives the same network.
    """

    def __init__(self, nin: int, nouts: Sequence[int], *, activation: str = "relu", seed: int = 0) -> None:
        rng = random.Random(seed)
        sz = [nin, *nouts]
        self.layers = [
            Layer(sz[i], sz[i + 1], nonlin=i != len(nouts) - 1, activation=activation, rng=rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
