"""Gradient Lab's calculus core: pure NumPy + the standard library.

Every module here is usable from a notebook: no Streamlit, Altair or pandas, no printing,
no global state. Each function documents its formula in one line; each derivative sits
next to the function it differentiates.
"""
