"""MNIST from the four original IDX files (.gz or not): a folder laid out like ../shared/data/mnist,
or torchvision's MNIST/raw; the small subset bundled in resources/mnist so the app works offline.
"""
from __future__ import annotations

import gzip
import os
from importlib import resources
from pathlib import Path

import numpy as np

from engine.datasets import Dataset, DatasetError

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
ENV = "NEUROCANVAS_MNIST"


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """An IDX file of unsigned bytes as an array shaped by its header."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as e:
        raise DatasetError(f"{path}: cannot be read ({e})") from None
    if len(data) < 4 or data[:2] != b"\0\0" or data[2] != 0x08:
        raise DatasetError(f"{path}: not an IDX file of unsigned bytes")
    ndim = data[3]
    header = 4 + 4 * ndim
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    if len(data) != header + int(np.prod(dims)):
        raise DatasetError(f"{path}: the header promises {dims} bytes of data, the file holds "
                           f"{len(data) - header}")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


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


def _from_files(name: str, files: dict[str, Path]) -> Dataset:
    arrays = {key: read_idx(path) for key, path in files.items()}
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise DatasetError(f"{files[f'{split}_images'].parent}: {split} images {images.shape} and "
                               f"labels {labels.shape} do not match")

    def scaled(images: np.ndarray) -> np.ndarray:
        return images.reshape(len(images), -1).astype(np.float32) / np.float32(255)

    return Dataset(name, scaled(arrays["train_images"]), arrays["train_labels"].astype(np.int64),
                   scaled(arrays["test_images"]), arrays["test_labels"].astype(np.int64), 10,
                   tuple(arrays["train_images"].shape[1:]))


def subset_folder() -> Path:
    return Path(str(resources.files("resources") / "mnist"))


def load_subset() -> Dataset:
    """The digits bundled with the app (see resources/make_mnist_subset.py)."""
    return _from_files("mnist-subset", find(subset_folder()))


def load_full(folder: str | os.PathLike | None = None) -> Dataset:
    """Full MNIST from folder, else from $NEUROCANVAS_MNIST."""
    folder = folder or os.environ.get(ENV)
    if not folder:
        raise DatasetError(f"no MNIST folder given: pass --data DIR, set {ENV}, or fetch it with "
                           "`neurocanvas-cli download-mnist DIR`; the bundled subset is 'mnist-subset'")
    files = find(folder)
    if files is None:
        raise DatasetError(f"{folder}: the four MNIST IDX files ({', '.join(FILES.values())}, "
                           "optionally .gz) are not there, nor in raw/ or MNIST/raw/")
    return _from_files("mnist", files)
