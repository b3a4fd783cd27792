"""Class experiments hand out values that cover the range and that the studio's sliders hold."""

import pytest

from core.classroom.sweeps import VARIABLES, hand_out_order
from pages.training.settings import SETTINGS


@pytest.mark.parametrize("count", range(1, 20))
def test_hand_out_order_uses_every_value_once(count):
    assert sorted(hand_out_order(count)) == list(range(count))


def test_the_first_students_span_the_whole_range():
    assert hand_out_order(16)[:3] == [0, 15, 7]


@pytest.mark.parametrize("variable", VARIABLES.values(), ids=lambda v: v.name)
def test_every_value_is_one_the_studio_accepts_as_it_is(variable):
    setting = SETTINGS[variable.setting]
    for value in variable.values:
        assert setting.check(value) == value


def test_learning_rates_run_from_1e_4_to_10():
    rates = VARIABLES["learning_rate"].values
    assert (rates[0], rates[-1]) == (1e-4, 10.0)
