"""Shared test helpers: the page list comes from the navigation registry, so new pages are covered."""

from __future__ import annotations

import re

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from ui.navigation import PAGES as REGISTERED
from ui.navigation import ROOT, PageInfo

ENTRY = str(ROOT / "streamlit_app.py")
PAGES: list[PageInfo] = list(REGISTERED)  # every registered page: a missing file fails its tests
PAGE_IDS = [p.url_path or "home" for p in PAGES]

# Values that are malformed for every parameter kind (numbers, choices, on/off, lists);
# for free-text parameters only the over-long one must be refused.
MALFORMED = [
    "abc",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e308",
    "-1e308",
    "1e999",
    "9" * 400,
    "",
    " ",
    "🙂",
    "ünïcödé ∂x",
    "x" * 10_000,
    "0x1F",
    "1,2,3",
    "[1, 2]",
    "None",
    "__import__('os')",
    "<script>alert(1)</script>",
    "%00",
    "\x00",
    "--1",
    "1..2",
]


# Hostile link values: each must show up, if at all, only as inert text (ui.text.inert). With each value,
# the substrings that would be live markup (a link, LaTeX, an icon, HTML, formatting, a heading) if rendered
# unescaped in Markdown.
INJECTION: dict[str, tuple[str, ...]] = {
    "[log in](https://evil.example)": ("](https", "evil.example"),
    "<https://evil.example>": ("<https", "evil.example"),
    "www.evil.example/login": ("www.evil", "evil.example"),
    "user@evil.example": ("evil.example",),
    "$\\Huge\\text{HACKED}$": ("$\\Huge",),
    ":material/warning: :red[ALERT]": (":material/warning: :red", ":red[ALERT"),
    ":blue-background[hi] :smile:": (":blue-background[", ":smile:"),
    "**bold** __under__ ~~gone~~": ("**bold", "__under", "~~gone"),
    "x\r\n# Heading\n- item": ("\n# Heading", "\r", "\n- item"),
    "<script>alert(1)</script>": ("<script",),
    "<img src=x onerror=alert(1)>": ("<img",),
    "&lt;b&gt;bold&lt;/b&gt;": ("&lt;",),
    "zero\u200bwidth\u200d": ("\u200b", "\u200d"),
    "\u202eevil\u202c rtl": ("\u202e", "\u202c"),
    "`code` | table | ---": ("`code`",),
}


def markdown_texts(at: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's Markdown renderer (not code blocks, which are inert)."""
    out = []
    for kind in (
        "markdown",
        "caption",
        "warning",
        "error",
        "info",
        "success",
        "title",
        "header",
        "subheader",
        "exception",
    ):
        for el in at.get(kind):
            value = getattr(el, "value", None) or getattr(el, "body", None)
            if isinstance(value, str):
                out.append(value)
    return out


def prose(at: AppTest) -> list[str]:
    """The page's text in Markdown and captions: a note may be a caption or a line in small type
    (`ui.text.small`) inside a larger Markdown element."""
    return [el.value for kind in ("markdown", "caption") for el in at.get(kind)]


def live_markup(at: AppTest, raw: str) -> list[tuple[str, str]]:
    """(signature, text) for each place where a piece of `raw` would render as live markup.

    A signature counts unless a backslash escapes its first character (Markdown then shows it literally).
    """
    found = []
    for text in markdown_texts(at):
        for sig in INJECTION[raw]:
            start = text.find(sig)
            while start != -1:
                if start == 0 or text[start - 1] != "\\":
                    found.append((sig, text))
                    break
                start = text.find(sig, start + 1)
    return found


def open_page(page: PageInfo, query: dict[str, str] | None = None, timeout: float = 30) -> AppTest:
    """Run the entry script, then the page (with `query` as its link parameters)."""
    at = AppTest.from_file(ENTRY, default_timeout=timeout)
    if page.url_path:
        at.run()
        assert_ok(at)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if page.url_path:
        at.switch_page(page.file)
    at.run()
    return at


def assert_ok(at: AppTest) -> None:
    if at.exception:
        raise AssertionError(
            "page raised: " + "\n".join(e.value + "\n" + "\n".join(e.stack_trace) for e in at.exception)
        )


def url_specs(at: AppTest) -> dict:
    """The page's URL parameters (name → ui.state.Param), as its widgets registered them."""
    return dict(at.session_state["_url_specs"]) if "_url_specs" in at.session_state else {}


def notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "Link parameter" in w.value]


def badges(at: AppTest) -> list[str]:
    """Colours of the check badges on the page, in order ('green' / 'orange' / 'red'); a box of several
    checks (ui.shell.check_box) is one Markdown element with a badge per check."""
    return [m.group(1) for el in at.markdown for m in re.finditer(r":(green|orange|red)-badge\[", el.value)]


def charts(at: AppTest) -> list:
    """Every Vega-Lite chart on the page (from st.altair_chart or st.vega_lite_chart), in order."""
    return list(at.get("arrow_vega_lite_chart")) + list(at.get("vega_lite_chart"))


def chart_tables(chart) -> list[pa.Table]:
    """One chart's datasets, decoded from the Arrow IPC bytes Streamlit sends to the browser."""
    return [pa.ipc.open_stream(d.data.data).read_all() for d in chart.proto.datasets]


def chart_datasets(chart) -> dict[str, pa.Table]:
    """One chart's datasets by name (a template's named slots, e.g. 'paths')."""
    return {d.name: table for d, table in zip(chart.proto.datasets, chart_tables(chart), strict=True)}


def page_tables(at: AppTest) -> list[pa.Table]:
    """Every dataset of every chart on the page."""
    return [table for chart in charts(at) for table in chart_tables(chart)]


# --- ui.stepper as AppTest sees it ----------------------------------------------------------------------


def components(at: AppTest):
    """Every st.components.v2 element of the page (AppTest shows them as unknown elements)."""

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if type(child).__name__ == "UnknownElement" and child.type == "bidi_component":
                yield child
            yield from walk(child)

    return list(walk(at.main))


def runs_text(runs) -> str:
    """A stepper text's runs written back as the Markdown they came from (**bold**, `code`, :gray[muted]):
    a marker opens where its style starts and closes where it ends, so `**a `b`**` round-trips."""
    out, bold, muted = [], False, False
    for style, text in [*runs, ["", ""]]:
        if bold and "b" not in style:
            out.append("**")
            bold = False
        if muted and "m" not in style:
            out.append("]")
            muted = False
        if "m" in style and not muted:
            out.append(":gray[")
            muted = True
        if "b" in style and not bold:
            out.append("**")
            bold = True
        out.append(f"`{text}`" if "c" in style else text)
    return "".join(out)


def stepper_payload(proto_json: str) -> dict:
    """A ui.stepper element's data: a JSON string (the payload, encoded once by the stepper) inside the
    element's JSON."""
    import json

    data = json.loads(proto_json)
    return json.loads(data) if isinstance(data, str) else data


class Stepper:
    """A `ui.stepper` under the page's URL parameter key (e.g. "autodiff.step"): its payload, its position
    (what the browser last reported, or the link's), and the blocks of that position."""

    def __init__(self, at: AppTest, key: str):
        self.at, self.key = at, key

    @property
    def data(self) -> dict | None:

        found = [e for e in components(self.at) if e.key == f"{self.key}._stepper"]
        return stepper_payload(found[0].proto.json) if found else None

    @property
    def value(self) -> int:
        return int(self.data["frame"])

    @property
    def max(self) -> int:
        return int(self.data["n"]) - 1

    def set_value(self, k: int) -> AppTest:
        """What the browser's report of position k does: the control takes that position's value (then
        `.run()`)."""
        self.at.session_state[self.key] = self.data["options"][int(k)]
        return self.at

    def blocks(self, kind: str) -> list[dict]:
        def walk(blocks):
            for b in blocks:
                if b["type"] == "row":
                    yield from walk(b["children"])
                elif b["type"] == kind:
                    yield b

        return list(walk(self.data["blocks"]))

    @property
    def position(self) -> tuple[int, ...]:
        """The position shown: an option index per axis."""
        return tuple(self.data["at"])

    def set_position(self, **values) -> AppTest:
        """What the browser's report of a multi-axis position does: each named axis takes that option's
        value, given as an option index (then `.run()`). The report's own bookkeeping (the position the
        browser shows) is set too, so the run treats it as the browser's and not as news."""
        d = self.data
        page = self.key.rsplit(".", 1)[0]
        pos = list(self.position)
        for i, ax in enumerate(d["axes"]):
            if ax["name"] in values:
                pos[i] = int(values[ax["name"]])
        for ax, k in zip(d["axes"], pos, strict=True):
            self.at.session_state[f"{page}.{ax['name']}"] = ax["options"][k]
        self.at.session_state[f"{self.key}._stepper._at"] = tuple(pos)
        return self.at

    @staticmethod
    def at_frame(block: dict, field: str, frame: int):
        value = block[field]
        if isinstance(value, dict) and "__pick" in value:  # ui.stepper.picked: expanded as the browser does
            value = [value["__items"][i] for i in value["__pick"]]
        return value[min(frame, len(value) - 1)] if field in block.get("perFrame", []) else value

    def text(self) -> str:
        """The position's text blocks as Markdown (paragraphs; list items as "- " lines)."""
        f = self.value
        out = []
        for b in self.blocks("text"):
            for p in self.at_frame(b, "paras", f):
                out.append(("- " if p.get("li") else "") + runs_text(p["runs"]))
        return "\n\n".join(out)

    def tables(self) -> list[list[list[str]]]:
        """Each table block at this position: rows of cell texts (header first)."""
        f = self.value
        out = []
        for b in self.blocks("table"):
            header = [c if isinstance(c, str) else runs_text(c) for c in b["header"]]
            out.append([header] + [[runs_text(c) for c in row] for row in self.at_frame(b, "rows", f)])
        return out


def player_data(at: AppTest, key: str) -> dict | None:
    """The data of the ui.player mounted under ``key`` (e.g. "gradient_descent.player")."""
    import json

    found = [e for e in components(at) if e.key == key]
    return json.loads(found[0].proto.json) if found else None


def player_blob(b: dict, refs: dict | None = None):
    """A ui.player blob decoded as the browser does (base64, zlib, uint8 frame differences); ``refs``: the
    blobs by digest, for a {"ref": digest} sent in place of a repeated one."""
    import base64
    import zlib

    import numpy as np

    if "ref" in b:
        b = (refs or {})[b["ref"]]
    raw = base64.b64decode(b["b64"])
    if b["z"]:
        raw = zlib.decompress(raw)
    if b["dtype"] == "f32":
        return np.frombuffer(raw, dtype="<f4")
    arr = np.frombuffer(raw, dtype=np.uint8).copy()
    if b["delta"]:
        arr = np.cumsum(arr.reshape(-1, b["size"]).astype(np.int64), axis=0).astype(np.uint8).ravel()
    return arr
