"""The app's entry: page config, navigation (links under section names), the shared sidebar.

`streamlit_app.py` calls `run_app()`. So does `ui.shell.ensure_entry()` when Streamlit's legacy
`pages/` router starts a page file directly (a fresh server's first request is a deep link):
the page then renders through the entry exactly as if `/` had been visited first.
"""

from __future__ import annotations

import threading
from itertools import groupby
from pathlib import Path

import streamlit as st

from ui import gc_policy
from ui.navigation import available_pages

_local = threading.local()
# Shipped with the app: a material-icon favicon is fetched from a font CDN and fails offline.
FAVICON = str(Path(__file__).resolve().parent / "assets" / "favicon.png")

ARTICLE_NOTE = (
    "Built from *Calculus for Deep Learning: Derivatives, Gradients, and Chain Rule Explained*: "
    "derivatives → gradients → chain rule → Jacobians → autodiff."
)


def inside_entry() -> bool:
    """True while the entry script is running the current page (set around `pg.run()`)."""
    return getattr(_local, "inside_entry", False)


def _sidebar_footer(page_url_path: str) -> None:
    from ui import state

    with st.sidebar:
        st.divider()
        if st.button(
            "Reset this page",
            icon=":material/restart_alt:",
            key="sidebar.reset",
            help="Back to this page's defaults (clears its settings and the link).",
        ):
            state.reset_page(page_url_path)
            st.rerun()
        st.caption(ARTICLE_NOTE)
        st.caption("Every number about a derivative is checked on screen by an independent method.")


# Streamlit draws a few things below WCAG's 4.5:1 or in grey; one style block, in the sidebar (no shift
# of the page's own elements): captions teach, so they use the body colour; a slider's value is written
# in the primary colour, which cannot also carry white text (tags, buttons) on the dark theme; code
# keywords (blue) and comments (grey) are under 4.5:1 on the code background (they stay bold / italic),
# and so is inline code in a caption.
A11Y_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: inherit !important; }
[data-testid="stSliderThumbValue"] { color: inherit !important; }
.token.keyword, .token.tag { color: inherit !important; font-weight: 700; }
.token.comment { color: inherit !important; font-style: italic; }
[data-testid="stCaptionContainer"] code { color: inherit !important; opacity: 1 !important; }
</style>"""


def _sidebar_navigation(sections: dict[str, list], presenting: bool, current: str) -> None:
    """The page list as plain links under section names. Streamlit's own sectioned menu nests <div>s
    inside <ul>/<li> (axe-core: list/listitem, serious); page links are single <a> elements.

    Each link carries the address its page had when it was left (and `present=1` in presentation
    mode): following it is one browser history entry, and Back returns to the page before. The link to
    the page on screen carries none: a fragment's rerun does not redraw the sidebar, so it could hold an
    address older than the one on screen."""
    from ui import layout, state

    with st.sidebar:
        st.html(A11Y_CSS)
        for section, pages in sections.items():
            st.markdown(f"**{section}**")
            for page in pages:
                params = state.link_params(page.url_path) if page.url_path != current else {}
                params.pop(layout.PRESENT_PARAM, None)
                if presenting:
                    params[layout.PRESENT_PARAM] = "1"
                st.page_link(page, query_params=params or None)


def run_app() -> None:
    from ui import layout

    presenting = layout.init_presentation()
    # "auto": collapsed on a phone, open on a wide screen; presentation mode hides it.
    st.set_page_config(
        page_title="Gradient Lab",
        page_icon=FAVICON,
        layout="wide",
        initial_sidebar_state="collapsed" if presenting else "auto",
    )
    infos = available_pages()
    sections: dict[str, list] = {}
    for section, group in groupby(infos, key=lambda p: p.section):
        sections[section] = [
            st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path or None, default=p.url_path == "")
            for p in group
        ]
    pg = st.navigation(sections, position="hidden")
    _sidebar_navigation(sections, presenting, pg.url_path)
    current = next((p for p in infos if p.title == pg.title), infos[0])
    layout.sidebar_controls()
    _sidebar_footer(current.url_path)
    layout.inject_assets()
    _local.inside_entry = True
    from ui import state

    try:
        pg.run()
    except BaseException as exc:  # st.stop / st.rerun end a run by raising
        _local.inside_entry = False
        state.flush(rerun=type(exc).__name__ == "RerunException")
        raise
    _local.inside_entry = False
    state.flush()  # the page's URL parameters, in one write (one browser history entry)
    gc_policy.after_run()
