"""core.information against the tutorial numbers and independent references (SciPy, Keras)."""

import math

import numpy as np
import pytest
import scipy.special
import scipy.stats

from core import information as info
from core.calculus import numerical_gradient

TARGET_2 = np.eye(10)[2]  # one-hot, true class 2
Y1 = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]  # 0.6 on class 2: right
Y2 = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]  # 0.6 on class 7: wrong


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def random_distributions(count, classes, seed=0):
    return np.random.default_rng(seed).dirichlet(np.ones(classes), size=count)


# --- the tutorial numbers ------------------------------------------------------------------


def test_lottery_surprisal_and_entropy_in_hartleys():
    """2 % win chance, log10: winning surprises by 1.69897, losing by 0.0087739, H = 0.0426."""
    win, lose = info.surprisal([0.02, 0.98], base=10)
    assert win == pytest.approx(1.69897, abs=1e-5)
    assert lose == pytest.approx(0.0087739, abs=1e-7)
    assert info.entropy([0.02, 0.98], base=10) == pytest.approx(0.0426, abs=5e-5)


def test_tutorial_sse_and_cee_right_and_wrong_answer():
    """Target class 2: y1 (0.6 on 2) vs y2 (0.6 on 7), natural log with eps 1e-7."""
    assert info.sum_squared_error(Y1, TARGET_2) == pytest.approx(0.0975, abs=1e-12)
    assert info.sum_squared_error(Y2, TARGET_2) == pytest.approx(0.5975, abs=1e-12)
    cee1 = info.cross_entropy(TARGET_2, Y1, base="e", eps=info.TUTORIAL_EPS)
    cee2 = info.cross_entropy(TARGET_2, Y2, base="e", eps=info.TUTORIAL_EPS)
    assert cee1 == pytest.approx(0.5108, abs=5e-5)
    assert cee2 == pytest.approx(2.3026, abs=5e-5)
    # the book prints every digit: eps is added inside the log (not clipped as Keras does)
    assert cee1 == pytest.approx(0.510825457099338, rel=1e-13)
    assert cee2 == pytest.approx(2.302584092994546, rel=1e-13)


def test_minus_log2_of_0775():
    """A true class given 77.5 % costs 0.3677 bits, as surprisal and as cross-entropy."""
    assert info.surprisal([0.775], base=2)[0] == pytest.approx(0.3677, abs=5e-5)
    assert info.cross_entropy([1, 0], [0.775, 0.225], base=2) == pytest.approx(0.3677, abs=5e-5)


def test_softmax_of_1_3_2():
    """softmax([1, 3, 2]) = [0.0900, 0.6652, 0.2447], the usual first example."""
    np.testing.assert_allclose(info.softmax([1, 3, 2]), [0.0900, 0.6652, 0.2447], atol=5e-5)


# --- independent references ----------------------------------------------------------------


@pytest.mark.parametrize("base", ["2", "e", "10"])
def test_entropy_and_kl_match_scipy(base):
    """scipy.stats.entropy(p) is H(p) and scipy.stats.entropy(p, q) is D_KL(p || q)."""
    number = info.BASES[base]
    for p, q in zip(random_distributions(20, 7, seed=1), random_distributions(20, 7, seed=2)):
        assert info.entropy(p, base) == pytest.approx(scipy.stats.entropy(p, base=number))
        assert info.kl_divergence(p, q, base) == pytest.approx(
            scipy.stats.entropy(p, q, base=number)
        )
        assert info.cross_entropy(p, q, base) == pytest.approx(
            info.entropy(p, base) + info.kl_divergence(p, q, base)
        )


def test_entropy_extremes():
    """0 for a sure thing, log_b n for the uniform distribution, 0 log 0 counted as 0."""
    assert info.entropy([0, 1, 0], 2) == 0
    assert info.entropy(np.full(8, 1 / 8), 2) == pytest.approx(3)
    assert info.entropy(np.full(10, 0.1), "10") == pytest.approx(1)


def test_bernoulli_entropy_matches_scipy():
    """H of a yes/no event equals SciPy's entropy of [p, 1 - p], 1 bit at p = 0.5."""
    grid = np.linspace(0, 1, 11)
    expected = [scipy.stats.entropy([p, 1 - p], base=2) for p in grid]
    np.testing.assert_allclose(info.bernoulli_entropy(grid, 2), expected, atol=1e-12)
    assert info.bernoulli_entropy(0.5, 2)[0] == pytest.approx(1)


def test_cross_entropy_matches_keras(keras):
    """Keras clips q to [eps, 1 - eps]; we add eps: the same to 1e-6 when q stays away from 0."""
    p = random_distributions(16, 10, seed=3)
    q = random_distributions(16, 10, seed=4)
    expected = np.asarray(keras.losses.categorical_crossentropy(p, q))
    ours = [info.cross_entropy(pi, qi, "e", eps=info.TUTORIAL_EPS) for pi, qi in zip(p, q)]
    np.testing.assert_allclose(ours, expected, rtol=1e-5)


def test_batch_losses_match_keras(keras):
    """Mean over N with integer labels or one-hot rows, as Keras' losses compute it."""
    q = random_distributions(32, 10, seed=5)
    labels = np.random.default_rng(6).integers(0, 10, size=32)
    one_hot = np.eye(10)[labels]
    sparse = float(np.mean(keras.losses.sparse_categorical_crossentropy(labels, q)))
    # Keras works in float32 here: agreement to ~1e-5 relative, not 1e-12
    assert info.cross_entropy_batch(q, labels) == pytest.approx(sparse, rel=1e-4)
    assert info.cross_entropy_batch(q, one_hot) == pytest.approx(sparse, rel=1e-4)
    mse = float(np.mean(keras.losses.mean_squared_error(one_hot, q)))  # mean over classes too
    assert info.sum_squared_error_batch(q, labels) == pytest.approx(0.5 * 10 * mse, rel=1e-5)
    assert info.sum_squared_error_batch(q, one_hot) == pytest.approx(0.5 * 10 * mse, rel=1e-5)


def test_binary_cross_entropy_matches_keras(keras):
    """Mean binary cross-entropy equals keras.losses.binary_crossentropy."""
    rng = np.random.default_rng(7)
    targets = rng.integers(0, 2, size=50).astype(float)
    predictions = rng.uniform(0.01, 0.99, size=50)
    expected = float(keras.losses.binary_crossentropy(targets, predictions))
    assert info.binary_cross_entropy(targets, predictions) == pytest.approx(expected, rel=1e-5)


def test_softmax_matches_scipy_at_any_temperature():
    """softmax(z, T) equals scipy.special.softmax(z / T) row by row."""
    z = np.random.default_rng(8).normal(size=(4, 6)) * 5
    for temperature in (0.1, 1.0, 3.0):
        np.testing.assert_allclose(
            info.softmax(z, temperature), scipy.special.softmax(z / temperature, axis=-1)
        )


def test_softmax_of_nan_logits_is_nan_not_an_error():
    """A diverged network's NaN logits come out as NaN, as the From-scratch page expects."""
    assert np.all(np.isnan(info.softmax([1.0, math.nan])))


def test_softmax_does_not_overflow():
    """Logits near 1000 would overflow exp; shifting by the max keeps them finite."""
    q = info.softmax([1000.0, 1001.0, 999.0])
    assert np.all(np.isfinite(q))
    np.testing.assert_allclose(q, scipy.special.softmax([1.0, 2.0, 0.0]))


def test_softmax_of_extreme_logits_is_stable():
    """1e308 at T = 0.05 overflows z / T; shifting by the max first keeps softmax exact."""
    np.testing.assert_array_equal(info.softmax([1e308, 0.0], temperature=0.05), [1.0, 0.0])
    np.testing.assert_array_equal(info.softmax([1e308, -1e308], temperature=0.05), [1.0, 0.0])
    np.testing.assert_allclose(info.softmax([1e308, 1e308], temperature=0.05), [0.5, 0.5])


def test_softmax_of_infinite_logits_is_the_limit():
    """+inf logits share all the probability; -inf logits get none."""
    np.testing.assert_array_equal(info.softmax([math.inf, 1.0, math.inf]), [0.5, 0.0, 0.5])
    np.testing.assert_allclose(info.softmax([-math.inf, 0.0, 0.0]), [0.0, 0.5, 0.5])
    rows = info.softmax([[1.0, 2.0], [math.inf, 0.0]])
    np.testing.assert_allclose(rows, [scipy.special.softmax([1.0, 2.0]), [1.0, 0.0]])


# --- zeros, eps and infinity ---------------------------------------------------------------


def test_zero_probability_for_the_truth_is_infinite_without_eps():
    """q = 0 where p > 0: infinite without eps, -log(eps) with it."""
    p, q = [0, 1, 0], [0.5, 0.0, 0.5]
    assert info.cross_entropy(p, q, "e") == math.inf
    assert info.kl_divergence(p, q, "e") == math.inf
    assert info.cross_entropy(p, q, "e", eps=1e-7) == pytest.approx(-math.log(1e-7))
    assert info.surprisal([0.0])[0] == math.inf


def test_zero_q_where_p_is_zero_costs_nothing():
    """A class p rules out adds nothing, whatever q gives it (0 log 0 = 0)."""
    assert info.cross_entropy([1, 0], [1, 0], 2) == 0
    assert info.kl_divergence([0.5, 0.5, 0], [0.5, 0.5, 0]) == 0


def test_float32_softmax_printed_with_6_decimals_is_a_distribution():
    """The Prediction page links here with such a q: it must be accepted as it is."""
    logits = np.random.default_rng(9).normal(size=10).astype(np.float32) * 4
    exp = np.exp(logits - logits.max())
    printed = [float(f"{value:.6f}") for value in exp / exp.sum()]
    assert abs(sum(printed) - 1) > 0  # not exactly 1 ...
    np.testing.assert_array_equal(info.distribution(printed, "q"), printed)  # ... but accepted


# --- gradients against the numerical derivative ---------------------------------------------


def numeric(f, x):
    return numerical_gradient(f, np.array(x, dtype=float), h=1e-6)


def test_surprisal_and_entropy_gradients():
    """The analytic derivatives equal central differences in every base."""
    p = np.array([0.2, 0.3, 0.5])
    for base in ("2", "e", "10"):
        expected = numeric(lambda x, b=base: float(np.sum(info.surprisal(x, b))), p)
        np.testing.assert_allclose(info.surprisal_gradient(p, base), expected, rtol=1e-5)
        free_entropy = lambda x, b=base: float(-np.sum(x * np.log(x)) / math.log(info.BASES[b]))  # noqa: E731
        np.testing.assert_allclose(
            info.entropy_gradient(p, base), numeric(free_entropy, p), rtol=1e-5
        )


def test_cross_entropy_and_sse_gradients():
    """dH(p, q)/dq and dSSE/dy equal central differences."""
    p, q = np.array([0.0, 1.0, 0.0]), np.array([0.3, 0.2, 0.5])
    free_ce = lambda x: float(-np.sum(p * np.log2(x)))  # noqa: E731
    np.testing.assert_allclose(info.cross_entropy_gradient(p, q, 2), numeric(free_ce, q), rtol=1e-5)
    sse = lambda x: info.sum_squared_error(x, p)  # noqa: E731
    np.testing.assert_allclose(info.sum_squared_error_gradient(q, p), numeric(sse, q), atol=1e-8)


def test_logit_gradients_through_softmax():
    """q - t for cross-entropy, J^T (q - t) for SSE: both equal the numerical gradient in z."""
    z, t = np.array([2.0, -1.0, 0.5, 0.0]), np.eye(4)[1]
    q = info.softmax(z)
    ce = lambda x: info.cross_entropy(t, info.softmax(x), "e")  # noqa: E731
    sse = lambda x: info.sum_squared_error(info.softmax(x), t)  # noqa: E731
    np.testing.assert_allclose(info.cross_entropy_logit_gradient(q, t), numeric(ce, z), atol=1e-7)
    np.testing.assert_allclose(
        info.sum_squared_error_logit_gradient(q, t), numeric(sse, z), atol=1e-7
    )


def test_confident_wrong_answer_sse_gradient_vanishes_but_ce_does_not():
    """Why classifiers use cross-entropy: q(true) = 1e-4 still gives CE a gradient near 1."""
    t = np.array([1.0, 0.0])
    q = np.array([1e-4, 1 - 1e-4])
    assert np.linalg.norm(info.cross_entropy_logit_gradient(q, t)) > 1.4
    assert np.linalg.norm(info.sum_squared_error_logit_gradient(q, t)) < 1e-3


# --- bad arguments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: info.entropy([0.5, -0.1, 0.6]), "negative"),
        (lambda: info.entropy([0.5, math.nan, 0.5]), "NaN at entry 1"),
        (lambda: info.entropy(["half", "half"]), "numbers only"),
        (lambda: info.entropy([]), "empty"),
        (lambda: info.entropy([0, 0, 0]), "all zeros"),
        (lambda: info.entropy([0.2, 0.2]), "sums to 0.4, not 1"),
        (lambda: info.cross_entropy([0.5, 0.5], [0.2, 0.3, 0.5]), "p has 2 entries but q has 3"),
        (lambda: info.surprisal([1.5]), "between 0 and 1"),
        (lambda: info.entropy([0.5, 0.5], base=3), "base must be 2"),
        (lambda: info.softmax([1, 2], temperature=0), "temperature must be positive"),
        (lambda: info.softmax([1, 2], temperature=-1), "temperature must be positive"),
        (lambda: info.softmax([]), "at least one logit"),
        (lambda: info.cross_entropy([1, 0], [1, 0], eps=-1), "eps"),
        (lambda: info.sum_squared_error([1, 0], [1]), "y has 2 entries but t has 1"),
        (lambda: info.softmax(["a", "b"]), "softmax needs numbers"),
        (lambda: info.softmax([1, 2], "x"), "temperature must be a positive number"),
        (lambda: info.softmax([1, 2], math.inf), "temperature must be positive and finite"),
        (lambda: info.softmax([-math.inf, -math.inf]), "every logit is -inf"),
    ],
)
def test_bad_arguments_raise_a_readable_value_error(call, message):
    """Each bad argument raises ValueError with a message naming the problem."""
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "predictions, targets, message",
    [
        ([[0.5, -0.5]], [0], "row 0 of the predictions has a negative value -0.5"),
        ([[0.5, 0.5], [0.5, math.nan]], [0, 1], "row 1 of the predictions has NaN at entry 1"),
        ([[0.5, 0.5], [0.6, 0.6]], [0, 1], "row 1 of the predictions sums to 1.2, not 1"),
        ([[0.5, math.inf]], [0], "infinite value at entry 1"),
        ([["a", 0.5]], [1], "predictions must hold numbers only"),
        ([[0.5, 0.5]], [2], "label 2 at row 0 is not a class: labels must be between 0 and 1"),
        ([[0.5, 0.5]], [-1], "label -1 at row 0 is not a class"),
        ([[0.5, 0.5]], [0.5], "whole class numbers"),
        ([[0.5, 0.5]], ["x"], "class numbers or one-hot rows"),
        ([[0.5, 0.5], [1, 0]], [0], "2 predictions but 1 labels"),
        ([[0.5, 0.5]], [[0, 0, 1]], "2 classes but the one-hot targets are 1 rows of 3"),
        ([[0.5, 0.5]], [[0.5, 0.5]], "target row 0 is \\[0.5, 0.5\\], not one-hot"),
        ([], [], "predictions must be an \\(N, C\\) table"),
    ],
    ids=[
        "negative", "nan", "sum", "inf", "text", "label-high", "label-negative",
        "label-fraction", "label-text", "count", "one-hot-width", "soft-target", "empty",
    ],
)  # fmt: skip
def test_batch_losses_check_every_row(predictions, targets, message):
    """Both batch losses refuse a bad row or label with a message naming it."""
    for loss in (info.cross_entropy_batch, info.sum_squared_error_batch):
        with pytest.raises(ValueError, match=message):
            loss(predictions, targets)


def test_batch_cross_entropy_in_any_base():
    """base= works as in cross_entropy: the batch mean of the single-example values."""
    q = random_distributions(8, 5, seed=10)
    labels = np.random.default_rng(11).integers(0, 5, size=8)
    for base in ("2", "e", "10"):
        singles = [
            info.cross_entropy(np.eye(5)[label], row, base, eps=info.TUTORIAL_EPS)
            for row, label in zip(q, labels)
        ]
        assert info.cross_entropy_batch(q, labels, base=base) == pytest.approx(np.mean(singles))
    with pytest.raises(ValueError, match="base must be 2"):
        info.cross_entropy_batch(q, labels, 1e-7)  # eps given where base goes: refused, not used


def test_normalise_divides_by_the_sum():
    """normalise=True divides by the sum instead of refusing the vector."""
    assert info.entropy([2, 2], 2, normalise=True) == pytest.approx(1)
    np.testing.assert_allclose(info.distribution([1, 3], normalise=True), [0.25, 0.75])


@pytest.mark.parametrize("written, name", [(2, "2"), ("E", "e"), (math.e, "e"), ("10", "10")])
def test_base_names_and_units(written, name):
    """2, e and 10 are accepted however they are written, with their unit."""
    assert info.base_name(written) == name
    assert info.unit(written) == {"2": "bits", "e": "nats", "10": "hartleys"}[name]


# --- one row per example, and the sweep the loss section draws ------------------------------


def test_row_losses_and_logit_gradients_match_the_single_point_functions():
    """Each row of the row-wise forms is the single-example loss or gradient of that row."""
    q = random_distributions(6, 4, seed=12)
    labels = np.random.default_rng(13).integers(0, 4, size=6)
    ce_rows = info.cross_entropy_rows(q, labels, base="2")
    sse_rows = info.sum_squared_error_rows(q, np.eye(4)[labels])  # one-hot rows work too
    ce_gradients = info.cross_entropy_logit_gradient_rows(q, labels)
    sse_gradients = info.sum_squared_error_logit_gradient_rows(q, labels)
    assert ce_rows.shape == sse_rows.shape == (6,)
    assert ce_gradients.shape == sse_gradients.shape == (6, 4)
    for index, (row, label) in enumerate(zip(q, labels)):
        t = np.eye(4)[label]
        assert ce_rows[index] == pytest.approx(info.cross_entropy(t, row, 2, eps=info.TUTORIAL_EPS))
        assert sse_rows[index] == pytest.approx(info.sum_squared_error(row, t))
        np.testing.assert_allclose(
            ce_gradients[index], info.cross_entropy_logit_gradient(row, t), atol=1e-15
        )
        np.testing.assert_allclose(
            sse_gradients[index], info.sum_squared_error_logit_gradient(row, t), atol=1e-15
        )
    assert info.cross_entropy_batch(q, labels, base="2") == pytest.approx(np.mean(ce_rows))
    assert info.sum_squared_error_batch(q, labels) == pytest.approx(np.mean(sse_rows))


def test_row_logit_gradients_check_their_rows():
    """The row-wise gradients refuse a bad row or label as the batch losses do."""
    for gradient in (
        info.cross_entropy_logit_gradient_rows,
        info.sum_squared_error_logit_gradient_rows,
    ):
        with pytest.raises(ValueError, match="row 1 of the predictions has a negative value"):
            gradient([[0.5, 0.5], [-0.5, 1.5]], [0, 1])
        with pytest.raises(ValueError, match="label 2 at row 0 is not a class"):
            gradient([[0.5, 0.5]], [2])


def test_confidence_sweep_matches_the_single_point_functions():
    """The vectorised sweep agrees with core's SSE, CE and logit gradients at every point."""
    target = np.array([0.0, 1.0, 0.0, 0.0])
    prediction = np.array([0.2, 0.1, 0.3, 0.4])
    sweep = info.confidence_sweep(prediction, target, "2", points=9)
    assert len(sweep["true_probability"]) == 9
    for index, s in enumerate(sweep["true_probability"]):
        q = np.array([0.2, 0.0, 0.3, 0.4]) / 0.9 * (1 - s) + target * s
        assert sweep["sse"][index] == pytest.approx(info.sum_squared_error(q, target))
        assert sweep["cross_entropy"][index] == pytest.approx(
            info.cross_entropy(target, q, 2, eps=info.TUTORIAL_EPS)
        )
        ce_gradient = info.cross_entropy_logit_gradient(q, target) / math.log(2)
        assert sweep["ce_gradient"][index] == pytest.approx(np.linalg.norm(ce_gradient))
        sse_gradient = info.sum_squared_error_logit_gradient(q, target)
        assert sweep["sse_gradient"][index] == pytest.approx(np.linalg.norm(sse_gradient))


def test_confidence_sweep_shares_evenly_when_the_prediction_gives_the_others_nothing():
    """A one-hot prediction on the true class: the other classes split 1 - s evenly."""
    target = np.array([0.0, 0.0, 1.0])
    sweep = info.confidence_sweep(target, target, "e", points=3)
    for index, s in enumerate(sweep["true_probability"]):
        q = np.array([(1 - s) / 2, (1 - s) / 2, s])
        assert sweep["sse"][index] == pytest.approx(info.sum_squared_error(q, target))


def test_batch_cross_entropy_of_one_example_with_one_hot_target():
    """A single (C,) prediction with a (C,) one-hot target is one example, not C labels."""
    prediction = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
    one_hot = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert info.cross_entropy_batch(prediction, one_hot) == pytest.approx(
        0.510825457099338, abs=1e-9
    )
    assert info.cross_entropy_batch(prediction, [2]) == pytest.approx(0.510825457099338, abs=1e-9)
