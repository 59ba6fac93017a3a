"""Weight initialisation (numpy, so new networks get weights without torch). Biases start at 0,
but for Nielsen's scheme.

Each rule is applied per connection with the fan-in of its target and the fan-out of its source,
which equals the textbook rule for a dense layer and extends it to hand-drawn graphs.
"""
from __future__ import annotations

import numpy as np

from engine.network import Network, NetworkError

SCHEMES = ("keep", "uniform", "normal", "xavier", "he", "nielsen")


def initialise(net: Network, scheme: str = "xavier", seed: int | None = 0, mean: float = 0.0,
               std: float = 0.05, limit: float = 0.5) -> None:
    """Sets new weights (and zero biases) in place; "keep" leaves hand-set weights alone.

    uniform: U(−limit, limit); normal: N(mean, std), e.g. the course's Keras example N(0.75, 0.01);
    xavier: U(±√(6/(fan_in+fan_out))); he: N(0, √(2/fan_in)); nielsen: N(0, 1/√fan_in) with
    biases N(0, 1), as Nielsen's network2.py (the course's MNIST results) starts.
    """
    if scheme not in SCHEMES:
        raise NetworkError(f"unknown weight init {scheme!r}; choose one of {', '.join(SCHEMES)}")
    if scheme == "keep":
        return
    rng = np.random.default_rng(seed)
    n = net.n_connections
    fan_in = np.bincount(net.index(net.dst), minlength=net.n_neurons)[net.index(net.dst)]
    fan_out = np.bincount(net.index(net.src), minlength=net.n_neurons)[net.index(net.src)]
    if scheme == "uniform":
        w = rng.uniform(-limit, limit, n)
    elif scheme == "normal":
        w = rng.normal(mean, std, n)
    elif scheme == "xavier":
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-1.0, 1.0, n) * bound
    elif scheme == "he":
        w = rng.normal(0.0, 1.0, n) * np.sqrt(2.0 / fan_in)
    else:
        w = rng.normal(0.0, 1.0, n) / np.sqrt(fan_in)
    net.set_weights(w)
    biases = np.zeros(net.n_neurons)
    if scheme == "nielsen":
        computed = net.role != 0  # an input's bias is never used
        biases[computed] = rng.normal(0.0, 1.0, int(computed.sum()))
    net.set_biases(biases)
