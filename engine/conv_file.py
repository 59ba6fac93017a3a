"""A convolution or pooling layer in a network file (version 3, docs/file-format.md): the layer
with its kernels and its maps' biases, never its units or a connection per unit."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from engine import activations
from engine.build import add_conv_layer
from engine.conv import KINDS, Conv, ShapeError, grid_of, out_shape
from engine.network import Layer, Network, NetworkError
from engine.receptive import kernel_conns

INLINE = 1000  # numbers up to which kernels are a list; more are base64


def to_json(net: Network, layer: Layer, b64: Any) -> dict[str, Any]:
    conv, first = layer.conv, net.index(layer.neurons[0])
    entry: dict[str, Any] = {
        "kind": conv.kind, "source": conv.source, "size": conv.size, "stride": conv.stride,
        "padding": conv.padding, "first": int(layer.neurons[0]),
        "activation": activations.NAMES[net.act[first]], "param": float(net.param[first]),
        "x": float(net.pos[first, 0]), "y": float(net.pos[first, 1])}
    if conv.kind == "conv":
        kernels = net.weight[kernel_conns(net, layer)]
        entry["kernels"] = kernels.tolist() if len(kernels) <= INLINE else b64(kernels, "<f8")
        per_map = len(layer.neurons) // layer.shape[0]
        entry["biases"] = net.bias[first:first + len(layer.neurons):per_map].tolist()
    return {"name": layer.name, "shape": list(layer.shape), "conv": entry}


def build(net: Network, name: str, shape: list, entry: dict, kernels: np.ndarray | None) -> None:
    """Adds the layer a file describes, after the layers before it; NetworkError says why not."""
    kind = entry["kind"]
    if kind not in KINDS:
        raise NetworkError(f"kind {kind!r} is not conv or pool")
    conv = Conv(kind, entry["source"], entry["size"], entry["stride"], entry["padding"])
    if len(shape) != 3:
        raise NetworkError(f"shape {shape} should be maps × height × width")
    act = entry["activation"] if kind == "conv" else "linear"
    if act not in activations.NAMES:
        raise NetworkError(f"activation {act!r} is not one of {', '.join(activations.NAMES)}")
    biases = entry.get("biases")
    source = net.layer_named(conv.source)
    if source is None:
        raise NetworkError(f"there is no layer {conv.source!r} for it to read")
    try:
        made = out_shape(conv, grid_of(source.shape, source.name), shape[0])
    except ShapeError as e:
        raise NetworkError(str(e)) from None
    if list(made) != list(shape):
        raise NetworkError(f"shape {shape} is not what a {conv.kind} of {source.name!r} makes "
                           f"({list(made)})")
    if kind == "conv":
        need = shape[0] * _channels(net, conv) * conv.size ** 2
        if kernels is None or len(kernels) != need:
            raise NetworkError(f"kernels hold {0 if kernels is None else len(kernels)} numbers, "
                               f"but {shape[0]} maps of {conv.size}×{conv.size} kernels over "
                               f"{_channels(net, conv)} channel(s) need {need}")
        if not (isinstance(biases, list) and len(biases) == shape[0]):
            raise NetworkError(f"biases should be a list of one number a map ({shape[0]})")
    size = math.prod(shape)
    layer = add_conv_layer(net, conv, shape[0], act, entry.get("param"), name, entry["x"],
                           range(entry["first"], entry["first"] + size), kernels, biases)
    shift = np.array([entry["x"], entry["y"]]) - net.pos[net.index(layer.neurons[0])]
    net.pos[net.index(layer.neurons)] += shift


def _channels(net: Network, conv: Conv) -> int:
    source = net.layer_named(conv.source)
    return grid_of(source.shape, source.name)[0]
