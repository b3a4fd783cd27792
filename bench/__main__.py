"""`make bench`: run every bench/bench_*.py (or the ones named) and print one line per figure.

Each module has `main()` that prints lines of the form `name: value (context)`.
    python -m bench                 # all
    python -m bench startup         # only bench_startup.py
"""

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(selected: list[str]) -> None:
    names = sorted(path.stem for path in HERE.glob("bench_*.py"))
    if selected:
        names = [name for name in names if name.removeprefix("bench_") in selected]
    for name in names:
        print(f"# {name}", flush=True)
        importlib.import_module(f"bench.{name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
