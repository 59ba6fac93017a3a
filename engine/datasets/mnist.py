"""MNIST from the four original IDX files (.gz or not): a folder laid out like ../shared/data/mnist,
or torchvision's MNIST/raw; the small subset bundled in resources/mnist so the app works offline.
"""
from __future__ import annotations

import gzip
import math
import os
import zlib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import BinaryIO, Callable

import numpy as np

from engine.datasets import Dataset, DatasetError

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
ENV = "NEUROCANVAS_MNIST"


MAX_BYTES = 1 << 30  # full MNIST's largest file holds 47 MB; more is not an MNIST file


CHUNK = 1 << 22  # bytes read at a time, so a reader can say how far it is


def _header(f: BinaryIO, path: Path) -> list[int]:
    head = f.read(4)
    if len(head) < 4 or head[:2] != b"\0\0" or head[2] != 0x08:
        raise DatasetError(f"{path}: not an IDX file of unsigned bytes")
    raw_dims = f.read(4 * head[3])
    dims = [int.from_bytes(raw_dims[i:i + 4], "big") for i in range(0, len(raw_dims), 4)]
    if len(dims) != head[3] or math.prod(dims) > MAX_BYTES:
        raise DatasetError(f"{path}: its header ({dims}) is not that of an MNIST file")
    return dims


def _opened(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def read_header(path: str | os.PathLike) -> tuple[int, ...]:
    """The shape an IDX file's header promises, without reading its data."""
    path = Path(path)
    try:
        with _opened(path) as f:
            return tuple(_header(f, path))
    except (OSError, EOFError, zlib.error) as e:
        raise DatasetError(f"{path}: cannot be read ({e})") from None


def read_idx(path: str | os.PathLike, progress: Callable[[int], None] | None = None) -> np.ndarray:
    """An IDX file of unsigned bytes as an array shaped by its header; progress, if given,
    hears the bytes of data read so far."""
    path = Path(path)
    try:
        with _opened(path) as f:
            dims = _header(f, path)
            size, chunks, done = math.prod(dims), [], 0
            while done <= size:  # one byte more, to notice a file longer than its header says
                chunk = f.read(min(CHUNK, size + 1 - done))
                if not chunk:
                    break
                chunks.append(chunk)
                done += len(chunk)
                if progress:
                    progress(done)
    except (OSError, EOFError, zlib.error) as e:
        raise DatasetError(f"{path}: cannot be read ({e})") from None
    data = b"".join(chunks)
    if len(data) != size:
        raise DatasetError(f"{path}: the header promises {dims} bytes of data, the file holds "
                           f"{'more' if len(data) > size else len(data)}")
    return np.frombuffer(data, dtype=np.uint8).reshape(dims)


def write_idx(path: str | os.PathLike, array: np.ndarray) -> None:
    """Writes a gzip IDX file (mtime 0, so the same digits give the same bytes)."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(header + np.ascontiguousarray(array, np.uint8).tobytes())


def find(folder: str | os.PathLike) -> dict[str, Path] | None:
    """The four files in folder, folder/raw or folder/MNIST/raw; None when any is missing."""
    folder = Path(folder)
    for place in (folder, folder / "raw", folder / "MNIST" / "raw"):
        found = {}
        for key, stem in FILES.items():
            hit = next((place / (stem + ext) for ext in (".gz", "") if (place / (stem + ext)).is_file()),
                       None)
            if hit is None:
                break
            found[key] = hit
        else:
            return found
    return None


def check_folder(folder: str | os.PathLike) -> str:
    """Reads the four files' headers only: what the folder holds, in words ("60,000 training
    and 10,000 test digits"), or DatasetError saying what is wrong with which file."""
    files = find(folder)
    if files is None:
        place = Path(folder)
        missing = [stem for stem in FILES.values()
                   if not any((place / (stem + ext)).is_file() for ext in (".gz", ""))]
        raise DatasetError(f"{folder}: {', '.join(missing)} (.gz or not) missing; the four MNIST "
                           "files must be in the folder, its raw/ or its MNIST/raw/")
    shapes = {key: read_header(path) for key, path in files.items()}
    for split in ("train", "test"):
        images, labels = shapes[f"{split}_images"], shapes[f"{split}_labels"]
        if len(images) != 3 or images[1:] != (28, 28):
            raise DatasetError(f"{files[f'{split}_images']}: holds images of {images[1:]} pixels, "
                               "not MNIST's 28×28")
        if labels != images[:1]:
            raise DatasetError(f"{files[f'{split}_labels']}: holds {labels} labels for "
                               f"{images[0]:,} images")
    return f"{shapes['train_images'][0]:,} training and {shapes['test_images'][0]:,} test digits"


def _from_files(name: str, files: dict[str, Path],
                progress: Callable[[float], None] | None = None) -> Dataset:
    sizes = {key: math.prod(read_header(path)) for key, path in files.items()} if progress else {}
    total, arrays, before = sum(sizes.values()) or 1, {}, 0
    for key, path in files.items():
        arrays[key] = read_idx(path, progress and (lambda done, b=before: progress((b + done) / total)))
        before += sizes.get(key, 0)
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise DatasetError(f"{files[f'{split}_images'].parent}: {split} images {images.shape} and "
                               f"labels {labels.shape} do not match")
        if len(labels) and labels.max() > 9:
            raise DatasetError(f"{files[f'{split}_labels']}: holds the label {labels.max()}; MNIST "
                               "labels are the digits 0 to 9")
        if len(images) == 0:
            raise DatasetError(f"{files[f'{split}_images']}: holds no images")

    def scaled(images: np.ndarray) -> np.ndarray:
        # in one pass, straight into float32: astype then divide took 0.45 s of full MNIST's
        # 0.72 s load (two 188 MB arrays to fault in), this 0.035 s, with the same numbers
        return np.divide(images.reshape(len(images), -1), np.float32(255), dtype=np.float32)

    return Dataset(name, scaled(arrays["train_images"]), arrays["train_labels"].astype(np.int64),
                   scaled(arrays["test_images"]), arrays["test_labels"].astype(np.int64), 10,
                   tuple(arrays["train_images"].shape[1:]))


def subset_folder() -> Path:
    return Path(str(resources.files("resources") / "mnist"))


def load_subset() -> Dataset:
    """The digits bundled with the app (see resources/make_mnist_subset.py)."""
    return _from_files("mnist-subset", find(subset_folder()))


def load_test(folder: str | os.PathLike | None = None) -> Dataset:
    """Full MNIST's 10,000 test digits alone (8 MB, not the 55 MB of all): a window's map and
    MNIST dock show them, read once for both; the training part of the Dataset is empty."""
    return _test_of(str(folder or os.environ.get(ENV) or ""))


@lru_cache(maxsize=1)
def _test_of(folder: str) -> Dataset:
    files = _files(folder)
    images, labels = read_idx(files["test_images"]), read_idx(files["test_labels"])
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels) or not len(images):
        raise DatasetError(f"{files['test_images'].parent}: test images {images.shape} and "
                           f"labels {labels.shape} do not match")
    x = np.divide(images.reshape(len(images), -1), np.float32(255), dtype=np.float32)
    return Dataset("mnist", x[:0], np.zeros(0, np.int64), x, labels.astype(np.int64), 10,
                   tuple(images.shape[1:]))


def _files(folder: str | os.PathLike | None) -> dict[str, Path]:
    folder = folder or os.environ.get(ENV)
    if not folder:
        raise DatasetError(f"no MNIST folder given: pass --data DIR, set {ENV}, or fetch it with "
                           "`neurocanvas-cli download-mnist DIR`; the bundled subset is 'mnist-subset'")
    files = find(folder)
    if files is None:
        raise DatasetError(f"{folder}: the four MNIST IDX files ({', '.join(FILES.values())}, "
                           "optionally .gz) are not there, nor in raw/ or MNIST/raw/")
    return files


def load_full(folder: str | os.PathLike | None = None,
              progress: Callable[[float], None] | None = None) -> Dataset:
    """Full MNIST from folder, else from $NEUROCANVAS_MNIST; progress, if given, hears the share
    read so far (full MNIST is 55 MB to unpack)."""
    return _from_files("mnist", _files(folder), progress)
