"""One real browser among the simulated students: headless Chromium, as a student sees it.

    python -m bench.classroom.observer http://127.0.0.1:8501 60

Opens the Information & loss lab, types a new distribution p into its box every ~2 s and
times from Enter to the entropy the page shows being the right one for that p (what the
student waits for: the websocket, the script run, and the browser drawing it). Prints one
JSON line per change, then exits; run in its own process, so the load generator's event
loop and the browser do not slow each other.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

P_LABEL = "p, the true distribution (comma-separated, one per class)"
SHOWN = """expected => [...document.querySelectorAll('[data-testid="stMetric"]')].some(
    metric => metric.textContent.includes('Entropy H(p)') &&
        metric.querySelector('[data-testid="stMetricValue"]').textContent.trim() === expected)"""
THINK_SECONDS = (1.0, 3.0)
ANSWER_MS = 60_000


def random_p(rng: random.Random) -> list[float]:
    cuts = sorted(rng.sample(range(1, 100), 3))
    return [b - a for a, b in zip([0, *cuts], [*cuts, 100])]


def observe(url: str, seconds: float) -> None:
    from playwright.sync_api import sync_playwright

    from core.information import entropy
    from tests.conftest import CHROMIUM_FLAGS, find_chromium
    from tests.e2e.helpers import wait_for_app_run

    rng = random.Random(7)
    executable = find_chromium()
    if executable is None:
        print(json.dumps({"problem": "no Chromium"}), flush=True)
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.perf_counter()
        page.goto(f"{url}/information")
        wait_for_app_run(page, timeout=ANSWER_MS)
        page.get_by_label(P_LABEL).wait_for(timeout=ANSWER_MS)
        print(json.dumps({"opened": time.perf_counter() - started}), flush=True)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(rng.uniform(*THINK_SECONDS))
            percents = random_p(rng)
            expected = f"{entropy([share / 100 for share in percents], base=2):.4f} bits"
            box = page.get_by_label(P_LABEL)
            box.fill(", ".join(f"{share / 100:g}" for share in percents))
            pressed = time.perf_counter()
            box.press("Enter")
            try:
                page.wait_for_function(SHOWN, arg=expected, timeout=ANSWER_MS, polling="raf")
            except Exception as error:  # a timeout is a figure too: the student gave up
                print(json.dumps({"problem": str(error).splitlines()[0][:200]}), flush=True)
                continue
            print(json.dumps({"seconds": time.perf_counter() - pressed}), flush=True)
        browser.close()


if __name__ == "__main__":
    observe(sys.argv[1], float(sys.argv[2]))
