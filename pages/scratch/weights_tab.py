"""Tab 4, the hidden weights: each hidden unit's 784 input weights drawn as a 28x28 tile."""

from __future__ import annotations

import streamlit as st

from core.scratch import weight_mosaic
from pages.scratch.figures import weights_figure


def render_weights_tab(trained: dict | None) -> None:
    if trained is None:
        st.info("Train a net in tab 3: its hidden units' weights will be drawn here.")
        return
    W1 = trained["net"].params["W1"]
    mosaic, shown = weight_mosaic(W1, columns=10)
    st.caption(
        f"{trained['label']}. Each tile is one hidden unit's 784 input weights as a 28×28 "
        f"picture (each tile scaled to its own largest weight); showing {shown} of "
        f"{W1.shape[1]} units."
    )
    st.plotly_chart(weights_figure(mosaic))
