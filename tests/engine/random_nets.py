"""Random small DAGs with skip connections, for property tests."""
from __future__ import annotations

import numpy as np

from engine.network import Network

HIDDEN_ACTS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")


def random_dag(seed: int, n_in: int = 3, n_hidden: int = 5, n_out: int = 2,
               output: str = "sigmoid", hidden: tuple[str, ...] = HIDDEN_ACTS) -> Network:
    """Each neuron may feed any later one, so there are skip connections and uneven levels."""
    rng = np.random.default_rng(seed)
    net = Network()
    ins = [net.add_neuron("input", "linear") for _ in range(n_in)]
    hid = [net.add_neuron("hidden", str(rng.choice(hidden)), bias=rng.normal(),
                          param=float(rng.uniform(0.01, 0.3))) for _ in range(n_hidden)]
    outs = [net.add_neuron("output", output, bias=rng.normal()) for _ in range(n_out)]
    for k, target in enumerate(hid + outs):
        pool = ins + hid[:k] if k < n_hidden else ins + hid
        chosen = rng.choice(pool, size=min(len(pool), int(rng.integers(1, 5))), replace=False)
        net.connect_many(chosen, [target] * len(chosen), rng.normal(0, 1, len(chosen)))
    return net
