"""Issue 17: a data folder with a handful of images, or none, is no traceback on any page.

A valid IDX file with 5 images broke the studio's data explorer ("Cannot take a larger
sample than population"); with 0 images, From scratch too. Every page that samples a data
set copes with any size, with a sentence when there is nothing to show.
"""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core import data
from core.data import DATA_DIR_VARIABLE
from dashboard.navigation import available_pages
from tests.core.test_data import fake_idx_folder
from tests.pages.test_every_page import run_page

pytestmark = pytest.mark.slow  # every page, twice


@pytest.fixture
def small_data(monkeypatch, tmp_path, request):
    train, test = request.param
    for folder in ("mnist", "fashion-mnist"):
        fake_idx_folder(tmp_path / folder, train=train, test=test)
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path))
    data.clear_cache()
    yield train, test
    data.clear_cache()


def open_page(name: str) -> AppTest:
    [page] = [page for page in available_pages() if page.name == name]
    app = run_page(page, timeout=120)
    assert not app.exception, [error.value for error in app.exception]
    return app


def image_rows(app: AppTest) -> list:
    """Each st.image call's pictures, in page order (AppTest has no accessor of its own)."""
    rows, nodes = [], [app._tree]
    while nodes:
        node = nodes.pop(0)
        if getattr(node, "type", None) in ("image", "imgs"):
            rows.append(list(node.proto.imgs))
        children = getattr(node, "children", None)
        nodes[:0] = list(children.values()) if isinstance(children, dict) else []
    return rows


def shown(app: AppTest) -> str:
    return " ".join(element.value for element in (*app.info, *app.warning, *app.error))


@pytest.mark.parametrize("small_data", [(0, 0), (5, 3)], indirect=True)
def test_every_page_opens_on_a_tiny_or_empty_data_set(small_data):
    for page in available_pages():
        open_page(page.name)


@pytest.mark.parametrize("small_data", [(0, 0)], indirect=True)
def test_empty_data_sets_are_said_where_they_would_be_shown(small_data):
    studio = open_page("training")
    assert "MNIST has no training images on this server: nothing to show." in shown(studio)
    scratch = open_page("scratch")
    assert "MNIST on this server has 0 training and 0 test images" in shown(scratch)
    prediction = open_page("prediction")
    prediction.session_state["prediction_input"] = "pick"
    prediction.run()
    assert not prediction.exception
    assert "MNIST has no test images on this server: draw or upload an image." in shown(prediction)


@pytest.mark.parametrize("small_data", [(5, 3)], indirect=True)
def test_a_handful_of_images_is_all_shown_and_a_missing_class_is_said(small_data):
    studio = open_page("training")
    caption = "MNIST: 5 training and 3 test images, loaded from local folder."
    assert caption in [element.value for element in studio.caption]  # no server path
    sample, _means = image_rows(studio)
    assert len(sample) == 5  # the explorer's sample: all there is
    prediction = open_page("prediction")
    prediction.session_state["prediction_input"] = "pick"
    prediction.run()
    _, (_, labels), _ = data.load_dataset("mnist")
    absent = next(label for label in range(10) if label not in set(labels.tolist()))
    prediction.selectbox(key="prediction_pick_class").set_value(absent).run()
    [random_of_class] = [b for b in prediction.button if b.label.startswith("Random ")]
    random_of_class.click().run()
    assert not prediction.exception, [error.value for error in prediction.exception]
    assert "test images hold no" in shown(prediction)
    assert np.isin(prediction.number_input(key="prediction_index").value, range(3))
