"""Streamlit-side helpers shared by the pages (widgets, figures, URL state)."""
