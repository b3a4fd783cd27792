"""What each kind of simulated student does, for a bounded time.

- a math student opens the Information & loss lab or the Gradient-descent lab and changes
  one setting every ~2 s, as a new link (the page's settings table makes any valid value):
  the schema reads a URL it did not write as a link just opened;
- a trainer opens the studio on a fast preset, presses Train, keeps the live panel ticking
  as a browser does, waits for the result; every other run is a long one of its own that
  it stops once it trains, timing how soon the page says so;
- a prediction student picks test images by link (`prediction_input=pick`), after
  starting the shared quick model if nobody has yet.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from urllib.parse import parse_qsl, urlencode

from bench.classroom.protocol import Tab, TabClosed
from bench.classroom.record import Record, Training
from dashboard.settings import CHOICE, CHOICES, FLAG, NUMBERS, WHOLE, Setting

THINK_SECONDS = (1.0, 3.0)  # between a result and the next change: "one every ~2 s"
FAST_PRESETS = ("fast_softmax", "fast_mlp", "fast_cnn")
RESULT_SECONDS = 300  # a run not back by then counts as unfinished
STOP_AFTER_SECONDS = 2.0  # a stopping trainer presses Stop this long after training starts
TRAINING = r"epoch \d+/\d+ · batch"  # the live panel's progress text once batches run
# a run long enough to be stopped: softmax over all of MNIST, 20 epochs (light on the CPU)
LONG_RUN = (
    "train_family=softmax&train_optimizer=sgd&train_learning_rate=0.01&train_batch_size=16"
    "&train_epochs=20&train_subset_size=60000&train_validation_split=0"
)
RUN_NUMBER = re.compile(r"Run (\d+)")


def finished(run: int) -> str:
    """This run's result line. Not any run's: the Look inside tab shows the last one's on
    every rerun, so the next Train click would seem to finish at once."""
    return rf"Run {run} (finished|was stopped|failed)"


def stopped_shown(run: int) -> str:
    return rf"Stopped: measuring|Run {run} was stopped"


def next_run_number(tab: Tab) -> int:
    """The number Train gives the next run: one more than the newest the page has shown."""
    return 1 + max(
        (int(n) for shown in tab.shown for n in RUN_NUMBER.findall(shown.text)), default=0
    )


# the settings a math student moves, per page (the rest keep their defaults)
MOVED = {
    "information": ("section", "p", "q", "base", "temperature", "logits", "n", "names"),
    "gradient_descent": (
        "gd_lr", "gd_surface", "gd_optimizer", "gd_mode", "gd_steps", "gd_step", "gd_x0",
        "gd_x1", "gd_rates", "gd_momentum",
    ),
}  # fmt: skip
MAX_STEPS_MOVED = 1000  # the steps slider goes to 10 000; a class mostly stays lower


def settings_of(page: str):
    if page == "information":
        from pages.information.settings import SETTINGS
    else:
        from pages.gradient_descent.settings import SETTINGS
    return SETTINGS


def random_value(setting: Setting, rng: random.Random, classes: int):
    """A value the setting's table accepts, as a student might pick it."""
    if setting.kind == CHOICE:
        return rng.choice(setting.choices)
    if setting.kind == CHOICES:
        return rng.sample(setting.choices, rng.randint(1, len(setting.choices)))
    if setting.kind == FLAG:
        return rng.random() < 0.5
    if setting.kind == NUMBERS:
        if setting.key in ("p", "q"):
            weights = [rng.random() + 0.05 for _ in range(classes)]
            return ", ".join(f"{weight / sum(weights):.3f}" for weight in weights)
        if setting.key == "logits":
            return ", ".join(str(rng.randint(-3, 3)) for _ in range(classes))
        return ", ".join(
            f"{rng.choice(setting.grid or (0.05, 0.1, 0.3, 0.6, 0.9)):g}" for _ in "abc"
        )
    if setting.grid:
        return rng.choice(setting.grid)
    low = setting.low if setting.low is not None else -3.0
    high = setting.high if setting.high is not None else 3.0
    if setting.key == "gd_steps":
        high = MAX_STEPS_MOVED
    if setting.below is not None:
        high = min(high, setting.below - 0.01)
    if setting.kind == WHOLE:
        return rng.randint(int(low), int(high))
    return round(rng.uniform(low, high), 2)


def changed_link(page: str, query: str, rng: random.Random) -> str:
    """The page's current link with one setting moved to a new valid value."""
    settings = settings_of(page)
    values = dict(parse_qsl(query))
    key = rng.choice(MOVED[page])
    classes = int(values.get("n", 4))
    if key == "n":
        classes = rng.randint(2, 10)
        for vector in ("p", "q", "logits"):  # a link with n carries vectors of n numbers
            values[vector] = settings[vector].encode(random_value(settings[vector], rng, classes))
    values[key] = settings[key].encode(random_value(settings[key], rng, classes))
    if key == "gd_step":
        steps = int(values.get("gd_steps", settings["gd_steps"].default))
        values[key] = str(rng.randint(0, steps))
    return urlencode(values)


def new_tab(base_url: str, page: str, record: Record) -> Tab:
    return Tab(
        base_url,
        on_answer=lambda what, seconds: record.answer(page, what, seconds),
        on_problem=lambda text: record.problem(page, text),
        on_error_shown=lambda text: record.error_shown(page, text),
    )


async def think(rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(*THINK_SECONDS))


async def math_student(base_url: str, page: str, record: Record, rng, deadline: float) -> None:
    tab = new_tab(base_url, page, record)
    try:
        await tab.open(page, changed_link(page, "", rng))
        while time.monotonic() < deadline:
            await think(rng)
            await tab.change_link(changed_link(page, tab.query, rng))
    except TabClosed as error:
        record.problem(page, str(error))
    finally:
        await tab.close()
        record.students_done += 1


async def trainer(base_url: str, record: Record, rng, deadline: float, index: int) -> None:
    tab = new_tab(base_url, "training", record)
    preset = FAST_PRESETS[index % len(FAST_PRESETS)]
    runs = 0
    try:
        await tab.open("training")
        while time.monotonic() < deadline:
            await think(rng)
            if runs % 2 == 0:
                await load_preset(tab, preset)
                await train_once(tab, record, preset)
            else:  # a long run of their own, stopped once it trains: times Stop
                await tab.change_link(LONG_RUN, "change")
                await train_and_stop(tab, record)
            runs += 1
    except TabClosed as error:
        record.problem("training", str(error))
    finally:
        await tab.close()
        record.students_done += 1


async def load_preset(tab: Tab, preset: str) -> None:
    """Pick the preset in its box (by link) and press Load preset, as a student does."""
    await tab.change_link(f"train_preset={preset}", "pick preset")
    await tab.click("train_load_preset", "load preset")


async def train_once(tab: Tab, record: Record, preset: str) -> Training | None:
    """Press Train; note when it leaves the queue and when the page shows the result."""
    run = next_run_number(tab)
    training = Training(preset, time.perf_counter())
    record.trainings.append(training)
    if await tab.click("train_start", "train") is None:
        return None
    # out of the queue: the panel's "waiting for a free trainer" becomes a progress bar
    started = await tab.wait_for("", training.clicked, RESULT_SECONDS, kinds=("progress",))
    if started is None:
        return None
    training.queue_wait = started.at - training.clicked
    done = await tab.wait_for(finished(run), training.clicked, RESULT_SECONDS)
    if done is not None:
        training.result = done.at - training.clicked
        training.outcome = next(
            word for word in ("finished", "stopped", "failed") if word in done.text
        )
    return training


async def train_and_stop(tab: Tab, record: Record) -> None:
    run = next_run_number(tab)
    clicked = time.perf_counter()
    if await tab.click("train_start", "train") is None:
        return
    if await tab.wait_for(TRAINING, clicked, RESULT_SECONDS, kinds=("progress",)) is None:
        return
    await asyncio.sleep(STOP_AFTER_SECONDS)
    pressed = time.perf_counter()
    if await tab.click("train_stop", "stop") is None:
        return
    shown = await tab.wait_for(stopped_shown(run), pressed, 60)
    if shown is not None:
        record.stops.append(shown.at - pressed)
    await tab.wait_for(finished(run), pressed, RESULT_SECONDS)


async def prediction_student(base_url: str, record: Record, rng, deadline: float) -> None:
    tab = new_tab(base_url, "prediction", record)
    try:
        await tab.open("prediction", pick_link(rng))
        await ensure_quick_model(tab)
        while time.monotonic() < deadline:
            await think(rng)
            await tab.change_link(pick_link(rng))
    except TabClosed as error:
        record.problem("prediction", str(error))
    finally:
        await tab.close()
        record.students_done += 1


def pick_link(rng: random.Random) -> str:
    return urlencode({"prediction_input": "pick", "prediction_index": rng.randint(0, 9999)})


QUICK_BUTTON = "Train the quick model"


async def ensure_quick_model(tab: Tab) -> None:
    """Press 'Train the quick model' if this server process has none yet, and wait for it."""
    if tab.widget_id(QUICK_BUTTON) is None:
        return
    pressed = time.perf_counter()
    await tab.click(QUICK_BUTTON, "train quick model")
    await tab.wait_for("shared by everyone on this server", pressed, RESULT_SECONDS)
