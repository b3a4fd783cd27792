"""Keeping a Streamlit server responsive once TensorFlow is loaded (shared by the Keras pages)."""

from __future__ import annotations

import gc
import sys
import threading

_frozen = threading.Event()


def freeze_tensorflow_objects(import_now: bool = False) -> None:
    """Keep TensorFlow's ~350,000 objects out of every garbage collection, once per process.

    After each script run Streamlit calls gc.collect(2), and keras' clear_session() another
    one. With TensorFlow loaded each takes 0.5-1 s holding the GIL, so a fragment polling
    twice a second starves the training thread and every stroke waits. gc.freeze() moves
    the objects that exist now (TensorFlow's modules) to a generation collections skip.
    """
    if _frozen.is_set():
        return
    if import_now:
        import keras  # noqa: F401 - the import is the point: done here, not in the job
    if "tensorflow" in sys.modules:
        gc.freeze()
        _frozen.set()
