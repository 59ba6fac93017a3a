"""A neuron's calculation in the course's notation, with live numbers:
z = 1·1 + 0·1 + (−2) = −1, then a = step(−1) = 0."""
from __future__ import annotations

import numpy as np

from engine import activations
from engine.backprop import OUTPUT_DELTAS, Backprop
from engine.network import INPUT, OUTPUT, Layer, Network
from engine.receptive import field
from engine.trace import Trace


MAX_TERMS = 12  # past this many inputs the formula is summed up
LARGEST = 5


def number(x: float) -> str:
    """Whole numbers as they are, others to 4 significant digits; a real minus sign."""
    x = float(x) + 0.0  # −0.0 (0 times a negative) is written 0
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
    unit = field(net, nid)
    if unit is not None and unit.layer.conv.kind == "pool":
        values = trace.a[sample, np.atleast_1d(net.index(unit.sources))]
        size = unit.layer.conv.size
        return (f"z = max of the {size}×{size} window of map {unit.map + 1} of "
                f"{unit.source.name} = max({', '.join(number(v) for v in values)}) = "
                f"{number(z)}"), f"a = z = {number(a)}"
    if unit is not None:  # its window of the layer below, through its map's kernel
        incoming, sources = unit.conns, unit.sources
    else:
        incoming = np.flatnonzero(net.dst == nid)
        incoming = incoming[np.argsort(net.src[incoming], kind="stable")]
        sources = net.src[incoming]
    inputs = trace.a[sample, np.atleast_1d(net.index(sources))]
    over = (f" over its {unit.layer.conv.size}×{unit.layer.conv.size} window of "
            f"{unit.source.name}, kernel {unit.map + 1}") if unit is not None else ""
    if len(incoming) > MAX_TERMS:  # 784 terms say nothing: their sum and the largest few
        products = inputs * net.weight[incoming]
        top = np.argsort(-np.abs(products), kind="stable")[:LARGEST]
        largest = " + ".join(f"{_term(inputs[k])}·{_term(net.weight[incoming[k]])}" for k in top)
        z_line = (f"z = Σ of {len(incoming):,} terms a·w + b{over} = {number(z)}; the largest: "
                  f"{largest}")
    else:
        terms = [f"{_term(x)}·{_term(w)}" for x, w in zip(inputs, net.weight[incoming])]
        z_line = "z = " + " + ".join(terms + [_term(net.bias[i])]) + f" = {number(z)}{over}"
    name = activations.NAMES[net.act[i]]
    if name == "softmax":
        return z_line, f"a = e^z / Σ e^z over the outputs = {number(a)}"
    slope = f", slope {number(net.param[i])}" if name == "leaky_relu" else ""
    return z_line, f"a = {name}({number(z)}{slope}) = {number(a)}"


def _spots(net: Network, layer: Layer) -> np.ndarray:
    """Per neuron row: its place in the layer, −1 outside it."""
    spot = np.full(net.n_neurons, -1)
    spot[net.index(layer.neurons)] = np.arange(len(layer.neurons))
    return spot


def incoming_pictures(net: Network, layer: Layer, targets: np.ndarray) -> np.ndarray:
    """The targets' incoming weights from a 2-D shaped layer (28×28 for MNIST), each laid out
    as the picture the layer forms: (targets, rows, columns), NaN where there is no connection."""
    spot = _spots(net, layer)
    place = np.full(net.n_neurons, -1)
    place[np.atleast_1d(net.index(targets))] = np.arange(len(targets))
    s, d = net.endpoints()
    mine = (spot[s] >= 0) & (place[d] >= 0)
    pictures = np.full((len(targets), len(layer.neurons)), np.nan)
    pictures[place[d[mine]], spot[s[mine]]] = net.weight[mine]
    return pictures.reshape(len(targets), *layer.shape)


def fed_by(net: Network, layer: Layer) -> np.ndarray:
    """Ids of the neurons that at least half of the layer feeds: those whose incoming weights
    make a picture of it."""
    s, d = net.endpoints()
    counts = np.bincount(d[_spots(net, layer)[s] >= 0], minlength=net.n_neurons)
    return net.ids[2 * counts >= max(len(layer.neurons), 1)]


def incoming_picture(net: Network, nid: int) -> np.ndarray | None:
    """A neuron's incoming weights as the picture of the first 2-D shaped layer that feeds at
    least half of its pixels to it; None when none does (a formula says it better)."""
    incoming = np.flatnonzero(net.dst == nid)  # one neuron's: no pass over every endpoint
    for layer in net.layers:
        if layer.shape is None or len(layer.shape) != 2:
            continue
        places = _spots(net, layer)[net.endpoints()[0][incoming]]
        mine = places >= 0
        if 2 * mine.sum() >= len(layer.neurons):
            picture = np.full(len(layer.neurons), np.nan)
            picture[places[mine]] = net.weight[incoming[mine]]
            return picture.reshape(layer.shape)
    return None


def chain_rule(net: Network, found: Backprop, nid: int, terms: int = MAX_TERMS) -> list[str]:
    """A neuron's part of back propagation in the course's notation, with its numbers:
    δ_j = h'(z_j) · Σ_k w_jk δ_k, and ∂C/∂b_j = δ_j. A sum of more than `terms` terms is
    given by its value."""
    i = net.index(nid)
    if net.role[i] == INPUT:
        return ["an input: its a is data, so back propagation ends here"]
    delta, fed = found.delta[i], found.feed_back[i]
    name = activations.NAMES[net.act[i]]
    if net.role[i] == OUTPUT:
        place = int(np.searchsorted(found.trace.plan.outputs, i))
        a, y = found.trace.a[0, i], found.target[place]
        if found.loss in OUTPUT_DELTAS:
            return [f"{OUTPUT_DELTAS[found.loss].split(' (')[0]} = {number(a)} − {_term(y)} = "
                    f"{number(delta)}", f"∂C/∂b = δ = {number(delta)}"]
        cost = "sign(a − y)" if found.loss == "l1" else "a − y"
        da = f"∂C/∂a = {cost} = {'sign' if found.loss == 'l1' else ''}({number(a)} − {_term(y)})" \
             f" = {number(fed)}"
        if name == "softmax":
            line = f"{da}; δ = a (∂C/∂a − Σ_k a_k ∂C/∂a_k) over the softmax outputs = {number(delta)}"
        else:  # the δ the canvas writes beside the output, with the numbers that make it
            line = f"{da}; δ = ∂C/∂a ⊙ h'(z) = {_term(fed)} · {number(found.slope[i])} = {number(delta)}"
        return [line, f"∂C/∂b = δ = {number(delta)}"]
    out = np.flatnonzero(net.src == nid)
    targets = np.atleast_1d(net.index(net.dst[out]))
    products = [f"{_term(w)}·{_term(d)}" for w, d in zip(net.weight[out], found.delta[targets])]
    total = f"({' + '.join(products)})" if len(products) <= terms else _term(fed)
    return [f"δ = h'(z) · Σ_k w_jk δ_k = {number(found.slope[i])} · {total} = {number(delta)}",
            f"∂C/∂b = δ = {number(delta)}"]


def one_hot_class(y: np.ndarray) -> int | None:
    """The class a one-hot target of three or more outputs marks, else None."""
    y = np.asarray(y)
    hot = np.flatnonzero(y == 1)
    return int(hot[0]) if len(y) > 2 and len(hot) == 1 and np.count_nonzero(y) == 1 else None


def target_text(y: np.ndarray, labels: list[str]) -> str:
    """A target as the course writes it: "one-hot 6" for a class, else its numbers."""
    k = one_hot_class(y)
    if k is not None:
        return f"one-hot {labels[k]}"
    return "(" + ", ".join(number(v) for v in y) + ")"


def cost_substituted(found: Backprop, labels: list[str], terms: int = 4) -> str:
    """The sample's cost (without regularisation) with its numbers put in, e.g.
    "−ln a_6 = −ln 0.961 = 0.0399"; past `terms` outputs a sum is named, not spelled out."""
    a, y, loss = found.trace.outputs[0], found.target, found.loss
    value = number(found.cost - found.penalty)
    k = one_hot_class(y)
    if loss == "ce" and k is not None:  # every other y_j is 0: one term is left
        return f"−ln a_{labels[k]} = −ln {number(a[k])} = {value}"
    if len(a) > terms:
        return f"the sum over {len(a)} outputs = {value}"
    if loss == "mse":
        inner = " + ".join(f"({number(t)} − {number(o)})²" for t, o in zip(y, a))
        return f"½ [{inner}] = {value}"
    if loss == "l1":
        return " + ".join(f"|{number(t)} − {number(o)}|" for t, o in zip(y, a)) + f" = {value}"
    if loss == "bce":
        inner = " + ".join(f"{number(t)}·ln {number(o)} + {number(1 - t)}·ln {number(1 - o)}"
                           for t, o in zip(y, a))
        return f"−[{inner}] = {value}"
    return "−[" + " + ".join(f"{number(t)}·ln {number(o)}" for t, o in zip(y, a)) + f"] = {value}"
