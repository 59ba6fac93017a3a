"""Small networks built the way a user would build them by hand."""
from __future__ import annotations

from engine.network import Network


def perceptron(weights: list[float], bias: float, activation: str = "step") -> Network:
    net = Network()
    inputs = [net.add_neuron("input", "linear") for _ in weights]
    out = net.add_neuron("output", activation, bias=bias)
    net.connect_many(inputs, [out] * len(inputs), weights)
    return net


def xor_by_hand() -> Network:
    """x1 XOR x2 = (x1 OR x2) AND NOT (x1 AND x2), with step neurons."""
    net = Network()
    x1, x2 = net.add_neuron("input", "linear"), net.add_neuron("input", "linear")
    h_or = net.add_neuron("hidden", "step", bias=-1)
    h_and = net.add_neuron("hidden", "step", bias=-2)
    out = net.add_neuron("output", "step", bias=-1)
    net.connect_many([x1, x2, x1, x2, h_or, h_and], [h_or, h_or, h_and, h_and, out, out],
                     [1, 1, 1, 1, 1, -2])
    return net
