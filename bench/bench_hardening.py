"""What one curious student can cost the server: the longest block of their page's script
thread and the largest memory, for each hostile input the hardening issue found.

Before (the issue's figures): a 15 KB model upload held the page 600 s and more and took the
server to 12.3 GB; a 1 MB upload inflating to 1 GiB held it 37 s and 3.1 GB; 1 000 optimizers
in a link ran 37 s. Here each input goes through the real page (AppTest, in this process) and
the real engine (a LocalCluster): the block is the page's rerun, the worker's time is work a
Stop ends; memory is each process's peak RSS (VmHWM) after the inputs, beside its value after
a plain visit of the same page (the baseline of this run).

    python -m bench hardening
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import load  # noqa: E402

APP = str(ROOT / "dashboard" / "app.py")
CHECK_SECONDS = 300  # a check on the engine that takes longer is reported as such


def peak_rss_mb(pid: int | str = "self") -> float:
    """A process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def costly_model_bytes() -> bytes:
    """Six 256-filter convolutions at full resolution: small file, billions of multiply-adds."""
    import keras

    model = keras.Sequential(
        [keras.Input(shape=(28, 28, 1))]
        + [keras.layers.Conv2D(256, 3, padding="same") for _ in range(6)]
        + [keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    path = Path(tempfile.mkdtemp()) / "costly.keras"
    model.save(path)
    return path.read_bytes()


def inflating_archive() -> bytes:
    """About 1 MB on the wire; its config.json inflates to 1 GiB."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("config.json", "w") as member,
    ):
        for _ in range(1024):
            member.write(b" " * 2**20)
    return buffer.getvalue()


def strip_png() -> bytes:
    """1 x 25 000 000 pixels: inside a 25-megapixel area cap, 464 MB to decode."""
    import numpy as np
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.zeros((1, 25_000_000), dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def open_page(name: str, link: dict | None = None):
    from streamlit.testing.v1 import AppTest

    from dashboard.navigation import available_pages

    app = AppTest.from_file(APP, default_timeout=600)
    app.query_params.update(link or {})
    app.run()
    [page] = [page for page in available_pages() if page.name == name]
    started = time.perf_counter()
    app.switch_page(str(page.path)).run()
    return app, time.perf_counter() - started


def timed(app) -> float:
    started = time.perf_counter()
    app.run()
    return time.perf_counter() - started


def said(app) -> str:
    if app.exception:
        return f"EXCEPTION {app.exception[0].value}"
    text = " ".join(element.value for element in (*app.error, *app.warning)).replace("\\", "")
    return (text[:110] + "…") if len(text) > 110 else text or "(nothing said)"


def upload_model(name: str, data: bytes) -> tuple[float, float, str]:
    """(page block, seconds of the check on a worker, what the page said)."""
    app, _ = open_page("prediction")
    app.segmented_control(key="prediction_source").set_value("upload").run()
    app.file_uploader(key="prediction_model_file").set_value((name, data, "application/zip"))
    blocked = timed(app)
    pending = app.session_state.get("prediction_upload_check", None)
    worker_seconds = 0.0
    if pending is not None:
        started = time.perf_counter()
        pending[3].join(CHECK_SECONDS)
        worker_seconds = time.perf_counter() - started
        blocked = max(blocked, timed(app))
    return blocked, worker_seconds, said(app)


def main() -> None:
    from core.engine import cluster

    print(f"hardening.machine: {load()}")
    open_page("prediction")  # the first visit imports TensorFlow: not the baseline
    app, plain_visit = open_page("prediction")
    print(f"hardening.baseline_prediction_visit: {plain_visit:.2f} s (a plain visit, this run)")
    baseline_rss = peak_rss_mb()

    rows = []
    for name, data in (
        ("costly.keras", costly_model_bytes()),  # 6 x Conv2D 256 at 28 x 28
        ("inflating.keras", inflating_archive()),  # config.json inflates to 1 GiB
    ):
        blocked, worker, message = upload_model(name, data)
        rows.append((f"upload {name} ({len(data) / 1e6:.1f} MB)", blocked, worker, message))

    app, _ = open_page("prediction", {"prediction_input": "upload"})
    app.file_uploader(key="prediction_photo_file").set_value(
        ("strip.png", strip_png(), "image/png")
    )
    rows.append(("photo 1 x 25 000 000 px", timed(app), 0.0, said(app)))

    thousand = ",".join(["sgd", "adam", "rmsprop"] * 334)
    link = {"gd_mode": "optimizers", "gd_optimizers": thousand, "gd_steps": "10000"}
    app, blocked = open_page("gradient_descent", link)
    rows.append(("link with 1 002 optimizers, 10 000 steps", blocked, 0.0, said(app)))

    huge = {"train_batch_size": "1", "train_epochs": "100", "train_subset_size": "60000"}
    app, _ = open_page("training", huge)
    app.button(key="train_start").click()
    rows.append(("Train: batch 1 x 100 epochs of MNIST", timed(app), 0.0, said(app)))

    for what, blocked, worker, message in rows:
        extra = f", engine {worker:.1f} s" if worker else ""
        print(
            f"hardening.{what}: page blocked {blocked:.2f} s "
            f"({blocked / plain_visit:.1f}x a plain visit){extra} · {message}"
        )
    print(f"hardening.longest_block: {max(row[1] for row in rows):.2f} s (before: 600 s and more)")
    web = peak_rss_mb()
    print(
        f"hardening.web_process_peak_rss: {web:.0f} MB "
        f"({web / baseline_rss:.2f}x its peak after a plain visit; before: 12.3 GB)"
    )
    client = cluster.engine_client()
    workers = client.run(os.getpid)
    for address, pid in workers.items():
        print(f"hardening.worker_peak_rss {address}: {peak_rss_mb(pid):.0f} MB")
    print(f"hardening.machine_after: {load()}")


if __name__ == "__main__":
    main()
