"""`st.cache_data` for the functions a page script defines, wrapped once per server process.

A page script runs again on every interaction, so `@st.cache_data` on a function defined in it makes
a new cached wrapper on every run, and Streamlit keys each new wrapper by the function's source
(`inspect.getsource`, tokenised): 6–10 % of a rerun's server CPU on Derivatives and Gradients.
Streamlit compiles a page once and keeps its code, so a function's code object is the same on every
run: the wrapper is made the first time that code object is seen and reused after. The cache itself
is Streamlit's, shared by every session as before.

A function cached this way reads only its arguments and module-level constants (it must already:
a cache hit returns a value computed in an earlier run).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import streamlit as st

F = TypeVar("F", bound=Callable[..., Any])

_wrappers: dict[tuple, Any] = {}
_lock = threading.Lock()


def data(**options: Any) -> Callable[[F], F]:
    """`@cache.data(max_entries=64, show_spinner=False)`: `@st.cache_data(...)`, made once per function."""

    def wrap(fn: F) -> F:
        key = (fn.__code__, fn.__module__, tuple(sorted(options.items())))
        with _lock:
            wrapper = _wrappers.get(key)
            if wrapper is None:
                wrapper = _wrappers[key] = st.cache_data(**options)(fn)
        return wrapper

    return wrap


def _freeze(value: Any, depth: int = 0) -> Any:
    """Make the NumPy arrays inside a shared result read-only (dicts, lists, tuples, dataclass-like objects),
    so a page that tried to change one in place would fail loudly instead of changing it for everyone."""
    if depth > 6:
        return value
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, dict):
        for v in value.values():
            _freeze(v, depth + 1)
    elif isinstance(value, list | tuple):
        for v in value:
            _freeze(v, depth + 1)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        for v in vars(value).values():
            _freeze(v, depth + 1)
    return value


def shared(**options: Any) -> Callable[[F], F]:
    """`@cache.shared(max_entries=32)`: `@st.cache_resource(...)` for a result that pages only read. Every
    session gets the same object: no copy, where `st.cache_data` unpickles a fresh copy on every hit
    (Activations' page data: 5 % of the server's CPU under a class of 100). Its arrays are made read-only.
    Wrapped once per function, like `data`."""

    def wrap(fn: F) -> F:
        key = ("shared", fn.__code__, fn.__module__, tuple(sorted(options.items())))
        with _lock:
            wrapper = _wrappers.get(key)
            if wrapper is None:

                @functools.wraps(fn)
                def frozen(*args: Any, **kwargs: Any) -> Any:
                    return _freeze(fn(*args, **kwargs))

                wrapper = _wrappers[key] = st.cache_resource(**options)(frozen)
        return wrapper

    return wrap
