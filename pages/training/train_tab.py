"""The Train tab: what Train would start, told before the first run."""

from __future__ import annotations

from core.data import DATASETS
from core.models import describe_model
from core.presets import PRESETS
from core.training import TrainConfig, training_images
from pages.training.settings import preset_of


def first_run_text(config: TrainConfig) -> str:
    """What Train would start, told honestly: only a preset titled '(seconds)' promises seconds."""
    key = preset_of(config)
    if key is not None and PRESETS[key].title.endswith("(seconds)"):
        title = PRESETS[key].title.removesuffix(" (seconds)")
        return f"No run yet: press Train for a first run of a few seconds ({title})."
    epochs = f"{config.epochs} epoch{'' if config.epochs == 1 else 's'}"
    work = f"{epochs} over {training_images(config):,} training images"
    if key is not None:
        return (
            f"No run yet: press Train to run **{PRESETS[key].title}**: {work} "
            "(the Fast presets take seconds)."
        )
    model = describe_model(config.model)
    return (
        f"No run yet: press Train to train **{model}** on {DATASETS[config.dataset].title}: {work}."
    )
