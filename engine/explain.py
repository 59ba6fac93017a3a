"""A neuron's calculation in the course's notation, with live numbers:
z = 1·1 + 0·1 + (−2) = −1, then a = step(−1) = 0."""
from __future__ import annotations

import numpy as np

from engine import activations
from engine.network import INPUT, Network
from engine.trace import Trace


MAX_TERMS = 12  # past this many inputs the formula is summed up
LARGEST = 5


def number(x: float) -> str:
    """Whole numbers as they are, others to 4 significant digits; a real minus sign."""
    text = f"{x:.0f}" if float(x).is_integer() and abs(x) < 1e9 else f"{x:.4g}"
    return text.replace("-", "−")


def _term(x: float) -> str:
    return f"({number(x)})" if x < 0 else number(x)


def neuron_formula(net: Network, trace: Trace, nid: int, sample: int = 0) -> tuple[str, str]:
    """The two lines of a neuron's calculation for one sample of the trace."""
    i = net.index(nid)
    z, a = trace.z[sample, i], trace.a[sample, i]
    if net.role[i] == INPUT:
        return "input: its value comes from the data", f"a = {number(a)}"
    incoming = np.flatnonzero(net.dst == nid)
    incoming = incoming[np.argsort(net.src[incoming], kind="stable")]
    inputs = trace.a[sample, np.atleast_1d(net.index(net.src[incoming]))]
    if len(incoming) > MAX_TERMS:  # 784 terms say nothing: their sum and the largest few
        products = inputs * net.weight[incoming]
        top = np.argsort(-np.abs(products), kind="stable")[:LARGEST]
        largest = " + ".join(f"{_term(inputs[k])}·{_term(net.weight[incoming[k]])}" for k in top)
        z_line = (f"z = Σ of {len(incoming):,} terms a·w + b = {number(z)}; the largest: "
                  f"{largest}")
    else:
        terms = [f"{_term(x)}·{_term(w)}" for x, w in zip(inputs, net.weight[incoming])]
        z_line = "z = " + " + ".join(terms + [_term(net.bias[i])]) + f" = {number(z)}"
    name = activations.NAMES[net.act[i]]
    if name == "softmax":
        return z_line, f"a = e^z / Σ e^z over the outputs = {number(a)}"
    slope = f", slope {number(net.param[i])}" if name == "leaky_relu" else ""
    return z_line, f"a = {name}({number(z)}{slope}) = {number(a)}"


def incoming_picture(net: Network, nid: int) -> np.ndarray | None:
    """A neuron's incoming weights laid out as the picture its inputs form: when at least half of
    a 2-D shaped layer (28×28 for MNIST) feeds it, a rows × columns array of the weights from
    that layer, NaN where there is no connection; otherwise None (a formula says it better)."""
    incoming = np.flatnonzero(net.dst == nid)
    for layer in net.layers:
        if layer.shape is None or len(layer.shape) != 2:
            continue
        place = {n: k for k, n in enumerate(layer.neurons)}
        spots = np.array([place.get(int(s), -1) for s in net.src[incoming].tolist()], np.int64)
        mine = spots >= 0
        if 2 * mine.sum() < len(layer.neurons):
            continue
        picture = np.full(len(layer.neurons), np.nan)
        picture[spots[mine]] = net.weight[incoming[mine]]
        return picture.reshape(layer.shape)
    return None
