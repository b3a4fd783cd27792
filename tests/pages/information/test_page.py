"""The Information & loss lab through the real entry point: presets, links, edits, bad input."""

import math
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core import information as info
from dashboard.navigation import HOME, PAGES
from pages.information.controls import SLIDERS_OPEN
from pages.information.presets import PRESETS
from pages.information.settings import SETTINGS
from tests.conftest import ROOT

APP = str(ROOT / "dashboard" / "app.py")
PAGE = next(page for page in PAGES if page.name == "information")
ONE_HOT_2 = "0,0,1,0,0,0,0,0,0,0"
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # what dashboard.text.plain adds


def open_lab(query: dict | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(query or {})
    app.run()
    app.switch_page(str(PAGE.path)).run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def messages(elements) -> str:
    """The texts of alerts as the student reads them (outside text is Markdown-escaped)."""
    return " | ".join(MARKDOWN_ESCAPE.sub(r"\1", str(element.value)) for element in elements)


def type_into(app: AppTest, key: str, text: str) -> AppTest:
    app.text_input(key=key).input(text).run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def click(app: AppTest, label: str, index: int = 0) -> AppTest:
    [button for button in app.button if button.label == label][index].click().run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def choose_section(app: AppTest, section: str) -> AppTest:
    app.segmented_control[0].set_value(section).run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def float32_softmax_printed(seed: int, classes: int = 10) -> str:
    """What the Prediction page puts in its link: a float32 softmax printed with 6 decimals."""
    logits = np.random.default_rng(seed).normal(size=classes).astype(np.float32) * 3
    exp = np.exp(logits - logits.max())
    return ",".join(f"{value:.6f}" for value in (exp / exp.sum()).astype(np.float32))


# --- opening ------------------------------------------------------------------------------


def test_opens_on_entropy_with_its_default_example():
    """Default p = (1/2, 1/4, 1/8, 1/8) has entropy 1.75 bits, with no warning."""
    app = open_lab()
    assert metrics(app)["Entropy H(p)"] == "1.7500 bits"
    assert not app.warning and not app.error
    assert len(app.get("plotly_chart")) == 4


def test_prediction_page_link_opens_that_exact_example():
    """section/names/n/p/q from the Prediction page: cross-entropy of that q, no warning."""
    q_text = float32_softmax_printed(seed=3)
    app = open_lab(
        {"section": "cross_entropy", "names": "digits", "n": "10", "p": ONE_HOT_2, "q": q_text}
    )
    q = [float(value) for value in q_text.split(",")]
    expected = info.cross_entropy(np.eye(10)[2], q, base=2, normalise=True)
    assert not app.warning and not app.error, messages(app.warning) + messages(app.error)
    assert app.segmented_control[0].value == "cross_entropy"
    assert metrics(app)["Cross-entropy H(p, q)"] == f"{expected:.4f} bits"


def test_link_with_probabilities_off_by_4e_6_is_accepted():
    """Rounded to 6 decimals, ten probabilities can sum to 1.000004: still a distribution."""
    q = "0.100001,0.100001,0.100001,0.100001,0.1,0.1,0.1,0.1,0.1,0.1"
    app = open_lab({"section": "cross_entropy", "n": "10", "p": ONE_HOT_2, "q": q, "base": "e"})
    assert not app.error and not app.warning
    assert metrics(app)["Cross-entropy H(p, q)"] == f"{-math.log(0.100001):.4f} nats"


def test_link_with_fashion_names_and_base_10():
    """names=fashion labels the classes with Fashion-MNIST names; base=10 gives hartleys."""
    app = open_lab({"names": "fashion", "n": "3", "p": "0.2,0.3,0.5", "base": "10"})
    assert list(app.table[0].value["class"]) == ["T-shirt/top", "Trouser", "Pullover"]
    expected = info.entropy([0.2, 0.3, 0.5], 10)
    assert metrics(app)["Entropy H(p)"] == f"{expected:.4f} hartleys"


def test_link_with_p_alone_takes_the_number_of_classes_from_it():
    """A link with p and no n has as many classes as p has entries."""
    app = open_lab({"p": "0.5,0.5"})
    assert metrics(app)["Entropy H(p)"] == "1.0000 bits"
    assert not app.error and not app.warning
    assert app.number_input(key="n").value == 2


def test_bad_link_values_are_reported_and_replaced_by_defaults():
    """A mangled link still opens the page: each unusable value gets a warning."""
    app = open_lab({"section": "nonsense", "n": "abc", "base": "3", "temperature": "-1"})
    text = messages(app.warning)
    for fragment in ("section='nonsense'", "n='abc'", "base='3'", "temperature='-1'"):
        assert fragment in text
    assert len(app.warning) == 4  # one sentence each
    assert metrics(app)["Entropy H(p)"] == "1.7500 bits"


BAD_LINK_VALUES = {  # one per setting, so every kind of setting is tried
    "section": "nonsense",  # a choice
    "names": "klingon",
    "n": "11",  # a whole number out of range
    "p": "0.5, x",  # numbers with a word among them
    "q": ",".join(["0.1"] * 11),  # too many numbers
    "base": "3",
    "auto_normalise": "yes",  # a flag
    "logits": "1, two",
    "temperature": "hot",  # a number
    "preset": "unknown",
}


@pytest.mark.parametrize("key", list(BAD_LINK_VALUES))
def test_a_bad_link_value_of_each_kind_gives_one_sentence_and_the_default(key):
    """Each setting's unusable link value: one warning in the schema's style, the default used."""
    setting = SETTINGS[key]
    app = open_lab({key: BAD_LINK_VALUES[key]})
    [warning] = app.warning
    text = messages([warning])
    assert text.startswith(f"The link's {setting.label} ({key}='"), text
    assert text.endswith(f"; using {setting.shown(setting.default)}."), text
    assert app.session_state[key] == setting.default
    assert key not in app.query_params  # the default leaves the link
    assert metrics(app)["Entropy H(p)"] == "1.7500 bits"
    assert not app.error


def test_typed_text_stays_as_typed_and_a_typo_keeps_the_last_good_link():
    """The box keeps the student's spelling; while it holds a typo the link keeps the last p."""
    app = type_into(open_lab(), "p", "0.25 0.25; 0.25,0.25")
    assert app.text_input(key="p").value == "0.25 0.25; 0.25,0.25"
    assert metrics(app)["Entropy H(p)"] == "2.0000 bits"
    type_into(app, "p", "0.1, 0.9")
    assert app.query_params["p"] == "0.1,0.9"
    type_into(app, "p", "0.1, x")
    assert app.text_input(key="p").value == "0.1, x"
    assert "p: 'x' is not a number" in messages(app.error)
    assert app.query_params["p"] == "0.1,0.9"
    assert_kept_last_result(app, "Entropy H(p)", f"{info.entropy([0.1, 0.9]):.4f} bits")


def test_settings_survive_another_section_and_another_page():
    """Widgets not drawn (softmax hides p, another page hides all) keep their values."""
    app = type_into(open_lab(), "p", "0.7, 0.1, 0.1, 0.1")
    app.toggle(key="auto_normalise").set_value(True).run()
    choose_section(app, "softmax")
    choose_section(app, "entropy")
    assert app.text_input(key="p").value == "0.7, 0.1, 0.1, 0.1"
    assert app.toggle(key="auto_normalise").value is True
    app.switch_page(str(HOME.path)).run()
    app.switch_page(str(PAGE.path)).run()
    assert not app.exception
    assert app.text_input(key="p").value == "0.7, 0.1, 0.1, 0.1"
    assert app.toggle(key="auto_normalise").value is True
    assert metrics(app)["Entropy H(p)"] == f"{info.entropy([0.7, 0.1, 0.1, 0.1]):.4f} bits"


def test_page_state_goes_into_the_url():
    """After loading a preset the URL holds exactly the keys that differ from the defaults."""
    app = click(open_lab(), PRESETS["tutorial_wrong"].label)
    assert dict(app.query_params) == {
        "section": "sse",
        "n": "10",
        "p": ONE_HOT_2,
        "q": "0.1,0.05,0.1,0,0.05,0.1,0,0.6,0,0",
        "base": "e",
        "preset": "tutorial_wrong",
    }


# --- presets -------------------------------------------------------------------------------


def test_lottery_preset_shows_the_tutorial_numbers():
    """2 % win chance in log10: surprisal 1.69897 / 0.00877392 hartleys, entropy 0.0426."""
    app = click(open_lab(), PRESETS["lottery"].label)
    assert metrics(app)["Entropy H(p)"] == "0.0426 hartleys"
    assert list(app.table[0].value["surprisal (hartleys)"]) == ["1.69897", "0.00877392"]
    banner = messages(app.success)
    assert "here: **surprisal 1.69897, 0.00877392 hartleys; H 0.0426 hartleys**" in banner


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_says_where_its_number_comes_from(preset):
    """Each preset's banner names its source: Saito's book, or the definition worked by hand."""
    app = click(open_lab(), PRESETS[preset].label)
    banner = messages(app.success)
    assert PRESETS[preset].note in banner
    assert "Saito, Deep Learning from Scratch, §4.2" in banner or "Source: the definition" in banner


@pytest.mark.parametrize(
    "preset, sse, cee",
    [("tutorial_right", "0.0975", "0.5108"), ("tutorial_wrong", "0.5975", "2.3026")],
)
def test_tutorial_sse_and_cee_presets(preset, sse, cee):
    """The one-hot class-2 example of the tutorials: SSE and CEE as the book prints them."""
    app = click(open_lab(), PRESETS[preset].label)
    shown = metrics(app)
    assert shown["Sum of squared errors"] == sse
    assert shown["Cross-entropy (eps 1e-07)"] == f"{cee} nats"
    assert f"here: **SSE {sse}; CEE {cee} nats**" in messages(app.success)


def test_bits_preset_is_minus_log2_of_0775():
    """The -log2(0.775) preset shows 0.3677 bits, highlighted."""
    app = click(open_lab(), PRESETS["bits_0775"].label)
    assert metrics(app)["Cross-entropy H(p, q)"] == "0.3677 bits"
    assert "0.3677 bits" in messages(app.success)


def test_softmax_preset_gives_0090_0665_0245():
    """The softmax(1, 3, 2) preset shows 0.0900, 0.6652, 0.2447, highlighted."""
    app = click(open_lab(), PRESETS["softmax_132"].label)
    column = [float(value) for value in app.table[0].value["softmax at T"]]
    np.testing.assert_allclose(column, [0.0900, 0.6652, 0.2447], atol=5e-5)
    assert "here: **softmax 0.0900, 0.6652, 0.2447**" in messages(app.success)


def test_preset_note_goes_away_after_an_edit():
    """The highlighted tutorial number only stays while the example is unchanged."""
    app = click(open_lab(), PRESETS["lottery"].label)
    type_into(app, "p", "0.1, 0.9")
    assert not app.success
    assert metrics(app)["Entropy H(p)"] == f"{info.entropy([0.1, 0.9], 10):.4f} hartleys"


def test_preset_note_goes_away_after_any_setting_changes():
    """Changing the base and back is an edit too: the example is no longer the tutorial's."""
    app = click(open_lab(), PRESETS["lottery"].label)
    assert app.success and app.query_params["preset"] == "lottery"
    app.segmented_control(key="base").set_value("2").run()
    app.segmented_control(key="base").set_value("10").run()
    assert not app.success
    assert "preset" not in app.query_params


# --- editing -------------------------------------------------------------------------------


def test_typing_p_changes_the_entropy():
    """Typing a uniform p over 4 classes gives 2 bits."""
    app = type_into(open_lab(), "p", "0.25, 0.25, 0.25, 0.25")
    assert metrics(app)["Entropy H(p)"] == "2.0000 bits"


@pytest.mark.parametrize(
    "button, entropy", [("uniform", "2.0000 bits"), ("one-hot", "0.0000 bits")]
)
def test_uniform_and_one_hot_buttons(button, entropy):
    """uniform over 4 classes has the largest entropy, log2 4 = 2 bits; one-hot has none."""
    app = click(open_lab(), button)
    assert metrics(app)["Entropy H(p)"] == entropy


def test_normalise_button_fixes_a_vector_that_does_not_sum_to_1():
    """1, 1, 2 is refused until normalise turns it into 1/4, 1/4, 1/2 (1.5 bits)."""
    app = type_into(open_lab(), "p", "1, 1, 2")
    assert "sums to 4" in messages(app.error)
    click(app, "normalise")
    assert not app.error
    assert metrics(app)["Entropy H(p)"] == "1.5000 bits"
    assert app.text_input(key="p").value == "0.25, 0.25, 0.5"


def test_a_button_that_cannot_act_says_so_until_the_vector_changes():
    """normalise on an all-zero p: its reason under the box; typing p again clears it."""
    app = type_into(open_lab(), "p", "0, 0, 0, 0")
    click(app, "normalise")
    assert "Cannot normalise p: the vector is all zeros" in messages(app.error)
    assert app.text_input(key="p").value == "0, 0, 0, 0"
    type_into(app, "p", "0.5, 0.5, 0, 0")
    assert not app.error
    assert metrics(app)["Entropy H(p)"] == "1.0000 bits"


def test_random_button_gives_a_valid_p():
    """random draws a distribution over the current classes: no error, one value per class."""
    app = click(open_lab(), "random")
    assert not app.error
    values = [float(value) for value in app.text_input(key="p").value.split(",")]
    assert len(values) == 4
    assert sum(values) == pytest.approx(1, abs=1e-9)
    expected = info.entropy(values, 2)
    assert metrics(app)["Entropy H(p)"] == f"{expected:.4f} bits"


def test_typing_p_with_another_length_resets_q_to_uniform_with_a_note():
    """p with 2 values means 2 classes: q follows, uniform, and says why; its buttons work."""
    app = choose_section(open_lab(), "cross_entropy")
    type_into(app, "p", "0.9, 0.1")
    assert not app.error
    assert app.text_input(key="q").value == "0.5, 0.5"
    note = "q (which had 4 values: 0.25, 0.25, 0.25, 0.25) was reset to uniform, 1/2 each"
    assert note in messages(app.info)
    assert metrics(app)["Cross-entropy H(p, q)"] == "1.0000 bits"
    click(app, "normalise", index=1)  # the q buttons come second
    assert not app.error
    assert metrics(app)["Cross-entropy H(p, q)"] == "1.0000 bits"


@pytest.mark.parametrize(
    "section, base, headers",
    [
        ("entropy", "10", ["class", "p", "surprisal (hartleys)", "p × surprisal (hartleys)"]),
        (
            "cross_entropy",
            "2",
            ["class", "p", "q", "-log q (bits)", "p × (-log p) (bits)", "p × (-log q) (bits)"],
        ),
        (
            "sse",
            "e",
            [
                "class",
                "target t",
                "prediction y",
                "dSSE/dy (no unit)",
                "dCE/dy (nats per unit of y)",
            ],
        ),
    ],
)
def test_table_headers_name_the_unit_of_the_chosen_base(section, base, headers):
    """Every log column of the table says bits, nats or hartleys, following the base."""
    app = open_lab({"section": section, "base": base})
    assert list(app.table[0].value.columns) == headers


def test_number_of_classes_resizes_p_and_q():
    """Raising n pads p and q with zeros: more classes, same entropy."""
    app = open_lab()
    app.number_input(key="n").set_value(6).run()
    assert not app.exception
    assert len(app.table[0].value["class"]) == 6
    assert metrics(app)["Entropy H(p)"] == "1.7500 bits"  # padded with zeros: same entropy


def test_base_e_shows_nats():
    """Switching the base to e gives the same entropy in nats (x ln 2)."""
    app = open_lab()
    app.segmented_control(key="base").set_value("e").run()
    assert metrics(app)["Entropy H(p)"] == f"{1.75 * math.log(2):.4f} nats"


def test_sliders_rescale_the_other_classes():
    """Dragging one class's slider keeps p summing to 1."""
    app = open_lab()
    assert not app.slider  # closed, the lazy expander draws nothing
    app.session_state[SLIDERS_OPEN] = True  # what clicking the expander does
    sliders = app.run().slider
    assert [slider.value for slider in sliders] == [0.5, 0.25, 0.125, 0.125]
    sliders[0].set_value(0.8).run()
    p = [float(value) for value in app.table[0].value["p"]]
    assert p == pytest.approx([0.8, 0.1, 0.05, 0.05])
    assert [slider.value for slider in app.slider] == pytest.approx(p)


def test_softmax_output_can_become_q():
    """The softmax output is sent to the cross-entropy section as q."""
    app = click(open_lab(), PRESETS["softmax_132"].label)
    click(app, "Use these probabilities as q in cross-entropy")
    assert app.segmented_control[0].value == "cross_entropy"
    q = [float(value) for value in app.table[0].value["q"]]
    np.testing.assert_allclose(q, info.softmax([1, 3, 2]), atol=1e-6)


def test_sse_section_shows_why_ce_trains_a_confident_wrong_answer():
    """q(true) = 0.001: the SSE gradient on the logits is tiny, the CE one is not."""
    app = open_lab({"section": "sse", "n": "2", "p": "1,0", "q": "0.001,0.999", "base": "e"})
    shown = metrics(app)
    assert float(shown["Gradient ‖∂CE/∂z‖"]) > 1.4  # ‖y − t‖: no unit (issue 15)
    assert float(shown["Gradient ‖∂SSE/∂z‖"]) < 0.01  # SSE has no unit
    assert len(app.get("plotly_chart")) == 2


def test_sse_section_says_cross_entropy_is_infinite_when_y_misses_the_target():
    """y = 0 on the target's class: CE = ∞ without eps is said, with the eps-clipped value."""
    app = open_lab({"section": "sse", "n": "3", "p": "0,0,1", "q": "0.5,0.5,0", "base": "e"})
    assert not app.exception and not app.error
    warning = messages(app.warning)
    assert "y gives probability 0 to class 2, the target's class" in warning
    assert "the cross-entropy without eps is ∞" in warning
    clipped = f"{-math.log(info.TUTORIAL_EPS):.4f} nats"  # -ln(0 + 1e-7) = 16.1181
    assert f"the cross-entropy is {clipped}" in warning
    assert "Keras clips y to [eps, 1 − eps]" in warning
    assert metrics(app)["Cross-entropy (eps 1e-07)"] == clipped


# --- bad input: a message, no traceback, the last valid result stays ---------------------------


def assert_kept_last_result(app: AppTest, label: str, value: str) -> None:
    assert not app.exception
    assert metrics(app)[label] == value
    assert "last valid result" in messages(app.info)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("-0.1, 0.6, 0.5", "negative value -0.1"),
        ("0.5, nan, 0.5", "p: 'nan' is not a finite number"),
        ("0.5, half, 0.5", "p: 'half' is not a number"),
        ("0, 0, 0, 0", "all zeros"),
        ("0.2, 0.2, 0.2, 0.2", "sums to 0.8, not 1"),
        ("inf, 0, 0, 0", "p: 'inf' is not a finite number"),
        ("", "p is empty"),
    ],
    ids=["negative", "nan", "text", "all-zero", "not-normalised", "infinite", "empty"],
)
def test_bad_p_gives_a_message_and_keeps_the_last_result(typed, message):
    """Each kind of bad p: its message, no traceback, the last valid entropy kept."""
    app = type_into(open_lab(), "p", typed)
    assert message in messages(app.error)
    assert_kept_last_result(app, "Entropy H(p)", "1.7500 bits")


def test_a_bad_p_of_another_length_leaves_the_classes_and_q_alone():
    """A typo in p (a negative value, 3 entries) keeps the 4 classes and the student's q."""
    app = open_lab({"section": "cross_entropy", "q": "0.1,0.2,0.3,0.4"})
    type_into(app, "p", "0.5, -0.1, 0.6")
    assert "negative value -0.1" in messages(app.error)
    assert app.number_input(key="n").value == 4
    assert app.text_input(key="q").value == "0.1, 0.2, 0.3, 0.4"
    assert "reset to uniform" not in messages(app.info)


def test_not_normalised_p_suggests_and_accepts_auto_normalise():
    """A p not summing to 1 suggests auto-normalise, which then accepts it."""
    app = type_into(open_lab(), "p", "1, 1, 1, 1")
    assert "turn on auto-normalise" in messages(app.error)
    app.toggle(key="auto_normalise").set_value(True).run()
    assert not app.error
    assert metrics(app)["Entropy H(p)"] == "2.0000 bits"


def test_p_and_q_of_different_lengths():
    """q with 2 entries against p's 4: a message, the last valid cross-entropy kept.

    p keeps the say on the classes, so uniform under q gives q those 4 classes again.
    """
    app = choose_section(open_lab(), "cross_entropy")
    type_into(app, "q", "0.5, 0.5")
    assert "p has 4 entries but q has 2" in messages(app.error)
    assert_kept_last_result(app, "Cross-entropy H(p, q)", "2.0000 bits")
    click(app, "uniform", index=1)  # the q buttons come second
    assert not app.error
    assert app.text_input(key="q").value == "0.25, 0.25, 0.25, 0.25"


def test_q_zero_where_p_positive_is_infinite_and_shows_the_eps_value():
    """H(p, q) = ∞ is said in words, and the eps-clipped value is shown next to it."""
    app = choose_section(open_lab(), "cross_entropy")
    type_into(app, "q", "0.5, 0.5, 0, 0")
    expected_eps = info.cross_entropy([0.5, 0.25, 0.125, 0.125], [0.5, 0.5, 0, 0], 2, eps=1e-7)
    shown = metrics(app)
    assert shown["Cross-entropy H(p, q)"] == "∞ bits"
    assert shown["H(p, q) with eps = 1e-07"] == f"{expected_eps:.4f} bits"
    warning = messages(app.warning)
    assert "log 0 = −∞, so H(p, q) and D_KL are ∞" in warning
    assert f"the cross-entropy is {expected_eps:.4f} bits" in warning
    assert "log(q + eps) as the tutorials write it" in warning
    assert "Keras clips q to [eps, 1 − eps]" in warning
    assert not app.error


def test_temperature_zero_gives_a_message_and_keeps_the_last_softmax():
    """T = 0 on the slider: a message, the last valid softmax kept."""
    app = choose_section(open_lab(), "softmax")
    app.slider(key="temperature").set_value(0.0).run()
    assert "temperature must be positive" in messages(app.error)
    assert_kept_last_result(app, "Largest probability", "0.6652")


def test_negative_temperature_in_a_link_is_refused():
    """temperature=-2 in a link: a warning, and T = 1 used instead."""
    app = open_lab({"section": "softmax", "temperature": "-2"})
    assert messages(app.warning) == (
        "The link's temperature T (temperature='-2'): must be from 0 to 5; using 1."
    )
    assert app.slider(key="temperature").value == 1.0
    assert metrics(app)["Largest probability"] == "0.6652"


@pytest.mark.parametrize(
    "temperature, message",
    [("nan", "is not a finite number"), ("9", "must be from 0 to 5")],
)
def test_unusable_temperature_in_a_link_is_refused(temperature, message):
    """temperature=nan or beyond the slider in a link: a warning saying why, and T = 1."""
    app = open_lab({"section": "softmax", "temperature": temperature})
    assert f"(temperature='{temperature}')" in messages(app.warning)
    assert message in messages(app.warning)
    assert messages(app.warning).endswith("; using 1.")
    assert metrics(app)["Largest probability"] == "0.6652"


def test_huge_logits_at_a_low_temperature_give_a_one_hot_softmax():
    """z = 1e308 at T = 0.05 overflows z / T, yet softmax is exactly (1, 0): no NaN, no error."""
    app = open_lab({"section": "softmax", "logits": "1e308,0", "temperature": "0.05"})
    assert not app.error and not app.exception
    assert metrics(app)["Largest probability"] == "1.0000"
    assert list(app.table[0].value["softmax at T"]) == ["1", "0"]
    assert list(app.table[0].value["z / T"]) == ["∞", "0"]


def test_nan_logits_give_a_message():
    """NaN among the logits: the page says so instead of drawing NaN bars."""
    app = choose_section(open_lab(), "softmax")
    type_into(app, "logits", "1, nan, 3")
    assert "logits: 'nan' is not a finite number" in messages(app.error)
    assert_kept_last_result(app, "Largest probability", "0.6652")


def test_bad_logits_give_a_message():
    """A word among the logits: a message, the last valid softmax kept."""
    app = choose_section(open_lab(), "softmax")
    type_into(app, "logits", "1, two, 3")
    assert "logits: 'two' is not a number" in messages(app.error)
    assert_kept_last_result(app, "Largest probability", "0.6652")


def test_the_lottery_names_its_outcomes_win_and_lose():
    """Issue 15: the lottery's two classes were '0' and '1'."""
    app = click(open_lab(), PRESETS["lottery"].label)
    assert list(app.table[0].value["class"]) == ["win", "lose"]
    assert app.selectbox(key="names").value == "outcomes"


def test_the_gradient_norm_has_no_unit():
    """Issue 15: ‖∂CE/∂z‖ was printed in nats (or bits): y − t is a difference of
    probabilities, so its length is a plain number, the same in every base."""
    app = click(open_lab(), PRESETS["tutorial_wrong"].label)
    natural = metrics(app)["Gradient ‖∂CE/∂z‖"]
    assert natural.replace(".", "").isdigit(), natural
    app.segmented_control(key="base").set_value("2").run()
    assert metrics(app)["Gradient ‖∂CE/∂z‖"] == natural
