"""Preloaded by every worker of the training engine (`dask worker --preload core.engine.worker_setup`).

Importing TensorFlow takes seconds; done when the worker starts, the first run of a
class starts training at once instead of after that import.
"""

import os

# TensorFlow's start-up notices (oneDNN, CUDA probing) are noise in a server log.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def dask_setup(worker) -> None:
    import keras  # noqa: F401 - the import is the point
