"""What a student waits for in a real browser: input change to updated figure, in Chromium.

A `streamlit run` of the app on a free port and Debian's headless Chromium (the e2e
suite's flags) at 1280x720. For each interaction a capture-phase listener stamps the
input (performance.now() at keydown / pointerdown) and a MutationObserver on the main
column stamps, one requestAnimationFrame after each change, when the change reached a
frame. An interaction is done when the script has finished and the column has been
quiet for QUIET_MS; its time is input to the last such frame. The time from the input
to the script's end, as the browser sees it, is printed beside it (the server rerun,
plus a round trip): the gap between the two is the browser's drawing.

Interactions, each a bounded count within a bounded time:
  * η one step along the Gradient-descent lab's slider (arrow key), alternating;
  * a probability edit in the Information lab's p box (typed, Enter), alternating;
  * a section switch in the Information lab (a click on the segmented control).
Goals (issue 15): η p50 <= 500 ms and p95 <= 1 s; information edit p50 <= 300 ms.

BENCH_APP_ROOT=<checkout> serves another checkout's dashboard/app.py instead (the same
interactions and labels exist in the code before issue 15: its figures are the "before").
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import conftest as e2e  # noqa: E402 - the e2e suite's server and browser

REPEATS = 20  # interactions measured per kind (after one warm-up each)
DEADLINE_S = 240  # per kind: stop early rather than run on when the machine is swamped
QUIET_MS = 600  # no change in the main column for this long: the interaction is over
TIMEOUT_MS = 30_000  # one interaction that takes longer is recorded as this

WATCH = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const app = document.querySelector('[data-testid=stApp]');
  const watch = window.__watch = {input: null, painted: null, scriptDone: null};
  for (const type of ['keydown', 'pointerdown']) {
    document.addEventListener(type, () => {
      watch.input = performance.now(); watch.painted = null; watch.scriptDone = null;
      performance.mark('input');
    }, {capture: true});
  }
  new MutationObserver(() => {
    if (watch.input === null) return;
    requestAnimationFrame(() => { watch.painted = performance.now(); });
  }).observe(main, {subtree: true, childList: true, attributes: true, characterData: true});
  new MutationObserver(() => {
    if (watch.input !== null && app.dataset.testScriptState === 'notRunning') {
      watch.scriptDone = performance.now();
    }
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""

SETTLED = """([quiet]) => {
  const watch = window.__watch;
  const app = document.querySelector('[data-testid=stApp]');
  if (watch.painted === null || app.dataset.testScriptState !== 'notRunning') return false;
  return performance.now() - watch.painted >= quiet;
}"""


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def settle(page) -> tuple[float, float]:
    """(input to last painted change, input to script done) in ms for the last input."""
    try:
        page.wait_for_function(SETTLED, arg=[QUIET_MS], timeout=TIMEOUT_MS, polling=50)
    except Exception:  # noqa: BLE001 - a stuck interaction is recorded at the cap
        return TIMEOUT_MS, TIMEOUT_MS
    watch = page.evaluate("() => window.__watch")
    script = watch["scriptDone"] if watch["scriptDone"] is not None else watch["painted"]
    return watch["painted"] - watch["input"], script - watch["input"]


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(
        "[data-testid=stApp][data-test-script-state=notRunning]", timeout=120_000
    )
    page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=120_000)
    page.wait_for_timeout(1500)  # the first drawing of every figure
    page.evaluate(WATCH)


def measure(page, act, label: str) -> dict[str, list[float]]:
    act(0)  # warm-up: caches, first draw of anything new
    settle(page)
    figures = {"drawn": [], "script": []}
    deadline = time.monotonic() + DEADLINE_S
    for index in range(1, REPEATS + 1):
        if time.monotonic() > deadline:
            print(f"# {label}: stopped at the {DEADLINE_S} s deadline after {index - 1}")
            break
        act(index)
        drawn, script = settle(page)
        figures["drawn"].append(drawn)
        figures["script"].append(script)
    return figures


def learning_rate(page, base: str):
    open_page(page, f"{base}/gradient_descent")
    thumb = page.get_by_test_id("stSlider").first.get_by_role("slider")

    def act(index: int) -> None:
        thumb.focus()
        page.keyboard.press("ArrowRight" if index % 2 == 0 else "ArrowLeft")

    return measure(page, act, "eta")


def probability_edit(page, base: str):
    open_page(page, f"{base}/information")
    box = page.get_by_label("p, the true distribution (comma-separated, one per class)")
    values = ("0.4, 0.3, 0.2, 0.1", "0.5, 0.25, 0.125, 0.125")

    def act(index: int) -> None:
        box.fill(values[index % 2])
        box.press("Enter")

    return measure(page, act, "information")


def section_switch(page, base: str):
    open_page(page, f"{base}/information")
    sections = ("Cross-entropy & KL", "Surprisal & entropy")
    control = page.get_by_test_id("stButtonGroup").first

    def act(index: int) -> None:
        control.get_by_role("radio", name=sections[index % 2]).click()

    return measure(page, act, "section")


def report(name: str, figures: dict[str, list[float]], goal: str) -> None:
    drawn, script = figures["drawn"], figures["script"]
    if not drawn:
        print(f"browser.{name}: no measurement")
        return
    print(
        f"browser.{name}: p50 {statistics.median(drawn):.0f} ms, "
        f"p95 {percentile(drawn, 0.95):.0f} ms (input to updated figure, n={len(drawn)}; "
        f"script done p50 {statistics.median(script):.0f} ms, "
        f"p95 {percentile(script, 0.95):.0f} ms; {goal})"
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    executable = e2e.find_chromium()
    if executable is None:
        print("browser: no Chromium on this machine")
        return
    served = Path(os.environ.get("BENCH_APP_ROOT") or ROOT).resolve()
    e2e.ROOT = served  # start_server runs ROOT/dashboard/app.py from ROOT
    print(f"browser.app: {served}")
    port = e2e.free_port()
    server = e2e.start_server(port, ROOT / "artifacts" / "streamlit-bench.log")
    base = f"http://127.0.0.1:{port}"
    print(f"machine.load_average: {os.getloadavg()[0]:.1f} (1 minute, {os.cpu_count()} cores)")
    try:
        e2e.wait_for_health(base, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=e2e.CHROMIUM_FLAGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            for name, interaction, goal in (
                ("eta_change", learning_rate, "goal p50 <= 500 ms, p95 <= 1000 ms"),
                ("information_edit", probability_edit, "goal p50 <= 300 ms"),
                ("section_switch", section_switch, "no goal set"),
            ):
                try:
                    report(name, interaction(page, base), goal)
                except Exception as error:  # noqa: BLE001 - say so, measure the others
                    print(f"browser.{name}: failed: {str(error).splitlines()[0]}")
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except Exception:  # noqa: BLE001
            server.kill()
    print(f"machine.load_average_after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
