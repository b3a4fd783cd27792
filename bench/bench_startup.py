"""Cold start: `streamlit run` to the home page served, and each page's first render.

The first render of a page runs in a fresh process, so the figure includes
every import the page makes; `import streamlit` alone is the baseline.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.navigation import HOME, available_pages  # noqa: E402

FIRST_RENDER = """
import json, sys, time
start = time.perf_counter()
from streamlit.testing.v1 import AppTest
app = AppTest.from_file({app!r}, default_timeout=300).run()
if {page!r} != {home!r}:
    app.switch_page({page!r}).run()
print(json.dumps({{"seconds": time.perf_counter() - start,
                  "tensorflow": "tensorflow" in sys.modules,
                  "exception": bool(app.exception)}}))
"""


def fresh_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def streamlit_import_seconds() -> float:
    code = "import time; s = time.perf_counter(); import streamlit; print(time.perf_counter() - s)"
    return float(fresh_python(code))


def page_first_render(page) -> dict:
    app = str(ROOT / "dashboard" / "app.py")
    code = FIRST_RENDER.format(app=app, page=str(page.path), home=str(HOME.path))
    return json.loads(fresh_python(code))


def server_to_home_page_seconds() -> tuple[float, float]:
    """Seconds to /_stcore/health, and to the home title drawn in headless Chromium."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_FLAGS, find_chromium, free_port, start_server
    from tests.e2e.helpers import wait_for_app_run

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    process = start_server(port, ROOT / "artifacts" / "bench-startup.log")
    try:
        from tests.conftest import wait_for_health

        wait_for_health(url, process)
        healthy = time.perf_counter() - start
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=find_chromium(), args=CHROMIUM_FLAGS
            )
            page = browser.new_page()
            page.goto(url)
            wait_for_app_run(page)
            page.get_by_role("heading", name="Deep learning, hands on").wait_for()
            served = time.perf_counter() - start
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    return healthy, served


def main() -> None:
    healthy, served = server_to_home_page_seconds()
    print(f"startup.health: {healthy:.2f} s (streamlit run to /_stcore/health)")
    print(f"startup.home_page_drawn: {served:.2f} s (streamlit run to home title in Chromium)")
    baseline = streamlit_import_seconds()
    print(f"import.streamlit_baseline: {baseline * 1000:.0f} ms")
    for page in available_pages():
        figures = page_first_render(page)
        print(
            f"first_render.{page.url_path or 'home'}: {figures['seconds'] * 1000:.0f} ms "
            f"({figures['seconds'] / baseline:.1f}x streamlit import; "
            f"tensorflow imported: {'yes' if figures['tensorflow'] else 'no'}; "
            f"exception: {'yes' if figures['exception'] else 'no'})"
        )


if __name__ == "__main__":
    main()
