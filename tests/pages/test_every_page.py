"""Every page, run through the real entry point with AppTest."""

import subprocess
import sys

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import HOME, PAGES, available_pages
from tests.conftest import ROOT

APP = str(ROOT / "dashboard" / "app.py")


def run_page(page, timeout=60, query: dict | None = None) -> AppTest:
    """The page through the real entry point, opened by a link with `query` if given."""
    app = AppTest.from_file(APP, default_timeout=timeout)
    app.query_params.update(query or {})
    app.run()
    if page is not HOME:
        app.switch_page(str(page.path)).run()
    return app


@pytest.mark.parametrize("page", available_pages(), ids=lambda page: page.name)
def test_page_renders_without_exception(page):
    """Each page that exists opens through the navigation with no exception."""
    app = run_page(page)
    assert not app.exception, [error.value for error in app.exception]
    assert len(app.main.children) > 0


def test_only_existing_pages_are_in_the_menu():
    """A page issue adds a file; until then the page is not offered."""
    shown = {page.name for page in available_pages()}
    assert HOME.name in shown
    for page in PAGES:
        assert (page.name in shown) == page.path.is_file()


def test_home_lists_every_dataset_with_its_source(monkeypatch, tmp_path):
    """The data panel says where each data set would load from, with no data set at all."""
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    app = run_page(HOME)
    table = app.table[0].value
    sources = dict(zip(table["data set"], table["loaded from"]))
    assert sources["MNIST"] == "unavailable"
    assert sources["Digits (offline)"] == "bundled with scikit-learn"


def test_home_shows_local_folder_when_data_dir_is_set(monkeypatch, real_data_dir):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(real_data_dir))
    app = run_page(HOME)
    table = app.table[0].value
    sources = dict(zip(table["data set"], table["loaded from"]))
    assert sources["MNIST"] == sources["Fashion-MNIST"] == "local folder"
    assert "MB" in table["size"][0]


def test_home_cards_link_every_other_page():
    app = run_page(HOME)
    others = [page for page in available_pages() if page is not HOME]
    assert len(app.get("page_link")) == len(others)


@pytest.mark.slow
def test_device_check_asks_the_engines_workers():
    """The compute device is that of the workers that train, asked when someone clicks."""
    from core.engine import engine_client

    app = run_page(HOME)
    app.button[0].click().run(timeout=180)
    assert not app.exception
    workers = len(engine_client().scheduler_info()["workers"])
    assert app.success[0].value.startswith(f"{workers} worker(s). ")
    assert "CPU" in app.success[0].value or "GPU" in app.success[0].value
    assert set(app.table[-1].value["worker"]) == set(range(1, workers + 1))


@pytest.mark.parametrize("page", available_pages(), ids=lambda p: p.name)
def test_no_page_imports_tensorflow(page):
    """Pages open instantly and the web server stays small: training runs on the engine's
    workers, and Prediction runs its models in NumPy (tests/pages/prediction checks that one
    with a model). Checked in a fresh process, since other tests here import TensorFlow."""
    switch = "" if page is HOME else f"app.switch_page({str(page.path)!r}).run()\n"
    code = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"app = AppTest.from_file({APP!r}, default_timeout=60).run()\n"
        f"{switch}"
        "assert not app.exception, app.exception\n"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_students_never_see_the_servers_data_folder(monkeypatch, real_data_dir):
    """Neither the sidebar nor the data panel names the server's absolute paths."""
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(real_data_dir))
    monkeypatch.delenv("DASHBOARD_SHOW_PATHS", raising=False)
    app = run_page(HOME)
    shown = " ".join(
        [str(app.table[0].value.to_dict())]
        + [caption.value for caption in app.sidebar.caption]
        + [markdown.value for markdown in app.markdown]
    )
    assert str(real_data_dir) not in shown
    assert "where" not in app.table[0].value.columns


def test_the_server_owner_can_ask_for_the_paths(monkeypatch, real_data_dir):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(real_data_dir))
    monkeypatch.setenv("DASHBOARD_SHOW_PATHS", "1")
    app = run_page(HOME)
    assert str(real_data_dir / "mnist") in list(app.table[0].value["where"])


def test_the_data_panel_says_damaged_before_anyone_trains(monkeypatch, tmp_path):
    from core.data import IDX_FILES, clear_cache
    from core.idx import write_idx

    folder = tmp_path / "data" / "mnist"
    folder.mkdir(parents=True)
    for name, count in zip(IDX_FILES, (30, 30, 10, 10)):
        shape = (count, 28, 28) if "images" in name else (count,)
        write_idx(folder / name, np.zeros(shape, dtype=np.uint8))
    spoiled = folder / IDX_FILES[0]
    spoiled.write_bytes(spoiled.read_bytes()[:-8])  # a cut-off copy: its trailer is gone
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "data"))
    clear_cache()
    app = run_page(HOME)
    sources = dict(zip(app.table[0].value["data set"], app.table[0].value["loaded from"]))
    assert sources["MNIST"].startswith("damaged: mnist/train-images-idx3-ubyte.gz: cut short")
