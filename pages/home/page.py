"""Home: what the dashboard teaches, its pages, its data and its compute device."""

import streamlit as st

from core.data import DATA_DIR_VARIABLE, DATASETS, damage, locate, show_server_paths
from dashboard.format import human_bytes
from dashboard.navigation import HOME, available_pages

st.title("Deep learning, hands on")
st.markdown(
    "Every page here is a small experiment. Change a probability, a learning rate or a "
    "brush stroke and watch the numbers of the classic beginner tutorials come out, "
    "then change them again to see *why*."
)

st.header("The labs")  # the cards' titles are h3: headings go down one level at a time
pages = [page for page in available_pages() if page is not HOME]
for row_start in range(0, len(pages), 3):
    for column, page in zip(st.columns(3), pages[row_start : row_start + 3]):
        with column.container(border=True):
            st.subheader(page.title)
            st.write(page.learn)
            st.page_link(str(page.path), label=f"Open {page.title}", icon=page.icon)

st.header("Data sets")
st.caption(
    f"Looked for in: the folder in `{DATA_DIR_VARIABLE}`, Debian's dataset packages, "
    "the Keras cache, then Keras' downloader."
)
rows = []
for spec in DATASETS.values():
    source, damaged = locate(spec.name), damage(spec.name)
    row = {
        "data set": spec.title,
        "what it is": spec.description,
        "loaded from": f"damaged: {damaged}" if damaged else source.label,
        "size": human_bytes(source.size_bytes),
    }
    if show_server_paths():  # the server's folders are for whoever runs it, not the class
        row["where"] = source.location
    rows.append(row)
st.table(rows, hide_index=True)

with st.expander("Compute device"):
    st.caption("Checking imports TensorFlow, which takes a few seconds the first time.")
    if st.button("Check which device TensorFlow would use"):
        from core.device import compute_devices, describe_devices

        with st.spinner("Importing TensorFlow…"):
            devices = compute_devices()
        st.success(describe_devices(devices))
        st.table([vars(device) for device in devices], hide_index=True)
