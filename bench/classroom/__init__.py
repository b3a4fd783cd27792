"""The classroom load benchmark's parts: simulated students, servers, the machine's figures.

A simulated student speaks Streamlit's own websocket protocol (`protocol.py`), as a
browser tab does: it opens a page with a link, changes settings by a rerun with a new
query string, presses buttons by their widget ids, and answers the live panels' auto
reruns at their interval. `bench/bench_classroom.py` runs the scenarios and prints.
"""
