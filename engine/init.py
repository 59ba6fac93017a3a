"""Weight and bias initialisation (numpy, so new networks get weights without torch). Biases
start as the weight scheme says (0, but N(0, 1) for Nielsen's) unless a bias scheme is chosen.

Each rule is applied per connection with the fan-in of its target and the fan-out of its source,
which equals the textbook rule for a dense layer and extends it to hand-drawn graphs.
"""
from __future__ import annotations

import numpy as np

from engine.network import Network, NetworkError

SCHEMES = ("keep", "uniform", "normal", "xavier", "he", "nielsen")
# scheme: as the weight scheme says; constant: every bias the given value; random: N(0, 1)
BIAS_SCHEMES = ("scheme", "zeros", "constant", "random")


def initialise(net: Network, scheme: str = "xavier", seed: int | None = 0, mean: float = 0.0,
               std: float = 0.05, limit: float = 0.5, biases: str = "scheme",
               bias_value: float = 0.0) -> None:
    """Sets new weights and biases in place; "keep" leaves hand-set numbers alone.

    uniform: U(−limit, limit); normal: N(mean, std), e.g. the course's Keras example N(0.75, 0.01);
    xavier: U(±√(6/(fan_in+fan_out))); he: N(0, √(2/fan_in)); nielsen: N(0, 1/√fan_in) with
    biases N(0, 1), as Nielsen's network2.py (the course's MNIST results) starts. The biases
    (see BIAS_SCHEMES) are drawn after the weights, so a bias scheme never changes the weights.
    """
    if scheme not in SCHEMES:
        raise NetworkError(f"unknown weight init {scheme!r}; choose one of {', '.join(SCHEMES)}")
    if biases not in BIAS_SCHEMES:
        raise NetworkError(f"unknown bias init {biases!r}; choose one of {', '.join(BIAS_SCHEMES)}")
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
    if biases == "scheme":
        biases = "random" if scheme == "nielsen" else "zeros"
    b = np.zeros(net.n_neurons)
    computed = net.role != 0  # an input's bias is never used
    if biases == "random":
        b[computed] = rng.normal(0.0, 1.0, int(computed.sum()))
    elif biases == "constant":
        b[computed] = bias_value
    net.set_biases(net.tied_biases(b))
