"""Where data sets come from, in what order, and what a student is told when they can't."""

import threading
from dataclasses import replace

import numpy as np
import pytest

from core import data
from core.data import (
    DATA_DIR_VARIABLE,
    DATASETS,
    FASHION_NAMES,
    IDX_FILES,
    OFFLINE_VARIABLE,
    ORIGIN_VARIABLE,
    DatasetError,
    load_dataset,
    locate,
)
from core.idx import write_idx


@pytest.fixture(autouse=True)
def isolated_sources(monkeypatch, tmp_path):
    """No real folder, no Debian package, an empty Keras cache: each test adds what it needs."""
    monkeypatch.delenv(DATA_DIR_VARIABLE, raising=False)
    monkeypatch.delenv(OFFLINE_VARIABLE, raising=False)
    monkeypatch.delenv(ORIGIN_VARIABLE, raising=False)
    keras_home = tmp_path / "keras-home"
    keras_home.mkdir()
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    spec = DATASETS["fashion_mnist"]
    monkeypatch.setitem(DATASETS, "fashion_mnist", replace(spec, debian_dir=tmp_path / "none"))
    data.clear_cache()
    yield
    data.clear_cache()


def fake_idx_folder(folder, train=30, test=10, seed=0):
    """A tiny, valid copy of the MNIST folder layout."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = (
        rng.integers(0, 256, (train, 28, 28)),
        rng.integers(0, 10, train),
        rng.integers(0, 256, (test, 28, 28)),
        rng.integers(0, 10, test),
    )
    for name, array in zip(IDX_FILES, arrays):
        write_idx(folder / name, array)
    return arrays


def fake_mnist_npz(path, train=30, test=10):
    rng = np.random.default_rng(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        path,
        x_train=rng.integers(0, 256, (train, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, train, dtype=np.uint8),
        x_test=rng.integers(0, 256, (test, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, test, dtype=np.uint8),
    )


def test_data_folder_comes_first(monkeypatch, tmp_path):
    arrays = fake_idx_folder(tmp_path / "data" / "fashion-mnist")
    fake_idx_folder(tmp_path / "debian", train=5, test=5)
    monkeypatch.setitem(
        DATASETS,
        "fashion_mnist",
        replace(DATASETS["fashion_mnist"], debian_dir=tmp_path / "debian"),
    )
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    (x_train, y_train), (x_test, y_test), info = load_dataset("fashion_mnist")
    assert info.source.kind == "folder"
    assert x_train.shape == (30, 28, 28) and x_train.dtype == np.uint8
    np.testing.assert_array_equal(y_test, arrays[3])
    assert info.class_names == FASHION_NAMES
    assert info.class_names[0] == "T-shirt/top" and info.class_names[9] == "Ankle boot"


def test_debian_package_when_no_folder(monkeypatch, tmp_path):
    fake_idx_folder(tmp_path / "debian", train=5, test=5)
    monkeypatch.setitem(
        DATASETS,
        "fashion_mnist",
        replace(DATASETS["fashion_mnist"], debian_dir=tmp_path / "debian"),
    )
    source = locate("fashion_mnist")
    assert (source.kind, source.label) == ("debian", "Debian package")
    assert source.size_bytes > 0


def test_keras_cache_npz_for_mnist(monkeypatch, tmp_path):
    fake_mnist_npz(tmp_path / "keras-home" / "datasets" / "mnist.npz")
    (x_train, y_train), _, info = load_dataset("mnist")
    assert info.source.kind == "keras-cache"
    assert x_train.shape == (30, 28, 28) and y_train.dtype == np.int64


def test_nothing_local_means_download():
    source = locate("mnist")
    assert source.kind == "download" and source.location == data.KERAS_ORIGIN
    assert source.label == "needs a download"


def test_offline_lists_every_option(monkeypatch):
    monkeypatch.setenv(OFFLINE_VARIABLE, "1")
    assert locate("fashion_mnist").kind == "unavailable"
    with pytest.raises(DatasetError) as raised:
        load_dataset("fashion_mnist")
    message = str(raised.value)
    assert DATA_DIR_VARIABLE in message
    assert "dataset-fashion-mnist" in message
    assert "'digits'" in message


def test_keras_downloader_from_file_origin(monkeypatch, tmp_path):
    """The real Keras download path, served from a file:// origin."""
    origin = tmp_path / "mirror"
    fake_mnist_npz(origin / "mnist.npz", train=12, test=4)
    fake_idx_folder(origin, train=8, test=3)
    monkeypatch.setenv(ORIGIN_VARIABLE, origin.as_uri())
    assert locate("mnist").kind == "download"

    (x_train, _), (x_test, _), info = load_dataset("mnist")
    assert (len(x_train), len(x_test)) == (12, 4)
    assert info.source.kind == "download"
    assert locate("mnist").kind == "keras-cache"  # Keras stored it for next time

    (x_train, _), _, _ = load_dataset("fashion_mnist")
    assert len(x_train) == 8
    assert locate("fashion_mnist").kind == "keras-cache"


def test_failed_download_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv(ORIGIN_VARIABLE, (tmp_path / "empty").as_uri())
    with pytest.raises(DatasetError, match="could not be downloaded") as raised:
        load_dataset("mnist")
    assert DATA_DIR_VARIABLE in str(raised.value) and "'digits'" in str(raised.value)


def test_mismatched_files_are_named(monkeypatch, tmp_path):
    folder = tmp_path / "data" / "mnist"
    fake_idx_folder(folder, train=30)
    write_idx(folder / "train-labels-idx1-ubyte.gz", np.zeros(29, dtype=np.uint8))
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    with pytest.raises(DatasetError, match="30 images but .*train-labels.* 29 labels"):
        load_dataset("mnist")


def test_truncated_file_in_folder_is_named(monkeypatch, tmp_path):
    folder = tmp_path / "data" / "mnist"
    fake_idx_folder(folder)
    path = folder / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:100])
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    with pytest.raises(DatasetError, match="t10k-images-idx3-ubyte.gz"):
        load_dataset("mnist")


def test_labels_out_of_range(monkeypatch, tmp_path):
    folder = tmp_path / "data" / "mnist"
    fake_idx_folder(folder, test=4)
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", np.array([0, 1, 2, 12]))
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    with pytest.raises(DatasetError, match="test labels run from 0 to 12"):
        load_dataset("mnist")


def test_loaded_once_and_shared_between_threads(monkeypatch, tmp_path):
    fake_idx_folder(tmp_path / "data" / "mnist")
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    calls = []
    real_load = data._load
    monkeypatch.setattr(data, "_load", lambda *args: calls.append(1) or real_load(*args))
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(load_dataset("mnist"))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert all(result.train[0] is results[0].train[0] for result in results)
    with pytest.raises(ValueError, match="read-only"):
        results[0].train[0][0, 0, 0] = 1


def test_digits_needs_nothing():
    (x_train, y_train), (x_test, y_test), info = load_dataset("digits")
    assert x_train.shape[1:] == (28, 28) and x_train.dtype == np.uint8
    assert len(x_train) + len(x_test) == 1797
    assert set(y_test.tolist()) == set(range(10))
    assert info.source.kind == "bundled"
    # ink sits in the centre 20x20 box, like MNIST
    assert x_train[:, :4].max() == 0 and x_train[:, :, 24:].max() == 0
    assert x_train.max() > 200


def test_unknown_name():
    with pytest.raises(ValueError, match="choose one of mnist, fashion_mnist, digits"):
        load_dataset("cifar")


def test_real_mnist_and_fashion(monkeypatch, real_data_dir):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(real_data_dir))
    (x_train, y_train), (x_test, y_test), info = load_dataset("mnist")
    assert (x_train.shape, x_test.shape) == ((60_000, 28, 28), (10_000, 28, 28))
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9]
    (f_train, _), _, f_info = load_dataset("fashion_mnist")
    assert f_train.shape == (60_000, 28, 28) and f_info.source.kind == "folder"


def test_a_failed_load_is_tried_once_until_the_file_is_replaced(monkeypatch, tmp_path):
    """A damaged file costs one attempt, not one per rerun of every session."""
    folder = tmp_path / "data" / "mnist"
    fake_idx_folder(folder)
    path = folder / "t10k-images-idx3-ubyte.gz"
    good = path.read_bytes()
    path.write_bytes(good[:100])
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    calls = []
    real_load = data._load
    monkeypatch.setattr(data, "_load", lambda *args: calls.append(1) or real_load(*args))
    for _ in range(5):
        with pytest.raises(DatasetError, match="t10k-images-idx3-ubyte.gz"):
            load_dataset("mnist")
    assert len(calls) == 1
    path.write_bytes(good)  # the server owner fixes the file: the next load reads it
    assert len(load_dataset("mnist").test[0]) == 10
    assert len(calls) == 2


def test_a_missing_file_in_the_data_folder_is_named_not_downloaded(monkeypatch, tmp_path):
    folder = tmp_path / "data" / "mnist"
    fake_idx_folder(folder)
    (folder / "train-labels-idx1-ubyte.gz").unlink()
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    assert locate("mnist").kind == "incomplete"
    with pytest.raises(DatasetError, match="lacks train-labels-idx1-ubyte.gz") as raised:
        load_dataset("mnist")
    assert str(tmp_path) not in str(raised.value)


def test_students_read_file_names_never_the_servers_paths(monkeypatch, tmp_path):
    folder = tmp_path / "secret-server-path" / "mnist"
    fake_idx_folder(folder)
    path = folder / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:100])
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "secret-server-path"))
    with pytest.raises(DatasetError) as raised:
        load_dataset("mnist")
    assert "mnist/t10k-images-idx3-ubyte.gz" in str(raised.value)
    assert "secret-server-path" not in str(raised.value)
    assert "secret-server-path" in raised.value.details  # for the server's log


@pytest.mark.parametrize(("train", "test"), [(0, 0), (3, 0), (0, 2), (3, 2)])
def test_tiny_and_empty_data_sets_load(monkeypatch, tmp_path, train, test):
    fake_idx_folder(tmp_path / "data" / "mnist", train=train, test=test)
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    (x_train, y_train), (x_test, y_test), _ = load_dataset("mnist")
    assert (len(x_train), len(x_test)) == (train, test)


def damaged_folder(tmp_path, spoil) -> None:
    folder = tmp_path / "data" / "mnist"
    fake_idx_folder(folder, train=30, test=10)
    spoil(folder)


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda folder: (folder / IDX_FILES[0]).write_bytes(
                (folder / IDX_FILES[0]).read_bytes()[:200]
            ),
            "mnist/train-images-idx3-ubyte.gz: cut short or corrupt",
        ),
        (
            lambda folder: (folder / IDX_FILES[2]).write_bytes(b"\x1f\x8b" + b"not gzip"),
            "not a readable gzip file",
        ),
        (
            lambda folder: write_idx(folder / IDX_FILES[3], np.zeros(9, dtype=np.uint8)),
            "test files do not belong together: 10 images, 9 labels",
        ),
        (
            lambda folder: write_idx(folder / IDX_FILES[1], np.full(30, 12, dtype=np.uint8)),
            "labels run up to 12",
        ),
    ],
)
def test_the_home_panel_finds_damaged_files_without_loading_them(
    monkeypatch, tmp_path, spoil, message
):
    damaged_folder(tmp_path, spoil)
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    calls = []
    monkeypatch.setattr(data, "_load", lambda *args: calls.append(1))
    assert message in data.damage("mnist")
    assert calls == []  # found from headers, not by loading the data set


def test_whole_files_have_no_damage(monkeypatch, tmp_path, real_data_dir):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(real_data_dir))
    assert data.damage("mnist") is None and data.damage("fashion_mnist") is None
    assert data.damage("digits") is None
