"""2-D toy sets with noise and a seed: circles, moons, spiral, gaussian blobs (values near [-1, 1])."""
from __future__ import annotations

import numpy as np

from engine.datasets import Dataset

TEST_FRACTION = 0.2


def _circles(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    labels = rng.integers(0, 2, n)
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(labels == 1, 0.4, 0.9)
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1), labels


def _moons(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    labels = rng.integers(0, 2, n)
    t = rng.uniform(0, np.pi, n)
    x = np.where(labels == 0, np.cos(t), 1 - np.cos(t)) - 0.5
    y = np.where(labels == 0, np.sin(t), 0.5 - np.sin(t)) - 0.25
    return np.stack([x, y], 1) * 0.8, labels


def _spiral(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    labels = rng.integers(0, 2, n)
    t = rng.uniform(0.05, 1, n)
    angle = 3 * np.pi * t + np.pi * labels
    return np.stack([t * np.cos(angle), t * np.sin(angle)], 1), labels


def _blobs(rng: np.random.Generator, n: int, classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    labels = rng.integers(0, classes, n)
    angle = 2 * np.pi * np.arange(classes) / classes
    centres = 0.6 * np.stack([np.cos(angle), np.sin(angle)], 1)
    return centres[labels] + rng.normal(0, 0.15, (n, 2)), labels


MAKERS = {"circles": _circles, "moons": _moons, "spiral": _spiral, "blobs": _blobs}
CURVES = {"sin": np.sin}  # regression: y = f(x) + noise for x in [−π, π]


def _unsigned(noise: float) -> float:
    # −0.0 is within the range 0 to 10, but numpy refuses a scale whose sign bit is set
    return noise + 0.0


def toy(name: str, samples: int = 500, noise: float = 0.1, seed: int = 0, classes: int = 2,
        test_share: float = TEST_FRACTION) -> Dataset:
    """`samples` points in all, test_share of them kept aside as the test set."""
    rng, noise = np.random.default_rng(seed), _unsigned(noise)
    args = (classes,) if name == "blobs" else ()
    x, labels = MAKERS[name](rng, samples, *args)
    x = (x + rng.normal(0, noise, x.shape)).astype(np.float32)
    cut = samples - int(samples * test_share)
    return Dataset(name, x[:cut], labels[:cut], x[cut:], labels[cut:],
                   classes if name == "blobs" else 2)


def curve(name: str, samples: int = 500, noise: float = 0.1, seed: int = 0,
          test_share: float = TEST_FRACTION) -> Dataset:
    """`samples` points (x, f(x) + noise), test_share of them kept aside as the test set: every
    bounded continuous function can be approximated by a network with one hidden layer."""
    rng, noise = np.random.default_rng(seed), _unsigned(noise)
    x = rng.uniform(-np.pi, np.pi, (samples, 1))
    y = (CURVES[name](x) + rng.normal(0, noise, x.shape)).astype(np.float32)
    x, cut, none = x.astype(np.float32), samples - int(samples * test_share), np.zeros(samples, np.int64)
    return Dataset(name, x[:cut], none[:cut], x[cut:], none[cut:], 0,
                   y_train=y[:cut], y_test=y[cut:])
