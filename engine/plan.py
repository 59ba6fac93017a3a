"""The level plan: how a network is computed, one masked dense matrix multiply per level.

Shared by the numpy forward pass (trace.py) and the torch model (compile.py), so both compute the
same thing in the same order.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import activations
from engine.network import HIDDEN, Network


@dataclass(frozen=True)
class LevelPlan:
    neurons: np.ndarray    # neuron indices computed at this level, grouped by activation
    sources: np.ndarray    # neuron indices feeding this level, ascending
    conns: np.ndarray      # connection indices into this level
    rows: np.ndarray       # each connection's row in the dense matrix (its source)
    cols: np.ndarray       # each connection's column (its target)
    groups: tuple[tuple[str, float, int, int], ...]  # (activation, param, start, stop) runs
    hidden: np.ndarray     # per neuron: hidden (dropout applies) or output
    full: bool             # every source feeds every neuron: no mask needed
    block: int | None = None  # first connection, when the level's connections are one run in
                              # row-major [sources, neurons] order (a dense layer): no scatter

    def dense(self, weight: np.ndarray) -> np.ndarray:
        """The level's weights as a [sources, neurons] matrix: a view into weight when it can
        be (read it, never write to it)."""
        if self.block is not None:
            return weight[self.block:self.block + len(self.conns)].reshape(len(self.sources), -1)
        w = np.zeros((len(self.sources), len(self.neurons)), dtype=weight.dtype)
        w[self.rows, self.cols] = weight[self.conns]
        return w

    @property
    def sparse(self) -> bool:
        """Few connections for its matrix: a hand-drawn level of many neurons, where a dense
        [sources, neurons] matrix would cost far more memory than the connections themselves."""
        return self.block is None and len(self.sources) * len(self.neurons) > 4 * len(self.conns) + 65536

    def mask(self) -> np.ndarray:
        m = np.zeros((len(self.sources), len(self.neurons)), dtype=bool)
        m[self.rows, self.cols] = True
        return m


@dataclass(frozen=True)
class Plan:
    n_neurons: int
    n_connections: int
    inputs: np.ndarray     # neuron indices of the inputs, in id order (the data's columns)
    outputs: np.ndarray    # neuron indices of the outputs, in id order
    softmax: np.ndarray    # neuron indices of the softmax group (outputs), applied last
    levels: tuple[LevelPlan, ...]


def _level(net: Network, members: np.ndarray, conns: np.ndarray, si: np.ndarray,
           di: np.ndarray) -> LevelPlan:
    members = members[np.lexsort((members, net.param[members], net.act[members]))]
    keys = list(zip(net.act[members].tolist(), net.param[members].tolist()))
    starts = [k for k in range(len(keys)) if k == 0 or keys[k] != keys[k - 1]]
    groups = tuple((activations.NAMES[keys[s][0]], keys[s][1], s, e)
                   for s, e in zip(starts, starts[1:] + [len(keys)]))
    feeding = si[conns]
    used = np.zeros(net.n_neurons, bool)  # a mask, not np.unique: no sort of every connection
    used[feeding] = True
    sources = np.flatnonzero(used)
    row_of, col_of = np.empty(net.n_neurons, np.int64), np.empty(net.n_neurons, np.int64)
    row_of[sources], col_of[members] = np.arange(len(sources)), np.arange(len(members))
    rows, cols = row_of[feeding], col_of[di[conns]]
    full = len(conns) == len(sources) * len(members)
    block = None
    if full and len(conns) and conns[-1] - conns[0] + 1 == len(conns) and np.array_equal(
            rows * len(members) + cols, np.arange(len(conns))):
        block = int(conns[0])
    return LevelPlan(members, sources, conns, rows, cols, groups, net.role[members] == HIDDEN, full,
                     block)


def make_plan(net: Network) -> Plan:
    level = net.levels()
    si, di = net.endpoints()
    conn_level = level[di]
    levels = tuple(_level(net, np.flatnonzero(level == k), np.flatnonzero(conn_level == k), si, di)
                   for k in range(1, int(level.max(initial=0)) + 1))
    softmax = np.flatnonzero(net.act == activations.NAMES.index("softmax"))
    return Plan(net.n_neurons, net.n_connections, np.flatnonzero(net.role == 0),
                np.flatnonzero(net.role == 2), softmax, levels)
