"""The Prediction page's settings: one table for its link, its defaults and its widgets' keys.

A teacher's link opens one exact test image (input, data set, index). The brush, the
class to pick at random and the preprocessing switches are kept in the session only:
a link shows an image, not how the student last set up the pen.
"""

from __future__ import annotations

from core.data import DATASETS
from core.preprocess import INVERT_CHOICES, PreprocessOptions
from dashboard.settings import CHOICE, FLAG, WHOLE, PageSettings, Setting

INPUTS = {"draw": "Draw", "upload": "Upload a photo", "pick": "Pick a test image"}
INPUT_KEY = "prediction_input"
DATASET_KEY = "prediction_dataset"
INDEX_KEY = "prediction_index"
PICK_CLASS_KEY = "prediction_pick_class"
BRUSH_KEY = "prediction_brush"
CROP_KEY = "prediction_crop"
FIT_KEY = "prediction_fit"
CENTRE_KEY = "prediction_centre"
SCALE_KEY = "prediction_scale"
INVERT_KEY = "prediction_invert"
INVERT_TITLES = {"auto": "automatically", "always": "always", "never": "never"}
MIN_BRUSH, MAX_BRUSH = 6, 40  # px on the 280 px canvas: a hair to a marker
PREPROCESS = PreprocessOptions()  # the switches start as MNIST's own recipe
MOST_CLASSES = max(len(spec.class_names) for spec in DATASETS.values())

SETTINGS = PageSettings(
    "prediction",
    [
        Setting(INPUT_KEY, "draw", "image source", kind=CHOICE, choices=INPUTS),
        Setting(DATASET_KEY, "mnist", "test images' data set", kind=CHOICE, choices=DATASETS),
        # no upper bound here: the data set decides it, and the picker says so (see inputs.py)
        Setting(INDEX_KEY, 0, "test image number", kind=WHOLE, low=0),
        Setting(
            PICK_CLASS_KEY,
            0,
            "class to pick",
            kind=WHOLE,
            low=0,
            high=MOST_CLASSES - 1,
            in_url=False,
        ),
        Setting(
            BRUSH_KEY, 22, "brush width", kind=WHOLE, low=MIN_BRUSH, high=MAX_BRUSH, in_url=False
        ),
        Setting(CROP_KEY, PREPROCESS.crop, "crop to the ink", kind=FLAG, in_url=False),
        Setting(FIT_KEY, PREPROCESS.fit_to_20, "longest side 20 px", kind=FLAG, in_url=False),
        Setting(CENTRE_KEY, PREPROCESS.centre_of_mass, "centre of mass", kind=FLAG, in_url=False),
        Setting(SCALE_KEY, PREPROCESS.scale_to_unit, "scale to 0..1", kind=FLAG, in_url=False),
        Setting(
            INVERT_KEY,
            PREPROCESS.invert,
            "invert dark ink",
            kind=CHOICE,
            choices=INVERT_CHOICES,
            in_url=False,
        ),
    ],
)
