"""Every page of the dashboard, in menu order: each is a package pages/<name>/ whose
entry is page.py (read widgets, call core, render).

A page is shown only when its entry exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES_DIR = ROOT / "pages"


@dataclass(frozen=True)
class PageEntry:
    name: str  # package under pages/, also the URL path (home is served at /)
    title: str  # menu and card title
    icon: str  # Material icon shown in the menu
    learn: str  # one line: what a student will learn there

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.name / "page.py"

    @property
    def url_path(self) -> str:
        return "" if self.name == HOME.name else self.name


HOME = PageEntry(
    "home",
    "Home",
    ":material/home:",
    "What is here and where the data comes from.",
)

PAGES: tuple[PageEntry, ...] = (
    HOME,
    PageEntry(
        "information",
        "Information & loss lab",
        ":material/functions:",
        "Surprisal, entropy, cross-entropy, KL and why classifiers use cross-entropy.",
    ),
    PageEntry(
        "gradient_descent",
        "Gradient-descent lab",
        ":material/landscape:",
        "How the learning rate makes descent converge, oscillate or explode.",
    ),
    PageEntry(
        "training",
        "Training studio",
        ":material/model_training:",
        "Train softmax regression, an MLP or a CNN and look inside it.",
    ),
    PageEntry(
        "prediction",
        "Prediction",
        ":material/draw:",
        "Draw a digit and see the 28x28 input a model sees and how sure it is.",
    ),
    PageEntry(
        "class_board",
        "Class board",
        ":material/co_present:",
        "Open a class: students send runs and drawings, the board shows the whole class.",
    ),
    PageEntry(
        "scratch",
        "From scratch",
        ":material/construction:",
        "Backpropagation against the numerical gradient on a NumPy network.",
    ),
)


def available_pages() -> list[PageEntry]:
    return [page for page in PAGES if page.path.is_file()]
