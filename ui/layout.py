"""One page pattern for every page: a compact header, a stage, presentation mode, the layout CSS.

- `header(title, intro, formula)`: the title, the page's one-line promise (from the page registry),
  its key formula; the longer introduction sits behind an "About this page" popover.
- `stage_control()` / `stage_chart()`: containers around a page's main controls and its main chart.
  Their keys become CSS classes (`st-key-main_control`, `st-key-main_chart`) that the browser tests
  read: both must be on the first 720 px of a 1280-wide screen.
- Presentation mode (`?present=1`, or the sidebar toggle): sidebar collapsed, introductions hidden,
  text and charts 1.5× larger, the stage filling the screen. Kept in the session and written back
  into the URL, so it survives the sidebar's links (which drop query parameters) and a shared link
  opens in it.
- The CSS and the small script are static strings of this module: no user text ever goes into them.
"""

from __future__ import annotations

import streamlit as st

PRESENT_PARAM = "present"
_PRESENT = "_layout.present"  # session state: presentation mode on/off
_TOGGLE = "_layout.present_toggle"  # the sidebar toggle's widget key
_ON = ("1", "true", "on", "yes")

MAIN_CONTROL = "main_control"
MAIN_CHART = "main_chart"

# Every page. Compact top, formulas that scroll instead of clipping, labels that wrap instead of
# being cut, and no page wider than a phone.
_BASE_CSS = """
<style>
/* compact top: less blank space above the title */
.stMainBlockContainer { padding-top: 3.6rem; padding-bottom: 4rem; }
.stMainBlockContainer h1 { font-size: 2.1rem; padding-top: 0; padding-bottom: 0.25rem; }
.st-key-page_header { gap: 0.4rem; }
.st-key-page_header [data-testid=stMarkdownContainer] p { margin-bottom: 0; }
.st-key-page_header .katex-display { margin: 0.35em 0; }
/* formulas never clip: they scroll sideways in their own box (made focusable by the script) */
.katex-display { overflow-x: auto; overflow-y: hidden; max-width: 100%; padding: 2px 0; }
.katex-display:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; }
[data-testid=stMarkdownContainer] p:has(> .katex) { overflow-x: auto; overflow-y: hidden; }
/* labels wrap rather than end in an ellipsis */
[data-testid=stMetricLabel] p, [data-testid=stMetricLabel] div { white-space: normal; overflow: visible;
  text-overflow: clip; }
[data-testid^=stBaseButton] p { white-space: normal; overflow: visible; text-overflow: clip; }
[data-testid=stBaseButton-secondary], [data-testid=stBaseButton-primary] { height: auto; }
[data-baseweb=select] [value] { overflow: visible; text-overflow: clip; white-space: normal; }
[data-testid=stWidgetLabel] p, [data-testid=stWidgetLabel] div { white-space: normal; text-overflow: clip; }
/* home: each card is one link (the page link's hit area covers the card) */
[class*="st-key-card_"] { position: relative; }
[class*="st-key-card_"] * { position: static; }
[class*="st-key-card_"] [data-testid=stPageLink] a::after { content: ""; position: absolute; inset: 0; z-index: 1; }
[class*="st-key-card_"]:hover { border-color: currentColor; }
/* wide tables and code scroll inside their own box; nothing makes the page wider than the screen */
[data-testid=stMarkdownContainer] table { display: block; overflow-x: auto; max-width: 100%; }
.stMain [data-testid=stVerticalBlock] { min-width: 0; }
@media (max-width: 640px) {
  .stMainBlockContainer { padding-left: 0.9rem; padding-right: 0.9rem; padding-top: 3.5rem; }
  .stMainBlockContainer h1 { font-size: 1.7rem; }
}
</style>
"""

# Presentation mode only: bigger everything, no introductions, the stage fills the screen.
_PRESENT_CSS = """
<style>
html { font-size: 150%; }
[data-testid=stHeader] { background: transparent; height: 2.2rem; }
[data-testid=stHeader], [data-testid=stHeader] *:not(button):not(a) { pointer-events: none; }
[data-testid=stHeader] button, [data-testid=stHeader] a { pointer-events: auto; }
.stMainBlockContainer { padding: 2.2rem 1.5rem 2rem 1.5rem; max-width: 100%; }
.stMainBlockContainer h1 { font-size: 1.5rem; }
.st-key-page_intro { display: none; }
.stMainBlockContainer h2 { font-size: 1.3rem; padding: 0.3rem 0; }
.stMainBlockContainer h3 { font-size: 1.1rem; padding: 0.2rem 0; }
.stMainBlockContainer h5 { font-size: 0.9rem; }
</style>
"""

# Makes every formula box that scrolls focusable (keyboard users and axe's scrollable-region rule),
# and adds the presentation shortcuts. Static text: no user input is ever inserted here.
_SCRIPT = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const w = doc.defaultView || window;
  if (w.__gradientLabLayout) return;
  w.__gradientLabLayout = true;
  // One user action, one history entry: opening a page pushes its bare address, and the page's first
  // run then pushes its parameters. A push that only adds parameters to the address on screen (same
  // page, every present parameter unchanged) replaces the entry instead, so Back leaves the page.
  const push = w.history.pushState.bind(w.history);
  w.history.pushState = (state, title, url) => {
    try {
      const now = new URL(w.location.href), next = new URL(url, now);
      const same = (k) => JSON.stringify(next.searchParams.getAll(k)) === JSON.stringify(now.searchParams.getAll(k));
      if (next.pathname === now.pathname && [...now.searchParams.keys()].every(same)) {
        return w.history.replaceState(state, title, url);
      }
    } catch (err) { /* an address URL() cannot read: Streamlit's own push */ }
    return push(state, title, url);
  };
  const mark = () => {
    doc.querySelectorAll('.katex-display, [data-testid=stMarkdownContainer] p:has(> .katex), '
      + '[data-testid=stMarkdownContainer] table').forEach(el => {
      const wide = el.scrollWidth > el.clientWidth + 1;
      if (wide && !el.hasAttribute('tabindex')) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'region');
        el.setAttribute('aria-label', el.tagName === 'TABLE' ? 'Table (scrolls sideways)' : 'Formula (scrolls sideways)');
      } else if (!wide && el.getAttribute('role') === 'region') {
        el.removeAttribute('tabindex'); el.removeAttribute('role'); el.removeAttribute('aria-label');
      }
    });
  };
  // Once the page has settled (no DOM change for 120 ms), not on every frame of a redraw: reading
  // scrollWidth forces a layout, and a slider step changes the DOM over many frames.
  let timer = 0;
  const later = () => { w.clearTimeout(timer); timer = w.setTimeout(mark, 120); };
  new w.MutationObserver(later).observe(doc.body, {childList: true, subtree: true});
  w.addEventListener('resize', later);
  mark();
  doc.addEventListener('keydown', (e) => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return;
    if (e.key === 'p' || e.key === 'P') {
      const url = new URL(w.location.href);
      if (url.searchParams.get('present') === '1') url.searchParams.delete('present');
      else url.searchParams.set('present', '1');
      w.location.assign(url.toString());
    } else if (e.key === 'f' || e.key === 'F') {
      if (doc.fullscreenElement) doc.exitFullscreen(); else doc.documentElement.requestFullscreen();
    }
  });
})();
</script>
"""

SHORTCUTS = """
| Key | Does |
|---|---|
| **P** | presentation mode on / off |
| **F** | full screen on / off |
| **Tab** / **Shift+Tab** | next / previous control |
| **← →** | move the focused slider |
| **R** | run the page again |
"""


# -- presentation mode ----------------------------------------------------------------------------
def presenting() -> bool:
    """Is presentation mode on for this session?"""
    return bool(st.session_state.get(_PRESENT, False))


def _toggled() -> None:
    from ui import state

    on = bool(st.session_state.get(_TOGGLE))
    st.session_state[_PRESENT] = on
    state.put(PRESENT_PARAM, "1" if on else None)


def init_presentation() -> bool:
    """Read `?present=1` (a link turns the mode on); keep the URL saying so after navigation."""
    from ui import state

    if str(state.param(PRESENT_PARAM) or "").lower() in _ON:
        st.session_state[_PRESENT] = True
    on = presenting()
    if on and state.param(PRESENT_PARAM) != "1":
        state.put(PRESENT_PARAM, "1")  # an address without it (typed, or an old entry): put it back
    return on


def sidebar_controls() -> None:
    """The presentation toggle and the shortcuts popover, in the sidebar."""
    st.session_state[_TOGGLE] = presenting()
    with st.sidebar:
        row = st.container(horizontal=True, vertical_alignment="center")
        row.toggle(
            "Presentation mode",
            key=_TOGGLE,
            on_change=_toggled,
            help="Big text, no sidebar, no introductions: for a projector. Also `?present=1` in a link, "
            "or the P key.",
        )
        with row.popover("Keys", icon=":material/keyboard:", help="Keyboard shortcuts"):
            st.markdown(SHORTCUTS)


def inject_assets() -> None:
    """The layout CSS (and, in presentation mode, its extra CSS) plus the small static script, once a run."""
    with st.sidebar:
        st.html(_BASE_CSS + (_PRESENT_CSS if presenting() else ""))
        st.html(_SCRIPT, unsafe_allow_javascript=True, width=1)


def _presentation_buttons() -> None:
    """In presentation mode the sidebar is collapsed: the shortcuts and a way out, beside the title."""
    with st.popover("Keys", icon=":material/keyboard:", help="Keyboard shortcuts", type="tertiary"):
        st.markdown(SHORTCUTS)
    st.button(
        "Leave",
        icon=":material/close_fullscreen:",
        key="_layout.leave",
        on_click=_leave,
        type="tertiary",
        help="Leave presentation mode (or press P)",
    )


def _leave() -> None:
    from ui import state

    st.session_state[_PRESENT] = False
    state.put(PRESENT_PARAM, None)


# -- the page pattern -----------------------------------------------------------------------------
def _promise_for(title: str) -> str | None:
    from ui.navigation import PAGES

    if title == "Gradient Lab":
        return PAGES[0].promise
    for p in sorted(PAGES, key=lambda p: -len(p.title)):
        if title == p.title or title.startswith(p.title + " "):
            return p.promise
    return None


def header(
    title: str, intro: str, formula: str | None = None, *, icon: str | None = None, promise: str | None = None
) -> None:
    """Title, one-line promise and key formula; the longer introduction behind "About this page"."""
    promise = promise if promise is not None else _promise_for(title)
    with st.container(key="page_header"):
        if presenting():
            with st.container(horizontal=True, vertical_alignment="center", key="present_bar"):
                st.title(f"{icon} {title}" if icon else title, width="stretch")
                _presentation_buttons()
        else:
            st.title(f"{icon} {title}" if icon else title)
        with st.container(horizontal=True, vertical_alignment="center", key="page_intro", gap="small"):
            if promise:
                st.markdown(promise, width="content")
            with st.popover("About this page", icon=":material/help:", type="tertiary"):
                st.markdown(intro)
        if formula:
            st.latex(formula)


def stage_control(container=st):
    """A container for the page's main controls (its key marks it for the layout tests)."""
    return container.container(key=MAIN_CONTROL)


def stage_chart(container=st):
    """A container for the page's main chart (its key marks it for the layout tests)."""
    return container.container(key=MAIN_CHART)


PRESENT_TEXT = 1.5  # chart text in presentation mode, as the page's own text (html { font-size: 150% })


def draw_chart(spec: dict, *, container=st, width: int | str = "stretch") -> None:
    """Draw a Vega-Lite dict: every page's charts go through here. In presentation mode its text is 1.5×
    larger in the spec itself (`charts.scaled_text`), so Vega lays it out: legends, axis titles and labels
    keep their room and stay inside the chart."""
    from ui.charts.spec import scaled_text

    container.vega_lite_chart(spec=scaled_text(spec, PRESENT_TEXT) if presenting() else spec, width=width)


def titled(spec: dict, title: str) -> dict:
    """A Vega-Lite dict with a title of its own (a copy: cached specs stay untouched)."""
    return {**spec, "title": {"text": title, "anchor": "start", "fontSize": 15, "offset": 8}}
