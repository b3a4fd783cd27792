"""Turn a drawing or a photo into the 28x28 input an MNIST model expects, one visible stage at a time.

MNIST digits were written on paper, scanned, then normalised: the ink was cut to its
bounding box, scaled so its longest side is 20 px (keeping the aspect ratio), and
pasted into a 28x28 field so that its centre of mass sits in the middle. A model
trained on that has only ever seen centred, 20 px, white-on-black digits, which is
why a small or off-centre drawing fails. Each step can be switched off to see it.

    from core.preprocess import preprocess, grayscale_from_rgba
    result = preprocess(grayscale_from_rgba(canvas_rgba))
    result.model_input        # (28, 28) float32 in [0, 1], or None when there is no ink
    [stage.name for stage in result.stages]
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

SIDE = 28  # the model input is SIDE x SIDE
MAX_UPLOAD_BYTES = 5_000_000  # an image upload bigger than this is refused before decoding
MAX_UPLOAD_PIXELS = 25_000_000  # width x height above this is a decompression bomb, not a photo
MAX_UPLOAD_SIDE = 10_000  # a 1 x 25 000 000 strip fits the area, and still costs 464 MB to decode
WORKING_SIDE = 560  # big photos are shrunk to this longest side first: 20 px is the goal anyway
INVERT_CHOICES = ("auto", "always", "never")
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # the first bytes of PNG and JPEG
ORIENTATION_TAG, SIDEWAYS_ORIENTATIONS = 0x0112, (5, 6, 7, 8)  # EXIF: stored turned a quarter


@dataclass(frozen=True)
class PreprocessOptions:
    invert: str = "auto"  # auto: flip dark-on-light images to MNIST's white-on-black; always; never
    crop: bool = True  # cut to the ink's bounding box, so position and empty paper stop mattering
    fit_to_20: bool = True  # longest side to 20 px (MNIST's 4 px margin) instead of all 28 px
    centre_of_mass: bool = True  # centre the ink's centre of mass; off: centre its box
    scale_to_unit: bool = True  # values in [0, 1] as in training; off: raw 0..255 brightness
    ink_threshold: float = 0.2  # brightness (0..1, above the paper) from which a pixel is ink


@dataclass(frozen=True)
class Stage:
    name: str  # what a student reads under the picture
    image: np.ndarray  # 2-D floats in [0, 1], white = ink after the "ink" stage
    note: str  # one line: what this step did


@dataclass(frozen=True)
class Preprocessed:
    stages: tuple[Stage, ...]  # every intermediate picture, in order
    model_input: np.ndarray | None  # (28, 28) float32, None when no ink was found
    inverted: bool  # whether dark-on-light was flipped
    message: str  # why there is no model input, or "" when there is one

    @property
    def empty(self) -> bool:
        return self.model_input is None


class ImageError(ValueError):
    """An upload that is not a usable image; the message says what is wrong."""


# --- reading pictures -------------------------------------------------------------------


def grayscale_from_rgba(pixels: np.ndarray) -> np.ndarray:
    """Brightness in [0, 1] of an (H, W), (H, W, 3) or (H, W, 4) uint8 image, composited on black.

    Luminance is ITU-R 601 (0.299 R + 0.587 G + 0.114 B, what PIL's "L" uses); alpha
    multiplies it, because the canvas sends a transparent background with opaque strokes.
    """
    array = np.asarray(pixels)
    if array.ndim == 2:
        rgb, alpha = array[..., None].astype(np.float32), None
    elif array.ndim == 3 and array.shape[2] in (3, 4):
        rgb = array[..., :3].astype(np.float32)
        alpha = array[..., 3].astype(np.float32) / 255.0 if array.shape[2] == 4 else None
    else:
        raise ValueError(
            f"expected an image of shape (H, W), (H, W, 3) or (H, W, 4), got {array.shape}"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"the image has no pixels (shape {array.shape})")
    if rgb.shape[2] == 3:
        gray = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    else:
        gray = rgb[..., 0]
    gray = gray / 255.0
    return (gray * alpha if alpha is not None else gray).astype(np.float32)


@dataclass(frozen=True)
class Photo:
    gray: np.ndarray  # brightness in [0, 1], at most WORKING_SIDE px a side, upright
    original_size: tuple[int, int]  # (width, height) of the file, upright, before shrinking

    @property
    def shrunk(self) -> bool:
        return self.original_size != (self.gray.shape[1], self.gray.shape[0])


def load_image(
    data: bytes,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_pixels: int = MAX_UPLOAD_PIXELS,
) -> np.ndarray:
    """Decode PNG or JPEG bytes into brightness in [0, 1] (see load_photo)."""
    return load_photo(data, max_bytes, max_pixels).gray


def load_photo(
    data: bytes,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_pixels: int = MAX_UPLOAD_PIXELS,
) -> Photo:
    """Decode PNG or JPEG bytes into brightness in [0, 1], at most WORKING_SIDE px a side,
    with the size the file had (a student is told when it was shrunk).

    The size on disk is checked before decoding and width x height from the header
    before any pixel is unpacked, so a small file that would expand to gigabytes
    (a decompression bomb) is refused without using the memory. Whatever Pillow
    raises on a cut-short or crafted file becomes an ImageError that says so.
    """
    if len(data) == 0:
        raise ImageError("the file is empty")
    if len(data) > max_bytes:
        raise ImageError(
            f"the file is {len(data) / 1e6:.1f} MB; images up to {max_bytes / 1e6:.0f} MB are accepted"
        )
    try:
        image = Image.open(io.BytesIO(data), formats=["PNG", "JPEG"])
    except UnidentifiedImageError:
        if data.startswith(IMAGE_SIGNATURES):  # Pillow's plugin gave up inside the header
            raise ImageError(
                "the file starts like a PNG or JPEG, but its header is damaged or cut short"
            ) from None
        raise ImageError("this is not a PNG or JPEG image (is it another file renamed?)") from None
    except Image.DecompressionBombError:
        raise ImageError(
            "the image claims to be enormous: refused as a decompression bomb"
        ) from None
    except DECODE_ERRORS as error:  # the header itself is cut short or malformed
        raise ImageError(_unreadable(error)) from None
    width, height = image.size
    if max(width, height) > MAX_UPLOAD_SIDE:
        raise ImageError(
            f"the image is {width} x {height} pixels; at most {MAX_UPLOAD_SIDE:,} pixels a "
            "side are accepted"
        )
    if width * height > max_pixels:
        raise ImageError(
            f"the image is {width} x {height} pixels; at most {max_pixels / 1e6:.0f} megapixels "
            "are accepted"
        )
    try:
        rotated = image.getexif().get(ORIENTATION_TAG, 1) in SIDEWAYS_ORIENTATIONS
        original = (height, width) if rotated else (width, height)
        image.draft("L", (WORKING_SIDE, WORKING_SIDE))  # JPEG: decode at reduced size directly
        image.load()
        return Photo(_brightness(image), original)
    except DECODE_ERRORS as error:  # the pixel data is cut short or malformed
        raise ImageError(_unreadable(error)) from None


# What Pillow raises on damaged files: OSError("Truncated File Read"), SyntaxError("broken
# PNG file"), ValueError("Decompressed data too large") for a text or ICC chunk bomb, ...
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


def _unreadable(error: Exception) -> str:
    if isinstance(error, ValueError) and "too large" in str(error).lower():
        return "a chunk of the file unpacks to far too much data: refused as a decompression bomb"
    return f"the image data is damaged or cut short ({error})"


def _brightness(image: Image.Image) -> np.ndarray:
    """A loaded image as brightness in [0, 1], shrunk to the working size and turned upright."""
    if image.mode.startswith("I"):  # 16-bit greyscale PNG: 0..65535, which "L" would clip
        image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.BILINEAR)
        image = ImageOps.exif_transpose(image)
        return np.clip(np.asarray(image, dtype=np.float32) / 65535.0, 0.0, 1.0)
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("LA" if transparent else "L")
    image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.BILINEAR)  # premultiplied
    image = ImageOps.exif_transpose(image)  # phones store photos sideways plus a rotation tag
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    if not transparent:
        return pixels
    brightness, alpha = pixels[..., 0], pixels[..., 1]
    paper = transparent_paper(brightness, alpha)
    return (brightness * alpha + paper * (1.0 - alpha)).astype(np.float32)


def transparent_paper(brightness: np.ndarray, alpha: np.ndarray) -> float:
    """The brightness to show through transparent pixels so that the ink stays visible.

    Drawing apps (this page's canvas too) export strokes on a transparent background:
    when most of the picture is transparent, the transparency is the paper and takes
    the opposite of the ink's brightness (black behind white strokes, white behind
    dark ones). When most of it is opaque, the picture has its own paper (a photo
    with a cut-out margin) and the transparency continues that paper.
    """
    coverage = float(alpha.mean())
    if coverage == 0.0:
        return 1.0  # nothing visible at all: a blank white page
    if coverage <= 0.5:
        ink = float((brightness * alpha).sum() / alpha.sum())
        return 0.0 if ink > 0.5 else 1.0
    return float(np.median(brightness[alpha >= 0.5]))


# --- the MNIST normalisation, one step per function -------------------------------------


def paper_level(gray: np.ndarray) -> float:
    """Brightness of the paper: the median of the border pixels, where nobody writes."""
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return float(np.median(border))


def should_invert(gray: np.ndarray, invert: str = "auto") -> bool:
    """MNIST is white ink on black: a light paper (dark ink) must be flipped."""
    if invert not in INVERT_CHOICES:
        raise ValueError(f"invert must be one of {', '.join(INVERT_CHOICES)}, got {invert!r}")
    if invert == "auto":
        return paper_level(gray) > 0.5
    return invert == "always"


def isolate_ink(gray: np.ndarray, threshold: float) -> np.ndarray:
    """Paper to 0 and the brightest ink to 1; anything fainter than `threshold` becomes paper.

    Stretching by (x - paper) / (peak - paper) makes a grey pencil on grey paper look
    like MNIST's pure strokes; the threshold removes paper texture and JPEG noise.
    """
    paper = paper_level(gray)
    peak = float(gray.max())
    if peak - paper < 1e-6:
        return np.zeros_like(gray)
    stretched = np.clip((gray - paper) / (peak - paper), 0.0, 1.0)
    stretched[stretched < threshold] = 0.0
    return stretched.astype(np.float32)


def ink_box(ink: np.ndarray) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the pixels with ink, bottom/right exclusive; None if none."""
    rows = np.flatnonzero(ink.any(axis=1))
    columns = np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(rows[-1]) + 1, int(columns[0]), int(columns[-1]) + 1


def resize_longest_side(image: np.ndarray, longest: int) -> np.ndarray:
    """Scale so the longest side is `longest` px, keeping the aspect ratio (antialiased)."""
    height, width = image.shape
    factor = longest / max(height, width)
    size = (max(1, round(width * factor)), max(1, round(height * factor)))  # PIL: (w, h)
    resized = Image.fromarray(image.astype(np.float32)).resize(size, Image.Resampling.BILINEAR)
    return np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the brightness-weighted mean pixel position."""
    total = float(image.sum())
    if total <= 0:
        raise ValueError("an image with no ink has no centre of mass")
    rows, columns = np.indices(image.shape)
    return float((rows * image).sum() / total), float((columns * image).sum() / total)


def paste_centred(small: np.ndarray, by_mass: bool, side: int = SIDE) -> np.ndarray:
    """Paste `small` into a side x side black field, its centre of mass (or box) in the middle.

    Shifts are whole pixels, as in MNIST; they are limited so no ink leaves the field.
    """
    height, width = small.shape
    if height > side or width > side:
        raise ValueError(f"a {height}x{width} picture does not fit in {side}x{side}")
    middle = side / 2  # 14.0, where MNIST's digits have it (their mean is 14.0 +- 0.3)
    if by_mass:
        row, column = centre_of_mass(small)
        top, left = round(middle - row), round(middle - column)
    else:
        top, left = (side - height) // 2, (side - width) // 2
    top = min(max(top, 0), side - height)
    left = min(max(left, 0), side - width)
    field = np.zeros((side, side), dtype=np.float32)
    field[top : top + height, left : left + width] = small
    return field


def preprocess(
    gray: np.ndarray,
    options: PreprocessOptions | None = None,
    shrunk_from: tuple[int, int] | None = None,
) -> Preprocessed:
    """All steps on a brightness image in [0, 1]; each stage is kept to be shown.

    shrunk_from: the (width, height) of a photo before load_photo shrank it, to say so.
    """
    options = options or PreprocessOptions()
    gray = np.asarray(gray, dtype=np.float32)
    if gray.ndim != 2 or gray.size == 0:
        raise ValueError(f"expected a 2-D brightness image, got shape {gray.shape}")
    if not 0 < options.ink_threshold < 1:
        raise ValueError(f"ink_threshold must be between 0 and 1, got {options.ink_threshold}")
    size = f"{gray.shape[1]} x {gray.shape[0]} px"
    if shrunk_from is not None and shrunk_from != (gray.shape[1], gray.shape[0]):
        size = f"{shrunk_from[0]} x {shrunk_from[1]} px, shrunk to {size}"
    stages = [Stage("your image", gray, f"{size}, grayscale")]
    inverted = should_invert(gray, options.invert)
    if inverted:
        gray = 1.0 - gray
    ink = isolate_ink(gray, options.ink_threshold)
    flipped = "inverted to white on black, " if inverted else ""
    stages.append(Stage("ink", ink, f"{flipped}paper set to 0, faint pixels dropped"))
    box = ink_box(ink)
    if box is None:
        message = (
            "The image is a single colour: there is no ink to read."
            if float(np.ptp(gray)) < 1e-6
            else "No ink found: nothing stands out from the paper."
        )
        return Preprocessed(tuple(stages), None, inverted, message)
    top, bottom, left, right = box
    if options.crop:
        ink = ink[top:bottom, left:right]
        stages.append(
            Stage("cropped", ink, f"bounding box of the ink, {right - left} x {bottom - top} px")
        )
    longest = 20 if options.fit_to_20 else SIDE
    small = resize_longest_side(ink, longest)
    stages.append(
        Stage(
            "resized", small, f"longest side {longest} px, {small.shape[1]} x {small.shape[0]} px"
        )
    )
    field = paste_centred(small, options.centre_of_mass)
    how = "centre of mass" if options.centre_of_mass else "bounding box"
    scale = "values 0..1" if options.scale_to_unit else "values 0..255 (not rescaled)"
    stages.append(Stage("model input", field, f"28 x 28, {how} in the middle, {scale}"))
    model_input = field if options.scale_to_unit else field * 255.0
    return Preprocessed(tuple(stages), model_input.astype(np.float32), inverted, "")


def from_dataset_image(image: np.ndarray) -> Preprocessed:
    """A data set image is already normalised: the model input is the image / 255, no steps."""
    array = np.asarray(image)
    if array.shape != (SIDE, SIDE):
        raise ValueError(f"expected a {SIDE}x{SIDE} data set image, got shape {array.shape}")
    scaled = array.astype(np.float32) / 255.0
    stage = Stage("model input", scaled, "a test image: already 28 x 28 and centred")
    return Preprocessed((stage,), scaled, False, "")


# --- what a drawing's ink says about how it will be read ----------------------------------

LITTLE_INK = 0.002  # ink on less of the canvas than this: a speck, not a digit
SMALL_DRAWING = 0.3  # a drawing whose longest side spans less of the canvas than this
APART = 0.25  # pieces of ink further apart than this fraction of the canvas
PIECE_SHARE = 0.1  # a piece with less of the ink than this is a speck, not a piece
CELL = 10  # px: pieces are found on a grid of cells this big (one brush width joins them)


def drawing_warnings(ink: np.ndarray) -> list[str]:
    """Sentences about a drawing the model will read badly, from its isolated ink (the
    "ink" stage, full size): too little ink (a dot), too small, or pieces far apart. The
    prediction is still shown: these say why not to trust it."""
    height, width = ink.shape
    inked = ink > 0
    area = int(inked.sum())
    if area == 0:
        return []
    top, bottom, left, right = ink_box(ink)
    longest = max(bottom - top, right - left)
    span = longest / min(height, width)
    # A dot fills its box (a disc: 79 %); a digit's strokes, however small, leave holes.
    if area / inked.size < LITTLE_INK or (span < SMALL_DRAWING and area > 0.6 * longest**2):
        return [
            f"Very little ink ({area / inked.size:.1%} of the canvas, a {right - left} x "
            f"{bottom - top} px spot): a dot is not a digit, yet the model must still name "
            "one. Draw a whole digit."
        ]
    warnings = []
    if span < SMALL_DRAWING:
        warnings.append(
            f"The drawing is small ({right - left} x {bottom - top} px on a {width} x "
            f"{height} px canvas): scaled up to 20 px its strokes thicken into a blob. "
            "Draw it bigger."
        )
    gap = largest_gap(inked) / min(height, width)
    if gap > APART:
        warnings.append(
            f"The ink is in pieces far apart ({gap:.0%} of the canvas between them): the "
            "model reads them as one digit squeezed into 20 px. Draw one digit in one place."
        )
    return warnings


def largest_gap(inked: np.ndarray) -> float:
    """Pixels between the two furthest-apart pieces of ink (0 for one piece)."""
    rows, columns = -(-inked.shape[0] // CELL), -(-inked.shape[1] // CELL)
    padded = np.zeros((rows * CELL, columns * CELL), dtype=bool)
    padded[: inked.shape[0], : inked.shape[1]] = inked
    cells = padded.reshape(rows, CELL, columns, CELL).sum(axis=(1, 3))
    pieces = [
        piece
        for piece in _pieces(cells > 0)
        if cells[tuple(piece.T)].sum() >= PIECE_SHARE * cells.sum()
    ]
    gaps = [
        _box_gap(first, second)
        for index, first in enumerate(pieces)
        for second in pieces[index + 1 :]
    ]
    return max(gaps, default=0.0) * CELL


def _pieces(occupied: np.ndarray) -> list[np.ndarray]:
    """The 8-connected groups of occupied cells, each as an (n, 2) array of (row, column)."""
    seen = np.zeros_like(occupied)
    pieces = []
    for start in zip(*np.nonzero(occupied)):
        if seen[start]:
            continue
        seen[start] = True
        stack, piece = [start], []
        while stack:
            row, column = stack.pop()
            piece.append((row, column))
            for near in ((row + dr, column + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)):
                if (
                    0 <= near[0] < occupied.shape[0]
                    and 0 <= near[1] < occupied.shape[1]
                    and occupied[near]
                    and not seen[near]
                ):
                    seen[near] = True
                    stack.append(near)
        pieces.append(np.array(piece))
    return pieces


def _box_gap(first: np.ndarray, second: np.ndarray) -> float:
    """Cells between the bounding boxes of two pieces (0 when they overlap in both axes)."""
    gaps = [
        max(0, second[:, axis].min() - first[:, axis].max() - 1,
            first[:, axis].min() - second[:, axis].max() - 1)
        for axis in (0, 1)
    ]  # fmt: skip
    return float(np.hypot(*gaps))
