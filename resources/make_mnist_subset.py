"""Makes resources/mnist: 500 training and 100 test digits of each class, drawn with a fixed seed
from the full MNIST files, so the app can train on digits offline.

    python -m resources.make_mnist_subset ../shared/data/mnist
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from engine.datasets.mnist import FILES, find, read_idx, write_idx

PER_CLASS = {"train": 500, "test": 100}


def pick(labels: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    chosen = [rng.choice(np.flatnonzero(labels == digit), per_class, replace=False)
              for digit in range(10)]
    return np.sort(np.concatenate(chosen))


def main(source: str) -> None:
    files = find(source)
    if files is None:
        sys.exit(f"{source}: the four MNIST IDX files are not there")
    out = Path(__file__).parent / "mnist"
    rng = np.random.default_rng(2026)
    for split, per_class in PER_CLASS.items():
        images, labels = read_idx(files[f"{split}_images"]), read_idx(files[f"{split}_labels"])
        keep = pick(labels, per_class, rng)
        write_idx(out / (FILES[f"{split}_images"] + ".gz"), images[keep])
        write_idx(out / (FILES[f"{split}_labels"] + ".gz"), labels[keep])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/mnist")
