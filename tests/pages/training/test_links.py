"""The studio's settings table: links open the preset they are, bad values say so, hidden
settings keep their values. Through the real entry point (AppTest); nothing trains here."""

import pytest

from core.presets import PRESETS
from dashboard.text import plain
from pages.training.settings import (
    FIRST_PRESET,
    SETTINGS,
    config_of,
    preset_of,
    settings_of,
)
from pages.training.train_tab import first_run_text
from tests.conftest import ROOT
from tests.pages.training.test_page import PAGE, open_studio, texts

DENSE = "tutorial_dense512"


def captions(app) -> list[str]:
    return [caption.value for caption in app.caption]


def test_a_fresh_page_holds_the_first_presets_run_and_says_it_takes_seconds():
    assert SETTINGS["train_preset"].default == FIRST_PRESET
    assert preset_of(config_of(SETTINGS.defaults)) == FIRST_PRESET
    app = open_studio()
    assert app.selectbox(key="train_preset").value == FIRST_PRESET
    assert PRESETS[FIRST_PRESET].source in captions(app)
    assert (
        "No run yet: press Train for a first run of a few seconds "
        "(Fast: softmax regression on 5 000 digits)."
    ) in texts(app.info)
    assert app.query_params == {}  # defaults leave the link empty


def test_a_dense_512_link_opens_with_that_preset_its_caption_and_an_honest_text():
    """A link shared before the preset box was in links: its settings are exactly the
    Dense-512 tutorial's run, so the box, its caption and the text all name that run."""
    query = SETTINGS.link_query(settings_of(PRESETS[DENSE].config))
    assert "train_preset" not in query
    app = open_studio(query)
    assert app.selectbox(key="train_preset").value == DENSE
    assert "Chollet, Deep Learning with Python, chapter 2" in captions(app)
    assert (
        "No run yet: press Train to run **Tutorial: Dense 512 relu + softmax, RMSprop, "
        "5 epochs of 128**: 5 epochs over 60,000 training images (the Fast presets take seconds)."
    ) in texts(app.info)
    assert not any("a few seconds" in text for text in texts(app.info))
    assert app.query_params == {**query, "train_preset": DENSE}  # the link now names it
    assert not app.warning


def test_a_link_naming_a_preset_shows_it_and_the_text_tells_what_train_would_run():
    """?train_preset=tutorial_cnn without its settings: the box shows the link's pick, the
    text the run Train would start (the default fast softmax run, not the CNN's)."""
    app = open_studio({"train_preset": "tutorial_cnn"})
    assert app.selectbox(key="train_preset").value == "tutorial_cnn"
    assert PRESETS["tutorial_cnn"].source in captions(app)
    assert any("a first run of a few seconds (Fast: softmax" in text for text in texts(app.info))


def test_settings_of_no_preset_are_described_as_they_are():
    app = open_studio({"train_family": "mlp", "train_epochs": "2"})
    assert app.selectbox(key="train_preset").value == FIRST_PRESET  # nothing to match
    assert (
        "No run yet: press Train to train **MLP 1x128 relu** on MNIST: "
        "2 epochs over 4,500 training images."
    ) in texts(app.info)


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_presets_run_goes_through_a_link_unchanged(key):
    """A preset's settings, written into a link and read back: no note, the same run."""
    values, problems = SETTINGS.read_link(SETTINGS.link_query(settings_of(PRESETS[key].config)))
    assert problems == []
    assert config_of(values) == PRESETS[key].config
    assert preset_of(config_of(values)) == key


@pytest.mark.parametrize("key", list(PRESETS))
def test_only_a_preset_titled_seconds_promises_seconds(key):
    preset = PRESETS[key]
    text = first_run_text(preset.config)
    if preset.title.endswith("(seconds)"):
        assert text.startswith("No run yet: press Train for a first run of a few seconds (")
    else:
        assert f"**{preset.title}**" in text and "a few seconds" not in text
        assert f"{preset.config.epochs} epoch" in text


@pytest.mark.parametrize(
    ("key", "text", "sentence"),
    [
        (
            "train_preset",
            "nope",
            "The link's preset (train_preset='nope'): choose one of quick_model, fast_softmax, "
            "fast_mlp, fast_cnn, target_cnn_mnist, target_cnn_fashion, "
            "tutorial_fashion_softmax, tutorial_mnist_softmax, tutorial_dense512, tutorial_cnn; "
            "using fast_softmax.",
        ),
        (
            "train_dataset",
            "imagenet",
            "The link's data set (train_dataset='imagenet'): choose one of mnist, "
            "fashion_mnist, digits; using mnist.",
        ),
        (
            "train_family",
            "rnn",
            "The link's model (train_family='rnn'): choose one of softmax, mlp, cnn, cnn_fast; "
            "using softmax.",
        ),
        (
            "train_activation",
            "gelu",
            "The link's activation (train_activation='gelu'): choose one of relu, sigmoid, "
            "tanh; using relu.",
        ),
        (
            "train_optimizer",
            "adagrad",
            "The link's optimizer (train_optimizer='adagrad'): choose one of sgd, momentum, "
            "rmsprop, adam; using sgd.",
        ),
        (
            "train_hidden_layers",
            "9",
            "The link's hidden layers (train_hidden_layers='9'): must be from 1 to 4; using 1.",
        ),
        (
            "train_width",
            "4096",
            "The link's units per hidden layer (train_width='4096'): must be from 16 to 1024; "
            "using 128.",
        ),
        (
            "train_dropout_rate",
            "0.95",
            "The link's dropout rate (train_dropout_rate='0.95'): must be from 0 to 0.8; using 0.",
        ),
        (
            "train_learning_rate",
            "fast",
            "The link's learning rate (train_learning_rate='fast') is not a number; using 0.5.",
        ),
        (
            "train_batch_size",
            "2.5",
            "The link's batch size (train_batch_size='2.5') is not a whole number; using 50.",
        ),
        (
            "train_epochs",
            "1e9",
            "The link's epochs (train_epochs='1e9'): must be from 0 to 100; using 3.",
        ),
        (
            "train_subset_size",
            "-5",
            "The link's training subset (train_subset_size='-5'): must be from 0 to 60000 "
            "images; using 5000.",
        ),
        (
            "train_validation_split",
            "nan",
            "The link's validation split (train_validation_split='nan') is not a finite "
            "number; using 0.1.",
        ),
        (
            "train_seed",
            "abc",
            "The link's random seed (train_seed='abc') is not a whole number; using 0.",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 25 else None,
)
def test_a_bad_link_value_gets_one_sentence_and_the_default(key, text, sentence):
    app = open_studio({key: text})
    assert texts(app.warning) == [plain(sentence)]
    assert app.session_state[key] == SETTINGS[key].default
    assert key not in app.query_params  # the default is not written into the link


def test_a_learning_rate_between_slider_values_snaps_to_the_nearest_with_a_note():
    app = open_studio({"train_learning_rate": "0.003"})
    assert texts(app.warning) == [
        plain("The link's learning rate '0.003' is not on the slider; using the nearest, 0.002.")
    ]
    assert app.select_slider(key="train_learning_rate").value == pytest.approx(0.002)
    assert app.query_params["train_learning_rate"] == "0.002"


def test_mlp_settings_hidden_while_a_cnn_is_chosen_keep_their_values():
    """Width, layers and activation are not drawn while a CNN is chosen, nor during a visit
    to Home: choosing the MLP again shows them as they were, and the link kept them."""
    app = open_studio()
    app.selectbox(key="train_family").set_value("mlp").run()
    app.select_slider(key="train_width").set_value(512).run()
    app.slider(key="train_hidden_layers").set_value(3).run()
    app.radio(key="train_activation").set_value("tanh").run()
    app.selectbox(key="train_family").set_value("cnn").run()
    assert not [widget for widget in app.select_slider if widget.key == "train_width"]
    assert app.query_params["train_width"] == "512"
    app.switch_page(str(ROOT / "pages" / "home" / "page.py")).run()
    app.switch_page(PAGE).run()
    assert app.selectbox(key="train_family").value == "cnn"
    app.selectbox(key="train_family").set_value("mlp").run()
    assert not app.exception
    assert app.select_slider(key="train_width").value == 512
    assert app.slider(key="train_hidden_layers").value == 3
    assert app.radio(key="train_activation").value == "tanh"
