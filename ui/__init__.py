"""Streamlit + Altair helpers shared by every page: navigation, URL state, headers, checks, charts.

No calculus lives here: `core/` computes, `ui/` reshapes and draws.
"""
