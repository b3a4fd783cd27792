"""Home: what the dashboard teaches, its pages, its data and the training engine's device."""

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
    st.caption("Training runs on the training engine's workers: this asks each of them.")
    if st.button("Check which device the training engine would use"):
        from core.device import describe_devices, engine_devices
        from core.engine import EngineUnavailable, engine_client

        try:
            with st.spinner("Asking the training engine's workers…"):
                by_worker = engine_devices(engine_client())
        except EngineUnavailable as error:
            st.error(str(error))
        else:
            devices = [device for found in by_worker.values() for device in found]
            st.success(f"{len(by_worker)} worker(s). {describe_devices(devices)}")
            st.table(
                [{"worker": n, **vars(d)} for n, found in enumerate(by_worker.values(), 1)
                 for d in found],
                hide_index=True,
            )  # fmt: skip
