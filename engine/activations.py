"""The activation functions h(z), one table for the whole app (numpy; torch twins in compile.py)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray


def _step(z: Array, _: float) -> Array:
    return (z >= 0).astype(z.dtype)  # the course's perceptron: 1 if z >= 0 else 0


def _sigmoid(z: Array, _: float) -> Array:
    # split by sign so exp never overflows
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def _tanh(z: Array, _: float) -> Array:
    return np.tanh(z)


def _relu(z: Array, _: float) -> Array:
    return np.maximum(z, 0.0)


def _leaky_relu(z: Array, slope: float) -> Array:
    return np.where(z >= 0, z, slope * z)


def _linear(z: Array, _: float) -> Array:
    return z.copy()


def softmax(z: Array) -> Array:
    """Softmax across the last axis (the group of output neurons), shifted for stability."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class Activation:
    name: str
    glyph: str
    formula: str
    default_param: float | None
    numpy: Callable[[Array, float], Array]


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("step", "step", "1 if z ≥ 0 else 0", None, _step),
        Activation("sigmoid", "σ", "1 / (1 + e^−z)", None, _sigmoid),
        Activation("tanh", "tanh", "(e^z − e^−z) / (e^z + e^−z)", None, _tanh),
        Activation("relu", "ReLU", "max(0, z)", None, _relu),
        Activation("leaky_relu", "leaky", "z if z ≥ 0 else slope·z", 0.01, _leaky_relu),
        Activation("linear", "lin", "z", None, _linear),
        # applied across the group of softmax output neurons, not per neuron
        Activation("softmax", "soft", "e^z_j / Σ_k e^z_k", None, _linear),
    )
}
NAMES: tuple[str, ...] = tuple(ACTIVATIONS)


def check(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(NAMES)}") from None


def apply(name: str, z: Array, param: float = 0.0) -> Array:
    """h(z) for one neuron or one group of neurons sharing an activation."""
    if name == "softmax":
        return softmax(z)
    return check(name).numpy(z, param)
