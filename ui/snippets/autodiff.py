"""Autodiff: a tiny reverse-mode engine in the style of micrograd (no libraries at all)."""

import math


class Value:
    def __init__(self, data, parents=(), local=()):
        self.data, self.grad, self.parents, self.local = data, 0.0, parents, local

    def __add__(self, o):
        return Value(self.data + o.data, (self, o), (1.0, 1.0))

    def __mul__(self, o):
        return Value(self.data * o.data, (self, o), (o.data, self.data))  # ∂(ab)/∂a = b

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1 - t * t,))

    def backward(self):
        order, seen = [], set()

        def visit(node):  # topological order: every node after its parents
            if id(node) not in seen:
                seen.add(id(node))
                for p in node.parents:
                    visit(p)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):  # chain rule, from the output back to the inputs
            for parent, local in zip(node.parents, node.local, strict=True):
                parent.grad += local * node.grad


x, y = Value(2.0), Value(-3.0)
f = (x * y + x).tanh()
f.backward()
print(f"f = {f.data:.6f}, df/dx = {x.grad:.6f}, df/dy = {y.grad:.6f}")
