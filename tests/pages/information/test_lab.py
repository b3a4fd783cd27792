"""The lab's helpers without Streamlit: the editing buttons, number parsing, the figures."""

import math

import numpy as np
import plotly.graph_objects as go
import pytest

from core import information as info
from dashboard.settings import SettingError
from pages.information import figures
from pages.information.lab import ACTIONS, one_hot, resized
from pages.information.settings import typed_numbers


@pytest.mark.parametrize("action", ["normalise", "one-hot", "uniform", "random"])
def test_every_button_leaves_a_distribution_over_the_classes(action):
    """normalise, one-hot, uniform and random each give n non-negative numbers summing to 1."""
    values = ACTIONS[action]([0.2, 0.5, 0.1, 0.4], 4, np.random.default_rng(0))
    assert len(values) == 4
    assert np.all(np.asarray(values) >= 0)
    assert float(np.sum(values)) == pytest.approx(1, abs=1e-12)


def test_one_hot_keeps_the_most_likely_class_and_resize_keeps_the_shape():
    """one-hot picks the argmax; resizing pads or cuts, then normalises."""
    rng = np.random.default_rng(0)
    np.testing.assert_array_equal(one_hot([0.1, 0.7, 0.2], 3, rng), [0, 1, 0])
    np.testing.assert_allclose(resized([0.5, 0.5], 4, rng), [0.5, 0.5, 0, 0])
    np.testing.assert_allclose(resized([0.5, 0.25, 0.25], 2, rng), [2 / 3, 1 / 3])
    np.testing.assert_allclose(resized([-1, math.nan], 2, rng), [0.5, 0.5])


def test_typed_numbers_accept_commas_and_spaces_and_name_the_bad_word():
    """Typed vectors may use commas, spaces or semicolons; a typo is named, with its vector."""
    assert typed_numbers("p", " 0.1, 0.2  0.7;0") == [0.1, 0.2, 0.7, 0.0]
    with pytest.raises(SettingError, match="p: 'x' is not a number"):
        typed_numbers("p", "0.1, x")
    with pytest.raises(SettingError, match="logits is empty: type numbers separated by commas"):
        typed_numbers("logits", " , ")
    with pytest.raises(SettingError, match="q: at most 10 numbers, got 11"):
        typed_numbers("q", ", ".join(["0.1"] * 11))


def test_figures_are_valid_plotly_with_the_current_points():
    """Every builder gives a figure plotly's validation accepts, marking the points it was given."""
    names, p = ["0", "1", "2"], np.array([0.2, 0.3, 0.5])
    curve = figures.surprisal_curve(p, names, 2.0, "bits", "t")
    np.testing.assert_allclose(curve.data[1].y, -np.log2(p))
    bernoulli = figures.bernoulli_curve(p, names, info.bernoulli_entropy(p, 2), 2.0, "bits")
    assert max(bernoulli.data[0].y) == pytest.approx(1, abs=1e-3)
    shares = figures.contribution_bars(
        names, [0.1, 0.2, 0.3], [0.2, math.inf, 0.4], eps_terms=[0.2, 7.0, 0.4]
    )
    assert shares.data[1].y == (0.2, 7.0)  # an infinite share is drawn at its eps value ...
    assert shares.data[1].marker.pattern.shape == ("", "/")  # ... hatched ...
    assert "∞" in shares.layout.title.text  # ... and said in the title
    same = figures.surprisal_curve([0.25, 0.25, 0.5], names, 2.0, "bits", "t")
    assert list(same.data[1].text) == ["0 +1 more", "", "2"]  # equal points share one label
    sweep = info.confidence_sweep(p, np.array([0.0, 1.0, 0.0]), "e", points=9)
    built = [
        curve,
        bernoulli,
        shares,
        same,
        figures.distribution_bars(names, p, p),
        figures.contribution_bars(names, [0.0, 0.5, 0.5]),
        *figures.loss_and_gradient_curves(sweep, 0.3, "nats"),
        figures.softmax_bars(names, p, p, 0.5),
    ]
    for figure in built:  # the page skips validation for speed: every builder is checked here
        go.Figure(figure.to_dict())  # raises on a bad property
