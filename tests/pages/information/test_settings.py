"""The lab's settings table without Streamlit: presets, the Prediction page's link, p alone."""

import numpy as np
import pytest

from pages.information.presets import PRESETS
from pages.information.settings import SETTINGS, classes_of_link
from pages.prediction.links import information_lab_query


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_loads_values_its_settings_accept(preset):
    """A preset writes setting values directly: each must fit, unchanged."""
    for key, value in PRESETS[preset].state.items():
        assert SETTINGS[key].check(value) == value


def test_the_prediction_pages_link_is_read_without_a_problem():
    """The Prediction page's query (section, names, n, p, q) is this table's contract."""
    probabilities = np.random.default_rng(0).dirichlet(np.ones(10)).astype(np.float32)
    query = information_lab_query(probabilities, true_label=2, dataset="fashion_mnist")
    values, problems = SETTINGS.read_link(query)
    assert problems == []
    assert values["section"] == "cross_entropy" and values["names"] == "fashion"
    assert values["n"] == 10
    assert values["p"] == "0, 0, 1, 0, 0, 0, 0, 0, 0, 0"
    assert SETTINGS.link_query(values) == query  # and written back unchanged


@pytest.mark.parametrize(
    "query, classes",
    [
        ({"p": "0.5,0.5"}, 2),
        ({"p": "0.2 0.3 0.5"}, 3),
        ({"p": "0.5,0.5", "n": "2"}, None),  # n is given: the link says it
        ({"p": "0.5,x"}, None),  # p refused: default p and n
        ({"p": "1"}, None),  # one class is not a classifier
        ({"q": "0.5,0.5"}, None),
    ],
)
def test_a_link_with_p_alone_has_as_many_classes_as_p(query, classes):
    assert classes_of_link(query) == classes
