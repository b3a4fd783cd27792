"""From scratch: the tutorial's 10 000-iteration run, and numerical vs backprop gradient time.

    .venv/bin/python -m bench scratch

Needs real MNIST ($DASHBOARD_DATA_DIR or ../shared/data).
"""

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.data import DATA_DIR_VARIABLE, load_dataset  # noqa: E402
from core.scratch import TrainConfig, TwoLayerNet, flatten_images, gradient_check, train  # noqa: E402
from dashboard.scratch_training import single_threaded_blas  # noqa: E402


def use_shared_data() -> None:
    shared = ROOT.parent / "shared" / "data"
    if not os.environ.get(DATA_DIR_VARIABLE) and shared.is_dir():
        os.environ[DATA_DIR_VARIABLE] = str(shared)


def gradient_timing(x_train, y_train) -> None:
    """The tutorial's gradient check: 784-50-10 sigmoid net, first 3 training pictures."""
    net = TwoLayerNet(784, 50, 10, seed=0)
    check = gradient_check(net, flatten_images(x_train[:3]), y_train[:3], repeats=101)
    worst = max(row.max_abs_difference for row in check.differences)
    print(
        f"scratch.numerical_gradient: {check.numerical_seconds:.2f} s "
        f"(784-50-10, 3 pictures, {2 * check.parameter_count} loss evaluations)"
    )
    print(f"scratch.backprop_gradient: {check.backprop_seconds * 1e6:.0f} us (median of 101)")
    print(f"scratch.numerical_over_backprop: {check.ratio:.0f} x (same batch, same process)")
    print(f"scratch.max_gradient_difference: {worst:.1e} (max |numerical - backprop|, all params)")


def blas_threads_ratio(data, iterations=1000, repeats=3) -> None:
    """Why the page trains with one BLAS thread: the same run, default threads vs one."""
    (x_train, y_train), (x_test, y_test) = data
    config = TrainConfig(iterations=iterations)

    def seconds() -> float:
        return train(config, x_train, y_train, x_test, y_test).seconds

    default, single = [], []
    for _ in range(repeats):  # interleaved, so a burst of load hits both alike
        default.append(seconds())
        with single_threaded_blas():
            single.append(seconds())
    default_median, single_median = statistics.median(default), statistics.median(single)
    print(f"scratch.train_{iterations}_default_blas: {default_median:.2f} s (median of {repeats})")
    print(
        f"scratch.train_{iterations}_one_blas_thread: {single_median:.2f} s (median of {repeats})"
    )
    print(
        f"scratch.blas_default_over_one_thread: {default_median / single_median:.2f} x "
        f"(machine load matters: {os.getloadavg()[0]:.1f} at the end)"
    )


def tutorial_run(data) -> None:
    """784-50-10 sigmoid, lr 0.1, batch 100, 10 000 iterations: the tutorial printed 0.9454."""
    (x_train, y_train), (x_test, y_test) = data
    with single_threaded_blas():  # as the page runs it
        result = train(TrainConfig(), x_train, y_train, x_test, y_test)
    last_epoch = [record for record in result.epochs if record.iteration < 10_000][-1]
    print(
        f"scratch.tutorial_run: {result.seconds:.1f} s "
        f"(10 000 iterations, {len(result.epochs)} evaluations of 70 000 pictures included)"
    )
    print(
        f"scratch.tutorial_test_accuracy: {result.test_accuracy:.4f} "
        f"(after iteration 10 000; {last_epoch.test_accuracy:.4f} at the tutorial's last "
        f"epoch line, iteration {last_epoch.iteration}; the tutorial printed 0.9454)"
    )


def main() -> None:
    use_shared_data()
    (x_train, y_train), (x_test, y_test), _ = load_dataset("mnist")
    data = ((x_train, y_train), (x_test, y_test))
    gradient_timing(x_train, y_train)
    blas_threads_ratio(data)
    tutorial_run(data)


if __name__ == "__main__":
    main()
