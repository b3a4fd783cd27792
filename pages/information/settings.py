"""The Information & loss lab's settings: one table drives its widgets, its links and defaults.

Each key is the widget's key, the URL parameter and the session_state key. The
vectors p, q and the logits are the text of their boxes ("0.5, 0.25, 0.25"), kept as
typed; `typed_numbers` reads them. The Prediction page links here with section,
names, n, p and q.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.information import BASES
from dashboard.settings import (
    CHOICE,
    FLAG,
    NUMBER,
    NUMBERS,
    WHOLE,
    PageSettings,
    Setting,
    SettingError,
    parse_numbers,
)
from pages.information import lab
from pages.information.presets import PRESETS

NO_PRESET = "none"  # no tutorial example loaded, or it has been edited since
TEMPERATURE_RANGE = (0.0, 5.0)  # the slider; 0 is allowed so a student can see why it fails

SETTINGS = PageSettings(
    "information",
    [
        Setting("section", "entropy", "section", kind=CHOICE, choices=lab.SECTIONS),
        Setting("names", "digits", "class names", kind=CHOICE, choices=lab.NAME_SETS),
        Setting("n", 4, "number of classes", kind=WHOLE, low=lab.MIN_CLASSES, high=lab.MAX_CLASSES),
        Setting(
            "p",
            "0.5, 0.25, 0.125, 0.125",
            "true distribution p",
            kind=NUMBERS,
            max_items=lab.MAX_CLASSES,
        ),
        Setting(
            "q", "0.25, 0.25, 0.25, 0.25", "prediction q", kind=NUMBERS, max_items=lab.MAX_CLASSES
        ),
        Setting("base", "2", "logarithm base", kind=CHOICE, choices=BASES),
        Setting("auto_normalise", False, "auto-normalise", kind=FLAG),
        Setting("logits", "1, 3, 2", "logits z", kind=NUMBERS, max_items=lab.MAX_CLASSES),
        Setting(
            "temperature",
            1.0,
            "temperature T",
            kind=NUMBER,
            low=TEMPERATURE_RANGE[0],
            high=TEMPERATURE_RANGE[1],
        ),
        Setting(
            "preset", NO_PRESET, "tutorial example", kind=CHOICE, choices=(NO_PRESET, *PRESETS)
        ),
    ],
)
VECTORS = ("p", "q", "logits")  # typed as comma-separated numbers


def typed_numbers(key: str, text: str) -> list[float]:
    """The numbers in a vector's box; SettingError says what is wrong, naming the vector.

    e.g. "p: 'half' is not a number", "p is empty: type numbers separated by commas".
    """
    try:
        SETTINGS[key].check(text)  # too long, too many numbers, or a word that is not one
    except SettingError as error:
        reason = str(error)
        raise SettingError(
            f"{key} is {reason}" if reason.startswith("empty") else f"{key}: {reason}"
        ) from None
    return parse_numbers(text)


def classes_of_link(query: Mapping[str, str]) -> int | None:
    """A link with p but no n means as many classes as p has numbers (as links always did)."""
    if "p" not in query or "n" in query:
        return None
    try:
        count = len(parse_numbers(SETTINGS["p"].parse(query["p"])))
    except SettingError:
        return None  # the link's p is refused: the default p and n are used
    return count if lab.MIN_CLASSES <= count <= lab.MAX_CLASSES else None
