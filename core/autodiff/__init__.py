"""Reverse-mode autodiff on scalars: the ``Value`` engine, micrograd.nn's network classes, and graph tracing.

``from core.autodiff import Value`` is all micrograd's examples need. The package is cut as the
lesson is: ``engine`` (Value: each op's forward value next to its local derivatives, and
backward), ``nn`` (Neuron, Layer, MLP) and ``trace`` (graph for drawing, backward step by step).
"""

from core.autodiff.engine import Value, topological_order, zero_grad
from core.autodiff.nn import MLP, Layer, Module, Neuron
from core.autodiff.trace import BackwardStep, BackwardTerm, GraphNode, backward_steps, graph

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
