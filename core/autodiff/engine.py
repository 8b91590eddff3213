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

- ``tanh exp log sigmoid sin cos`` (and ``number ** Value``) are built in, and division is its own
  node (∂(a/b)/∂a = 1/b, ∂/∂b = −(a/b)/b): no overflow through b⁻¹ for tiny b, and a
  division by a constant 0 gives ±inf/nan like every other out-of-domain input.
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

Here: ``Value``, ``topological_order`` and ``zero_grad``. ``core.autodiff.trace`` reads a graph
(``graph`` for drawing, ``backward_steps`` for a step-through view); ``core.autodiff.nn`` is
micrograd.nn's ``Neuron``/``Layer``/``MLP``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from operator import attrgetter

_INF = math.inf
_NAN = math.nan
_new = object.__new__


def _node(data: float, a: Value | None, b: Value | None, da: float, db: float, op: str) -> Value:
    """A new node: its value ``data`` from operands ``a``, ``b`` with local derivatives ``da``, ``db``."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out._a = a
    out._b = b
    out._da = da
    out._db = db
    out._op = op
    out.label = ""
    out._mark = None  # traversal scratch: see _count_uses
    out._cnt = 0
    return out


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


def _div(a: float, b: float) -> float:
    """``a / b`` with IEEE results: ±inf for a nonzero a over ±0, nan for 0/0."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return _NAN
        return math.copysign(_INF, a) * math.copysign(1.0, b)


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
    _mark: object
    _cnt: int

    def __init__(self, data: float, _children: Iterable[Value] = (), _op: str = "", label: str = "") -> None:
        self.data = float(data)
        self.grad = 0.0
        self._a = self._b = None
        self._da = self._db = 0.0
        self._op = _op
        self.label = label
        self._mark = None
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

    # -- primitives: the forward value, then the local derivative of each operand ---------

    def __add__(self, other: Value | float) -> Value:
        """a + b.  ∂/∂a = 1, ∂/∂b = 1."""
        b = other if type(other) is Value else _coerce(other)
        if b is NotImplemented:
            return NotImplemented
        return _node(self.data + b.data, self, b, 1.0, 1.0, "+")

    def __mul__(self, other: Value | float) -> Value:
        """a · b.  ∂/∂a = b, ∂/∂b = a."""
        b = other if type(other) is Value else _coerce(other)
        if b is NotImplemented:
            return NotImplemented
        return _node(self.data * b.data, self, b, b.data, self.data, "*")

    def __truediv__(self, other: Value | float) -> Value:
        """a / b.  ∂/∂a = 1/b, ∂/∂b = −(a/b)/b."""
        b = other if type(other) is Value else _coerce(other)
        if b is NotImplemented:
            return NotImplemented
        q = _div(self.data, b.data)
        return _node(q, self, b, _div(1.0, b.data), _div(-q, b.data), "/")

    def __pow__(self, other: float) -> Value:
        """a ** k for a number k.  ∂/∂a = k · a^(k−1)."""
        if isinstance(other, Value) or not isinstance(other, numbers.Real):
            raise TypeError(
                "only int/float powers are supported: for x ** y with y a Value use (y * x.log()).exp()"
            )
        a, k = self.data, other
        if k == 2:
            return _node(a * a, self, None, 2.0 * a, 0.0, f"**{other}")
        if k == 0:
            return _node(1.0, self, None, 0.0, 0.0, f"**{other}")
        return _node(_pow(a, k), self, None, k * _pow(a, k - 1), 0.0, f"**{other}")

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
        return _node(y, self, None, d, 0.0, f"{other}**")

    def relu(self) -> Value:
        """max(0, a).  ∂/∂a = 1 if a > 0 else 0."""
        a = self.data
        return _node(0.0 if a < 0 else a, self, None, 1.0 if a > 0 else 0.0, 0.0, "ReLU")

    def tanh(self) -> Value:
        """tanh(a).  ∂/∂a = 1 − tanh(a)², computed as 4e^(−2|a|)/(1 + e^(−2|a|))² (exact in the tails)."""
        a = self.data
        e = math.exp(-2.0 * min(abs(a), 1000.0))
        return _node(math.tanh(a), self, None, min(4.0 * e / (1.0 + e) ** 2, 1.0), 0.0, "tanh")

    def exp(self) -> Value:
        """e^a (inf past float range).  ∂/∂a = e^a."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            e = _INF
        return _node(e, self, None, e, 0.0, "exp")

    def log(self) -> Value:
        """ln a (−inf at 0, nan below).  ∂/∂a = 1/a."""
        a = self.data
        if a > 0:
            return _node(math.log(a), self, None, 1.0 / a, 0.0, "log")
        return _node(-_INF if a == 0 else _NAN, self, None, _INF if a == 0 else _NAN, 0.0, "log")

    def sigmoid(self) -> Value:
        """σ(a) = 1 / (1 + e^−a).  ∂/∂a = σ(a)(1 − σ(a)) = e^−|a| / (1 + e^−|a|)², both without overflow."""
        a = self.data
        e = math.exp(-abs(a))  # in (0, 1]; nan stays nan
        s = 1.0 / (1.0 + e) if a >= 0 else e / (1.0 + e)
        return _node(s, self, None, min(e / (1.0 + e) ** 2, 0.25), 0.0, "sigmoid")

    def sin(self) -> Value:
        """sin(a) (nan at ±inf).  ∂/∂a = cos(a)."""
        a = self.data
        if math.isinf(a):
            return _node(_NAN, self, None, _NAN, 0.0, "sin")
        return _node(math.sin(a), self, None, math.cos(a), 0.0, "sin")

    def cos(self) -> Value:
        """cos(a) (nan at ±inf).  ∂/∂a = −sin(a)."""
        a = self.data
        if math.isinf(a):
            return _node(_NAN, self, None, _NAN, 0.0, "cos")
        return _node(math.cos(a), self, None, -math.sin(a), 0.0, "cos")

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

    def __rtruediv__(self, other: float) -> Value:
        """c / a, a division node with the constant c on top."""
        c = _coerce(other)
        if c is NotImplemented:
            return NotImplemented
        return c / self

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
        return _node(float(x), None, None, 0.0, 0.0, "")
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real):  # bool, NumPy scalars, fractions...
        return _node(float(x), None, None, 0.0, 0.0, "")
    return NotImplemented


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
