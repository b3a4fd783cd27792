"""The tutorial examples the lab can load with one click, and where their numbers come from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Vectors as the text boxes hold them (the settings' values)
TUTORIAL_Y1 = "0.1, 0.05, 0.6, 0, 0.05, 0.1, 0, 0.1, 0, 0"  # 0.6 on class 2
TUTORIAL_Y2 = "0.1, 0.05, 0.1, 0, 0.05, 0.1, 0, 0.6, 0, 0"  # 0.6 on class 7
ONE_HOT_2 = "0, 0, 1, 0, 0, 0, 0, 0, 0, 0"


@dataclass(frozen=True)
class Preset:
    key: str  # URL value of `preset`
    label: str  # button text
    note: str  # one line: where the number comes from
    state: dict[str, Any]  # the settings it loads (keys of pages.information.settings)
    highlight: tuple[str, ...]  # the result numbers (or columns) the note is about
    expected: str  # that number as the tutorial prints it


PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset(
            "lottery",
            "Lottery, 2 % win",
            "A lottery you win 2 % of the time, in log10: winning surprises you by "
            "1.69897 hartleys, losing by only 0.0087739, so on average H = 0.0426. "
            "Source: the definitions worked by hand, −log₁₀ 0.02 = 1.69897, "
            "−log₁₀ 0.98 = 0.0087739, H = 0.02 × 1.69897 + 0.98 × 0.0087739 = 0.0426.",
            {"section": "entropy", "names": "outcomes", "n": 2, "p": "0.02, 0.98", "base": "10"},
            ("surprisal", "entropy"),
            "surprisal 1.69897, 0.0087739 hartleys; H 0.0426 hartleys",
        ),
        Preset(
            "tutorial_right",
            "Tutorial y1: right",
            "Saito, Deep Learning from Scratch, §4.2: true class 2, the network gives it 0.6. "
            "SSE = 0.0975 and cross-entropy (natural log, delta = 1e-7) = 0.5108.",
            {"section": "sse", "n": 10, "p": ONE_HOT_2, "q": TUTORIAL_Y1, "base": "e"},
            ("sse", "cross_entropy_eps"),
            "SSE 0.0975, CEE 0.5108",
        ),
        Preset(
            "tutorial_wrong",
            "Tutorial y2: wrong",
            "Saito, Deep Learning from Scratch, §4.2 again: the network now bets 0.6 on "
            "class 7 and gives class 2 only 0.1: "
            "SSE = 0.5975 and cross-entropy = 2.3026 (= −ln 0.1).",
            {"section": "sse", "n": 10, "p": ONE_HOT_2, "q": TUTORIAL_Y2, "base": "e"},
            ("sse", "cross_entropy_eps"),
            "SSE 0.5975, CEE 2.3026",
        ),
        Preset(
            "bits_0775",
            "−log₂ 0.775",
            "A model that gives the true class 77.5 % pays −log₂ 0.775 = 0.3677 bits: "
            "with a one-hot p, cross-entropy is the surprisal of the truth. Source: the "
            "definition worked by hand, −ln 0.775 / ln 2 = 0.25489 / 0.69315 = 0.3677.",
            {"section": "cross_entropy", "n": 2, "p": "1, 0", "q": "0.775, 0.225", "base": "2"},
            ("cross_entropy",),
            "0.3677 bits",
        ),
        Preset(
            "softmax_132",
            "softmax(1, 3, 2)",
            "The usual first softmax example: logits 1, 3, 2 give 0.0900, 0.6652, 0.2447 "
            "(T = 1): the order is kept, the differences are exaggerated. Source: the "
            "definition worked by hand, e¹, e³, e² = 2.7183, 20.086, 7.3891 divided by "
            "their sum 30.193.",
            {"section": "softmax", "logits": "1, 3, 2", "temperature": 1.0},
            ("softmax at T",),
            "0.0900, 0.6652, 0.2447",
        ),
    )
}


def matching_preset(key: str, state: dict[str, Any]) -> Preset | None:
    """The preset named `key` if the page still shows exactly its example, else None."""
    preset = PRESETS.get(key)
    if preset is None:
        return None
    for name, value in preset.state.items():
        if state.get(name) != value:
            return None
    return preset
