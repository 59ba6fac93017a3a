"""The level plan: how a network is computed, one masked dense matrix multiply per level.

Shared by the numpy forward pass (trace.py) and the torch model (compile.py), so both compute the
same thing in the same order.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from engine import activations
from engine.conv import Conv, grid_of, implied_connections
from engine.network import HIDDEN, Layer, Network
from engine.receptive import kernel_conns


MIN_BLOCK = 1024  # connections in a run worth a matrix product of its own


def _dense_run(feeding: np.ndarray, fed: np.ndarray) -> tuple[np.ndarray, int]:
    """The longest row-major [sources, targets] block these connections start with (a dense
    layer, as add_layer lays it out): its sources, ascending, each feeding the same n targets in
    the same order, and n. The block is the first len(sources) * n connections."""
    n = int(np.argmax(feeding != feeding[0])) or len(feeding)  # targets in the first row
    m = len(feeding) // n
    rows, targets = feeding[:m * n].reshape(m, n), fed[:m * n].reshape(m, n)
    good = (rows == rows[:, :1]).all(1) & (targets == fed[:n]).all(1)
    good[1:] &= rows[1:, 0] > rows[:-1, 0]
    m = m if good.all() else int(np.argmin(good))
    return rows[:m, 0], n


def _places(members: np.ndarray) -> np.ndarray:
    """A lookup from neuron index to its place in members: a gather, not a search."""
    place = np.zeros(int(members.max(initial=-1)) + 1, np.int64)
    place[members] = np.arange(len(members))
    return place


@dataclass(frozen=True)
class LevelPlan:
    neurons: np.ndarray    # neuron indices computed at this level, grouped by activation
    sources: np.ndarray    # neuron indices feeding this level, ascending
    conns: np.ndarray      # connection indices into this level
    feeding: np.ndarray    # each connection's source (neuron index)
    fed: np.ndarray        # each connection's target (neuron index)
    groups: tuple[tuple[str, float, int, int], ...]  # (activation, param, start, stop) runs
    hidden: np.ndarray     # per neuron: hidden (dropout applies) or output
    full: bool             # every source feeds every neuron: no mask needed
    block: int | None = None  # first connection, when the level's connections are one run in
                              # row-major [sources, neurons] order (a dense layer): no scatter
    # a convolution or pooling: how it reads (engine.conv), its input's and its own maps ×
    # height × width; its sources are the layer it reads, its connections its kernels
    conv: tuple[Conv, tuple[int, int, int], tuple[int, int, int]] | None = None

    @property
    def weight_shape(self) -> tuple[int, ...]:
        """The shape of the level's weights in the compiled model."""
        if self.conv is None:
            return len(self.sources), len(self.neurons)
        conv, in_shape, shape = self.conv
        return (shape[0], in_shape[0], conv.size, conv.size) if conv.kind == "conv" else (0,)

    @property
    def n_biases(self) -> int:
        """Biases the compiled model keeps: one a neuron, one a feature map, none for pooling."""
        if self.conv is None:
            return len(self.neurons)
        return self.conv[2][0] if self.conv[0].kind == "conv" else 0

    @property
    def bias_of(self) -> np.ndarray:
        """Each neuron's place among the level's biases (a unit's map); none for pooling."""
        if self.conv is None:
            return np.arange(len(self.neurons))
        return np.repeat(np.arange(self.n_biases), len(self.neurons) // self.conv[2][0] *
                         (self.n_biases > 0))

    def biases(self, bias: np.ndarray) -> np.ndarray:
        """The level's biases out of neuron-order ones: a map's is its first unit's."""
        if self.conv is None:
            return bias[self.neurons]
        return bias[self.neurons[::len(self.neurons) // self.conv[2][0]]][:self.n_biases]

    @cached_property
    def rows(self) -> np.ndarray:
        """Each connection's row in the dense matrix (its source's place in sources)."""
        return _places(self.sources)[self.feeding]

    @cached_property
    def cols(self) -> np.ndarray:
        """Each connection's column (its target's place in neurons)."""
        return _places(self.neurons)[self.fed]

    def dense(self, weight: np.ndarray) -> np.ndarray:
        """The level's weights as a [sources, neurons] matrix: a view into weight when it can
        be (read it, never write to it); a convolution's kernels, maps × c_in × k × k."""
        if self.conv is not None:
            return weight[self.conns].reshape(self.weight_shape)
        if self.block is not None:
            return weight[self.block:self.block + len(self.conns)].reshape(len(self.sources), -1)
        w = np.zeros((len(self.sources), len(self.neurons)), dtype=weight.dtype)
        w[self.rows, self.cols] = weight[self.conns]
        return w

    @cached_property
    def pieces(self) -> tuple[tuple[tuple[int, np.ndarray, np.ndarray], ...], np.ndarray]:
        """The level's dense runs and what is left: ((first connection, source indices, columns)
        of each run of at least MIN_BLOCK connections that is a row-major [sources, targets]
        block, positions in conns of the others). A neuron duplicated in a dense layer leaves
        the layer's block whole and adds a small one: no scatter into a dense matrix."""
        bounds = np.concatenate([[0], np.flatnonzero(np.diff(self.conns) != 1) + 1,
                                 [len(self.conns)]])
        covered = np.zeros(len(self.conns), bool)
        place, found = _places(self.neurons), []
        for k in np.flatnonzero(np.diff(bounds) >= MIN_BLOCK).tolist():
            lo, hi = bounds[k], bounds[k + 1]
            while hi - lo >= MIN_BLOCK:
                sources, n = _dense_run(self.feeding[lo:hi], self.fed[lo:hi])
                if len(sources) * n < MIN_BLOCK:
                    break
                found.append((int(self.conns[lo]), sources, place[self.fed[lo:lo + n]]))
                covered[lo:lo + len(sources) * n] = True
                lo += len(sources) * n
        return tuple(found), np.flatnonzero(~covered)

    def weighted_sum(self, a: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """Σ_k a_k w_jk for each sample (rows of a, every neuron's activation) and each neuron
        of the level: a matrix product per dense run, one by one for the connections left."""
        if self.block is not None:
            return a[:, self.sources] @ self.dense(weight)
        blocks, rest = self.pieces if len(self.conns) >= MIN_BLOCK else ((), None)
        if blocks and 4 * len(rest) <= len(self.conns):
            z = np.zeros((len(a), len(self.neurons)))
            for start, sources, cols in blocks:
                w = weight[start:start + len(sources) * len(cols)].reshape(len(sources), -1)
                z[:, cols] += a[:, sources] @ w
            self._add_one_by_one(z, a, weight, rest)
            return z
        if self.sparse:  # never a huge mostly-zero matrix
            z = np.zeros((len(a), len(self.neurons)))
            self._add_one_by_one(z, a, weight, slice(None))
            return z
        return a[:, self.sources] @ self.dense(weight)

    def _add_one_by_one(self, z: np.ndarray, a: np.ndarray, weight: np.ndarray,
                        which: np.ndarray | slice) -> None:
        cols = self.cols[which] if isinstance(which, slice) else _places(self.neurons)[self.fed[which]]
        np.add.at(z, (slice(None), cols), a[:, self.feeding[which]] * weight[self.conns[which]])

    @property
    def sparse(self) -> bool:
        """Few connections for its matrix: a hand-drawn level of many neurons, where a dense
        [sources, neurons] matrix would cost far more memory than the connections themselves."""
        return self.block is None and len(self.sources) * len(self.neurons) > 4 * len(self.conns) + 65536

    def mask(self) -> np.ndarray:
        m = np.zeros((len(self.sources), len(self.neurons)), dtype=bool)
        m[self.rows, self.cols] = True
        return m


# numpy's window pass costs about ten times a matrix product's per multiply-add (a convnet's
# 2.6 M took 14 ms a digit, 784-1000-1000-10's 1.8 M about 1 ms)
WINDOW_COST = 10


@dataclass(frozen=True)
class Plan:
    n_neurons: int
    n_connections: int
    inputs: np.ndarray     # neuron indices of the inputs, in id order (the data's columns)
    outputs: np.ndarray    # neuron indices of the outputs, in id order
    softmax: np.ndarray    # neuron indices of the softmax group (outputs), applied last
    levels: tuple[LevelPlan, ...]

    @cached_property
    def work(self) -> float:
        """What the numpy pass costs a sample, in a dense layer's multiply-adds: a connection
        each, and each connection a convolution stands for at WINDOW_COST."""
        return float(sum(len(lv.conns) if lv.conv is None else
                         WINDOW_COST * implied_connections(*lv.conv) for lv in self.levels))


def _level(net: Network, members: np.ndarray, conns: np.ndarray, feeding: np.ndarray,
           fed: np.ndarray) -> LevelPlan:
    members = members[np.lexsort((members, net.param[members], net.act[members]))]
    keys = list(zip(net.act[members].tolist(), net.param[members].tolist()))
    starts = [k for k in range(len(keys)) if k == 0 or keys[k] != keys[k - 1]]
    groups = tuple((activations.NAMES[keys[s][0]], keys[s][1], s, e)
                   for s, e in zip(starts, starts[1:] + [len(keys)]))
    n = len(members)
    if len(conns) and conns[-1] - conns[0] + 1 == len(conns):  # one run of connections
        first, width = _dense_run(feeding, fed)
        if len(first) * width == len(conns) and width == n and (fed[:n] == members).all():
            # a dense layer in row-major order, its columns the neurons in order: no scatter
            return LevelPlan(members, first, conns, feeding, fed, groups,
                             net.role[members] == HIDDEN, True, int(conns[0]))
    used = np.zeros(net.n_neurons, bool)  # a mask, not np.unique: no sort of every connection
    used[feeding] = True
    sources = np.flatnonzero(used)
    return LevelPlan(members, sources, conns, feeding, fed, groups, net.role[members] == HIDDEN,
                     len(conns) == len(sources) * n)


def _conv_level(net: Network, layer: Layer, source: Layer) -> LevelPlan:
    conv, shape = layer.conv, layer.shape
    in_shape = grid_of(source.shape, source.name)
    units, sources = np.asarray(layer.neurons), np.asarray(source.neurons)
    conns = kernel_conns(net, layer) if conv.kind == "conv" else np.zeros(0, np.int64)
    s, d = net.src[conns], net.dst[conns]
    rows = np.atleast_1d(net.index(units))
    first = rows[0]
    groups = ((activations.NAMES[net.act[first]], float(net.param[first]), 0, len(rows)),)
    return LevelPlan(rows, np.atleast_1d(net.index(sources)), conns, np.atleast_1d(net.index(s)),
                     np.atleast_1d(net.index(d)), groups, net.role[rows] == HIDDEN, False,
                     conv=(conv, in_shape, tuple(shape)))


def _joined(si: np.ndarray, di: np.ndarray, spans: list[tuple[int, int]]) -> tuple:
    """A level's connections from the runs of it: views when there is one run."""
    if len(spans) == 1:
        lo, hi = spans[0]
        return np.arange(lo, hi), si[lo:hi], di[lo:hi]
    conns = np.concatenate([np.arange(lo, hi) for lo, hi in spans] or [np.zeros(0, np.int64)])
    return (conns, *(np.concatenate([a[lo:hi] for lo, hi in spans] or [a[:0]]) for a in (si, di)))


def make_plan(net: Network) -> Plan:
    level = net.levels()
    si, di = net.endpoints()
    convs = net.conv_layers()
    if convs:  # a convolution's units and kernels are levels of their own
        level = level.copy()
        for layer, _ in convs:
            level[net.index(layer.neurons)] = -1
    conn_level = level[di]
    top = int(level.max(initial=0))
    edges = np.flatnonzero(conn_level[1:] != conn_level[:-1]) + 1
    if len(edges) <= 4 * top + 64:  # a few runs of one level each (layers, a few added later):
        starts = np.concatenate([[0], edges]) if len(conn_level) else edges  # slices, not scans
        ends = np.append(starts[1:], len(conn_level))
        runs: list[list[tuple[int, int]]] = [[] for _ in range(top + 1)]
        for lo, hi, k in zip(starts.tolist(), ends.tolist(), conn_level[starts].tolist()):
            if k > 0:  # not a convolution's kernels (level -1 here)
                runs[k].append((lo, hi))
        parts = [_joined(si, di, spans) for spans in runs[1:]]
    else:
        parts = [(c, si[c], di[c]) for c in (np.flatnonzero(conn_level == k)
                                             for k in range(1, top + 1))]
    levels = [(k, _level(net, np.flatnonzero(level == k), *part))
              for k, part in enumerate(parts, 1) if len(part[0]) or (level == k).any()]
    if convs:
        depth = net.levels()
        levels += [(int(depth[net.index(layer.neurons[0])]), _conv_level(net, layer, source))
                   for layer, source in convs]
        levels.sort(key=lambda pair: pair[0])
    softmax = np.flatnonzero(net.act == activations.NAMES.index("softmax"))
    return Plan(net.n_neurons, net.n_connections, np.flatnonzero(net.role == 0),
                np.flatnonzero(net.role == 2), softmax, tuple(lv for _, lv in levels))


def reader(needed: np.ndarray, blocks: list[np.ndarray]) -> int | np.ndarray:
    """Where a level reads its sources: a whole earlier block, or columns of all blocks so far."""
    for k, block in enumerate(blocks):
        if np.array_equal(block, needed):
            return k
    position = {int(n): i for i, n in enumerate(np.concatenate(blocks))}
    return np.array([position[int(n)] for n in needed], dtype=np.int64)
