"""The data explorer's whole-split overview: right, and worked out once per data set."""

import numpy as np

from pages.training.explorer import mean_images, overview
from pages.training.figures import enlarge


def small_split(seed: int):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (50, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 3, 50)  # classes 0..2 of 4: class 3 has no image
    return images, labels


def test_the_overview_holds_the_class_means_counts_and_tensor_facts():
    images, labels = small_split(0)
    found = overview("test-split", images, labels, 4)
    assert list(found.counts) == [int((labels == k).sum()) for k in range(4)]
    expected = images[labels == 1].mean(axis=0).astype(np.uint8)
    assert np.array_equal(found.mean_pictures[1], enlarge(expected))
    assert not found.mean_pictures[3].any()  # no image of that class: black
    assert found.facts["max"][0] == images.max() and found.facts["max"][1] <= 1.0
    assert [picture.shape for picture in found.mean_pictures] == [(84, 84)] * 4


def test_the_overview_is_worked_out_once_until_the_data_set_is_loaded_again():
    images, labels = small_split(1)
    first = overview("test-reload", images, labels, 4)
    assert overview("test-reload", images, labels, 4) is first  # no pass over the split
    reloaded, new_labels = small_split(2)  # the file changed: load_dataset gives new arrays
    again = overview("test-reload", reloaded, new_labels, 4)
    assert again is not first
    assert np.array_equal(again.mean_pictures[0], enlarge(mean_images(reloaded, new_labels, 4)[0]))
