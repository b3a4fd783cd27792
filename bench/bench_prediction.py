"""Prediction latency: the canvas's image data to 10 probabilities, with the quick model loaded.

What the server does after each stroke: the canvas sends a PNG data URL, which
streamlit-drawable-canvas decodes into RGBA (280, 280, 4) (`result.image_data`), then
brightness -> the MNIST preprocessing -> one call of the CNN. The headline is that
whole path, median of 100 calls; target 50 ms. The stages are timed alone too. The web
server runs the model in NumPy (core.plain_model), timed against Keras' own call of the same model. The full
garbage collection Streamlit would run after every script run is timed in a process with
the web server's modules: it is why .streamlit/config.toml turns postScriptGC off.

    DASHBOARD_DATA_DIR=/work/shared/data .venv/bin/python bench/bench_prediction.py
"""

import base64
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.data import load_dataset  # noqa: E402
from core.engine.tasks import keras_bytes  # noqa: E402
from core.model_check import check_model, class_probabilities, plain_checked_model  # noqa: E402
from core.preprocess import grayscale_from_rgba, preprocess  # noqa: E402
from core.quick_model import QUICK_CONFIG  # noqa: E402
from core.training import train  # noqa: E402

CALLS = 100
TARGET_MS = 50


def median_ms(function, calls: int = CALLS) -> float:
    function()  # warm-up: first calls trace TensorFlow functions
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def canvas_rgba(digit: np.ndarray) -> np.ndarray:
    """An MNIST digit drawn 10x bigger the way the canvas sends it: white, alpha = ink."""
    big = np.kron(digit, np.ones((10, 10), dtype=np.uint8))
    rgba = np.zeros((280, 280, 4), dtype=np.uint8)
    rgba[..., :3] = 255
    rgba[..., 3] = big
    return rgba


def data_url(rgba: np.ndarray) -> str:
    buffer = io.BytesIO()
    from PIL import Image

    Image.fromarray(rgba).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def decode_data_url(url: str) -> np.ndarray:
    """What streamlit-drawable-canvas 0.13's CanvasResult.image_data does, line for line.

    (Importing the component itself needs a running Streamlit server.)
    """
    from PIL import Image

    _, encoded = url.split(";base64,", 1)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(encoded))))


WEB_SERVER_GC = """
import gc, statistics, time
import pandas, plotly.graph_objects, streamlit  # what every page of the server has loaded
import core.engine, core.plain_model, core.classroom.store
times = []
for _ in range(5):
    start = time.perf_counter(); gc.collect(2); times.append(time.perf_counter() - start)
print(statistics.median(times) * 1000, len(gc.get_objects()), "tensorflow" in __import__("sys").modules)
"""


def web_server_collection() -> tuple[float, int, bool]:
    """A full collection in a process with the web server's modules (no TensorFlow)."""
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", WEB_SERVER_GC], cwd=ROOT, capture_output=True, text=True,
        check=True, timeout=300,
    ).stdout.split()  # fmt: skip
    return float(out[0]), int(out[1]), out[2] == "True"


def main() -> None:
    quick = train(QUICK_CONFIG)
    in_keras = check_model(quick.model)  # the baseline: the model run by TensorFlow
    checked = plain_checked_model(keras_bytes(quick.model))  # what the web server runs
    _, (x_test, _), _ = load_dataset("mnist")
    rgba = canvas_rgba(x_test[0])
    url = data_url(rgba)
    model_input = preprocess(grayscale_from_rgba(rgba)).model_input

    def canvas_to_probabilities():
        image_data = decode_data_url(url)  # result.image_data in render_drawing
        return class_probabilities(checked, preprocess(grayscale_from_rgba(image_data)).model_input)

    assert np.allclose(canvas_to_probabilities(), class_probabilities(in_keras, model_input))
    total = median_ms(canvas_to_probabilities)
    decoding = median_ms(lambda: decode_data_url(url))
    preprocessing = median_ms(lambda: preprocess(grayscale_from_rgba(rgba)))
    model_call = median_ms(lambda: class_probabilities(checked, model_input))
    keras_call = median_ms(lambda: class_probabilities(in_keras, model_input))
    verdict = "within" if total <= TARGET_MS else "over"
    print(
        f"prediction.canvas_to_probabilities: {total:.1f} ms "
        f"(median of {CALLS}, {verdict} the {TARGET_MS} ms target; 280x280 PNG data URL "
        "decoded, preprocessed, quick CNN in NumPy as the web server runs it)"
    )
    print(f"prediction.png_decode: {decoding:.1f} ms (canvas data URL to RGBA, result.image_data)")
    print(f"prediction.preprocessing: {preprocessing:.1f} ms (brightness, crop, resize, centre)")
    print(
        f"prediction.model_call: {model_call:.1f} ms (one image, NumPy forward pass); "
        f"Keras' model(x) in the same run: {keras_call:.1f} ms "
        f"({model_call / keras_call:.2f}x; the web server no longer imports TensorFlow)"
    )
    collection, objects, with_tensorflow = web_server_collection()
    print(
        f"prediction.gc_after_each_run: {collection:.0f} ms (Streamlit's post-run gc.collect(2) "
        f"over the web server's {objects:,} objects, TensorFlow loaded: {with_tensorflow}; "
        "postScriptGC is off)"
    )


if __name__ == "__main__":
    main()
