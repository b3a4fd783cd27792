"""The Training studio through the real entry point (AppTest): runs, presets, ledger, bad input."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.session_models import MAX_SESSION_MODELS, SessionModel

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
PAGE = str(ROOT / "pages" / "training.py")
TINY = {  # a softmax run of about a second
    "train_dataset": "mnist",
    "train_family": "softmax",
    "train_optimizer": "sgd",
    "train_learning_rate": 0.5,
    "train_batch_size": 50,
    "train_epochs": 1,
    "train_subset_size": 1000,
}


def open_studio(query=None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def set_settings(app: AppTest, **values) -> None:
    for key, value in values.items():
        app.session_state[key] = value


def press(app: AppTest, key: str) -> AppTest:
    app.button(key=key).click().run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def wait_for_run(app: AppTest, timeout: float = 90) -> AppTest:
    app.session_state["train_job"].job.join(timeout)
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def texts(elements) -> list[str]:
    return [element.value for element in elements]


def ledger(app: AppTest):
    return app.dataframe(key="train_ledger_table").value


def test_a_run_lands_in_the_ledger_and_the_session_models(real_data_dir):
    """Train, wait: the ledger has the run and the prediction page can pick its model."""
    app = open_studio()
    set_settings(app, **TINY)
    wait_for_run(press(app, "train_start"))
    table = ledger(app)
    assert list(table["status"]) == ["done"]
    assert table["parameters"][0] == 7850 and table["test acc"][0] > 0.7
    assert any(text.startswith("Run 1 finished 1 epoch(s)") for text in texts(app.success))
    models = app.session_state["session_models"]
    assert [model.label for model in models] == ["run 1 · Softmax regression on MNIST"]
    assert models[0].test_accuracy == pytest.approx(table["test acc"][0], abs=1e-4)


def test_stop_keeps_the_run_and_its_model(real_data_dir):
    """Stop during a run: it ends at the next batch, marked stopped, model kept."""
    app = open_studio()
    set_settings(app, **{**TINY, "train_epochs": 20, "train_subset_size": 20_000})
    press(app, "train_start")
    press(app, "train_stop")
    wait_for_run(app)
    assert list(ledger(app)["status"]) == ["stopped"]
    assert any("was stopped after" in text for text in texts(app.warning))
    assert len(app.session_state["session_models"]) == 1


def test_a_diverging_run_is_kept_in_the_ledger_as_diverged(real_data_dir):
    """Learning rate 10, momentum, batch 1, 4x1024 MLP: the loss blows up and the run says so."""
    app = open_studio()
    diverging = {"train_family": "mlp", "train_optimizer": "momentum", "train_learning_rate": 10.0}
    diverging |= {"train_hidden_layers": 4, "train_width": 1024, "train_batch_size": 1}
    set_settings(app, **{**TINY, **diverging})
    wait_for_run(press(app, "train_start"))
    assert list(ledger(app)["status"]) == ["diverged"]
    assert any(
        "diverged at epoch 1, batch" in text and "try a smaller learning rate" in text
        for text in texts(app.error)
    )
    assert "session_models" not in app.session_state or app.session_state["session_models"] == []


def test_loading_a_preset_sets_every_widget():
    """The Dense-512 tutorial preset: MLP 1x512 relu, RMSprop 1e-3, batch 128, 5 epochs."""
    app = open_studio()
    app.selectbox(key="train_preset").set_value("tutorial_dense512").run()
    press(app, "train_load_preset")
    assert app.selectbox(key="train_family").value == "mlp"
    assert app.select_slider(key="train_width").value == 512
    assert app.selectbox(key="train_optimizer").value == "rmsprop"
    assert app.select_slider(key="train_learning_rate").value == pytest.approx(1e-3)
    assert app.number_input(key="train_batch_size").value == 128
    assert app.number_input(key="train_epochs").value == 5
    assert app.number_input(key="train_subset_size").value == 60_000


def test_tutorial_numbers_are_listed():
    """The runs tab lists each tutorial preset with the accuracy its tutorial printed."""
    app = open_studio()
    table = next(frame.value for frame in app.dataframe if "tutorial printed" in frame.value)
    printed = dict(zip(table["preset"], table["tutorial printed"]))
    assert printed["Tutorial: the 5x5 CNN with Adam 1e-4 (long: 17 epochs)"] == "0.992"
    assert printed["Tutorial: Dense 512 relu + softmax, RMSprop, 5 epochs of 128"] == "0.980"


def test_settings_survive_a_visit_to_another_page():
    """Widgets forget their values off-page; the studio puts them back."""
    app = open_studio()
    app.number_input(key="train_epochs").set_value(7).run()
    app.switch_page(str(ROOT / "pages" / "home.py")).run()
    app.switch_page(PAGE).run()
    assert app.number_input(key="train_epochs").value == 7


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"train_epochs": 0}, "Epochs must be at least 1"),
        ({"train_subset_size": 0}, "The training subset must hold at least 1 image"),
        (
            {"train_subset_size": 300, "train_batch_size": 512},
            "Batch size 512 is larger than the 270 training images",
        ),
        ({"train_dataset": "digits", "train_subset_size": 5000}, "Digits (offline) has only 1437"),
    ],
    ids=["epochs-0", "subset-0", "batch-over-subset", "subset-over-dataset"],
)
def test_bad_settings_are_refused_with_a_message(settings, message):
    """Nothing starts, the reason is shown, no traceback."""
    app = open_studio()
    set_settings(app, **{**TINY, **settings})
    press(app, "train_start")
    assert any(message in text for text in texts(app.error)), texts(app.error)
    assert "train_job" not in app.session_state


def test_a_learning_rate_of_zero_in_a_link_is_refused():
    """?train_learning_rate=0 opens the page with the default and says why."""
    app = open_studio({"train_learning_rate": "0"})
    assert any("Learning rate must be greater than 0" in text for text in texts(app.warning))
    assert app.select_slider(key="train_learning_rate").value == pytest.approx(0.5)


def test_stop_when_nothing_runs_says_so():
    app = press(open_studio(), "train_stop")
    assert "Nothing is training right now" in texts(app.info)[0]


def test_training_twice_is_refused_while_a_run_is_going(real_data_dir):
    """A second Train during a run warns and leaves the first run alone."""
    app = open_studio()
    set_settings(app, **{**TINY, "train_epochs": 20, "train_subset_size": 20_000})
    press(app, "train_start")
    first = app.session_state["train_job"]
    press(app, "train_start")
    assert any("already training" in text for text in texts(app.warning))
    assert app.session_state["train_job"] is first
    press(app, "train_stop")
    wait_for_run(app)
    assert len(ledger(app)) == 1


def test_an_unavailable_data_set_offers_digits(monkeypatch, tmp_path):
    """Offline without MNIST: the message says how to get it, one click switches to digits."""
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    app = open_studio()
    press(app, "train_start")
    errors = " ".join(texts(app.error))
    assert "MNIST cannot be loaded" in errors and "DASHBOARD_DATA_DIR" in errors
    app.button[
        [b.label for b in app.button].index("Use the offline digits data set instead")
    ].click().run()
    assert app.selectbox(key="train_dataset").value == "digits"
    assert not app.exception


def test_the_oldest_model_is_dropped_with_a_message(real_data_dir):
    """With the session's model list full, a new run pushes the oldest out and says so."""
    app = open_studio()
    app.session_state["session_models"] = [
        SessionModel(f"old {index}", None, "mnist", tuple("0123456789"), None)
        for index in range(MAX_SESSION_MODELS)
    ]
    set_settings(app, **TINY)
    wait_for_run(press(app, "train_start"))
    assert any("old 0 was dropped" in text for text in texts(app.info))
    labels = [model.label for model in app.session_state["session_models"]]
    assert "old 0" not in labels and labels[-1].startswith("run 1")
