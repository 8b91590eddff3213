"""Gradient Lab — run with `streamlit run streamlit_app.py`."""

from ui.app import run_app

run_app()
