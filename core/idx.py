"""Reader for the IDX format that MNIST and Fashion-MNIST ship in.

IDX layout (big-endian): two zero bytes, a type code, the number of
dimensions, one 4-byte size per dimension, then the raw data.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

_UNSIGNED_BYTE = 0x08
MAX_DATA_BYTES = 200_000_000  # Fashion-MNIST's training images are 47 MB inflated


class IdxError(ValueError):
    """An IDX file is not what it claims to be; the message names the file."""


def read_idx(path: str | Path) -> np.ndarray:
    """Read a gzip-compressed IDX file of unsigned bytes into a read-only array.

    The header is read first, and then no more than the bytes it declares (plus one, to see
    whether more follow): a file that inflates to gigabytes costs no more than a real one.
    """
    path = Path(path)
    try:
        with gzip.open(path, "rb") as handle:
            head = handle.read(4)
            if len(head) == 4 and head[3] in (1, 3):
                head += handle.read(4 * head[3])
            expected = declared_bytes(head, str(path))
            raw = head + handle.read(expected - len(head) + 1)
    except FileNotFoundError:
        raise IdxError(f"{path}: file not found") from None
    except (OSError, EOFError, zlib.error) as error:
        # gzip raises BadGzipFile (an OSError) or EOFError on a cut-off download.
        raise IdxError(f"{path}: not a complete gzip file ({error})") from None
    if len(raw) > expected:
        raise IdxError(f"{path}: longer than its header says ({expected:,} bytes): corrupt")
    return parse_idx(raw, name=str(path))


def declared_bytes(head: bytes, name: str) -> int:
    """The whole file's size as its header declares it; refuses a header past the bounds."""
    header = check_header(head, name)
    size = int(np.prod(header.shape)) if header.shape else 0
    if size > MAX_DATA_BYTES:
        raise IdxError(
            f"{name}: its header declares {size / 1e6:,.0f} MB of data; the data sets here "
            f"hold at most {MAX_DATA_BYTES / 1e6:,.0f} MB"
        )
    return size + header.length


class IdxHeader(NamedTuple):
    shape: tuple[int, ...]
    length: int  # bytes before the data


def check_header(raw: bytes, name: str = "<bytes>") -> IdxHeader:
    """The header of an IDX file's first bytes, every field checked."""
    if len(raw) < 4:
        raise IdxError(f"{name}: too short to be an IDX file ({len(raw)} bytes)")
    if raw[0] != 0 or raw[1] != 0:
        raise IdxError(f"{name}: bad magic number {raw[:4].hex()} (not an IDX file)")
    if raw[2] != _UNSIGNED_BYTE:
        raise IdxError(f"{name}: type code 0x{raw[2]:02x}, expected unsigned bytes 0x08")
    ndim = raw[3]
    if ndim not in (1, 3):
        raise IdxError(f"{name}: {ndim} dimensions, expected 1 (labels) or 3 (images)")
    header_length = 4 + 4 * ndim
    if len(raw) < header_length:
        raise IdxError(f"{name}: header cut off")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    return IdxHeader(shape, header_length)


def parse_idx(raw: bytes, name: str = "<bytes>") -> np.ndarray:
    """Parse the bytes of an uncompressed IDX file, checking every header field."""
    shape, header_length = check_header(raw, name)
    expected = int(np.prod(shape)) + header_length
    if len(raw) != expected:
        raise IdxError(
            f"{name}: header says shape {shape} ({expected} bytes) "
            f"but the file has {len(raw)} bytes (truncated or corrupt)"
        )
    data = np.frombuffer(raw, dtype=np.uint8, offset=header_length).reshape(shape)
    return data  # frombuffer over bytes is already read-only


def write_idx(path: str | Path, array: np.ndarray) -> None:
    """Write a uint8 array as a gzip-compressed IDX file (used by tests and tools)."""
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, _UNSIGNED_BYTE, array.ndim])
    header += b"".join(int(size).to_bytes(4, "big") for size in array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.tobytes())
