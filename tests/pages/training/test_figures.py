"""The studio's live curves: built without Plotly's checks, they must be what the checks give."""

import json
import math

import plotly.io
import pytest

from pages.training import figures as training_figures

TWO_EPOCHS = {
    "batch_epoch": [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0],
    "batch_loss": [2.1, 1.2, 0.8, 0.6, 0.5, 0.45, 0.41, 0.4],
    "batch_accuracy": [0.2, 0.6, 0.75, 0.8, 0.85, 0.86, 0.87, 0.88],
    "epoch": [1, 2],
    "epoch_loss": [1.2, 0.45],
    "epoch_accuracy": [0.6, 0.86],
    "epoch_val_loss": [0.7, 0.42],
    "epoch_val_accuracy": [0.8, 0.87],
}
NO_VALIDATION = {
    **TWO_EPOCHS,
    "epoch_val_loss": [math.nan] * 2,
    "epoch_val_accuracy": [math.nan] * 2,
}


def figure_json(series: dict) -> dict:
    return json.loads(
        plotly.io.to_json(training_figures.curves_figure(series, "Run 1"), validate=False)
    )


@pytest.mark.parametrize("series", [TWO_EPOCHS, NO_VALIDATION, {}], ids=["val", "no-val", "empty"])
def test_unchecked_curves_are_what_plotly_checks_give(monkeypatch, series):
    """The JSON sent to the browser is exactly that of the checked figure, which raises nothing."""
    fast = figure_json(series)
    monkeypatch.setattr(training_figures, "VALIDATE", True)
    assert fast == figure_json(series)


def test_curves_put_loss_left_and_accuracy_right():
    figure = figure_json(TWO_EPOCHS)
    panels = {(trace["xaxis"], trace["name"]): trace["y"] for trace in figure["data"]}
    assert panels[("x", "validation (epoch)")] == [0.7, 0.42]
    assert panels[("x2", "validation (epoch)")] == [0.8, 0.87]
    assert [note["text"] for note in figure["layout"]["annotations"]] == ["loss", "accuracy"]
    assert figure["layout"]["xaxis2"]["title"]["text"] == "epoch"
    names = [trace["name"] for trace in figure_json(NO_VALIDATION)["data"]]
    assert "validation (epoch)" not in names  # no validation split, no empty legend entry
