"""The app's entry: page config, navigation with sections, the shared sidebar.

`streamlit_app.py` calls `run_app()`. So does `ui.shell.ensure_entry()` when Streamlit's legacy
`pages/` router starts a page file directly (a fresh server's first request is a deep link):
the page then renders through the entry exactly as if `/` had been visited first.
"""

from __future__ import annotations

import threading
from itertools import groupby

import streamlit as st

from ui.navigation import available_pages

_local = threading.local()

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
        if st.button("Reset this page", icon=":material/restart_alt:", key="sidebar.reset",
                     help="Back to this page's defaults (clears its settings and the link)."):
            state.reset_page(page_url_path)
            st.rerun()
        st.caption(ARTICLE_NOTE)
        st.caption("Every number about a derivative is checked on screen by an independent method.")


def run_app() -> None:
    from ui import layout

    presenting = layout.init_presentation()
    # "auto": collapsed on a phone, open on a wide screen; presentation mode hides it.
    st.set_page_config(page_title="Gradient Lab", page_icon=":material/function:", layout="wide",
                       initial_sidebar_state="collapsed" if presenting else "auto")
    infos = available_pages()
    sections: dict[str, list] = {}
    for section, group in groupby(infos, key=lambda p: p.section):
        sections[section] = [
            st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path or None, default=p.url_path == "")
            for p in group
        ]
    pg = st.navigation(sections, position="sidebar", expanded=True)
    current = next((p for p in infos if p.title == pg.title), infos[0])
    layout.sidebar_controls()
    _sidebar_footer(current.url_path)
    layout.inject_assets()
    _local.inside_entry = True
    try:
        pg.run()
    finally:
        _local.inside_entry = False
