"""The From-scratch page's matrices in LaTeX."""

import numpy as np

from pages.scratch.latex import latex_matrix


def test_latex_matrix_writes_rows_with_fixed_decimals():
    assert latex_matrix(np.array([0.6, 0.9]), 2) == r"\begin{bmatrix} 0.60 & 0.90 \end{bmatrix}"
    assert latex_matrix(np.eye(2), 0) == r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}"
