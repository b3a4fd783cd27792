"""Pure-Python core of the dashboard: maths, data, models, training.

Nothing here imports streamlit, so every function can be used from a notebook.
"""
