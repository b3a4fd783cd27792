"""Small arrays as LaTeX, so the warm-up example reads like the maths on paper."""

from __future__ import annotations

import numpy as np


def latex_matrix(array: np.ndarray, decimals: int = 4) -> str:
    """A 1-D array as one row, a 2-D array as rows: a bmatrix with fixed decimals."""
    rows = np.atleast_2d(np.asarray(array, dtype=float))
    if rows.ndim != 2:
        raise ValueError(f"only 1-D or 2-D arrays can be written as a matrix, got {rows.ndim}-D")
    body = r" \\ ".join(" & ".join(f"{value:.{decimals}f}" for value in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"
