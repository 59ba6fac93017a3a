"""Feature inputs (TensorFlow Playground's): input neurons computed from x₁ and x₂ (x₁², x₂²,
x₁x₂, sin x₁, sin x₂) rather than read from the data. An input neuron is one when its label is a
feature's name, so a network file says which it has; the data keeps its two columns and every
consumer (the trainer, the canvas's inputs, the maps over the plane) arranges them by the labels."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from engine.datasets import Dataset, DatasetError
from engine.network import Network

FEATURES = {"x₁²": lambda x: x[:, 0] ** 2, "x₂²": lambda x: x[:, 1] ** 2,
            "x₁x₂": lambda x: x[:, 0] * x[:, 1], "sin x₁": lambda x: np.sin(x[:, 0]),
            "sin x₂": lambda x: np.sin(x[:, 1])}


def raw_count(labels: list[str]) -> int:
    """How many of these inputs read the data (the rest are features)."""
    return sum(label not in FEATURES for label in labels)


def arrange(x: np.ndarray, labels: list[str]) -> np.ndarray:
    """The data's columns for inputs with these labels (in input order): a feature's computed
    from the first two columns, every other input the data's next column."""
    if raw_count(labels) == len(labels):
        return x
    if x.shape[1] != 2 or raw_count(labels) != 2:
        raise DatasetError(f"feature inputs ({', '.join(FEATURES)}) are computed from two data "
                           f"columns, x₁ and x₂, read by two other inputs; this data has "
                           f"{x.shape[1]} columns and the network {raw_count(labels)} such inputs")
    raw = iter(range(x.shape[1]))
    columns = [FEATURES[label](x) if label in FEATURES else x[:, next(raw)] for label in labels]
    return np.stack(columns, 1).astype(x.dtype)


def widen(raw: np.ndarray, labels: list[str]) -> np.ndarray:
    """Values for every input from values for the inputs that read data (rows of raw): the
    features computed where two such inputs give x₁ and x₂, else 0."""
    if raw_count(labels) == len(labels):
        return raw
    if raw.shape[1] == 2:
        return arrange(raw, labels)
    out, columns = np.zeros((len(raw), len(labels))), iter(raw.T)
    for k, label in enumerate(labels):
        if label not in FEATURES:
            out[:, k] = next(columns)
    return out


def labels_of(net: Network) -> list[str]:
    """The input neurons' labels, in input (id) order."""
    return [net.labels[i] for i in np.atleast_1d(net.index(net.inputs))] if len(net.inputs) else []


def fit_inputs(data: Dataset, labels: list[str]) -> Dataset:
    """The data set as a network with these input labels reads it."""
    return replace(data, x_train=arrange(data.x_train, labels), x_test=arrange(data.x_test, labels))
