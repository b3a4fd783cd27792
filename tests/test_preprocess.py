"""MNIST-style preprocessing on synthetic images, checked against PIL, SciPy and real MNIST."""

import io

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from core.preprocess import (
    ImageError,
    PreprocessOptions,
    centre_of_mass,
    from_dataset_image,
    grayscale_from_rgba,
    isolate_ink,
    load_image,
    paste_centred,
    preprocess,
    resize_longest_side,
    should_invert,
)

CENTRE = 14.0  # where MNIST digits have their centre of mass


def canvas_with_blob(top, left, height, width, side=280):
    """A black canvas with one white rectangle, as brightness in [0, 1]."""
    gray = np.zeros((side, side), dtype=np.float32)
    gray[top : top + height, left : left + width] = 1.0
    return gray


def png_bytes(array, mode=None):
    buffer = io.BytesIO()
    Image.fromarray(array, mode=mode).save(buffer, format="PNG")
    return buffer.getvalue()


def ink_extent(image):
    rows = np.flatnonzero(image.any(axis=1))
    columns = np.flatnonzero(image.any(axis=0))
    return rows[-1] - rows[0] + 1, columns[-1] - columns[0] + 1


def test_grayscale_matches_pil_luminance():
    """RGB to brightness agrees with PIL's own "L" conversion within one grey level."""
    rgb = np.random.default_rng(0).integers(0, 256, size=(40, 30, 3), dtype=np.uint8)
    expected = np.asarray(Image.fromarray(rgb).convert("L"), dtype=np.float32) / 255
    assert np.allclose(grayscale_from_rgba(rgb), expected, atol=1.5 / 255)


def test_grayscale_composites_transparent_pixels_on_black():
    """The canvas sends a transparent background: alpha 0 must read as black, alpha 255 as is."""
    rgba = np.zeros((4, 4, 4), dtype=np.uint8)
    rgba[..., :3] = 255
    rgba[:2, :, 3] = 255  # top half opaque white, bottom half transparent white
    gray = grayscale_from_rgba(rgba)
    assert np.allclose(gray[:2], 1.0, atol=1e-3)
    assert np.allclose(gray[2:], 0.0)


@pytest.mark.parametrize("shape", [(5,), (4, 4, 2), (0, 3, 4)])
def test_grayscale_refuses_other_shapes(shape):
    with pytest.raises(ValueError, match="shape|no pixels"):
        grayscale_from_rgba(np.zeros(shape, dtype=np.uint8))


@pytest.mark.parametrize(
    "top, left, height, width",
    [(10, 10, 60, 25), (200, 220, 70, 50), (0, 150, 150, 20), (120, 5, 20, 200)],
)
def test_off_centre_blob_ends_centred(top, left, height, width):
    """Wherever the ink is drawn, its centre of mass lands within 1 px of the middle."""
    result = preprocess(canvas_with_blob(top, left, height, width))
    row, column = ndimage.center_of_mass(result.model_input)  # SciPy as the reference
    assert abs(row - CENTRE) <= 1 and abs(column - CENTRE) <= 1
    assert result.model_input.shape == (28, 28)
    assert result.model_input.dtype == np.float32
    assert result.model_input.min() >= 0 and result.model_input.max() <= 1


def test_centre_of_mass_matches_scipy():
    image = np.random.default_rng(1).random((13, 21)).astype(np.float32)
    assert np.allclose(centre_of_mass(image), ndimage.center_of_mass(image), atol=1e-5)


def test_longest_side_becomes_20_keeping_the_aspect_ratio():
    """A 160 x 40 stroke becomes 20 x 5: longest side 20 px, ratio 4:1 kept."""
    result = preprocess(canvas_with_blob(50, 100, 160, 40))
    assert ink_extent(result.model_input) == (20, 5)


def test_without_fit_to_20_the_ink_fills_the_field():
    options = PreprocessOptions(fit_to_20=False)
    result = preprocess(canvas_with_blob(50, 100, 160, 40), options)
    assert ink_extent(result.model_input)[0] == 28


def test_without_crop_a_small_drawing_stays_small():
    """The reason small drawings fail: uncropped, 40 px of 280 px shrinks to 3 px (5 with blur)."""
    gray = canvas_with_blob(100, 100, 40, 40)
    cropped = preprocess(gray)
    uncropped = preprocess(gray, PreprocessOptions(crop=False))
    assert ink_extent(cropped.model_input) == (20, 20)
    assert ink_extent(uncropped.model_input)[0] <= 5
    assert "cropped" not in [stage.name for stage in uncropped.stages]


def test_without_centring_an_off_centre_drawing_stays_off_centre():
    gray = canvas_with_blob(0, 0, 60, 60)  # top-left corner of the canvas
    options = PreprocessOptions(crop=False, centre_of_mass=False)
    row, column = ndimage.center_of_mass(preprocess(gray, options).model_input)
    assert row < 10 and column < 10


def test_box_centring_puts_the_bounding_box_in_the_middle():
    small = np.zeros((20, 10), dtype=np.float32)
    small[:, :2] = 1.0  # ink all on the left: mass and box centres differ
    field = paste_centred(small, by_mass=False)
    assert ink_extent(field) == (20, 2)
    assert np.flatnonzero(field.any(axis=1))[0] == 4  # (28 - 20) / 2 rows above
    assert np.flatnonzero(field.any(axis=0))[0] == 9  # (28 - 10) // 2 columns left


def test_centring_never_pushes_ink_out_of_the_field():
    small = np.zeros((20, 20), dtype=np.float32)
    small[-1, -1] = 1.0  # all mass in a corner: the full shift would cut the box
    field = paste_centred(small, by_mass=True)
    assert field.sum() == pytest.approx(1.0)


def test_scale_to_unit_off_gives_raw_brightness():
    gray = canvas_with_blob(50, 50, 100, 100)
    raw = preprocess(gray, PreprocessOptions(scale_to_unit=False)).model_input
    scaled = preprocess(gray).model_input
    assert np.allclose(raw, scaled * 255)


def test_empty_image_is_reported_empty():
    result = preprocess(np.zeros((280, 280), dtype=np.float32))
    assert result.empty and result.model_input is None
    assert "no ink" in result.message


def test_faint_noise_alone_is_not_ink():
    """Paper texture below the ink threshold is dropped, so it is no digit."""
    gray = np.full((100, 100), 0.5, dtype=np.float32)
    gray[40:60, 40:60] = 0.55  # a smudge 5 % brighter than the paper would stretch to 1...
    gray[0, 0] = 1.0  # ...unless a brighter speck defines the ink level
    result = preprocess(gray)
    assert not result.empty  # the speck is ink
    assert ink_extent(result.stages[1].image) == (1, 1)


def test_dark_ink_on_light_paper_is_inverted_automatically():
    paper = 1.0 - canvas_with_blob(40, 40, 100, 30)  # black stroke on white paper
    result = preprocess(paper)
    assert result.inverted
    assert np.allclose(result.model_input, preprocess(1.0 - paper).model_input)


def test_invert_never_reads_dark_ink_on_light_paper_as_nothing():
    """Without inversion the paper is the brightest: the ink is darker, so no ink is found."""
    paper = 1.0 - canvas_with_blob(40, 40, 100, 30)
    result = preprocess(paper, PreprocessOptions(invert="never"))
    assert not result.inverted and result.empty


def test_invert_choice_is_validated():
    with pytest.raises(ValueError, match="invert must be one of"):
        should_invert(np.zeros((5, 5)), "sometimes")


def test_isolate_ink_stretches_paper_to_zero_and_peak_to_one():
    gray = np.full((10, 10), 0.3, dtype=np.float32)
    gray[4:6, 4:6] = 0.8
    ink = isolate_ink(gray, threshold=0.2)
    assert ink.min() == 0 and ink.max() == pytest.approx(1.0)
    assert ink[0, 0] == 0


def test_resize_keeps_mean_brightness():
    """Antialiased downscaling averages: a half-grey block stays half grey."""
    image = np.full((200, 100), 0.5, dtype=np.float32)
    small = resize_longest_side(image, 20)
    assert small.shape == (20, 10)
    assert np.allclose(small, 0.5, atol=1e-3)


def test_real_mnist_digits_come_back_almost_unchanged(real_data_dir, monkeypatch):
    """An MNIST digit is already normalised: enlarged 10x like a canvas, the pipeline returns it.

    The agreement is a correlation, not equality: MNIST's own boxes were 20 px before antialiasing.
    """
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(real_data_dir))
    from core.data import load_dataset

    _, (x_test, _), _ = load_dataset("mnist")
    correlations = []
    for image in x_test[:40]:
        canvas = np.kron(image.astype(np.float32) / 255, np.ones((10, 10), dtype=np.float32))
        result = preprocess(canvas)
        correlations.append(np.corrcoef(result.model_input.ravel(), image.ravel())[0, 1])
    assert np.median(correlations) > 0.85


def test_dataset_image_goes_in_as_is():
    image = np.arange(784, dtype=np.uint8).reshape(28, 28)
    result = from_dataset_image(image)
    assert np.allclose(result.model_input, image / 255)
    with pytest.raises(ValueError, match="28x28"):
        from_dataset_image(np.zeros((8, 8)))


# --- uploads ----------------------------------------------------------------------------


def test_png_upload_round_trip():
    array = (canvas_with_blob(10, 20, 30, 40, side=64) * 255).astype(np.uint8)
    assert np.allclose(load_image(png_bytes(array)), array / 255)


def test_jpeg_upload_in_colour_is_read_as_grey():
    rgb = np.zeros((64, 64, 3), dtype=np.uint8)
    rgb[16:48, 16:48] = (255, 0, 0)  # pure red is 0.299 bright
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=95)
    gray = load_image(buffer.getvalue())
    assert gray.shape == (64, 64)
    assert gray[32, 32] == pytest.approx(0.299, abs=0.03)


def test_transparent_png_is_flattened_onto_white():
    rgba = np.zeros((20, 20, 4), dtype=np.uint8)  # transparent black everywhere...
    rgba[5:15, 5:15, 3] = 255  # ...except an opaque black square
    gray = load_image(png_bytes(rgba))
    assert gray[0, 0] == pytest.approx(1.0) and gray[10, 10] == pytest.approx(0.0)


def test_big_photo_is_shrunk_to_the_working_size():
    array = np.zeros((1200, 900), dtype=np.uint8)
    assert max(load_image(png_bytes(array)).shape) == 560


def test_non_image_renamed_png_is_refused():
    with pytest.raises(ImageError, match="not a PNG or JPEG"):
        load_image(b"%PDF-1.7 this is a document, not a picture")


def test_truncated_png_is_refused():
    data = png_bytes(np.random.default_rng(0).integers(0, 256, (200, 200), dtype=np.uint8))
    with pytest.raises(ImageError, match="damaged or cut short"):
        load_image(data[: len(data) // 2])


def test_empty_file_is_refused():
    with pytest.raises(ImageError, match="empty"):
        load_image(b"")


def test_file_over_the_byte_limit_is_refused_before_decoding():
    with pytest.raises(ImageError, match="MB"):
        load_image(png_bytes(np.zeros((10, 10), dtype=np.uint8)), max_bytes=20)


def test_decompression_bomb_is_refused():
    """A 6000 x 6000 black PNG compresses to ~35 kB but would unpack to 36 MB of pixels."""
    data = png_bytes(np.zeros((6000, 6000), dtype=np.uint8))
    assert len(data) < 100_000
    with pytest.raises(ImageError, match="megapixels"):
        load_image(data)


def test_one_colour_upload_has_no_ink():
    result = preprocess(load_image(png_bytes(np.full((50, 50), 200, dtype=np.uint8))))
    assert result.empty and "single colour" in result.message
