"""Building networks in one go: dense layers and specs such as "784-32-10"."""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable, Sequence

import numpy as np

from engine.conv import Conv, ShapeError, anchor, grid_of, kernel_pairs, out_shape
from engine.init import initialise
from engine.memory import check_fits
from engine import activations
from engine.network import MAX_LABEL, ROLES, Layer, Network, NetworkError
from engine.spec import Spec, parse

COLUMN = 220.0  # canvas units between layer columns
ROW = 66.0      # between neurons of a column: a bias label fits between two
PIXEL = 8.0     # between the neurons of a shaped (image) layer
# A longer column is laid out as a block of columns: a column of 32 made MNIST's network so tall
# that its 28×28 tile and its outputs' labels were unreadable when it fitted a laptop's canvas,
# and 784-1000-1000-10 was a strip 60,000 units tall.
MAX_COLUMN = 12
BLOCK_PITCH = 110.0  # between a block's columns: room for each neuron's weight picture
TILE_FROM = 256      # a layer this big is drawn as a tile, a neuron a pixel, where it has a shape


def tile_shape(size: int) -> tuple[int, int] | None:
    """Rows × columns of a big layer's tile: the squarest that holds it exactly, if no more than
    four times as wide as tall (1000: 25 × 40); None for a smaller layer or an awkward size."""
    if size < TILE_FROM:
        return None
    rows = next(r for r in range(math.isqrt(size), 0, -1) if size % r == 0)
    return (rows, size // rows) if size // rows <= 4 * rows else None


def _grid(size: int) -> tuple[int, int]:
    """Columns and rows of a block: columns of at most MAX_COLUMN, and never wider than tall."""
    cols = min(-(-size // MAX_COLUMN), math.ceil(math.sqrt(size)))
    return cols, -(-size // cols)


def _positions(size: int, x0: float, shape: tuple[int, ...] | None) -> np.ndarray:
    """Left edge at x0, centred on y = 0: an image's pixels, or a block filled column by column."""
    if shape is not None and len(shape) == 2:
        rows, cols = np.divmod(np.arange(size), shape[1])
        return np.stack([x0 + (cols - shape[1] / 2) * PIXEL, (rows - shape[0] / 2) * PIXEL], 1)
    n_cols, n_rows = _grid(size)
    cols, rows = np.divmod(np.arange(size), n_rows)
    last = size - (n_cols - 1) * n_rows  # the last column may be shorter: centred too
    height = np.where(cols == n_cols - 1, last, n_rows)
    return np.stack([x0 + cols * BLOCK_PITCH, (rows - (height - 1) / 2) * ROW], 1).astype(float)


def add_layer(net: Network, size: int, role: str = "hidden", activation: str = "sigmoid",
              param: float | None = None, sources: Sequence[int] | None = None,
              shape: tuple[int, ...] | None = None, name: str | None = None,
              weight: float = 0.0, x: float | None = None) -> Layer:
    """Adds `size` neurons, each connected from every id in `sources` (default: the last layer),
    in a new column at x (default: the next layer column)."""
    if size < 1:
        raise NetworkError(f"a layer needs at least one neuron, not {size}")
    if shape is not None and int(np.prod(shape)) != size:
        raise NetworkError(f"a layer of shape {shape} holds {int(np.prod(shape))} neurons, not {size}")
    if sources is None:
        sources = net.layers[-1].neurons if net.layers and role != "input" else []
    check_fits(net.n_neurons + size, net.n_connections + size * len(sources), f"a layer of {size}")
    if role == "input":
        activation = "linear"
    if x is None:
        x = next_column(net)
        if shape is not None and len(shape) == 2 and net.n_neurons:  # an image is placed by its centre
            x += shape[1] * PIXEL / 2
    ids = net.add_neurons(size, role, activation, param=param, positions=_positions(size, x, shape))
    src = np.asarray(sources, np.int64)
    if len(src):
        # source-major order, so a full layer's weights are one row-major [sources, targets] matrix
        net.connect_many(np.repeat(src, size), np.tile(ids, len(src)), weight)
    layer = Layer(name or f"layer {len(net.layers)}", ids.tolist(), shape)
    net.layers.append(layer)
    return layer


def add_conv_layer(net: Network, conv: Conv, channels: int = 0, activation: str = "relu",
                   param: float | None = None, name: str | None = None, x: float | None = None,
                   ids: Sequence[int] | None = None, kernels: np.ndarray | None = None,
                   biases: np.ndarray | None = None) -> Layer:
    """Adds a convolution (channels maps of conv.size² kernels) or a max-pooling reading the
    layer conv.source, an input image or another convolution or pooling (engine.conv): its
    units, and its kernels as the connections of each map's anchor."""
    source = net.layer_named(conv.source)
    if source is None:
        raise NetworkError(f"there is no layer {conv.source!r} for a {conv.kind} layer to read")
    if source.conv is None and (net.role[net.index(source.neurons)] != ROLES.index("input")).any():
        raise NetworkError(f"a {conv.kind} layer reads an input image or another convolution or "
                           f"pooling, not the dense layer {source.name!r}")
    try:
        in_shape = grid_of(source.shape, f"layer {source.name!r}")
        shape = out_shape(conv, in_shape, channels)
        anchor(conv, in_shape)
    except ShapeError as e:
        raise NetworkError(str(e)) from None
    size, per_map = math.prod(shape), shape[1] * shape[2]
    check_fits(net.n_neurons + size, net.n_connections + size, f"a {conv.kind} layer")
    pool = conv.kind == "pool"
    room = 0.0 if pool else kernel_room(conv, in_shape[0])
    pos = map_positions(shape, next_column(net) if x is None else x, room)
    per_unit = np.zeros(size) if pool or biases is None else np.repeat(np.asarray(biases, float), per_map)
    units = net.add_neurons(size, "hidden", "linear" if pool else activation, per_unit,
                            positions=pos, param=None if pool else param, ids=ids)
    if not pool:
        weights = 0.0 if kernels is None else np.asarray(kernels, float).reshape(-1)
        net.connect_many(*kernel_pairs(conv, np.asarray(source.neurons), units, in_shape, shape),
                         weights)
    layer = Layer(name or f"{conv.kind} {len(net.layers)}", units.tolist(), shape, conv)
    net.layers.append(layer)
    return layer


def kernel_room(conv: Conv, channels: int) -> float:
    """Canvas units left of each map for its kernel's picture: half-pixels, up to 8 channels."""
    return (min(channels, 8) * (conv.size + 1) + 1) * PIXEL / 2


def map_positions(shape: tuple[int, int, int], x0: float, room: float) -> np.ndarray:
    """A convolution's or pooling's units, each map a tile of PIXEL-spaced units, the maps in
    columns (about half as many as rows), room left of each for its kernel; centred on y = 0."""
    maps, h, w = shape
    cols = math.ceil(math.sqrt(maps) / 2)
    rows = -(-maps // cols)
    m, y, x = np.unravel_index(np.arange(maps * h * w), shape)
    left = x0 + room + (m // rows) * ((w + 2) * PIXEL + room)
    top = ((m % rows) * (h + 2) - (rows * (h + 2) - 2) / 2) * PIXEL
    return np.stack([left + x * PIXEL, top + y * PIXEL], 1)


def parse_spec(spec: str) -> Spec:
    """The layers of a spec (engine.spec), refused in words when they cannot be built."""
    return parse(spec)


def from_spec(spec: str, activation: str = "sigmoid", output_activation: str | None = None,
              param: float | None = None) -> Network:
    """A layered network; a 784-neuron input layer is shaped 28×28 and ten outputs after it are
    labelled 0-9 (MNIST); a big hidden layer is shaped as a tile (tile_shape). Convolutions and
    poolings read the layer before them."""
    parsed = parse(spec)
    parts, sizes = parsed.parts, parsed.sizes
    check_fits(sum(sizes), parsed.connections, spec)
    net = Network()
    first = parts[0].shape
    add_layer(net, sizes[0], "input", shape=first if len(first) == 2 else
              (28, 28) if sizes[0] == 784 else None, name="input")
    counts = {"conv": 0, "pool": 0, "hidden": 0}
    for part in parts[1:-1]:
        kind = part.conv.kind if part.conv else "hidden"
        counts[kind] += 1
        if part.conv is not None:
            add_conv_layer(net, replace(part.conv, source=net.layers[-1].name), part.channels,
                           activation, param, name=f"{kind} {counts[kind]}")
        else:
            add_layer(net, part.size, "hidden", activation, param, shape=tile_shape(part.size),
                      name=f"hidden {counts[kind]}")
    out = output_activation or activation
    layer = add_layer(net, sizes[-1], "output", out, param if out == activation else None,
                      name="output")
    if sizes[0] == 784 and sizes[-1] == 10:  # MNIST's ten classes, one output each
        for digit, nid in enumerate(layer.neurons):
            net.set_label(nid, str(digit))
    return net


def for_data(inputs: list[str], target: str, classes: list[str] | None, hidden: int) -> Network:
    """A network that fits a table: an input per input column, labelled with its name; one
    softmax output per class, labelled with it (classes), or one linear output named after the
    target (numbers); between them a sigmoid hidden layer of `hidden` neurons (0: none).
    Xavier-drawn, seed 0."""
    net = Network()
    layer = add_layer(net, len(inputs), "input", name="input")
    if hidden:
        add_layer(net, hidden, "hidden", "sigmoid", name="hidden 1")
    outputs = classes or [target]
    out = add_layer(net, len(outputs), "output", "softmax" if classes else "linear", name="output")
    for nid, name in zip(layer.neurons + out.neurons, list(inputs) + list(outputs)):
        net.set_label(nid, name[:MAX_LABEL])  # a file refuses longer labels
    initialise(net, "xavier", seed=0)
    return net


def next_column(net: Network) -> float:
    """Where a new layer goes: one column right of everything there, or at 0 on an empty one."""
    return float(net.pos[:, 0].max()) + COLUMN if net.n_neurons else 0.0


def subnetwork(net: Network, ids: Sequence[int]) -> Network:
    """The given neurons and the connections among them (what Copy puts on the clipboard)."""
    rows = np.atleast_1d(net.index(np.unique(np.asarray(ids, np.int64))))
    inside = np.zeros(net.n_neurons, bool)
    inside[rows] = True
    si, di = net.endpoints()
    k = np.flatnonzero(inside[si] & inside[di])  # one pass, no copy of the whole network
    return Network(ids=net.ids[rows], role=net.role[rows], act=net.act[rows],
                   param=net.param[rows], bias=net.bias[rows], pos=net.pos[rows],
                   labels=[net.labels[i] for i in rows], src=net.src[k], dst=net.dst[k],
                   weight=net.weight[k])


def merge(net: Network, part: Network, offset: tuple[float, float] = (0.0, 0.0)) -> list[int]:
    """Adds a copy of part's neurons and connections under new ids; returns those ids."""
    new = np.zeros(part.n_neurons, np.int64)  # the new id of each of part's neurons, in order
    # runs of alike neurons (a layer) added at once: one at a time is quadratic (0.6 s for
    # 784-1000-1000-10, and 0.4 s more to map 1.79 M connections through a dict)
    kinds = np.stack([part.role, part.act, part.param], 1)
    starts = np.flatnonzero(np.r_[True, (kinds[1:] != kinds[:-1]).any(1)])
    for lo, hi in zip(starts.tolist(), np.r_[starts[1:], part.n_neurons].tolist()):
        new[lo:hi] = net.add_neurons(
            hi - lo, ROLES[part.role[lo]], activations.NAMES[part.act[lo]], part.bias[lo:hi],
            part.labels[lo:hi], part.pos[lo:hi] + np.asarray(offset), float(part.param[lo]))
    if part.n_connections:
        net.connect_many(new[part.index(part.src)], new[part.index(part.dst)], part.weight)
    mapping = dict(zip(part.ids.tolist(), new.tolist()))
    names = _fresh_names(net, part)
    net.layers += [Layer(names.get(layer.name, layer.name), [mapping[n] for n in layer.neurons],
                         layer.shape, layer.conv and replace(layer.conv, source=names.get(
                             layer.conv.source, layer.conv.source))) for layer in part.layers]
    return list(mapping.values())


def _fresh_names(net: Network, part: Network) -> dict[str, str]:
    """New names for part's layers whose names net has, where a convolution names the layer it
    reads (plain layers keep theirs)."""
    if not part.conv_layers():
        return {}
    taken, names = {layer.name for layer in net.layers}, {}
    for layer in part.layers:
        name, k = layer.name, 2
        while name in taken:
            name, k = f"{layer.name} ({k})", k + 1
        taken.add(name)
        names[layer.name] = name
    return names


def grow_layer(net: Network, name: str) -> int:
    """One more neuron at the end of a layer, like its last one, with the connections its
    neurons have: from every neuron feeding the layer and to every neuron it feeds, Xavier-drawn
    (seeded by the new id). Returns its id."""
    layer = next((lay for lay in net.layers if lay.name == name), None)
    if layer is None or layer.shape is not None:
        raise NetworkError(f"there is no plain layer {name!r} to add a neuron to")
    ids = np.asarray(layer.neurons)
    last = net.index(int(ids[-1]))
    sources = np.unique(net.src[np.isin(net.dst, ids)])
    targets = np.unique(net.dst[np.isin(net.src, ids)])
    nid = net.add_neuron(ROLES[net.role[last]], activations.NAMES[net.act[last]],
                         param=float(net.param[last]), position=tuple(net.pos[last] + (0.0, ROW)))
    layer.neurons.append(nid)
    draw = _xavier(nid, len(sources) + len(targets))
    net.connect_many(sources, [nid] * len(sources), draw(len(sources)))
    net.connect_many([nid] * len(targets), targets, draw(len(targets)))
    return nid


def _xavier(nid: int, fans: int) -> Callable[[int], np.ndarray]:
    """Draws of n weights U(±√(6 / fans)) for a new neuron, seeded by its id."""
    rng, bound = np.random.default_rng(nid), np.sqrt(6.0 / max(fans, 1))
    return lambda n: rng.uniform(-bound, bound, n)


def add_feature_input(net: Network, name: str) -> int:
    """An input neuron labelled with a feature's name (engine.datasets.features), below the
    inputs, feeding every neuron the first input feeds, Xavier-drawn. Returns its id."""
    inputs = np.atleast_1d(net.index(net.inputs))
    if not len(inputs):
        raise NetworkError("a feature input is computed from x₁ and x₂: the network has no inputs")
    targets = np.unique(net.dst[net.src == net.ids[inputs[0]]])
    lowest = net.pos[inputs][np.argmax(net.pos[inputs][:, 1])]
    nid = net.add_neuron("input", "linear", label=name, position=tuple(lowest + (0.0, ROW)))
    draw = _xavier(nid, len(targets) + len(inputs) + 1)
    net.connect_many([nid] * len(targets), targets, draw(len(targets)))
    for layer in net.layers:  # it belongs with the inputs, where there is such a layer
        if layer.shape is None and int(net.ids[inputs[0]]) in layer.neurons:
            layer.neurons.append(nid)
    return nid
