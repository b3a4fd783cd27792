"""The IDX reader accepts real files and names the file in every refusal."""

import gzip
import tracemalloc

import numpy as np
import pytest

from core.idx import IdxError, parse_idx, read_idx, write_idx


def test_round_trip_keeps_shape_and_values(tmp_path):
    images = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    write_idx(tmp_path / "images.gz", images)
    loaded = read_idx(tmp_path / "images.gz")
    assert loaded.shape == (2, 28, 28)
    np.testing.assert_array_equal(loaded, images)
    assert not loaded.flags.writeable


def test_real_mnist_header(real_data_dir):
    labels = read_idx(real_data_dir / "mnist" / "t10k-labels-idx1-ubyte.gz")
    assert labels.shape == (10_000,)
    assert labels[:5].tolist() == [7, 2, 1, 0, 4]  # the first test digits everyone sees


def test_bad_magic_is_named():
    with pytest.raises(IdxError, match=r"bad\.gz: bad magic number"):
        parse_idx(b"\x1f\x8b\x08\x01" + bytes(8), name="bad.gz")


def test_wrong_type_code():
    with pytest.raises(IdxError, match="type code 0x0d"):
        parse_idx(bytes([0, 0, 0x0D, 1, 0, 0, 0, 1, 7]))


def test_header_longer_than_data_is_truncation(tmp_path):
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(bytes([0, 0, 8, 1]) + (100).to_bytes(4, "big") + bytes(60))
    with pytest.raises(IdxError, match=r"t10k-labels-idx1-ubyte\.gz.*truncated"):
        read_idx(path)


def test_cut_off_gzip_names_file(tmp_path):
    whole = tmp_path / "whole.gz"
    write_idx(whole, np.zeros((50, 28, 28), dtype=np.uint8))
    cut = tmp_path / "train-images-idx3-ubyte.gz"
    cut.write_bytes(whole.read_bytes()[:40])
    with pytest.raises(IdxError, match=r"train-images-idx3-ubyte\.gz: not a complete gzip"):
        read_idx(cut)


def test_plain_text_file_is_refused(tmp_path):
    path = tmp_path / "notes.gz"
    path.write_text("not gzip at all")
    with pytest.raises(IdxError, match="notes.gz"):
        read_idx(path)


def test_missing_file(tmp_path):
    with pytest.raises(IdxError, match="file not found"):
        read_idx(tmp_path / "nothing.gz")


def gzip_file(path, *chunks: bytes) -> None:
    with gzip.open(path, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)


def test_a_file_inflating_past_its_header_is_refused_without_reading_it_all(tmp_path):
    """Ten 28x28 images declared, 300 MB of zeros after them: the reader stops at the
    declared size, so memory stays small however much the file would inflate to."""
    path = tmp_path / "bomb-images-idx3-ubyte.gz"
    header = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in (10, 28, 28))
    gzip_file(path, header, *([bytes(10_000_000)] * 30))
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    with pytest.raises(IdxError, match="longer than its header says"):
        read_idx(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20_000_000


def test_a_header_declaring_more_than_any_data_set_is_refused(tmp_path):
    path = tmp_path / "huge-images-idx3-ubyte.gz"
    header = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in (10**8, 28, 28))
    gzip_file(path, header)
    with pytest.raises(IdxError, match="declares 78,400 MB of data"):
        read_idx(path)


def test_an_empty_set_of_images_is_a_valid_file(tmp_path):
    path = tmp_path / "empty-images-idx3-ubyte.gz"
    write_idx(path, np.zeros((0, 28, 28), dtype=np.uint8))
    assert read_idx(path).shape == (0, 28, 28)
