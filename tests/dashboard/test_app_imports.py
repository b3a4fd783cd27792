"""Pandas is imported whole before any page draws.

Plotly looks pandas up in sys.modules without importing it; when 30 students arrive on a
cold server, one session's thread can still be importing pandas while another's draws a
figure, and that one got "partially initialized module 'pandas' has no attribute 'Series'"
(the classroom benchmark's math30 scenario, 13 exceptions). Imported at the top of the
entry script, every session's first run waits for the whole module instead.
"""

import json
import subprocess
import sys

from tests.conftest import ROOT

WHO_IMPORTS_PANDAS = """
import json, sys, traceback
from streamlit.testing.v1 import AppTest

first = []

class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "pandas" and not first:
            first.append([frame.filename for frame in traceback.extract_stack()])
        return None

sys.meta_path.insert(0, Watch())
AppTest.from_file("dashboard/app.py", default_timeout=120).run()
print(json.dumps(first[0] if first else []))
"""


def test_the_entry_script_itself_imports_pandas_first():
    done = subprocess.run(
        [sys.executable, "-c", WHO_IMPORTS_PANDAS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    frames = json.loads(done.stdout.strip().splitlines()[-1])
    ours = [name for name in frames if name.startswith(str(ROOT)) and "/.venv/" not in name]
    assert ours, "pandas was never imported"
    assert ours[-1] == str(ROOT / "dashboard" / "app.py"), ours
