"""URL values round-trip to the types of their defaults; bad ones are refused."""

import pytest

from dashboard.url_state import decode, encode


@pytest.mark.parametrize(
    "value",
    [True, False, 3, 0.02, "fashion", [0.1, 0.05, 0.6], ["T-shirt/top", "Trouser"], []],
)
def test_round_trip(value):
    assert decode(encode(value), value) == value


def test_float_keeps_ten_digits():
    assert encode(1 / 3) == "0.3333333333"


@pytest.mark.parametrize("text, like", [("abc", 1.0), ("2.5", 3), ("yes", True), ("0.1,x", [0.5])])
def test_bad_values_raise(text, like):
    with pytest.raises(ValueError):
        decode(text, like)
