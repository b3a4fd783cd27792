"""A whole class at once: simulated students on the real server(s), one real browser beside.

    python -m bench classroom                          # every scenario below (~25 min)
    .venv/bin/python -m bench.bench_classroom --scenario class --processes 2
    .venv/bin/python -m bench.bench_classroom --scenario custom --math 50 --trainers 10 \\
        --prediction 5 --processes 3 --duration 120
    .venv/bin/python -m bench.bench_classroom --smoke  # 3 students, 20 s (a test runs it)

Scenarios (`--scenario`, repeatable): `one` (1 student, half the time on each math lab),
`math30` (30 students on the math pages, one process, then two behind the proxy),
`class` (20 on math pages, 8 trainers on fast presets, 2 on Prediction, two processes
behind the proxy), `live` (server CPU per live-panel tick, this checkout against
`--baseline`, default the commit before the cheaper panel). `--processes 0` is `make
run`'s one process with its own engine; n >= 1 is `make serve-class PROCESSES=n`.

Students speak Streamlit's websocket protocol (bench/classroom/protocol.py); what each
kind does is in bench/classroom/students.py. Printed per scenario: p50/p95/p99 of each
page's interaction time (BackMsg sent to script_finished), errors, trainings finished
with their click-to-result times and queue waits, Stop times, the web processes' CPU
split into Python threads and TensorFlow threads with the engine's beside it, RSS over
time and after every session has ended, the real browser's input->result times, and
the load average before and during. Nothing is asserted: figures are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.classroom import students  # noqa: E402
from bench.classroom.machine import Sampler, cpu_between  # noqa: E402
from bench.classroom.protocol import TabClosed  # noqa: E402
from bench.classroom.record import Record, milliseconds, seconds_summary  # noqa: E402
from bench.classroom.servers import Behind, OneProcess, export_commit  # noqa: E402
from bench.report import load  # noqa: E402

ARRIVAL_SECONDS = 10.0  # students arrive over this long, as a class logs in
QUIET_LOAD = 3.0  # a scenario waits (bounded) for the 1-minute load to drop below this
QUIET_WAIT_SECONDS = 300
SESSION_TTL_SECONDS = 30  # server.disconnectedSessionTTL in the bench (Streamlit: 120 s)
RELEASE_WAIT_SECONDS = 90  # after the TTL: how long RSS is watched for sessions to be freed
MB = 2**20
MATH_PAGES = ("information", "gradient_descent")
BASELINE = "8264478"  # main before this work: the live panel's "before"


@dataclass(frozen=True)
class Mix:
    math: int = 0
    trainers: int = 0
    prediction: int = 0

    @property
    def students(self) -> int:
        return self.math + self.trainers + self.prediction

    def __str__(self) -> str:
        return f"{self.math} math, {self.trainers} trainers, {self.prediction} prediction"


def say(line: str) -> None:
    print(line, flush=True)


def wait_for_quiet(limit: float = QUIET_LOAD, seconds: float = QUIET_WAIT_SECONDS) -> None:
    """Other work shares this machine: start when the load has dropped, or say it did not."""
    deadline = time.monotonic() + seconds
    while os.getloadavg()[0] > limit and time.monotonic() < deadline:
        time.sleep(5)
    if os.getloadavg()[0] > limit:
        say(f"  (the load stayed above {limit:g} for {seconds:.0f} s: measured anyway; {load()})")


def make_server(processes: int, app_root: Path = ROOT):
    environment = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_SECONDS)}
    if processes == 0:
        return OneProcess(app_root=app_root, environment=environment)
    return Behind(processes, app_root=app_root, environment=environment)


def describe(processes: int) -> str:
    return "one process (make run)" if processes == 0 else f"{processes} processes behind HAProxy"


# --- the class ----------------------------------------------------------------------------------


async def warm_up(url: str, mix: Mix, record: Record, processes: int) -> None:
    """What a teacher does before the class: each of its pages once in every process (the
    imports, data and quick model a process keeps: "RSS before" is measured after this),
    the engine up, the quick model trained."""
    pages = [*(MATH_PAGES if mix.math else ()), *(["training"] if mix.trainers else [])]
    pages += ["prediction"] if mix.prediction else []
    for page in pages:
        # tabs open at once: the proxy sends each to the process with fewest connections
        tabs = [students.new_tab(url, "warm-up", record) for _ in range(max(1, processes))]
        for tab in tabs:
            query = students.pick_link(random.Random(0)) if page == "prediction" else ""
            await tab.open(page, query)
        if page == "training":  # a run's result read in every process, as in the class
            for tab in tabs:
                await students.train_once(tab, record, "fast_softmax")
            record.trainings.clear()
        if page == "prediction":
            for tab in tabs:
                await students.ensure_quick_model(tab)
        for tab in tabs:
            await tab.close()


async def run_class(url: str, mix: Mix, seconds: float, record: Record, seed: int = 1) -> None:
    deadline = time.monotonic() + ARRIVAL_SECONDS + seconds
    plans = []
    for index in range(mix.math):
        page = MATH_PAGES[index % 2] if mix.students > 1 else None
        plans.append(("math", index, page))
    plans += [("trainer", index, "training") for index in range(mix.trainers)]
    plans += [("prediction", index, "prediction") for index in range(mix.prediction)]

    async def arrive(kind: str, index: int, page: str | None, delay: float) -> None:
        await asyncio.sleep(delay)
        rng = random.Random(seed * 1000 + len(kind) * 100 + index)
        if kind == "math" and page is None:  # one student: half the time on each lab
            half = time.monotonic() + (deadline - time.monotonic()) / 2
            await students.math_student(url, MATH_PAGES[0], record, rng, half)
            await students.math_student(url, MATH_PAGES[1], record, rng, deadline)
        elif kind == "math":
            await students.math_student(url, page, record, rng, deadline)
        elif kind == "trainer":
            await students.trainer(url, record, rng, deadline, index)
        else:
            await students.prediction_student(url, record, rng, deadline)

    spread = ARRIVAL_SECONDS / max(1, len(plans))
    tasks = [
        asyncio.create_task(arrive(kind, index, page, order * spread))
        for order, (kind, index, page) in enumerate(plans)
    ]
    # every student stops by itself; this bounds a server that never answers
    done, late = await asyncio.wait(tasks, timeout=seconds + ARRIVAL_SECONDS + 240)
    for task in late:
        task.cancel()
        record.problem("bench", "a student was still waiting after the class ended")
    for task in done:
        if task.exception() is not None:
            record.problem("bench", f"a student failed: {task.exception()!r}")


def start_observer(url: str, seconds: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.classroom.observer", url, str(seconds)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def observer_figures(process: subprocess.Popen) -> str:
    try:
        output, _ = process.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    times = [line["seconds"] for line in lines if "seconds" in line]
    problems = [line["problem"] for line in lines if "problem" in line]
    opened = next((line["opened"] for line in lines if "opened" in line), None)
    text = f"input->result {milliseconds(times)}"
    if opened is not None:
        text += f"; page opened in {opened:.1f} s"
    if problems:
        text += f"; {len(problems)} problem(s), first: {problems[0]}"
    return text


def released_rss(sampler: Sampler, before: int, seconds: float) -> tuple[int, float]:
    """Watch RSS after the last tab closed, until it is back within 20 % or time is up."""
    deadline = time.monotonic() + seconds
    lowest = sampler.web_rss()
    while time.monotonic() < deadline and lowest > before * 1.2:
        time.sleep(2)
        lowest = min(lowest, sampler.web_rss())
    return lowest, seconds - max(0.0, deadline - time.monotonic())


def scenario(
    name: str,
    mix: Mix,
    processes: int,
    seconds: float,
    observer: bool = True,
    quiet: bool = True,
) -> Record:
    """Start the servers, warm up, run the class, print every figure, stop the servers."""
    if quiet:
        wait_for_quiet()
    say(f"## {name}: {mix}, {seconds:.0f} s, {describe(processes)} ({load()})")
    record = Record()
    server = make_server(processes).start()
    try:
        asyncio.run(warm_up(server.url, mix, record, processes))
        warm_problems = record.error_count
        sampler = Sampler(server.web_pids, server.engine_pids, every=1.0)
        before_rss = sampler.web_rss()
        sampler.start()
        watcher = start_observer(server.url, seconds) if observer else None
        start = sampler.mark()
        asyncio.run(run_class(server.url, mix, seconds, record))
        end = sampler.mark()
        observed = observer_figures(watcher) if watcher is not None else None
        peak = max((rss for _, rss, _ in sampler.rss), default=before_rss)
        time.sleep(SESSION_TTL_SECONDS)  # the sessions are given up after their TTL
        after_rss, waited = released_rss(sampler, before_rss, RELEASE_WAIT_SECONDS)
        sampler.stop()
        print_figures(name, record, warm_problems, start, end, observed)
        say(
            f"{name}.rss: {before_rss / MB:.0f} MB before the class (after one visit of its "
            f"pages), peak {peak / MB:.0f} MB, {after_rss / MB:.0f} MB after every session "
            f"ended ({after_rss / before_rss:.2f} x before, target <= 1.20; "
            f"{SESSION_TTL_SECONDS} s TTL + {waited:.0f} s; {load()})"
        )
        say(f"{name}.rss_over_time: {rss_timeline(sampler)}")
    finally:
        server.stop()
    return record


def rss_timeline(sampler: Sampler, points: int = 12) -> str:
    samples = sampler.rss
    if not samples:
        return "no samples"
    step = max(1, len(samples) // points)
    return ", ".join(
        f"{at:.0f}s {rss / MB:.0f}MB (load {load:.1f})" for at, rss, load in samples[::step]
    )


def print_figures(name, record: Record, warm_problems: int, start, end, observed) -> None:
    for page in record.pages():
        if page == "warm-up":
            continue
        say(f"{name}.{page}: {milliseconds(record.interactions(page))} (interactions)")
        for what in ("open", "tick"):
            values = record.answers.get((page, what))
            if values:
                say(f"{name}.{page}.{what}: {milliseconds(values)}")
    errors = record.error_count - warm_problems
    top = "; ".join(f"{count} x {text}" for text, count in record.problems.most_common(4))
    say(f"{name}.errors: {errors}" + (f" ({top})" if top else ""))
    shown = "; ".join(f"{count} x {text}" for text, count in record.errors_shown.most_common(4))
    say(f"{name}.error_messages_shown: {sum(record.errors_shown.values())}"
        + (f" ({shown})" if shown else "") + " (st.error sentences the pages drew)")  # fmt: skip
    if record.trainings:
        finished = [t for t in record.trainings if t.result is not None]
        waits = [t.queue_wait for t in record.trainings if t.queue_wait is not None]
        results = [t.result for t in finished if t.outcome == "finished"]
        say(
            f"{name}.trainings: {len(finished)} of {len(record.trainings)} Train clicks came "
            f"back ({sum(t.outcome == 'finished' for t in finished)} finished, "
            f"{sum(t.outcome == 'stopped' for t in finished)} stopped on purpose); click to "
            f"result {seconds_summary(results)} (target: every one <= 120 s)"
        )
        say(f"{name}.queue_wait: click to training {seconds_summary(waits)}")
        say(f"{name}.stop: click to 'stopped' shown {seconds_summary(record.stops)} "
            "(target p95 <= 1 s)")  # fmt: skip
    cpu = cpu_between(start, end)
    say(
        f"{name}.cpu: web processes' Python threads {cpu['web_python']:.0%} of one core, "
        f"their TensorFlow threads {cpu['web_tensorflow']:.0%}, the engine's processes "
        f"{cpu['engine']:.0%}, the simulated students and the Chromium observer "
        f"{cpu['students']:.0%} (over {cpu['seconds']:.0f} s; load {start.load:.1f} at the "
        f"start, {end.load:.1f} at the end, {os.cpu_count()} cores)"
    )
    if observed is not None:
        say(f"{name}.browser: {observed} (one real Chromium among the students)")


# --- the live panel's CPU per tick ---------------------------------------------------------------


# 100 short epochs: the live curves hold their full 400 points after 10 (40 points an epoch)
FULL_CURVES_RUN = (
    "train_family=softmax&train_optimizer=sgd&train_learning_rate=0.05&train_batch_size=20"
    "&train_epochs=100&train_subset_size=2200&train_validation_split=0.1"
)
FULL_CURVES = r"epoch (1[2-9]|[2-9]\d)/100"  # past epoch 10: the curves are at their limit


async def tick_cost(url: str, sampler: Sampler, panels: int, seconds: float) -> dict:
    """Open `panels` studio tabs on long runs, let their curves fill, then measure the web
    processes' CPU over `seconds` of ticking, per tick answered."""
    record = Record()
    tabs = [students.new_tab(url, "training", record) for _ in range(panels)]
    for tab in tabs:
        await tab.open("training", FULL_CURVES_RUN)
        await tab.click("train_start", "train")
    for tab in tabs:
        await tab.wait_for(FULL_CURVES, 0, 300, kinds=("progress",))
    ticks_before = len(record.answers.get(("training", "tick"), []))
    received = sum(tab.bytes_received for tab in tabs)
    start = sampler.mark()
    await asyncio.sleep(seconds)
    end = sampler.mark()
    ticks = len(record.answers.get(("training", "tick"), [])) - ticks_before
    sent = sum(tab.bytes_received for tab in tabs) - received
    for tab in tabs:
        with_stop = tab.widget_id("train_stop")
        if with_stop:
            with contextlib.suppress(TabClosed):
                await tab.click("train_stop", "stop")
        await tab.close()
    cpu = (end.web_total - start.web_total) * 1000
    return {
        "ms_per_tick": cpu / max(1, ticks),
        "ticks_per_second": ticks / (end.at - start.at),
        "kb_per_tick": sent / 1024 / max(1, ticks),
        "tick": record.answers.get(("training", "tick"), []),
        "problems": record.error_count + sum(record.errors_shown.values()),
        "load": end.load,
    }


def live_panel(baseline: str, panels: int = 2, seconds: float = 30, quiet: bool = True) -> None:
    """Server CPU of one live-panel tick: the code before (`baseline`) and this checkout.

    Measured on one web process with the engine in processes of its own (serve-class), so
    the figure is the web server's work for a tick: with `make run` the LocalCluster's
    scheduler shares the web process, and its work for the runs (progress arriving from
    the workers, heartbeats) would count too, ticks or not.
    """
    results = {}
    for label, root in (("before", export_commit(baseline)), ("after", ROOT)):
        if quiet:
            wait_for_quiet()
        server = make_server(1, root).start()
        try:
            sampler = Sampler(server.web_pids, server.engine_pids)
            idle_start = sampler.mark()
            time.sleep(5)
            idle = (sampler.mark().web_total - idle_start.web_total) / 5
            figures = asyncio.run(tick_cost(server.url, sampler, panels, seconds))
            figures["ms_per_tick"] -= idle * 1000 / max(figures["ticks_per_second"], 1e-9)
            results[label] = figures
        finally:
            server.stop()
        say(
            f"live.{label}: {figures['ms_per_tick']:.1f} ms of server CPU per live-panel tick "
            f"({panels} panels, {figures['ticks_per_second']:.1f} ticks/s, "
            f"{figures['kb_per_tick']:.0f} KB sent per tick, tick answer "
            f"{milliseconds(figures['tick'])}, {figures['problems']} problems; idle CPU "
            f"subtracted; {'commit ' + baseline if label == 'before' else 'this checkout'}; "
            f"load {figures['load']:.1f})"
        )
    ratio = results["after"]["ms_per_tick"] / max(results["before"]["ms_per_tick"], 1e-9)
    per_second = [
        results[label]["ms_per_tick"] * results[label]["ticks_per_second"] / panels
        for label in ("before", "after")
    ]
    say(
        f"live.ratio: {ratio:.2f} (CPU per tick, after / before); per open panel "
        f"{per_second[0]:.0f} -> {per_second[1]:.0f} ms of CPU per second ({load()})"
    )


# --- the command line ----------------------------------------------------------------------------


def smoke(seconds: float = 20) -> Record:
    """3 students (one of each kind) for 20 s on one process: `make test` runs this."""
    return scenario("smoke", Mix(1, 1, 1), 0, seconds, observer=True, quiet=False)


def main(argv: list[str] | None = None) -> None:
    if argv is None:
        argv = os.environ.get("BENCH_CLASSROOM_ARGS", "").split()
    parser = argparse.ArgumentParser(description="the classroom load benchmark")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=("one", "math30", "class", "live", "custom"),
        help="repeatable; default: one, math30, class, live",
    )
    parser.add_argument("--processes", type=int, default=None, help="0: make run's one process")
    parser.add_argument("--math", type=int, default=None)
    parser.add_argument("--trainers", type=int, default=None)
    parser.add_argument("--prediction", type=int, default=None)
    parser.add_argument("--duration", type=float, default=None, help="seconds of class")
    parser.add_argument("--baseline", default=BASELINE, help="commit for the live panel's before")
    parser.add_argument("--no-observer", action="store_true", help="no real Chromium")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for a quiet machine")
    parser.add_argument("--smoke", action="store_true", help="3 students, 20 s")
    options = parser.parse_args(argv)
    say(f"# classroom benchmark ({load()})")
    if options.smoke:
        smoke()
        return
    observer, quiet = not options.no_observer, not options.no_wait
    for name in options.scenario or ["one", "math30", "class", "live"]:
        if name == "one":
            scenario("one", Mix(math=1), _or(options.processes, 0), _or(options.duration, 60),
                     observer, quiet)  # fmt: skip
        elif name == "math30":
            mix = Mix(math=_or(options.math, 30))
            counts = [options.processes] if options.processes is not None else [0, 2]
            for processes in counts:
                scenario(f"math{mix.math}.p{processes}", mix, processes,
                         _or(options.duration, 90), observer, quiet)  # fmt: skip
        elif name in ("class", "custom"):
            mix = Mix(_or(options.math, 20), _or(options.trainers, 8), _or(options.prediction, 2))
            scenario(name, mix, _or(options.processes, 2), _or(options.duration, 180), observer,
                     quiet)  # fmt: skip
        elif name == "live":
            live_panel(options.baseline, quiet=quiet)


def _or(value, default):
    return default if value is None else value


if __name__ == "__main__":
    main(sys.argv[1:])
