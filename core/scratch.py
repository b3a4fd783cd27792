"""A two-layer network in plain NumPy, with its gradient computed twice.

    net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
    slow = net.numerical_gradient(x_batch, t_batch)  # nudge every weight, 2 losses each
    fast = net.gradient(x_batch, t_batch)            # backpropagation: one forward, one backward
    compare_gradients(slow, fast)                    # they agree to ~1e-10

The numerical gradient is the reference; backpropagation is what training uses.
No TensorFlow here: the point is to see every array.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from core.calculus import numerical_gradient
from core.information import softmax
from core.metrics import accuracy, cross_entropy, predicted_classes

MAX_HIDDEN_SIZE = 1000  # above this a NumPy net is slow to train and pictures unreadable
MAX_ITERATIONS = 50_000  # minutes of training on one core; more belongs in a notebook
# The numerical gradient computes the loss twice per parameter, each time over the whole batch.
# These caps keep the page's worst gradient check to seconds (bench_scratch times it):
MAX_CHECK_PARAMETERS = 40_000  # 784-50-10 (the tutorial's check) has 39,760
MAX_CHECK_PICTURE_PASSES = 400_000  # 2 x parameters x pictures: 784-50-10 on up to 5 pictures
LOG_EPSILON = 1e-12  # keeps log(0) finite; so small that backprop's (y - t)/N stays exact
PARAMETER_NAMES = ("W1", "b1", "W2", "b2")


# --- hidden-unit activations: the function next to its derivative -------------------------


def sigmoid(a: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # exp(-a) overflows to inf for a < -709: sigmoid is 0
        return 1.0 / (1.0 + np.exp(-a))


def sigmoid_gradient(a: np.ndarray, z: np.ndarray) -> np.ndarray:
    """d sigmoid(a) / da = z (1 - z), from the output z = sigmoid(a)."""
    return z * (1.0 - z)


def relu(a: np.ndarray) -> np.ndarray:
    return np.maximum(a, 0.0)


def relu_gradient(a: np.ndarray, z: np.ndarray) -> np.ndarray:
    """d relu(a) / da = 1 where a > 0, else 0 (0 at the kink, like the tutorial)."""
    return (a > 0).astype(a.dtype)


@dataclass(frozen=True)
class Activation:
    function: Callable[[np.ndarray], np.ndarray]  # a -> z
    gradient: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (a, z) -> dz/da
    formula: str  # LaTeX, for the page


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(sigmoid, sigmoid_gradient, r"\sigma(a) = \frac{1}{1 + e^{-a}}"),
    "relu": Activation(relu, relu_gradient, r"\mathrm{relu}(a) = \max(0, a)"),
}


def activation_for(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None


# --- inputs -----------------------------------------------------------------------------------


def flatten_images(images: np.ndarray) -> np.ndarray:
    """uint8 (N, 28, 28) pictures -> float (N, 784) rows in [0, 1], as the tutorial's normalize."""
    images = np.asarray(images)
    return images.reshape(len(images), -1).astype(np.float64) / 255.0


def one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    labels = np.asarray(labels).reshape(-1)
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"labels must lie in 0..{classes - 1}, got {labels.min()}..{labels.max()}")
    encoded = np.zeros((labels.size, classes))
    encoded[np.arange(labels.size), labels] = 1.0
    return encoded


def _as_labels(targets: np.ndarray) -> np.ndarray:
    """Integer labels from labels or one-hot rows."""
    targets = np.asarray(targets)
    return targets.argmax(axis=1) if targets.ndim == 2 else targets.reshape(-1)


# --- the first example: one layer, 2 inputs, 3 classes ----------------------------------------

# The tutorial's simpleNet: its printed random weights, input and target, so the numbers
# on the page can be checked against the book.
SIMPLE_WEIGHTS = np.array(
    [[0.47355232, 0.9977393, 0.84668094], [0.85557411, 0.03563661, 0.69422093]]
)
SIMPLE_INPUT = np.array([0.6, 0.9])
SIMPLE_TARGET = np.array([0.0, 0.0, 1.0])


class SimpleNet:
    """scores = x W; loss = cross-entropy(softmax(scores), t). W is 2x3."""

    def __init__(self, weights: np.ndarray | None = None):
        weights = SIMPLE_WEIGHTS if weights is None else weights
        self.W = np.array(weights, dtype=np.float64)  # a copy: nudged in place by the gradient

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, dtype=np.float64) @ self.W

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """t: one-hot (3,) for one input, or rows / integer labels for a batch."""
        scores = np.atleast_2d(self.predict(x))
        t = np.asarray(t)
        if t.ndim == 1 and len(t) == scores.shape[1] and len(scores) == 1:
            t = t[np.newaxis]  # one one-hot target, not three labels
        return cross_entropy(softmax(scores), t, eps=LOG_EPSILON)

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> np.ndarray:
        """dL/dW by central differences; the loss closes over self.W, which is nudged."""
        return numerical_gradient(lambda _: self.loss(x, t), self.W)

    def gradient(self, x: np.ndarray, t: np.ndarray) -> np.ndarray:
        """dL/dW by the chain rule: x^T (softmax(x W) - t) / N, one line instead of 12 losses."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        y = softmax(x @ self.W)
        t = np.asarray(t)
        if t.ndim == 1 and len(t) == y.shape[1] and len(y) == 1:
            t = t[np.newaxis]  # one one-hot target, as in loss()
        target = t if t.ndim == 2 else one_hot(t, y.shape[1])
        return x.T @ (y - target) / len(x)


# --- the two-layer network ---------------------------------------------------------------------


def _check_size(name: str, value: int, largest: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    if largest is not None and value > largest:
        raise ValueError(f"{name} {value} is too large: at most {largest} here")


class TwoLayerNet:
    """x -> affine W1, b1 -> activation -> affine W2, b2 -> softmax -> y.

    Shapes for a batch of N inputs: x (N, input), W1 (input, hidden), a1 and z1 (N, hidden),
    W2 (hidden, output), a2 and y (N, output). Parameters live in `params`, a dict of arrays.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        weight_init_std: float = 0.01,
        activation: str = "sigmoid",
        seed: int | None = 0,
    ):
        _check_size("input size", input_size)
        _check_size("hidden size", hidden_size, MAX_HIDDEN_SIZE)
        _check_size("output size", output_size)
        if not (np.isfinite(weight_init_std) and weight_init_std > 0):
            raise ValueError(f"weight_init_std must be a positive number, got {weight_init_std}")
        self.activation_name = activation
        self.activation = activation_for(activation)
        rng = np.random.default_rng(seed)
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }

    @property
    def parameter_count(self) -> int:
        return sum(array.size for array in self.params.values())

    def forward(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Every intermediate array of the forward pass, by name."""
        W1, b1, W2, b2 = (self.params[name] for name in PARAMETER_NAMES)
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if x.shape[1] != W1.shape[0]:
            raise ValueError(f"inputs have {x.shape[1]} features, the net expects {W1.shape[0]}")
        a1 = x @ W1 + b1
        z1 = self.activation.function(a1)
        a2 = z1 @ W2 + b2
        if not np.isfinite(a2).all():  # softmax of inf - inf is NaN: say why instead
            raise ArithmeticError(
                "the scores a2 are not finite numbers: the weights have grown past what a "
                "float can hold"
            )
        return {"x": x, "a1": a1, "z1": z1, "a2": a2, "y": softmax(a2)}

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Scores a2 before the softmax (argmax is the same either way)."""
        return self.forward(x)["a2"]

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Mean cross-entropy; t is integer labels (N,) or one-hot rows (N, output)."""
        return cross_entropy(self.forward(x)["y"], t, eps=LOG_EPSILON)

    def accuracy(self, x: np.ndarray, t: np.ndarray, chunk: int = 10_000) -> float:
        """Share of rows whose highest score is the true class (in chunks: memory stays flat)."""
        labels = _as_labels(t)
        if len(labels) == 0:
            raise ValueError("accuracy of an empty set is undefined")
        predicted = [
            predicted_classes(
                self.predict(flatten_images(rows) if rows.dtype == np.uint8 else rows)
            )
            for rows in (x[start : start + chunk] for start in range(0, len(labels), chunk))
        ]  # raw pictures are normalised chunk by chunk
        return accuracy(np.concatenate(predicted), labels)

    def numerical_gradient(
        self, x: np.ndarray, t: np.ndarray, tick: Callable[[int], None] | None = None
    ) -> dict[str, np.ndarray]:
        """dL/dparam for every parameter by central differences: 2 losses per number.

        `tick(done)` is called after each parameter with how many are done so far.
        """
        loss = lambda _: self.loss(x, t)  # noqa: E731 - closes over self.params, nudged in place
        gradients, done = {}, 0
        for name in PARAMETER_NAMES:
            after = None if tick is None else (lambda index, before=done: tick(before + index + 1))
            gradients[name] = numerical_gradient(loss, self.params[name], after_entry=after)
            done += self.params[name].size
        return gradients

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """dL/dparam by backpropagation: the chain rule, from the loss back to W1."""
        W2 = self.params["W2"]
        cache = self.forward(x)
        x, a1, z1, y = cache["x"], cache["a1"], cache["z1"], cache["y"]
        target = one_hot(_as_labels(t), y.shape[1])
        if len(target) != len(y):
            raise ValueError(f"{len(y)} inputs but {len(target)} labels")
        # L = mean over rows of -log y[true]; with y = softmax(a2): dL/da2 = (y - t) / N
        d_a2 = (y - target) / len(y)
        # a2 = z1 W2 + b2
        d_W2 = z1.T @ d_a2
        d_b2 = d_a2.sum(axis=0)
        d_z1 = d_a2 @ W2.T
        # z1 = activation(a1), elementwise
        d_a1 = self.activation.gradient(a1, z1) * d_z1
        # a1 = x W1 + b1
        d_W1 = x.T @ d_a1
        d_b1 = d_a1.sum(axis=0)
        return {"W1": d_W1, "b1": d_b1, "W2": d_W2, "b2": d_b2}


@dataclass(frozen=True)
class ForwardStep:
    name: str  # x, W1, b1, a1, z1, W2, b2, a2 or y
    shape: tuple[int, ...]  # of the array for this batch
    formula: str  # how it is computed, in plain text
    meaning: str  # one line for a student


def forward_steps(net: TwoLayerNet, x: np.ndarray) -> tuple[list[ForwardStep], dict]:
    """The forward pass of a batch as a list of named arrays with shapes, and the arrays."""
    cache = net.forward(x)
    arrays = {**cache, **net.params}
    described = (
        ("x", "pixels / 255", "the input: one row per picture, one column per pixel"),
        ("W1", "given (learned)", "weights from every pixel to every hidden unit"),
        ("b1", "given (learned)", "one bias per hidden unit"),
        ("a1", "x · W1 + b1", "each hidden unit's weighted sum"),
        ("z1", f"{net.activation_name}(a1)", "hidden activations"),
        ("W2", "given (learned)", "weights from every hidden unit to every class"),
        ("b2", "given (learned)", "one bias per class"),
        ("a2", "z1 · W2 + b2", "class scores (logits)"),
        ("y", "softmax(a2)", "class probabilities: each row sums to 1"),
    )
    steps = [
        ForwardStep(name, tuple(arrays[name].shape), formula, meaning)
        for name, formula, meaning in described
    ]
    return steps, arrays


# --- gradient check ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GradientDifference:
    parameter: str  # W1, b1, W2 or b2
    shape: tuple[int, ...]  # of that parameter
    max_abs_difference: float  # largest |numerical - backprop| over its entries
    mean_abs_difference: float  # mean of the same


def compare_gradients(
    numerical: dict[str, np.ndarray], backprop: dict[str, np.ndarray]
) -> list[GradientDifference]:
    rows = []
    for name in PARAMETER_NAMES:
        difference = np.abs(numerical[name] - backprop[name])
        rows.append(
            GradientDifference(
                name, numerical[name].shape, float(difference.max()), float(difference.mean())
            )
        )
    return rows


@dataclass(frozen=True)
class GradientCheck:
    differences: list[GradientDifference]  # one row per parameter
    numerical_seconds: float  # one numerical gradient of the batch
    backprop_seconds: float  # median of `repeats` backprop gradients of the same batch
    parameter_count: int  # numbers in the net, each nudged twice by the numerical method
    examples: int  # rows in the batch
    repeats: int  # backprop gradients timed for the median

    @property
    def ratio(self) -> float:
        """How many times slower the numerical gradient was, as measured."""
        return self.numerical_seconds / self.backprop_seconds


def picture_passes(parameter_count: int, examples: int) -> int:
    """Pictures one numerical gradient pushes through the net: 2 losses per parameter."""
    return 2 * parameter_count * examples


def refuse_costly_check(
    parameter_count: int,
    examples: int,
    max_parameters: int | None = MAX_CHECK_PARAMETERS,
    max_picture_passes: int | None = MAX_CHECK_PICTURE_PASSES,
) -> None:
    """ValueError when a numerical gradient would take too long, saying what to shrink.

    A limit of None is no limit.
    """
    if examples < 1:
        raise ValueError(f"the gradient check needs at least one picture, got {examples}")
    if max_parameters is not None and parameter_count > max_parameters:
        raise ValueError(
            f"this net has {parameter_count:,} parameters; the numerical gradient would "
            f"compute the loss {2 * parameter_count:,} times. At most "
            f"{max_parameters:,} parameters here: choose fewer hidden units."
        )
    passes = picture_passes(parameter_count, examples)
    if max_picture_passes is not None and passes > max_picture_passes:
        most = max_picture_passes // picture_passes(parameter_count, 1)
        raise ValueError(
            f"{parameter_count:,} parameters × {examples} pictures: the numerical gradient "
            f"would push {passes:,} pictures through the net (2 losses per parameter, each "
            f"over the whole batch). At most {max_picture_passes:,} here: use at most "
            f"{most} pictures with this net, or fewer hidden units."
        )


def estimate_numerical_seconds(
    net: TwoLayerNet, x: np.ndarray, t: np.ndarray, samples: int = 15
) -> float:
    """The numerical gradient's time, guessed before running it: 2 x parameters x one loss.

    One loss is timed `samples` times on this batch (median), so the guess follows the
    machine and its load; milliseconds, against the seconds it forecasts.
    """
    if samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    timings = []
    for _ in range(samples):
        start = time.perf_counter()
        net.loss(x, t)
        timings.append(time.perf_counter() - start)
    return 2 * net.parameter_count * float(np.median(timings))


def gradient_check(
    net: TwoLayerNet,
    x: np.ndarray,
    t: np.ndarray,
    repeats: int = 21,
    max_parameters: int | None = None,
    max_picture_passes: int | None = None,
    tick: Callable[[int], None] | None = None,
) -> GradientCheck:
    """Both gradients of one batch, their differences and the time each took.

    max_parameters and max_picture_passes refuse checks whose numerical gradient would
    take too long (None: no limit); see refuse_costly_check. `tick(done)` follows the
    numerical gradient parameter by parameter, and may raise CheckStopped to end it.
    """
    examples = len(np.atleast_2d(x))
    refuse_costly_check(net.parameter_count, examples, max_parameters, max_picture_passes)
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    start = time.perf_counter()
    numerical = net.numerical_gradient(x, t, tick)
    numerical_seconds = time.perf_counter() - start
    timings = []
    for _ in range(repeats):  # backprop is too fast for one reading to mean much
        start = time.perf_counter()
        backprop = net.gradient(x, t)
        timings.append(time.perf_counter() - start)
    return GradientCheck(
        compare_gradients(numerical, backprop),
        numerical_seconds,
        float(np.median(timings)),
        net.parameter_count,
        examples,
        repeats,
    )


class CheckStopped(Exception):
    """A gradient check ended on request before every parameter was nudged."""


# --- training ----------------------------------------------------------------------------------


class TrainingDiverged(ArithmeticError):
    """The loss stopped being a number: the steps were too large."""


# What the tutorial printed after the last epoch of its run, TrainConfig()'s defaults on MNIST.
TUTORIAL_TEST_ACCURACY = 0.9454


@dataclass(frozen=True)
class TrainConfig:
    hidden_size: int = 50  # units in the hidden layer
    activation: str = "sigmoid"  # a key of ACTIVATIONS
    learning_rate: float = 0.1  # step size of plain SGD
    batch_size: int = 100  # examples per gradient step, drawn without replacement
    iterations: int = 10_000  # gradient steps in total
    weight_init_std: float = 0.01  # standard deviation of the initial Gaussian weights
    seed: int = 0  # for the initial weights and the batches: runs repeat exactly

    def validate(self, train_size: int) -> None:
        """Raise ValueError with a message a student can act on."""
        _check_size("hidden size", self.hidden_size, MAX_HIDDEN_SIZE)
        activation_for(self.activation)
        if not np.isfinite(self.learning_rate) or self.learning_rate <= 0:
            raise ValueError(
                f"learning rate must be a positive number, got {self.learning_rate}: "
                "gradient descent steps against the gradient by a positive amount"
            )
        _check_size("batch size", self.batch_size)
        if self.batch_size > train_size:
            raise ValueError(
                f"batch size {self.batch_size} is larger than the {train_size} training "
                "examples: choose at most that many"
            )
        _check_size("iterations", self.iterations, MAX_ITERATIONS)
        if not (np.isfinite(self.weight_init_std) and self.weight_init_std > 0):
            raise ValueError(
                f"initial weight scale must be a positive number, got {self.weight_init_std}"
            )

    def iterations_per_epoch(self, train_size: int) -> int:
        """One epoch = as many batches as it takes to see train_size examples (the tutorial's)."""
        return max(train_size // self.batch_size, 1)


@dataclass(frozen=True)
class EpochRecord:
    iteration: int  # gradient steps taken before this evaluation
    epoch: float  # iteration / iterations per epoch
    train_accuracy: float  # on the whole training set
    test_accuracy: float  # on the whole test set


@dataclass
class TrainResult:
    net: TwoLayerNet  # the trained weights
    epochs: list[EpochRecord] = field(default_factory=list)  # one row per evaluation
    losses: list[float] = field(default_factory=list)  # batch loss of every iteration
    seconds: float = 0.0  # wall-clock time of the loop, evaluations included
    stopped: bool = False  # ended early by should_stop

    @property
    def iterations(self) -> int:
        """Gradient steps taken."""
        return len(self.losses)

    @property
    def test_accuracy(self) -> float | None:
        return self.epochs[-1].test_accuracy if self.epochs else None


def epoch_table_line(record: EpochRecord) -> str:
    """The line the tutorial prints after each epoch."""
    return f"train acc, test acc | {record.train_accuracy:.4f}, {record.test_accuracy:.4f}"


def train(
    config: TrainConfig,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    on_epoch: Callable[[EpochRecord], None] | None = None,
    on_iteration: Callable[[int, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Mini-batch SGD with backprop gradients, evaluated every epoch like the tutorial.

    x_*: uint8 pictures (N, 28, 28) or float rows (N, features); y_*: integer labels.
    Batches are normalised as they are drawn, so a 60 000-picture set is never copied
    to floats. Raises TrainingDiverged when the loss becomes NaN or infinite.
    """
    config.validate(len(x_train))
    if len(x_train) != len(y_train) or len(x_test) != len(y_test):
        raise ValueError("every picture needs a label: image and label counts differ")
    rows = (lambda batch: flatten_images(batch)) if x_train.dtype == np.uint8 else np.asarray
    input_size = int(np.prod(x_train.shape[1:]))
    classes = int(max(y_train.max(), y_test.max()) + 1)
    net = TwoLayerNet(
        input_size,
        config.hidden_size,
        classes,
        config.weight_init_std,
        config.activation,
        config.seed,
    )
    rng = np.random.default_rng(config.seed)
    per_epoch = config.iterations_per_epoch(len(x_train))
    result = TrainResult(net)
    start = time.perf_counter()

    def diverged(iteration: int, error: ArithmeticError) -> TrainingDiverged:
        return TrainingDiverged(
            f"training diverged at iteration {iteration} ({error}). With learning "
            f"rate {config.learning_rate:g} and initial weight scale "
            f"{config.weight_init_std:g} the steps are so large that the numbers "
            "overflow: try a smaller learning rate (the tutorial uses 0.1) and a "
            "weight scale of 0.01."
        )

    def evaluate(iteration: int) -> None:
        """Accuracy on both whole sets: a picture outside the batch can overflow too."""
        try:
            record = EpochRecord(
                iteration,
                iteration / per_epoch,
                net.accuracy(x_train, y_train),
                net.accuracy(x_test, y_test),
            )
        except ArithmeticError as error:
            raise diverged(iteration, error) from None
        result.epochs.append(record)
        if on_epoch is not None:
            on_epoch(record)

    with np.errstate(over="ignore", invalid="ignore"):  # divergence is caught by the loss check
        for iteration in range(config.iterations):
            if should_stop is not None and should_stop():
                result.stopped = True
                break
            if iteration % per_epoch == 0:
                evaluate(iteration)
            chosen = rng.choice(len(x_train), config.batch_size, replace=False)
            x_batch, t_batch = rows(x_train[chosen]), y_train[chosen]
            try:
                gradient = net.gradient(x_batch, t_batch)
                for name in PARAMETER_NAMES:
                    net.params[name] -= config.learning_rate * gradient[name]
                loss = net.loss(x_batch, t_batch)
                if not np.isfinite(loss):
                    raise ArithmeticError(f"the loss is {loss}")
            except ArithmeticError as error:
                raise diverged(iteration + 1, error) from None
            result.losses.append(loss)
            if on_iteration is not None:
                on_iteration(iteration, loss)
        steps = len(result.losses)
        if steps > 0 and result.epochs[-1].iteration != steps:
            evaluate(steps)  # the net as it ends (also when stopped), not an epoch ago
    result.seconds = time.perf_counter() - start
    return result


# --- pictures of the hidden units --------------------------------------------------------------


def weight_mosaic(W1: np.ndarray, columns: int = 10, side: int = 28, limit: int = 100):
    """First `limit` hidden units' input weights as side x side tiles in one array.

    Each tile is scaled by its own largest |weight| to [-1, 1] so faint units stay visible;
    NaN separates tiles (drawn blank). Returns (mosaic, units shown).
    """
    if W1.ndim != 2 or W1.shape[0] != side * side:
        raise ValueError(f"W1 must have {side * side} rows to be drawn as {side}x{side} tiles")
    if columns < 1:
        raise ValueError(f"columns must be at least 1, got {columns}")
    units = min(W1.shape[1], limit)
    columns = min(columns, units)
    tile_rows = -(-units // columns)
    step = side + 1
    mosaic = np.full((tile_rows * step - 1, columns * step - 1), np.nan)
    for unit in range(units):
        weights = W1[:, unit].reshape(side, side)
        largest = np.abs(weights).max()
        tile = weights / largest if largest > 0 else weights
        row, column = divmod(unit, columns)
        mosaic[row * step : row * step + side, column * step : column * step + side] = tile
    return mosaic, units
