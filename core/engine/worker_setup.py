"""Preloaded by every worker of the training engine (`dask worker --preload core.engine.worker_setup`).

Importing TensorFlow takes seconds; done when the worker starts, the first run of a
class starts training at once instead of after that import. The worker also steps back
(DASHBOARD_WORKER_NICE, default 10) so that on a machine that serves the pages too, a
student's click is answered before the next training batch.
"""

import contextlib
import logging
import os

# TensorFlow's start-up notices (oneDNN, CUDA probing) are noise in a server log.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def dask_setup(worker) -> None:
    from core.engine.settings import worker_nice_setting

    nice, problem = worker_nice_setting()
    if problem:  # read by whoever runs the workers; the pages do not depend on it
        logging.getLogger(__name__).warning(problem)
    step_back(nice)
    import keras  # noqa: F401 - the import is the point


def step_back(nice: int) -> None:
    """Every thread of this process at `nice` (Linux keeps a nice value per thread, and
    threads started later inherit their starter's)."""
    for task in os.listdir("/proc/self/task") if os.path.isdir("/proc/self/task") else ():
        # a thread that ended; or a worker started nicer than asked: it stays nicer
        with contextlib.suppress(PermissionError, ProcessLookupError):
            os.setpriority(os.PRIO_PROCESS, int(task), nice)
