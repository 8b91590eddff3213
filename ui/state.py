"""URL state: every widget's value lives in `st.query_params`, so a link reproduces the page.

A page makes one `UrlState("<url_path>")` and creates its widgets through it. On a widget's first
render in a session the value comes from the link if the link has a valid one, else from the
default; a parameter that is malformed (wrong type, out of range, NaN, too long, unknown option)
falls back to the default and leaves a visible notice. After every render the widget's current
value is written back to the URL, so the address bar always reproduces what is on screen.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import streamlit as st

from ui.text import inert

MAX_PARAM_CHARS = 500  # longest accepted link value (a typed expression is at most this long)
RESERVED = ("embed", "embed_options")  # Streamlit's own query parameters
_run = threading.local()  # the UrlState of the current script run (one script thread per run)


@dataclass(frozen=True)
class Param:
    """How one URL parameter is read, validated and written."""

    kind: str  # "float" | "int" | "choice" | "multi" | "bool" | "text"
    default: Any
    lo: float | None = None
    hi: float | None = None
    options: tuple = ()
    max_len: int = MAX_PARAM_CHARS
    snap: bool = False  # numeric value snapped to the nearest option (log-scale sliders)
    max_items: int | None = None

    def format(self, value: Any) -> str:
        if self.kind == "float":
            return f"{float(value):.12g}"
        if self.kind == "int":
            return str(int(value))
        if self.kind == "bool":
            return "1" if value else "0"
        if self.kind == "multi":
            return ",".join(str(v) for v in value)
        return str(value)

    def parse(self, raw: str) -> tuple[Any, str | None]:
        """(value, None) for a valid link value, else (default, why it was refused)."""
        if len(raw) > self.max_len:
            return self.default, f"is {len(raw):,} characters long (at most {self.max_len})"
        text = raw.strip()
        if self.kind in ("float", "int"):
            try:
                x = float(text)
            except ValueError:
                return self.default, f"{inert(raw)} is not a number"
            if not math.isfinite(x):
                return self.default, f"{inert(raw)} is not a finite number"
            x += 0.0  # -0 from a link is 0 (printed as "0", not "-0")
            if self.kind == "int":
                if x != int(x):
                    return self.default, f"{inert(raw)} is not a whole number"
                x = int(x)
            if self.snap and self.options:
                if not (min(self.options) <= x <= max(self.options)):
                    return (
                        self.default,
                        f"{inert(raw)} is outside [{min(self.options):g}, {max(self.options):g}]",
                    )
                x = min(self.options, key=lambda o: abs(math.log(o / x)) if x > 0 and o > 0 else abs(o - x))
            elif self.lo is not None and self.hi is not None and not (self.lo <= x <= self.hi):
                return self.default, f"{inert(raw)} is outside [{self.lo:g}, {self.hi:g}]"
            return x, None
        if self.kind == "bool":
            low = text.lower()
            if low in ("1", "true", "yes", "on"):
                return True, None
            if low in ("0", "false", "no", "off"):
                return False, None
            return self.default, f"{inert(raw)} is not on/off (use 1 or 0)"
        if self.kind == "choice":
            if text in self.options:
                return text, None
            return self.default, f"{inert(raw)} is not one of {', '.join(map(str, self.options))}"
        if self.kind == "multi":
            items = list(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))  # duplicates once
            bad = [t for t in items if t not in self.options]
            if bad:
                return self.default, f"{inert(bad[0])} is not one of {', '.join(map(str, self.options))}"
            if self.max_items is not None and len(items) > self.max_items:
                return self.default, f"has {len(items)} items (at most {self.max_items})"
            if not items:
                return self.default, "is empty"
            return items, None
        if "\x00" in raw:
            return self.default, "contains a NUL character"
        return raw, None


def _width(width: int | str | None) -> dict[str, Any]:
    """`width=` for a widget call when a page asks for one (pixels, "stretch" or "content"), else Streamlit's
    own default for that widget (a slider stretches, a toggle fits its content)."""
    return {} if width is None else {"width": width}


@dataclass
class UrlState:
    """The URL-backed widgets of one page; widget keys are `"<page>.<name>"`."""

    page: str
    specs: dict[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ss = st.session_state
        self._notice_box = st.container()
        self._notices_key = f"{self.page}._notices"
        self._kept = ss.setdefault(f"{self.page}._kept", {})  # survives Streamlit's widget clean-up
        # The link of this run, compared with the address this page left the last time it ran:
        # a different one (a new link, Back/Forward) is read afresh and owns the notices shown.
        self._incoming = {k: st.query_params.get_all(k) for k in st.query_params if k not in RESERVED}
        self._last = ss.get(f"{self.page}._url") or {}
        # A run that st.rerun() started continues the last one: its address is the one just written
        # (AppTest even sends the one before), never a new link.
        self._link_changed = self._incoming != ss.get(f"{self.page}._url") and not ss.pop("_url_rerun", False)
        self._arrived = ss.get("_url_last_page") != self.page  # back from another page (or first visit)
        self._last_rendered = ss.get(f"{self.page}._rendered", set()) if not self._arrived else set()
        if self._link_changed:
            ss[self._notices_key] = []
        ss.setdefault(self._notices_key, [])
        for note in ss[self._notices_key]:
            self._notice_box.warning(note, icon=":material/link_off:")
        if ss[self._notices_key]:
            self._notice_box.button(
                "Dismiss", key=f"{self.page}._dismiss", type="tertiary", on_click=ss[self._notices_key].clear
            )
        self._pending: dict[str, str | None] = {}
        _run.state = self  # its parameters are written once, at the end of the run (flush)
        ss["_url_specs"] = self.specs  # read by the generic tests

    # -- plumbing -------------------------------------------------------------------------
    def key(self, name: str) -> str:
        return f"{self.page}.{name}"

    def _prepare(self, name: str, param: Param) -> str:
        self.specs[name] = param
        key = self.key(name)
        raws = self._incoming.get(name) if self._link_changed else None
        # The widget was just moved in this run (its value is not the one this page last kept): the move
        # wins over an address the browser sent with its rerun, which can be one write behind.
        moved = key in st.session_state and name in self._kept and st.session_state[key] != self._kept[name]
        if (
            raws and raws != self._last.get(name) and not moved
        ):  # a link (or Back/Forward) brought a new value
            value, problem = param.parse(raws[-1])
            if problem:
                note = (
                    f"Link parameter `{name}` {problem}; using the default "
                    f"`{param.format(param.default)}` instead."
                )
                st.session_state[self._notices_key].append(note)
                self._notice_box.warning(note, icon=":material/link_off:")
            if st.session_state.get(key) != value:
                st.session_state[key] = value
        elif key not in st.session_state:
            # Streamlit forgot the value because the widget was not drawn (another page was shown, or the
            # page stopped early on a typo, or the widget was hidden): restore it. A widget drawn in the
            # last run whose value is gone was reset on purpose (a preset): its default.
            kept = name not in self._last_rendered
            st.session_state[key] = self._kept.get(name, param.default) if kept else param.default
        return key

    def _sync(self, name: str, value: Any) -> Any:
        self._kept[name] = value
        text = self._pending[name] = self.specs[name].format(value)
        # A fragment's rerun: no end-of-run flush follows, so a value the address does not show yet is
        # written now. One read of its own parameter first: a flush reads the whole address, and with
        # every widget flushing, Playground's 20 widgets spent 15 % of a rerun there.
        if getattr(_run, "state", None) is not self and st.query_params.get_all(name) != [text]:
            self.flush()
        return value

    def flush(self) -> None:
        """Write every parameter of this run to the address at once: one history entry, not one each."""
        current = {k: st.query_params.get_all(k) for k in st.query_params if k not in RESERVED}
        target = _changed(_changed(current, self._pending), _take_queued())
        _write(current, target)
        st.session_state[f"{self.page}._url"] = target
        if getattr(_run, "state", None) is self or not st.session_state.get(f"{self.page}._rendered"):
            st.session_state[f"{self.page}._rendered"] = set(self._pending)
        self._incoming, self._last, self._link_changed = target, target, False  # fragments rerun after this

    def get(self, name: str) -> Any:
        return st.session_state[self.key(name)]

    @property
    def arrived(self) -> bool:
        """This run draws the page afresh: the first run after another page (or the session's first). A
        fragment's rerun never is one (its page is on screen)."""
        return self._arrived and not _fragment_rerun()

    def prepare(self, name: str, param: Param) -> str:
        """For a control drawn by a component (ui.stepper): its session key, holding the value a link, the
        last run or the default gives, read and refused exactly as a widget's would be; `keep` it once drawn."""
        return self._prepare(name, param)

    def keep(self, name: str, value: Any) -> Any:
        """A component-drawn control's value of this run: kept and written into the link like a widget's."""
        return self._sync(name, value)

    def set(self, name: str, value: Any) -> None:
        """Set a widget's value; call from a callback (before the widget renders) or before it."""
        st.session_state[self.key(name)] = value

    def apply(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            self.set(name, value)

    # -- widgets --------------------------------------------------------------------------
    def slider(
        self,
        name: str,
        label: str,
        lo: float,
        hi: float,
        default: float,
        step: float | None = None,
        *,
        help: str | None = None,
        format: str | None = None,
        container=st,
        width: int | str | None = None,
        on_change: Callable | None = None,
        disabled: bool = False,
    ) -> float:
        is_int = all(isinstance(v, int) for v in (lo, hi, default)) and (
            step is None or isinstance(step, int)
        )
        param = Param("int" if is_int else "float", default, lo, hi)
        key = self._prepare(name, param)
        value = container.slider(
            label,
            min_value=lo,
            max_value=hi,
            step=step,
            key=key,
            help=help,
            format=format,
            on_change=on_change,
            disabled=disabled,
            **_width(width),
        )
        return self._sync(name, value)

    def number(
        self,
        name: str,
        label: str,
        lo: float,
        hi: float,
        default: float,
        step: float | None = None,
        *,
        help: str | None = None,
        format: str | None = None,
        container=st,
        width: int | str | None = None,
    ) -> float:
        is_int = all(isinstance(v, int) for v in (lo, hi, default)) and (
            step is None or isinstance(step, int)
        )
        param = Param("int" if is_int else "float", default, lo, hi)
        key = self._prepare(name, param)
        value = container.number_input(
            label, min_value=lo, max_value=hi, step=step, key=key, help=help, format=format, **_width(width)
        )
        return self._sync(name, value)

    def log_slider(
        self,
        name: str,
        label: str,
        options: Sequence[float],
        default: float,
        *,
        help: str | None = None,
        container=st,
        width: int | str | None = None,
        on_change: Callable | None = None,
    ) -> float:
        """A slider over log-spaced values (e.g. learning rates); links snap to the nearest one."""
        opts = tuple(float(o) for o in options)
        param = Param("float", float(default), min(opts), max(opts), options=opts, snap=True)
        key = self._prepare(name, param)
        value = container.select_slider(
            label,
            options=opts,
            key=key,
            help=help,
            format_func=lambda v: f"{v:g}",
            on_change=on_change,
            **_width(width),
        )
        return self._sync(name, value)

    def select(
        self,
        name: str,
        label: str,
        options: Sequence[str],
        default: str,
        *,
        format_func: Callable[[str], str] = str,
        help: str | None = None,
        container=st,
        width: int | str | None = None,
        on_change: Callable | None = None,
        radio: bool = False,
    ) -> str:
        param = Param("choice", default, options=tuple(options))
        key = self._prepare(name, param)
        widget = container.radio if radio else container.selectbox
        kwargs = {"horizontal": True} if radio else {}
        value = widget(
            label,
            options=list(options),
            key=key,
            format_func=format_func,
            help=help,
            on_change=on_change,
            **kwargs,
            **_width(width),
        )
        return self._sync(name, value)

    def multiselect(
        self,
        name: str,
        label: str,
        options: Sequence[str],
        default: Sequence[str],
        *,
        format_func: Callable[[str], str] = str,
        max_selections: int | None = None,
        help: str | None = None,
        container=st,
        width: int | str | None = None,
    ) -> list[str]:
        param = Param("multi", list(default), options=tuple(options), max_items=max_selections)
        key = self._prepare(name, param)
        value = container.multiselect(
            label,
            options=list(options),
            key=key,
            format_func=format_func,
            max_selections=max_selections,
            help=help,
            **_width(width),
        )
        if not value:  # an empty selection is not a useful page state: keep the URL honest
            return self._sync_empty(name)
        return self._sync(name, value)

    def _sync_empty(self, name: str) -> list[str]:
        self._kept[name] = []
        self._pending[name] = None
        if getattr(_run, "state", None) is not self:
            self.flush()
        return []

    def toggle(
        self,
        name: str,
        label: str,
        default: bool,
        *,
        help: str | None = None,
        container=st,
        width: int | str | None = None,
        on_change: Callable | None = None,
    ) -> bool:
        param = Param("bool", bool(default))
        key = self._prepare(name, param)
        value = container.toggle(label, key=key, help=help, on_change=on_change, **_width(width))
        return self._sync(name, value)

    def text(
        self,
        name: str,
        label: str,
        default: str,
        *,
        max_len: int = MAX_PARAM_CHARS,
        help: str | None = None,
        placeholder: str | None = None,
        container=st,
    ) -> str:
        param = Param("text", default, max_len=max_len)
        key = self._prepare(name, param)
        value = container.text_input(label, key=key, max_chars=max_len, help=help, placeholder=placeholder)
        return self._sync(name, value)


def _changed(params: dict[str, list[str]], changes: dict[str, str | None]) -> dict[str, list[str]]:
    out = dict(params)
    for name, text in changes.items():
        if text is None:
            out.pop(name, None)
        else:
            out[name] = [text]
    return out


def _take_queued() -> dict[str, str | None]:
    queued = getattr(_run, "queued", None) or {}
    _run.queued = {}
    return queued


def _write(current: dict[str, list[str]], target: dict[str, list[str]]) -> None:
    if target != current:
        st.query_params.from_dict({k: v if len(v) != 1 else v[0] for k, v in target.items()})


def put(name: str, text: str | None) -> None:
    """Queue a URL parameter that no widget owns (`None`: remove it) for this run's one address write.

    Every write to `st.query_params` is a browser history entry: the app writes once, at the end of a
    run (flush), so one user action is at most one entry.
    """
    queued = getattr(_run, "queued", None)
    if queued is None:
        queued = _run.queued = {}
    queued[name] = text
    if _fragment_rerun():  # no end-of-run flush follows a fragment's rerun: write now
        current = {k: st.query_params.get_all(k) for k in st.query_params if k not in RESERVED}
        _write(current, _changed(current, _take_queued()))


def follow_outside_fragment(key: str, value: Any) -> None:
    """Inside an `st.fragment`: a value that parts of the page outside the fragment also show (the
    challenge panel follows the page's function). When a fragment's own rerun changes it, the whole
    page reruns, so nothing outside shows the old one."""
    seen = f"_outside.{key}"
    changed = seen in st.session_state and st.session_state[seen] != value
    st.session_state[seen] = value
    if changed and _fragment_rerun():
        st.rerun()


def stop_page() -> NoReturn:
    """`st.stop()` for the body of an `st.fragment`: the whole page ends here, as it did before the fragment.
    (In the fragment's own rerun `st.stop()` would end only the fragment, and the code and the challenge
    below it would stay: the page reruns instead, and stops at the same place.)"""
    if _fragment_rerun():
        st.rerun()
    st.stop()


def stop_ends_the_page(key: str) -> Callable[[Callable], Callable]:
    """Under `@st.fragment`, for a body that can stop (`stop_page()`, a typo in `show_parse_error`): once
    it stopped, nothing after the fragment was drawn, and the fragment's own reruns would not draw it. The
    first of them that gets to its end again reruns the whole page."""
    flag = f"_stopped.{key}"

    def decorate(body: Callable) -> Callable:
        @functools.wraps(body)
        def run(*args: Any, **kwargs: Any) -> Any:
            stopped = st.session_state.get(flag, False)
            st.session_state[flag] = True  # set before: once st.stop() ran, session state cannot be written
            result = body(*args, **kwargs)
            st.session_state[flag] = False
            if stopped and _fragment_rerun():
                st.rerun()
            return result

        return run

    return decorate


def _fragment_rerun() -> bool:
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def param(name: str) -> str | None:
    """A URL parameter as the address will read after this run's write (a queued change counts)."""
    queued = getattr(_run, "queued", None) or {}
    if name in queued:
        return queued[name]
    value = st.query_params.get(name)
    return None if value is None else str(value)


def link_params(page: str) -> dict[str, str | list[str]]:
    """The address a page had when it was left, for the sidebar's link to it (so that following the
    link is one history entry, not the page's bare address and then its parameters)."""
    last = st.session_state.get(f"{page}._url") or {}
    return {k: v if len(v) != 1 else v[0] for k, v in last.items() if v}


def reset_page(page: str) -> None:
    """Forget a page's widget values, notices and link parameters (back to the defaults)."""
    prefix = f"{page}."
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]
    st.query_params.clear()


def flush(rerun: bool = False) -> None:
    """End of a script run (called by the entry): the page's URL parameters, written in one go.

    `rerun`: the run ended in st.rerun(); the next run continues it (its link is not a new one).
    """
    st.session_state["_url_rerun"] = rerun
    pending = getattr(_run, "state", None)
    _run.state = None
    if pending is not None:
        pending.flush()
    elif getattr(_run, "queued", None):  # a page without widgets (Home): only the queued parameters
        current = {k: st.query_params.get_all(k) for k in st.query_params if k not in RESERVED}
        _write(current, _changed(current, _take_queued()))
    st.session_state["_url_last_page"] = pending.page if pending is not None else None
