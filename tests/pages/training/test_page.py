"""The Training studio through the real entry point (AppTest): runs, presets, ledger, bad input."""

import base64
import json
import re
from dataclasses import replace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core import codegen
from core.engine.settings import default_workers, workers_setting
from core.presets import PRESETS
from dashboard import studio_runs as training_state
from dashboard.session_models import MAX_SESSION_MODELS, SessionModel
from dashboard.text import plain
from pages.training.settings import preset_of
from pages.training.views import SAWTOOTH
from tests.conftest import ROOT
from tests.core.engine.helper_tasks import busy_engine

APP = str(ROOT / "dashboard" / "app.py")
PAGE = str(ROOT / "pages" / "training" / "page.py")
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


def chart(app: AppTest, key: str) -> dict:
    """The Plotly figure of the chart with this key, as the browser receives it."""
    found = [element for element in app.get("plotly_chart") if element.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, [element.proto.id for element in app.get("plotly_chart")]
    return json.loads(found[0].proto.spec)


def tab(app: AppTest, label: str):
    [found] = [block for block in app.tabs if block.label == label]
    return found


def plotly_array(value) -> np.ndarray:
    """A Plotly JSON array, plain or in its typed-array form ({"dtype", "bdata", "shape"})."""
    if isinstance(value, dict):
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        return flat.reshape([int(n) for n in str(shape).split(",")]) if shape else flat
    return np.asarray(value)


def tutorial_table(app: AppTest) -> dict:
    table = next(frame.value for frame in app.dataframe if "tutorial printed" in frame.value)
    return {row["preset"]: row for row in table.to_dict("records")}


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert app.select_slider(key="train_batch_size").value == 128
    assert app.number_input(key="train_epochs").value == 5
    assert app.number_input(key="train_subset_size").value == 60_000
    assert app.query_params["train_preset"] == "tutorial_dense512"  # the box is in the link


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_fits_the_widgets(key):
    """Each preset's values are on its slider's grid: a value off the grid would make
    st.select_slider raise, and a rounded one would train something else than promised."""
    app = open_studio()
    app.selectbox(key="train_preset").set_value(key).run()
    press(app, "train_load_preset")
    assert not app.exception
    config = PRESETS[key].config
    assert app.select_slider(key="train_learning_rate").value == pytest.approx(config.learning_rate)
    assert app.select_slider(key="train_batch_size").value == config.batch_size
    assert app.number_input(key="train_epochs").value == config.epochs
    assert app.number_input(key="train_subset_size").value == config.subset_size
    assert preset_of(config) == key


def test_tutorial_numbers_are_listed():
    """The runs tab lists each tutorial preset with the accuracy its tutorial printed."""
    table = tutorial_table(open_studio())
    assert table["Tutorial: the 5x5 CNN with Adam 1e-4 (long: 17 epochs)"]["tutorial printed"] == (
        "0.992"
    )
    dense = table["Tutorial: Dense 512 relu + softmax, RMSprop, 5 epochs of 128"]
    assert dense["tutorial printed"] == "0.980"
    assert dense["ours (best this session)"] == "not run yet"


@pytest.mark.slow
def test_a_tutorial_preset_run_shows_ours_next_to_the_tutorials_number(real_data_dir):
    """Load the MNIST softmax tutorial (1000 steps of 50: seconds) and train it: the run is
    recognised as that preset, and our test accuracy sits beside the 0.91 it printed."""
    app = open_studio()
    app.selectbox(key="train_preset").set_value("tutorial_mnist_softmax").run()
    wait_for_run(press(press(app, "train_load_preset"), "train_start"))
    [run] = app.session_state["train_runs"]
    assert run.preset == "tutorial_mnist_softmax"
    row = tutorial_table(app)[PRESETS["tutorial_mnist_softmax"].title]
    assert row["tutorial printed"] == "0.910"
    ours = float(row["ours (best this session)"])
    assert ours == pytest.approx(run.result.test_accuracy, abs=1e-4)
    assert 0.89 <= ours <= 0.94  # the tutorial's ~0.91, give or take its random start
    assert f"Tutorial printed **0.910**; this run: **{ours:.4f}**" in " ".join(texts(app.info))


def test_a_changed_setting_is_no_longer_the_preset():
    """preset_of recognises a preset's exact run, and nothing else."""
    config = PRESETS["tutorial_mnist_softmax"].config
    assert preset_of(config) == "tutorial_mnist_softmax"
    assert preset_of(replace(config, epochs=2)) is None


def test_settings_survive_a_visit_to_another_page():
    """Widgets keep their values off-page (persist_state): no copy is put back."""
    app = open_studio()
    app.number_input(key="train_epochs").set_value(7).run()
    app.switch_page(str(ROOT / "pages" / "home" / "page.py")).run()
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
    assert plain(
        "The link's learning rate (train_learning_rate='0'): must be from 1e-05 to 10; using 0.5."
    ) in texts(app.warning)
    assert app.select_slider(key="train_learning_rate").value == pytest.approx(0.5)


def test_stop_when_nothing_runs_says_so():
    app = press(open_studio(), "train_stop")
    assert "Nothing is training right now" in texts(app.info)[0]


@pytest.mark.slow
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


@pytest.mark.slow
def test_the_oldest_model_is_dropped_with_a_message(real_data_dir):
    """With the session's model list full, a new run pushes the oldest out and says so."""
    app = open_studio()
    app.session_state["session_models"] = [
        SessionModel(f"old {index}", None, "mnist", tuple("0123456789"), None)
        for index in range(MAX_SESSION_MODELS)
    ]
    set_settings(app, **TINY)
    wait_for_run(press(app, "train_start"))
    assert (
        f"The session keeps its {MAX_SESSION_MODELS} newest models: old 0 was dropped to make "
        "room (its ledger line and curves stay)."
    ) in texts(app.info)
    labels = [model.label for model in app.session_state["session_models"]]
    assert "old 0" not in labels and labels[-1].startswith("run 1")


@pytest.mark.slow
def test_a_run_that_ends_just_before_train_is_pressed_is_kept(real_data_dir, monkeypatch):
    """Run 1 ends between the page's first look (which saw it training) and the Train
    handler: pressing Train collects it first, so its ledger line, model and number stay."""
    app = open_studio()
    set_settings(app, **{**TINY, "train_epochs": 20, "train_subset_size": 20_000})
    first = press(app, "train_start").session_state["train_job"]
    really_training = training_state.is_training

    def ends_right_now() -> bool:  # the job finishes after the page's collect_finished() ran
        first.job.request_stop()
        first.job.join(90)
        return really_training()

    monkeypatch.setattr(training_state, "is_training", ends_right_now)
    set_settings(app, **TINY)
    press(app, "train_start")
    monkeypatch.setattr(training_state, "is_training", really_training)
    wait_for_run(app)
    table = ledger(app)
    assert list(table["run"]) == [1, 2]
    assert list(table["status"]) == ["stopped", "done"]
    assert [model.label for model in app.session_state["session_models"]] == [
        "run 1 · Softmax regression on MNIST",
        "run 2 · Softmax regression on MNIST",
    ]


@pytest.mark.slow
def test_stopping_a_queued_run_records_it_as_stopped(real_data_dir):
    """Stop while the run waits for a free trainer: the ledger says stopped, not failed."""
    with busy_engine():
        app = open_studio()
        set_settings(app, **TINY)
        press(app, "train_start")
        assert any("server's queue" in text for text in texts(app.info)), texts(app.info)
        press(app, "train_stop")
        app.session_state["train_job"].job.join(10)
        app.run()
    assert list(ledger(app)["status"]) == ["stopped"]
    assert "Run 1 was stopped before training started: nothing to show." in texts(app.warning)
    assert not app.error
    assert app.session_state.get("session_models", []) == []


@pytest.mark.slow
@pytest.mark.parametrize("value", ["0", "two"])
def test_a_bad_workers_setting_is_named_and_training_still_runs(real_data_dir, monkeypatch, value):
    """DASHBOARD_WORKERS=0 or =two: the page names the setting and its default, Train works."""
    monkeypatch.setenv("DASHBOARD_WORKERS", value)
    app = open_studio()
    message = (
        f"Server setting: DASHBOARD_WORKERS={value!r} must be a whole number of at least 1; "
        f"using {default_workers()}."
    )
    assert message in texts(app.warning)
    assert workers_setting() == (default_workers(), message.removeprefix("Server setting: "))
    set_settings(app, **TINY)
    wait_for_run(press(app, "train_start"))
    assert list(ledger(app)["status"]) == ["done"]


@pytest.mark.slow
def test_selected_ledger_rows_overlay_their_curves(real_data_dir):
    """Two runs, both rows selected: one chart with each run's loss and accuracy curves."""
    app = open_studio()
    set_settings(app, **TINY)
    wait_for_run(press(app, "train_start"))
    set_settings(app, train_learning_rate=0.05)
    wait_for_run(press(app, "train_start"))
    assert not app.get("plotly_chart") or all(
        not element.proto.id.endswith("-train_overlay") for element in app.get("plotly_chart")
    )
    app.session_state["train_ledger_table"] = {"selection": {"rows": [0, 1], "columns": []}}
    app.run()
    figure = chart(app, "train_overlay")
    runs = app.session_state["train_runs"]
    assert [trace["name"] for trace in figure["data"]] == [
        run.label for run in runs for _ in ("loss", "accuracy")
    ]
    for run, (loss, accuracy) in zip(runs, zip(figure["data"][::2], figure["data"][1::2])):
        assert plotly_array(loss["y"]) == pytest.approx(run.series["batch_loss"])
        assert plotly_array(accuracy["y"]) == pytest.approx(run.series["epoch_val_accuracy"])
    first, second = (plotly_array(trace["y"]) for trace in figure["data"][::2])
    assert not np.allclose(first, second)  # two learning rates, two curves


@pytest.mark.slow
def test_look_inside_shows_the_confusion_matrix_mistakes_and_weights(real_data_dir, monkeypatch):
    """After a run: confusion counts of every test image, the most confident mistakes with
    their labels, the 10 softmax templates, and the code, all without building a model."""
    app = open_studio()
    set_settings(app, **TINY)
    wait_for_run(press(app, "train_start"))

    def no_build(*args, **kwargs):
        raise AssertionError("'show code' must not build a model in the page")

    monkeypatch.setattr(codegen, "build_model", no_build)
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    [run] = app.session_state["train_runs"]
    counts = plotly_array(chart(app, "confusion_1")["data"][0]["z"])
    assert counts.shape == (10, 10) and counts.sum() == 10_000  # the whole MNIST test split
    assert np.trace(counts) / 10_000 == pytest.approx(run.result.test_accuracy)
    [mistakes] = tab(app, "Mistakes").image
    assert len(mistakes.captions) == 24
    assert all(re.fullmatch(r"true \d · said \d \(\d+%\)", text) for text in mistakes.captions)
    [templates] = tab(app, "Weights").image
    assert list(templates.captions) == list("0123456789")  # one template per class
    assert "template per class" in tab(app, "Weights").caption[0].value
    script = next(code.value for code in app.code if "def build_model" in code.value)
    assert script == run.script.strip()  # st.code drops the final newline
    assert "layers.Dense(10, activation='softmax')" in script


@pytest.mark.slow
def test_a_bad_input_after_a_good_run_loses_nothing(real_data_dir):
    """A good run, then epochs 0 and a batch larger than the subset: refused with a message,
    the ledger line, the model and the look inside are all still there."""
    app = open_studio()
    set_settings(app, **TINY)
    wait_for_run(press(app, "train_start"))
    before = ledger(app)
    for bad in ({"train_epochs": 0}, {"train_subset_size": 100, "train_batch_size": 512}):
        set_settings(app, **{**TINY, **bad})
        press(app, "train_start")
        assert app.error, bad
        assert ledger(app).equals(before)
        assert [model.label for model in app.session_state["session_models"]] == [
            "run 1 · Softmax regression on MNIST"
        ]
        assert plotly_array(chart(app, "confusion_1")["data"][0]["z"]).sum() == 10_000
    press(app, "train_stop")
    assert "Nothing is training right now" in " ".join(texts(app.info))
    assert ledger(app).equals(before)


def test_a_batch_size_off_the_slider_is_snapped_with_a_message():
    """?train_batch_size=60 opens with the nearest slider value, 64, and says so."""
    app = open_studio({"train_batch_size": "60"})
    assert plain("The link's batch size '60' is not on the slider; using the nearest, 64.") in (
        texts(app.warning)
    )
    assert app.select_slider(key="train_batch_size").value == 64


def test_a_run_past_the_servers_limit_is_refused_with_what_fits(real_data_dir):
    """Batch 1 for 100 epochs on MNIST would hold a trainer for hours: refused before it
    starts, with a sentence that says what fits; nothing is queued."""
    app = open_studio()
    set_settings(app, **{**TINY, "train_batch_size": 1, "train_epochs": 100})
    app.session_state["train_subset_size"] = 60_000
    press(app, "train_start")
    [refusal] = texts(app.error)
    assert refusal.startswith("This run would take about ")
    assert "runs on this server are limited to 15 minutes: at most" in refusal
    assert "train_job" not in app.session_state


def test_the_servers_limit_is_a_setting(real_data_dir, monkeypatch):
    monkeypatch.setenv("DASHBOARD_RUN_LIMIT_MINUTES", "1")
    app = open_studio()
    set_settings(app, **{**TINY, "train_epochs": 60, "train_subset_size": 60_000})
    press(app, "train_start")
    assert "runs on this server are limited to 1 minute: " in " ".join(texts(app.error))


@pytest.mark.slow
def test_two_tabs_of_one_browser_get_one_run_between_them(real_data_dir):
    """A second tab of the same browser cannot queue a second run: the queue stays fair."""
    first, second = open_studio(), open_studio()
    for tab in (first, second):
        tab.session_state["_browser_session_id"] = "one browser"  # as its cookie would say
    set_settings(first, **{**TINY, "train_epochs": 20, "train_subset_size": 20_000})
    press(first, "train_start")
    set_settings(second, **TINY)
    press(second, "train_start")
    assert texts(second.error) == [
        "A run from this browser is already training or waiting, in another tab: stop it there "
        "or wait for it to end. One run per browser keeps the queue fair for the whole class."
    ]
    assert "train_job" not in second.session_state
    press(first, "train_stop")
    wait_for_run(first)
    set_settings(second, **TINY)
    wait_for_run(press(second, "train_start"))  # the browser's run ended: a new one may go
    assert list(ledger(second)["status"]) == ["done"]


@pytest.mark.slow  # trains three small softmax runs
def test_look_inside_follows_the_newest_run_unless_one_was_picked(real_data_dir):
    """Issue 15: Look inside stayed on run 1 after run 2 finished. It shows the newest
    finished run and says so; a run picked by hand stays, with a note naming the newest.
    The overlay of runs on two data sets warns, and names the one accuracy it plots."""
    app = open_studio()
    set_settings(app, **TINY)
    wait_for_run(press(app, "train_start"))
    assert app.selectbox(key="train_inside_run").value == 1
    assert SAWTOOTH in texts(app.caption)  # under the curves: why the loss saws within epochs
    wait_for_run(press(app, "train_start"))
    assert app.selectbox(key="train_inside_run").value == 2
    assert "Showing run 2, the newest finished run" in " ".join(
        texts(tab(app, "Look inside").caption)
    )

    app.selectbox(key="train_inside_run").select(1).run()  # picked by hand
    set_settings(app, train_dataset="digits")
    wait_for_run(press(app, "train_start"))
    assert app.selectbox(key="train_inside_run").value == 1
    assert SAWTOOTH in texts(app.caption)  # under the curves: why the loss saws within epochs
    assert "Showing run 1, picked by hand; the newest is run 3." in " ".join(
        texts(tab(app, "Look inside").caption)
    )

    # the status in sight at 1280 px: right after the run number (it was the last column)
    assert list(app.dataframe(key="train_ledger_table").proto.column_order)[:2] == [
        "run",
        "status",
    ]
    app.session_state["train_ledger_table"] = {"selection": {"rows": [0, 2], "columns": []}}
    app.run()
    assert any("different data sets (MNIST, Digits" in text for text in texts(app.warning))
    titles = [note["text"] for note in chart(app, "train_overlay")["layout"]["annotations"]]
    assert titles == ["training loss", "validation accuracy"]


def test_the_ledger_shows_every_column_status_first():
    from core.ledger import COLUMNS
    from pages.training.views import LEDGER_ORDER

    assert sorted(LEDGER_ORDER) == sorted(COLUMNS) and LEDGER_ORDER[:2] == ("run", "status")
