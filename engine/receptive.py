"""A convolution's units and kernel weights by id: the window a unit reads (its receptive field
on the layer below) with the kernel weights it reads it through, and every connection a kernel
weight stands for. engine.conv has the geometry; this names the neurons and connections."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.conv import grid_of, kernel_pairs, sharing, window
from engine.network import Layer, Network


@dataclass(frozen=True)
class Field:
    layer: Layer
    source: Layer
    place: int              # the unit's place in its layer: map · h · w + row · w + column
    sources: np.ndarray     # ids of the units its window holds, in (channel, dy, dx) order
    conns: np.ndarray       # for a convolution, the kernel connection of each; none for pooling

    @property
    def map(self) -> int:
        return self.place // (self.layer.shape[1] * self.layer.shape[2])


def kernel_conns(net: Network, layer: Layer) -> np.ndarray:
    """A convolution's kernel connections, in (map, c_in, dy, dx) order."""
    source = net.layer_named(layer.conv.source)
    pairs = kernel_pairs(layer.conv, np.asarray(source.neurons), np.asarray(layer.neurons),
                         grid_of(source.shape, source.name), layer.shape)
    return net.connection_indices(np.stack(pairs, 1))


def field(net: Network, nid: int) -> Field | None:
    """The receptive field of a convolution's or pooling's unit; None for another neuron."""
    for layer, source in net.conv_layers():
        if layer.neurons[0] <= nid <= layer.neurons[-1]:
            place = nid - layer.neurons[0]
            in_shape = grid_of(source.shape, source.name)
            places, taps = window(layer.conv, in_shape, layer.shape, place)
            conns = kernel_conns(net, layer)[taps + (place // (layer.shape[1] * layer.shape[2])) *
                                             in_shape[0] * layer.conv.size ** 2] \
                if layer.conv.kind == "conv" else np.zeros(0, np.int64)
            return Field(layer, source, place, np.asarray(source.neurons)[places], conns)
    return None


def shared(net: Network, conn: int) -> tuple[Layer, np.ndarray, np.ndarray] | None:
    """A kernel connection's layer and every connection its weight stands for, as the ids of
    the units (all of one map) and of the inputs each reads through it; None for a connection
    that holds no kernel weight."""
    target = int(net.dst[conn])
    for layer, source in net.conv_layers():
        if layer.conv.kind == "conv" and layer.neurons[0] <= target <= layer.neurons[-1]:
            weight = int(np.flatnonzero(kernel_conns(net, layer) == conn)[0])
            units, inputs = sharing(layer.conv, grid_of(source.shape, source.name), layer.shape,
                                    weight)
            return layer, np.asarray(layer.neurons)[units], np.asarray(source.neurons)[inputs]
    return None
