"""Datasets by name, as the CLI and the training dock offer them."""
from __future__ import annotations

from typing import Callable

from engine.datasets import Dataset, DatasetError
from engine.datasets.gates import RULES, gate
from engine.datasets.mnist import load_full, load_subset
from engine.datasets.toy import CURVES, MAKERS, curve, toy

NAMES: tuple[str, ...] = (*RULES, *MAKERS, *CURVES, "mnist-subset", "mnist")


def load(name: str, data_dir: str | None = None, samples: int = 500, noise: float = 0.1,
         seed: int = 0, classes: int = 2, progress: Callable[[float], None] | None = None) -> Dataset:
    """progress, if given, hears how far a long read (full MNIST) is, as a share."""
    if name in RULES:
        return gate(name)
    if name in MAKERS:
        return toy(name, samples, noise, seed, classes)
    if name in CURVES:
        return curve(name, samples, noise, seed)
    if name == "mnist-subset":
        return load_subset()
    if name == "mnist":
        return load_full(data_dir, progress)
    raise DatasetError(f"unknown dataset {name!r}; choose one of {', '.join(NAMES)}")
