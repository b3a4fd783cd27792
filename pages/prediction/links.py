"""The link that opens a real prediction in the Information lab's cross-entropy section."""

from __future__ import annotations

import numpy as np
import streamlit as st

from dashboard.navigation import available_pages

INFORMATION_PAGE = "information"


def information_lab_query(p: np.ndarray, true_label: int, dataset: str) -> dict[str, str]:
    """The lab's URL contract: p = one-hot of the true label, q = the predicted probabilities."""
    one_hot = np.eye(len(p), dtype=int)[true_label]
    return {
        "section": "cross_entropy",
        "names": "fashion" if dataset == "fashion_mnist" else "digits",
        "n": str(len(p)),
        "p": ",".join(str(value) for value in one_hot),
        # significant digits, not decimals: a confident model's 3e-6 must not become 0
        "q": ",".join(f"{value:.6g}" for value in p),
    }


def information_lab_link(p: np.ndarray, true_label: int, dataset: str) -> None:
    """Shown only once the Information lab page exists in this app."""
    lab = next((page for page in available_pages() if page.name == INFORMATION_PAGE), None)
    if lab is None:
        return
    st.page_link(
        str(lab.path),
        label="Open in the information lab: the loss anatomy of this prediction",
        icon=":material/functions:",
        query_params=information_lab_query(p, true_label, dataset),
    )
