"""MNIST-style preprocessing on synthetic images, checked against PIL, SciPy and real MNIST."""

import io
import struct
import tracemalloc
import zlib

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


def l_shape(top, left):
    """A thick L: its centre of mass sits low and left of its bounding box's centre."""
    gray = np.zeros((280, 280), dtype=np.float32)
    gray[top : top + 200, left : left + 40] = 1.0  # the upright
    gray[top + 160 : top + 200, left : left + 160] = 1.0  # the foot
    return gray


def triangle(top, left):
    """A right triangle, corner at bottom left: mass at 2/3 down and 1/3 across its box."""
    gray = np.zeros((280, 280), dtype=np.float32)
    gray[top : top + 150, left : left + 150] = np.tri(150, dtype=np.float32)
    return gray


@pytest.mark.parametrize(
    "gray", [l_shape(20, 30), l_shape(70, 100), triangle(5, 120)], ids=["L", "L-far", "triangle"]
)
def test_lopsided_ink_is_centred_by_mass_not_by_box(gray):
    """For lopsided ink the two centrings differ by pixels: only the mass lands on (14, 14)."""
    by_mass = ndimage.center_of_mass(preprocess(gray).model_input)
    by_box = ndimage.center_of_mass(
        preprocess(gray, PreprocessOptions(centre_of_mass=False)).model_input
    )
    assert abs(by_mass[0] - CENTRE) <= 1 and abs(by_mass[1] - CENTRE) <= 1
    assert max(abs(by_box[0] - CENTRE), abs(by_box[1] - CENTRE)) > 2  # the shape is lopsided


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


def test_dark_ink_on_transparency_is_flattened_onto_white():
    rgba = np.zeros((20, 20, 4), dtype=np.uint8)  # transparent black everywhere...
    rgba[5:15, 5:15, 3] = 255  # ...except an opaque black square
    gray = load_image(png_bytes(rgba))
    assert gray[0, 0] == pytest.approx(1.0) and gray[10, 10] == pytest.approx(0.0)


def test_white_strokes_on_transparency_are_flattened_onto_black():
    """What the canvas itself exports (white, alpha = ink) is read as ink, not as a white page."""
    rgba = np.zeros((280, 280, 4), dtype=np.uint8)
    rgba[..., :3] = 255
    rgba[40:240, 128:150, 3] = 255  # one vertical stroke
    gray = load_image(png_bytes(rgba))
    assert gray[0, 0] == pytest.approx(0.0) and gray[140, 140] == pytest.approx(1.0)
    result = preprocess(gray)
    assert not result.empty and not result.inverted
    assert ink_extent(result.model_input) == (20, 2)


def test_transparent_margin_continues_the_photos_own_paper():
    """Mostly opaque: a cut-out photo of dark ink on light paper keeps light paper all round."""
    rgba = np.full((100, 100, 4), 230, dtype=np.uint8)  # light grey paper, opaque
    rgba[30:70, 45:55, :3] = 20  # dark ink
    rgba[:10, :, 3] = 0  # a transparent strip along the top
    gray = load_image(png_bytes(rgba))
    assert gray[0, 50] == pytest.approx(230 / 255, abs=1e-3)
    assert preprocess(gray).inverted


def test_16_bit_png_keeps_its_grey_levels():
    """A 16-bit scan is scaled by 65535, not clipped to white as an 8-bit conversion would."""
    array = np.zeros((40, 40), dtype=np.uint16)
    array[10:30, 18:22] = 65535
    array[0, 0] = 32768
    gray = load_image(png_bytes(array))
    assert gray[20, 20] == pytest.approx(1.0) and gray[5, 5] == 0.0
    assert gray[0, 0] == pytest.approx(0.5, abs=1e-3)


def test_phone_photo_is_turned_upright_by_its_exif_orientation():
    """Orientation 6: stored sideways, shown turned 90 degrees clockwise; a bar on top goes right."""
    stored = np.zeros((40, 60), dtype=np.uint8)
    stored[:8] = 255  # a bright bar along the stored top edge
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    Image.fromarray(stored).save(buffer, format="JPEG", quality=95, exif=exif.tobytes())
    gray = load_image(buffer.getvalue())
    assert gray.shape == (60, 40)
    assert gray[:, -4:].mean() > 0.9 and gray[:, :30].mean() < 0.05


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


def jpeg_bytes(array, **options):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def with_chunk(png, kind, payload):
    """The PNG with one extra chunk (length, type, data, CRC) right after its IHDR header."""
    chunk = struct.pack(">I", len(payload)) + kind + payload
    chunk += struct.pack(">I", zlib.crc32(kind + payload))
    header_end = 8 + 25  # signature, then IHDR: length, type, 13 bytes, CRC
    return png[:header_end] + chunk + png[header_end:]


NOISE = np.random.default_rng(0).integers(0, 256, (64, 64), dtype=np.uint8)


@pytest.mark.parametrize("cut", [8, 16, 24, 28])
def test_png_cut_inside_its_header_is_refused(cut):
    """Pillow raises OSError("Truncated File Read") or gives up on the format, before any pixel."""
    with pytest.raises(ImageError, match="damaged or cut short"):
        load_image(png_bytes(NOISE)[:cut])


@pytest.mark.parametrize("cut", [6, 20, 150, 300])
def test_jpeg_cut_inside_its_header_is_refused(cut):
    with pytest.raises(ImageError, match="damaged or cut short"):
        load_image(jpeg_bytes(NOISE)[:cut])


def test_jpeg_cut_inside_a_big_colour_profile_is_refused():
    """A 30 kB ICC profile sits in the header: a cut anywhere in it fails while opening."""
    data = jpeg_bytes(np.stack([NOISE] * 3, axis=-1), icc_profile=bytes(30_000))
    for cut in range(100, 30_000, 997):
        with pytest.raises(ImageError, match="damaged or cut short"):
            load_image(data[:cut])


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_every_cut_short_file_is_refused_with_an_image_error(kind):
    """Each prefix of a small image is an ImageError, never another exception; the only
    prefixes that still decode lack just a PNG's last 20 bytes (checksums and end marker)."""
    data = png_bytes(NOISE[:16, :16]) if kind == "PNG" else jpeg_bytes(NOISE[:16, :16])
    decoded = []
    for cut in range(1, len(data)):
        try:
            load_image(data[:cut])
            decoded.append(cut)
        except ImageError:
            pass
    assert all(cut >= len(data) - 20 for cut in decoded)
    assert kind == "PNG" or decoded == []


@pytest.mark.parametrize("kind", [b"zTXt", b"iCCP"])
def test_chunk_that_unpacks_to_megabytes_is_refused_as_a_bomb(kind):
    """5 MB of text (or colour profile) squeezed into a few kB of zlib, hidden in a tiny PNG."""
    payload = b"comment\0\0" + zlib.compress(b"a" * 5_000_000, 9)
    data = with_chunk(png_bytes(NOISE), kind, payload)
    assert len(data) < 20_000
    with pytest.raises(ImageError, match="decompression bomb"):
        load_image(data)


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


def test_a_one_pixel_strip_within_the_area_is_refused_by_its_side():
    """1 x 25 000 000 pixels fits the 25-megapixel cap but cost 464 MB and 3 s to decode."""
    data = png_bytes(np.zeros((1, 25_000_000), dtype=np.uint8))
    assert len(data) < 100_000
    tracemalloc.start()
    with pytest.raises(ImageError, match="at most 10,000 pixels a side"):
        load_image(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000  # refused from the header, before a pixel is unpacked


def test_a_shrunk_photo_keeps_its_size_to_be_told():
    """Issue 15: a 600 x 800 photo is worked on at 420 x 560; its own size is kept too."""
    from core.preprocess import load_photo

    photo = load_photo(png_bytes(np.zeros((800, 600), dtype=np.uint8)))
    assert photo.original_size == (600, 800) and photo.gray.shape == (560, 420)
    assert photo.shrunk
    assert not load_photo(png_bytes(np.zeros((100, 50), dtype=np.uint8))).shrunk


def test_drawing_warnings_name_a_dot_a_tiny_drawing_and_pieces_apart():
    """Issue 15: the cases the model reads badly each get their sentence; a stroke none."""
    from core.preprocess import drawing_warnings

    def ink(*boxes):
        canvas = np.zeros((280, 280), dtype=np.float32)
        for top, bottom, left, right in boxes:
            canvas[top:bottom, left:right] = 1
        return canvas

    [dot] = drawing_warnings(ink((130, 150, 130, 150)))
    assert dot.startswith("Very little ink")
    [tiny] = drawing_warnings(ink((120, 160, 125, 130), (120, 125, 110, 130), (155, 160, 110, 130)))
    assert tiny.startswith("The drawing is small (20 x 40 px")
    [apart] = drawing_warnings(ink((10, 90, 10, 25), (190, 270, 255, 270)))
    assert apart.startswith("The ink is in pieces far apart")
    assert drawing_warnings(ink((40, 240, 128, 150))) == []
    assert drawing_warnings(ink((40, 140, 100, 115), (140, 240, 100, 115))) == []  # one piece
    assert drawing_warnings(np.zeros((280, 280), dtype=np.float32)) == []
