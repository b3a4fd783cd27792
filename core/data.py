"""Data sets: where they come from, and loading them once per process.

    (x_train, y_train), (x_test, y_test), info = load_dataset("fashion_mnist")

Images are uint8 arrays of shape (N, 28, 28), labels int64 arrays of shape (N,).
Sources are tried in this order, first hit wins:

1. the folder named by $DASHBOARD_DATA_DIR (``<dir>/mnist/*.gz``,
   ``<dir>/fashion-mnist/*.gz``, the original IDX file names);
2. Debian's ``dataset-fashion-mnist`` package in /usr/share/datasets/fashion-mnist;
3. the Keras cache (``~/.keras/datasets`` or $KERAS_HOME/datasets);
4. Keras' own downloader (``keras.utils.get_file``) from $DASHBOARD_DATA_ORIGIN,
   by default the URL Keras itself uses. $DASHBOARD_OFFLINE=1 skips it.

``digits`` (scikit-learn's real 8x8 handwritten digits, resized) needs nothing
and is the offline fallback.
"""

from __future__ import annotations

import gzip
import logging
import os
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from core.idx import IdxError, declared_bytes, read_idx

DATA_DIR_VARIABLE = "DASHBOARD_DATA_DIR"
ORIGIN_VARIABLE = "DASHBOARD_DATA_ORIGIN"
OFFLINE_VARIABLE = "DASHBOARD_OFFLINE"
SHOW_PATHS_VARIABLE = "DASHBOARD_SHOW_PATHS"  # 1: the home page names the server's folders
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")

IDX_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)

DIGIT_NAMES = tuple(str(digit) for digit in range(10))
FASHION_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


@dataclass(frozen=True)
class DatasetSpec:
    name: str  # registry key, used in code and URLs
    title: str  # what students read
    folder: str  # sub-folder in the data folder and the Keras cache
    class_names: tuple[str, ...]  # label i is class_names[i]
    download_files: tuple[str, ...]  # what Keras' downloader fetches
    download_bytes: int  # size of that download, for the home panel
    debian_dir: Path | None  # where a Debian package puts the IDX files
    description: str  # one line for the home panel


DATASETS: dict[str, DatasetSpec] = {
    "mnist": DatasetSpec(
        name="mnist",
        title="MNIST",
        folder="mnist",
        class_names=DIGIT_NAMES,
        download_files=("mnist.npz",),
        download_bytes=11_490_434,
        debian_dir=None,
        description="70 000 handwritten digits (LeCun, Cortes, Burges)",
    ),
    "fashion_mnist": DatasetSpec(
        name="fashion_mnist",
        title="Fashion-MNIST",
        folder="fashion-mnist",
        class_names=FASHION_NAMES,
        download_files=IDX_FILES,
        download_bytes=30_878_645,
        debian_dir=DEBIAN_FASHION_DIR,
        description="70 000 Zalando clothing photos in 10 classes",
    ),
    "digits": DatasetSpec(
        name="digits",
        title="Digits (offline)",
        folder="",
        class_names=DIGIT_NAMES,
        download_files=(),
        download_bytes=0,
        debian_dir=None,
        description="1 797 real 8x8 handwritten digits from scikit-learn, resized to 28x28",
    ),
}

OFFLINE_DEFAULT = "digits"
_log = logging.getLogger(__name__)


class DatasetError(RuntimeError):
    """A data set cannot be loaded; the message tells a student what to do.

    The message names files by their place in the data folder, never by the server's
    absolute paths (`details`, for the server's log, has those).
    """

    def __init__(self, message: str, details: str | None = None):
        super().__init__(message)
        self.details = details or message


@dataclass(frozen=True)
class Source:
    kind: str  # folder | debian | keras-cache | bundled | download | incomplete | unavailable
    location: str  # folder, package or URL the data comes from (for the server's log only)
    size_bytes: int  # on disk, or to download
    changed: float = 0.0  # newest modification time of its files: a replaced file is read anew

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self.kind]


SOURCE_LABELS = {
    "folder": "local folder",
    "debian": "Debian package",
    "keras-cache": "Keras cache",
    "bundled": "bundled with scikit-learn",
    "download": "needs a download",
    "incomplete": "local folder, files missing",
    "unavailable": "unavailable",
}


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    title: str
    class_names: tuple[str, ...]
    source: Source


class LoadedDataset(NamedTuple):
    train: tuple[np.ndarray, np.ndarray]  # images (N, 28, 28) uint8, labels (N,)
    test: tuple[np.ndarray, np.ndarray]
    info: DatasetInfo


def spec_for(name: str) -> DatasetSpec:
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(DATASETS)
        raise ValueError(f"unknown data set {name!r}; choose one of {known}") from None


def keras_home() -> Path:
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")).expanduser()


def _keras_cache_dirs(spec: DatasetSpec) -> list[Path]:
    homes = [keras_home()]
    if not os.access(homes[0], os.W_OK):  # Keras then falls back to /tmp/.keras
        homes.append(Path("/tmp/.keras"))
    if spec.name == "mnist":
        return [home / "datasets" for home in homes]
    return [home / "datasets" / spec.folder for home in homes]


def _complete(folder: Path, files: tuple[str, ...]) -> bool:
    return all((folder / name).is_file() for name in files)


def _size(folder: Path, files: tuple[str, ...]) -> int:
    return sum((folder / name).stat().st_size for name in files)


def _changed(folder: Path, files: tuple[str, ...]) -> float:
    return max((folder / name).stat().st_mtime for name in files)


def _found(kind: str, folder: Path, files: tuple[str, ...]) -> Source:
    return Source(kind, str(folder), _size(folder, files), _changed(folder, files))


def locate(name: str) -> Source:
    """Where ``load_dataset(name)`` would read from right now, without reading."""
    spec = spec_for(name)
    if spec.name == "digits":
        return Source("bundled", "scikit-learn load_digits()", 1797 * 28 * 28)
    data_dir = os.environ.get(DATA_DIR_VARIABLE)
    if data_dir:
        folder = Path(data_dir).expanduser() / spec.folder
        if _complete(folder, IDX_FILES):
            return _found("folder", folder, IDX_FILES)
        if folder.is_dir():  # the server owner meant this folder: say what is missing
            return Source("incomplete", str(folder), 0)
    if spec.debian_dir is not None and _complete(spec.debian_dir, IDX_FILES):
        return _found("debian", spec.debian_dir, IDX_FILES)
    for folder in _keras_cache_dirs(spec):
        if _complete(folder, spec.download_files):
            return _found("keras-cache", folder, spec.download_files)
    if os.environ.get(OFFLINE_VARIABLE, "") not in ("", "0"):
        return Source("unavailable", f"offline (${OFFLINE_VARIABLE} is set)", 0)
    return Source("download", download_origin(), spec.download_bytes)


def show_server_paths() -> bool:
    """Whether pages may show the server's absolute paths (off: students see names only)."""
    return os.environ.get(SHOW_PATHS_VARIABLE, "") not in ("", "0")


def download_origin() -> str:
    origin = os.environ.get(ORIGIN_VARIABLE, KERAS_ORIGIN)
    return origin if origin.endswith("/") else origin + "/"


def how_to_get(spec: DatasetSpec) -> str:
    """The options a student has when a data set cannot be had, as one message."""
    options = [
        f"put the IDX .gz files in <folder>/{spec.folder}/ and set {DATA_DIR_VARIABLE}=<folder>",
    ]
    if spec.debian_dir is not None:
        options.append("install the Debian package dataset-fashion-mnist")
    options.append("connect to the internet so Keras can download it")
    options.append(f"or use the bundled '{OFFLINE_DEFAULT}' data set, which needs nothing")
    return "; ".join(options) + "."


_cache: dict[tuple[str, Source], LoadedDataset | DatasetError] = {}
_cache_lock = threading.Lock()


def load_dataset(name: str) -> LoadedDataset:
    """Load a data set once per process; every caller shares the same read-only arrays.

    A load that failed is remembered too: a damaged file costs one attempt, not one per
    rerun of every session, until the file is replaced (a new size or time: a new source).
    """
    spec = spec_for(name)
    source = locate(name)
    key = (name, source)
    with _cache_lock:  # one loader at a time: two sessions must not read it twice
        if key not in _cache:
            try:
                _cache[key] = _load(spec, source)
            except DatasetError as error:
                _log.warning("%s from %s: %s", spec.title, source.location, error.details)
                _cache[key] = error
        loaded = _cache[key]
    if isinstance(loaded, DatasetError):
        raise loaded
    return loaded


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _load(spec: DatasetSpec, source: Source) -> LoadedDataset:
    if source.kind == "bundled":
        train, test = _load_digits()
    elif source.kind in ("folder", "debian") or (
        source.kind == "keras-cache" and spec.name != "mnist"
    ):
        train, test = _load_idx_folder(Path(source.location))
    elif source.kind == "keras-cache":
        train, test = _load_npz(Path(source.location) / "mnist.npz")
    elif source.kind == "download":
        train, test = _download(spec)
    elif source.kind == "incomplete":
        folder = Path(source.location)
        missing = [name for name in IDX_FILES if not (folder / name).is_file()]
        raise DatasetError(
            f"{spec.title}: the data folder's {spec.folder}/ lacks {', '.join(missing)}. "
            f"To get it: {how_to_get(spec)}",
            f"{folder} lacks {', '.join(missing)}",
        )
    else:
        raise DatasetError(f"{spec.title} is not available offline. To get it: {how_to_get(spec)}")
    _check_pair(train, spec, "training")
    _check_pair(test, spec, "test")
    for array in (*train, *test):
        array.setflags(write=False)
    info = DatasetInfo(spec.name, spec.title, spec.class_names, source)
    return LoadedDataset(train, test, info)


def shown(path: Path) -> str:
    """A file as students may read it: its folder and name, not the server's absolute path."""
    return f"{path.parent.name}/{path.name}"


def _load_idx_folder(folder: Path):
    arrays = []
    for file_name in IDX_FILES:
        path = folder / file_name
        try:
            arrays.append(read_idx(path))
        except IdxError as error:
            raise DatasetError(str(error).replace(str(path), shown(path)), str(error)) from None
    x_train, y_train, x_test, y_test = arrays
    _check_images_labels(x_train, y_train, folder / IDX_FILES[0], folder / IDX_FILES[1])
    _check_images_labels(x_test, y_test, folder / IDX_FILES[2], folder / IDX_FILES[3])
    return (x_train, y_train.astype(np.int64)), (x_test, y_test.astype(np.int64))


def _check_images_labels(images, labels, images_path, labels_path) -> None:
    images_path, labels_path = shown(Path(images_path)), shown(Path(labels_path))
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise DatasetError(f"{images_path}: images of shape {images.shape}, expected (N, 28, 28)")
    if labels.ndim != 1:
        raise DatasetError(f"{labels_path}: labels of shape {labels.shape}, expected (N,)")
    if len(images) != len(labels):
        raise DatasetError(
            f"{images_path} has {len(images)} images but {labels_path} has "
            f"{len(labels)} labels: the files do not belong together"
        )


def _load_npz(path: Path):
    try:
        with np.load(path, allow_pickle=False) as archive:
            x_train, y_train = archive["x_train"], archive["y_train"]
            x_test, y_test = archive["x_test"], archive["y_test"]
    except (OSError, ValueError, KeyError) as error:
        raise DatasetError(
            f"{shown(path)}: not a readable MNIST archive", f"{path}: {error}"
        ) from None
    _check_images_labels(x_train, y_train, path, path)
    _check_images_labels(x_test, y_test, path, path)
    return (
        (x_train.astype(np.uint8), y_train.astype(np.int64)),
        (x_test.astype(np.uint8), y_test.astype(np.int64)),
    )


def _check_pair(pair, spec: DatasetSpec, split: str) -> None:
    images, labels = pair
    if len(labels) and (labels.min() < 0 or labels.max() >= len(spec.class_names)):
        raise DatasetError(
            f"{spec.title} {split} labels run from {labels.min()} to {labels.max()}, "
            f"expected 0..{len(spec.class_names) - 1}"
        )


def _download(spec: DatasetSpec):
    """Fetch with Keras' own downloader into the Keras cache, then read that."""
    try:
        from keras.utils import get_file  # imports TensorFlow: only when downloading
    except ImportError as error:
        raise DatasetError(
            f"{spec.title} is not on this machine and Keras is not installed to "
            f"download it ({error}). To get it: {how_to_get(spec)}"
        ) from None
    origin = download_origin()
    subdir = "datasets" if spec.name == "mnist" else f"datasets/{spec.folder}"
    try:
        paths = [
            # cache_dir given so the file lands where locate() will look for it next time
            Path(
                get_file(
                    file_name,
                    origin=origin + file_name,
                    cache_dir=str(keras_home()),
                    cache_subdir=subdir,
                )
            )
            for file_name in spec.download_files
        ]
    except Exception as error:  # urllib, HTTP and hash errors all mean the same here
        raise DatasetError(
            f"{spec.title} could not be downloaded from {origin} ({error}). "
            f"To get it: {how_to_get(spec)}"
        ) from None
    if spec.name == "mnist":
        return _load_npz(paths[0])
    return _load_idx_folder(paths[0].parent)


def _load_digits():
    """scikit-learn's 8x8 digits, drawn MNIST-style: 20x20 ink centred in 28x28."""
    from PIL import Image
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = np.zeros((len(digits.images), 28, 28), dtype=np.uint8)
    for index, small in enumerate(digits.images):  # small: (8, 8) floats in 0..16
        picture = Image.fromarray((small * (255 / 16)).astype(np.uint8))
        images[index, 4:24, 4:24] = np.asarray(picture.resize((20, 20), Image.BILINEAR))
    labels = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=0.2, random_state=0, stratify=labels
    )
    return (x_train, y_train), (x_test, y_test)


# --- a cheap look at the files, for the home page's data-set panel -------------------------

_damage_cache: dict[tuple[str, Source], str | None] = {}


def damage(name: str) -> str | None:
    """What is wrong with a data set's files, from their headers, gzip trailers and labels
    (kilobytes read, not megabytes), or None when they look whole. Remembered per source."""
    spec, source = spec_for(name), locate(name)
    if source.kind not in ("folder", "debian") and not (
        source.kind == "keras-cache" and spec.name != "mnist"
    ):
        return None
    key = (name, source)
    if key not in _damage_cache:
        try:
            _check_idx_folder(Path(source.location))
            _damage_cache[key] = None
        except (DatasetError, IdxError) as error:
            _damage_cache[key] = str(error)
        except (OSError, EOFError, zlib.error) as error:  # not gzip at all, unreadable
            _damage_cache[key] = f"a file is not a readable gzip file ({type(error).__name__})"
    return _damage_cache[key]


def _check_idx_folder(folder: Path) -> None:
    counts = []
    for file_name in IDX_FILES:
        path = folder / file_name
        with gzip.open(path, "rb") as handle:
            head = handle.read(4)
            if len(head) == 4 and head[3] in (1, 3):
                head += handle.read(4 * head[3])
        declared = declared_bytes(head, shown(path))
        with open(path, "rb") as raw:  # gzip's last 4 bytes: the inflated size, mod 2**32
            raw.seek(-4, os.SEEK_END)
            inflated = int.from_bytes(raw.read(4), "little")
        if inflated != declared % 2**32:
            raise DatasetError(
                f"{shown(path)}: cut short or corrupt (its header declares {declared:,} "
                "bytes, its gzip trailer another size)"
            )
        counts.append(int.from_bytes(head[4:8], "big"))
        if head[3] == 1:  # labels: small, read whole
            labels = read_idx(path)
            if len(labels) and labels.max() > 9:
                raise DatasetError(f"{shown(path)}: labels run up to {labels.max()}, not 0..9")
    for images, labels, which in (
        (counts[0], counts[1], "training"),
        (counts[2], counts[3], "test"),
    ):
        if images != labels:
            raise DatasetError(
                f"{which} files do not belong together: {images:,} images, {labels:,} labels"
            )
