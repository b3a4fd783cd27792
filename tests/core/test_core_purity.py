"""core/ is what a student imports in a notebook: it must never need streamlit."""

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CORE_FILES = sorted((ROOT / "core").rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_core_file_imports_streamlit():
    assert CORE_FILES, "core/ has no Python files"
    offenders = [str(p.relative_to(ROOT)) for p in CORE_FILES if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_importing_all_of_core_loads_neither_streamlit_nor_tensorflow():
    modules = [
        "core." + str(p.relative_to(ROOT / "core").with_suffix("")).replace("/", ".")
        for p in CORE_FILES
        if p.name != "__init__.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in ('streamlit', 'tensorflow') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
