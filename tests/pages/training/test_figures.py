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


@pytest.mark.parametrize("dataset", ["mnist", "fashion_mnist"])
def test_class_axes_label_every_class(dataset):
    """Issue 15: digit names were read as numbers and ticked every other one (0, 2, 4...)
    and long Fashion names thinned out: every class axis names all ten classes."""
    import numpy as np

    from core.data import DATASETS

    names = DATASETS[dataset].class_names
    figures = {
        "confusion": training_figures.confusion_figure(np.eye(10, dtype=int), names),
        "per class": training_figures.per_class_figure(np.linspace(0.5, 1, 10), names),
        "images per class": training_figures.class_counts_figure(np.arange(10), names),
    }
    for name, figure in figures.items():
        layout = json.loads(plotly.io.to_json(figure))["layout"]
        axes = [layout["xaxis"], layout["yaxis"]] if name == "confusion" else [layout["xaxis"]]
        for axis in axes:
            assert axis["type"] == "category", name
            assert axis["tickvals"] == axis["ticktext"] == list(names), name


def test_the_overlay_plots_one_accuracy_and_names_it():
    """Issue 15: the overlay plotted 'validation accuracy (train if none)', mixing the two.
    One run without validation: every run's training accuracy, and the title says so."""
    both = training_figures.overlay_figure([("a", TWO_EPOCHS), ("b", TWO_EPOCHS)])
    assert [note.text for note in both.layout.annotations] == [
        "training loss",
        "validation accuracy",
    ]
    assert list(both.data[1].y) == TWO_EPOCHS["epoch_val_accuracy"]
    mixed = training_figures.overlay_figure([("a", TWO_EPOCHS), ("b", NO_VALIDATION)])
    assert mixed.layout.annotations[1].text.startswith("training accuracy")
    assert [list(trace.y) for trace in mixed.data[1::2]] == [TWO_EPOCHS["epoch_accuracy"]] * 2
