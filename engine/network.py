"""The network document: neurons and connections, their numbers held in numpy arrays.

Neurons have stable integer ids kept in ascending order; connections are (source id, target id,
weight) rows. Every edit validates first and then announces a Change through `network.changed`.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field, fields
from typing import Any, Iterable, Sequence

import numpy as np

from engine import activations
from engine.conv import Conv
from engine.errors import EngineError
from engine.events import Change, Event

ROLES: tuple[str, ...] = ("input", "hidden", "output")
INPUT, HIDDEN, OUTPUT = 0, 1, 2
ID_MAX = 2 ** 31 - 1  # ids are stored as int32 in files with many connections
MAX_LABEL = 1000  # characters of a neuron's label or a layer's name
FEW = 64  # connections in one edit up to which a change names each of them


class NetworkError(EngineError):
    """An edit the network refuses; the message says what and why."""


@dataclass(frozen=True)
class Neuron:
    """A read-only copy of one neuron's properties."""

    id: int
    role: str
    activation: str
    param: float
    bias: float
    label: str
    position: tuple[float, float]


@dataclass
class Layer:
    """Neurons built in one go ("a dense layer of 32"); shape is for display, e.g. (28, 28), and
    for a convolution or pooling (conv) its maps × height × width (engine.conv)."""

    name: str
    neurons: list[int]
    shape: tuple[int, ...] | None = None
    conv: Conv | None = None


NEURON_ARRAYS = ("ids", "role", "act", "param", "bias", "pos")


def _made_from(cache: tuple, arrays: tuple) -> bool:
    """A cache (arrays, result) still holds: every structural edit replaces the arrays it used."""
    return bool(cache) and len(cache[0]) == len(arrays) and all(
        a is b for a, b in zip(cache[0], arrays))


def _kept(cut: np.ndarray, conns: np.ndarray) -> slice | np.ndarray:
    """What indexes the connections that stay: a slice when the cut ones are the last (an
    added layer taken back), so the arrays are views instead of gathered copies."""
    if not len(conns) or (conns[0] == len(cut) - len(conns) and conns[-1] == len(cut) - 1):
        return slice(0, len(cut) - len(conns))
    return np.flatnonzero(~cut)  # one index array, reused for the five gathers


def _base_levels(role: np.ndarray | int) -> np.ndarray:
    """A neuron's level before its sources count: inputs 0, the others 1."""
    return np.where(np.asarray(role) == INPUT, 0, 1).astype(np.int64)


def _named(nid: int | Sequence[int] | np.ndarray) -> tuple[int, ...]:
    return tuple(int(n) for n in np.atleast_1d(nid).tolist())


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """np.unique by a sort: numpy 2.3's hashing unique took 0.7 s for a layer's 784,000 keys."""
    keys = np.sort(keys)
    return keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys


def found_in(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Which of keys are in sorted_keys: a binary search each, no sort of the first."""
    if not len(sorted_keys):
        return np.zeros(len(keys), bool)
    return sorted_keys[np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)] == keys


def _copied(layers: list[Layer]) -> list[Layer]:
    return [Layer(layer.name, list(layer.neurons), layer.shape, layer.conv) for layer in layers]


@dataclass(frozen=True)
class Removed:
    """What Network.remove took out, enough to put it back bit for bit (for undo): the size of
    what was removed, never a copy of the whole network."""

    rows: np.ndarray                 # the neurons' array positions before the removal
    neurons: dict[str, np.ndarray]   # their NEURON_ARRAYS rows
    labels: list[str]
    conns: np.ndarray                # the connections' positions before the removal
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    layers: list[Layer]              # the layers before (ids only: small)


@dataclass
class Network:
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    role: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    act: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    param: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bias: np.ndarray = field(default_factory=lambda: np.zeros(0))
    pos: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    labels: list[str] = field(default_factory=list)
    src: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    dst: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    layers: list[Layer] = field(default_factory=list)
    training: dict = field(default_factory=dict)
    # what training leaves exactly as set by hand: biases by neuron id, weights by (source,
    # target); entries of deleted neurons or connections are ignored (and apply again on undo)
    frozen_biases: set[int] = field(default_factory=set)
    frozen_weights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # pair_keys
    # how the last run ended, for the next to go on from: an engine.resume.OptimizerState
    resume: Any = None
    changed: Event[Change] = field(default_factory=Event, repr=False, compare=False)
    # endpoints() and levels(), each kept as (the arrays it was made from, the result)
    _rows: tuple = field(default=(), repr=False, compare=False)
    _levels: tuple = field(default=(), repr=False, compare=False)
    # connection_index's last answers, checked at each read (a structural edit moves them)
    _found: dict = field(default_factory=dict, repr=False, compare=False)

    def _state(self) -> dict:
        return {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self)
                if f.name not in ("changed", "_rows", "_levels", "_found")}

    def copy(self) -> Network:
        """An independent deep copy, without the subscribers."""
        return Network(**self._state())

    # ---- reading -------------------------------------------------------------------------
    @property
    def n_neurons(self) -> int:
        return len(self.ids)

    @property
    def n_connections(self) -> int:
        return len(self.src)

    def index(self, ids: int | Sequence[int] | np.ndarray) -> np.ndarray | int:
        """Array position(s) of neuron id(s); raises NetworkError for an unknown id."""
        arr, n = np.asarray(ids, dtype=np.int64), len(self.ids)
        if n and self.ids[-1] - self.ids[0] == n - 1:  # ids without gaps: a subtraction, not
            pos = arr - self.ids[0]                    # a binary search per id (1.79 M of them)
            bad = (pos < 0) | (pos >= n)
        elif n:
            pos = np.searchsorted(self.ids, arr)
            bad = (pos >= n) | (self.ids[np.minimum(pos, n - 1)] != arr)
        else:
            pos, bad = np.searchsorted(self.ids, arr), np.ones(arr.shape, bool)
        if np.any(bad):
            raise NetworkError(f"there is no neuron {int(np.atleast_1d(arr)[np.atleast_1d(bad)][0])}")
        return int(pos) if pos.ndim == 0 else pos

    def endpoints(self) -> tuple[np.ndarray, np.ndarray]:
        """Each connection's source and target row (array position). Kept while the id and
        connection arrays stay the same objects: every structural edit replaces them."""
        key = (self.ids, self.src, self.dst)
        if not _made_from(self._rows, key):
            self._rows = (key, (np.atleast_1d(self.index(self.src)),
                                np.atleast_1d(self.index(self.dst))))
        return self._rows[1]

    def neuron(self, nid: int) -> Neuron:
        i = self.index(nid)
        x, y = self.pos[i]
        return Neuron(int(nid), ROLES[self.role[i]], activations.NAMES[self.act[i]],
                      float(self.param[i]), float(self.bias[i]), self.labels[i], (float(x), float(y)))

    def ids_with_role(self, role: str) -> np.ndarray:
        return self.ids[self.role == ROLES.index(role)]

    @property
    def inputs(self) -> np.ndarray:
        return self.ids_with_role("input")

    @property
    def outputs(self) -> np.ndarray:
        return self.ids_with_role("output")

    def connection_index(self, source: int, target: int) -> int | None:
        # a hand edit asks three times (the old value, the write, the trainer's index): each
        # search is a pass over every connection, 1.5 ms at 784-1000-1000-10
        k = self._found.get((source, target))
        if k is not None and k < len(self.src) and self.src[k] == source and self.dst[k] == target:
            return k
        hit = np.flatnonzero(self.src == source)
        hit = hit[self.dst[hit] == target]
        if not len(hit):
            return None
        if len(self._found) > 1000:
            self._found.clear()
        self._found[(source, target)] = k = int(hit[0])
        return k

    def connection_indices(self, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
        """The indices of these existing (source, target) connections."""
        pairs = np.asarray(pairs, np.int64).reshape(-1, 2)
        if len(pairs) <= 16:  # a hand edit: a comparison each, no sort of every connection
            return np.array([self.connection_index(s, t) for s, t in pairs.tolist()], np.int64)
        keys = self.pair_keys(self.src, self.dst)
        order = np.argsort(keys)
        return order[np.searchsorted(keys[order], self.pair_keys(pairs[:, 0], pairs[:, 1]))]

    def weight_of(self, source: int, target: int) -> float:
        k = self.connection_index(source, target)
        if k is None:
            raise NetworkError(f"neurons {source} and {target} are not connected")
        return float(self.weight[k])

    def connections_of(self, nid: int) -> np.ndarray:
        """Indices of every connection into or out of a neuron."""
        return np.flatnonzero((self.src == nid) | (self.dst == nid))

    def connection_problem(self, source: int, target: int) -> str | None:
        """Why source → target would be refused, in words, or None if it is fine."""
        try:
            self._check_connections(np.array([source]), np.array([target]))
        except NetworkError as e:
            return str(e)
        reached, frontier = {target}, [target]
        while frontier:  # does target already lead to source?
            nxt = self.dst[np.isin(self.src, frontier)]
            frontier = [int(n) for n in nxt if int(n) not in reached]
            reached.update(frontier)
        if source in reached:
            return self._cycle_reason(np.array([source]), np.array([target]))
        return None

    def levels(self) -> np.ndarray:
        """Level of every neuron (array order): inputs 0, others one above their highest source.
        Kept while the id, role and connection arrays stay the same objects; structural edits
        carry it over, updated for what they changed."""
        if self._kept_levels() is None:
            self._keep(levels=self._compute_levels())
        return self._levels[1]

    def _conv_signature(self) -> tuple:
        """What of the convolution layers the levels rest on: adding one to the layers moves
        its units' levels without a change to the arrays."""
        return tuple((layer.name, layer.conv, len(layer.neurons)) for layer in self.layers
                     if layer.conv is not None)

    def _level_key(self) -> tuple:
        return self.ids, self.role, self.src, self.dst

    def _keep(self, rows: tuple[np.ndarray, np.ndarray] | None = None,
              levels: np.ndarray | None = None) -> None:
        """Caches endpoints and levels worked out by an edit for the arrays it left."""
        if rows is not None:
            self._rows = ((self.ids, self.src, self.dst), rows)
        if levels is not None:
            self._levels = (self._level_key(), levels, self._conv_signature())

    def _kept_levels(self) -> np.ndarray | None:
        if _made_from(self._levels, self._level_key()) and self._levels[2] == self._conv_signature():
            return self._levels[1]
        return None


    def _compute_levels(self) -> np.ndarray:
        """Peels the network from its inputs, one level of neurons a round (Kahn's algorithm,
        vectorised): as many rounds as levels, and neurons never freed mean a cycle. A
        convolution's units sit one level above the layer it reads."""
        level = _base_levels(self.role)
        for layer, source in self.conv_layers():
            level[self.index(layer.neurons)] = level[self.index(source.neurons)].max() + 1
        s, d = self.endpoints()
        waiting = np.bincount(d, minlength=self.n_neurons)
        free = waiting == 0
        left = self.n_neurons
        while left:
            left -= int(free.sum())
            k = np.flatnonzero(free[s])
            if not len(k):
                break
            np.maximum.at(level, d[k], level[s[k]] + 1)
            fed = np.bincount(d[k], minlength=self.n_neurons)
            waiting -= fed
            free = (waiting == 0) & (fed > 0)
        if left:
            raise NetworkError("the connections form a cycle; networks must be feed-forward")
        return level

    def _raised(self, level: np.ndarray, s: np.ndarray, d: np.ndarray) -> np.ndarray:
        """Levels after connections s → d (rows) were added to a network whose levels were
        `level`: only what lies downstream of them moves up. Long chains and cycles go to the
        full computation, which names a cycle."""
        all_s, all_d = self.endpoints()
        for _ in range(32):
            new = level.copy()
            np.maximum.at(new, d, level[s] + 1)
            moved = new != level
            if not moved.any():
                return new
            level = new
            k = np.flatnonzero(moved[all_s])
            s, d = all_s[k], all_d[k]
        return self._compute_levels()

    def _lowered(self, level: np.ndarray, targets: np.ndarray) -> np.ndarray | None:
        """Levels after connections into `targets` (rows) were removed, when none of them
        drops: each still has a source one level below it (in a layer, any other neuron of the
        layer before; found in the first chunk, so the rest is not looked at). None when one
        may have dropped."""
        need = targets[level[targets] > _base_levels(self.role[targets])]
        if not len(need):
            return level
        s, d = self.endpoints()
        hit = np.zeros(self.n_neurons, bool)
        hit[need] = True
        into, held = np.flatnonzero(hit[d]), np.zeros(self.n_neurons, bool)
        for start in range(0, len(into), 65536):
            k = into[start:start + 65536]
            held[d[k][level[s[k]] + 1 == level[d[k]]]] = True
            if held[need].all():
                return level
        return None

    # ---- convolution layers ------------------------------------------------------------------
    def layer_named(self, name: str) -> Layer | None:
        return next((layer for layer in self.layers if layer.name == name), None)

    def conv_layers(self) -> list[tuple[Layer, Layer]]:
        """Each convolution or pooling layer, in order, with the layer it reads."""
        return [(layer, self.layer_named(layer.conv.source)) for layer in self.layers
                if layer.conv is not None]

    def unit_rows(self) -> np.ndarray:
        """Which neurons (rows) are convolution or pooling units: pixels of their layer's maps,
        drawn and stored with it."""
        inside = np.zeros(self.n_neurons, bool)
        for layer, _ in self.conv_layers():
            inside[self.index(layer.neurons)] = True
        return inside

    def _units(self, ids: np.ndarray) -> list[tuple[Layer, np.ndarray]]:
        """The convolution and pooling layers among ids, with the ids of each; a layer's units
        have consecutive ids, so membership is a range test."""
        found = []
        for layer in self.layers:
            if layer.conv is not None:
                inside = (ids >= layer.neurons[0]) & (ids <= layer.neurons[-1])
                if inside.any():
                    found.append((layer, ids[inside]))
        return found

    def _refuse_units(self, ids: np.ndarray, doing: str) -> None:
        for layer, mine in self._units(ids)[:1]:
            raise NetworkError(f"neuron {int(mine[0])} is a unit of {layer.conv.kind} layer "
                               f"{layer.name!r}, whose connections come from its "
                               f"{'kernels' if layer.conv.kind == 'conv' else 'windows'}: "
                               f"{doing}")

    def map_rows(self, layer: Layer, ids: np.ndarray) -> list[np.ndarray]:
        """The rows of each feature map that holds one of ids (a unit of layer)."""
        per_map = math.prod(layer.shape[1:])
        first = self.index(layer.neurons[0])
        maps = (np.asarray(ids) - layer.neurons[0]) // per_map
        return [first + m * per_map + np.arange(per_map) for m in maps.tolist()]

    def tied_biases(self, biases: np.ndarray) -> np.ndarray:
        """Neuron-order biases with each feature map's units given its first unit's bias (the
        one the file and the trainer keep): a map shares one bias, and a pooling has none."""
        for layer, _ in self.conv_layers():
            rows = self.index(layer.neurons).reshape(layer.shape[0], -1)
            biases[rows] = biases[rows[:, :1]] if layer.conv.kind == "conv" else 0.0
        return biases

    def with_dependents(self, ids: Sequence[int]) -> np.ndarray:
        """ids, with the whole layer of any convolution or pooling unit among them, and every
        such layer that reads a layer going whole: a user deleting the input image, or a unit
        of a map, deletes what could no longer be computed."""
        gone = np.unique(np.asarray(ids, np.int64))
        for layer, source in self.conv_layers():  # in order: readers come after what they read
            held = (gone >= layer.neurons[0]) & (gone <= layer.neurons[-1])
            if held.any() or np.isin(source.neurons, gone).all():
                gone = np.union1d(gone, layer.neurons)
        return gone

    def removal_problem(self, ids: Sequence[int], connections: Sequence[int] = ()) -> str | None:
        """Why remove(ids, connections) would be refused, in words, or None."""
        try:
            self._check_removal(np.unique(np.asarray(ids, np.int64)), np.asarray(connections, np.int64))
        except NetworkError as e:
            return str(e)
        return None

    def _check_removal(self, ids: np.ndarray, connections: np.ndarray) -> None:
        """A convolution layer goes whole, after what reads it; its kernels' connections and
        the layer it reads stay while it does."""
        for layer, source in self.conv_layers():
            mine = np.isin(layer.neurons, ids)
            if mine.all():
                continue
            if mine.any():
                raise NetworkError(f"the units of {layer.conv.kind} layer {layer.name!r} go "
                                   "together: delete the whole layer")
            if np.isin(source.neurons, ids).any():
                raise NetworkError(f"layer {source.name!r} feeds {layer.conv.kind} layer "
                                   f"{layer.name!r}: delete that layer first")
            into = self.dst[np.asarray(connections, np.int64)]
            if ((into >= layer.neurons[0]) & (into <= layer.neurons[-1])).any():
                raise NetworkError(f"that connection holds a kernel weight of {layer.name!r}; "
                                   "a kernel's weights go with their layer")

    # ---- neuron edits ----------------------------------------------------------------------
    def add_neuron(self, role: str = "hidden", activation: str = "sigmoid", bias: float = 0.0,
                   label: str = "", position: tuple[float, float] = (0.0, 0.0),
                   param: float | None = None, nid: int | None = None) -> int:
        """Adds one neuron and returns its id (a given id re-creates a deleted neuron, for undo)."""
        return int(self.add_neurons(1, role, activation, bias, [label], [position], param,
                                    None if nid is None else [nid])[0])

    def add_neurons(self, count: int, role: str = "hidden", activation: str = "sigmoid",
                    bias: float | Sequence[float] = 0.0, labels: Sequence[str] | None = None,
                    positions: Sequence[Sequence[float]] | np.ndarray | None = None,
                    param: float | None = None, ids: Sequence[int] | None = None) -> np.ndarray:
        r = self._check_role(role)
        a, p = self._check_activation(activation, param, r)
        if ids is None:
            start = int(self.ids[-1]) + 1 if len(self.ids) else 0
            new = np.arange(start, start + count, dtype=np.int64)
        else:
            new = np.asarray(ids, dtype=np.int64)
            taken = new[np.isin(new, self.ids)].tolist() or \
                new[np.flatnonzero(np.diff(np.sort(new)) == 0)].tolist()
            if taken:
                raise NetworkError(f"neuron id {taken[0]} is already taken")
        if len(new) and (new.min() < 0 or new.max() > ID_MAX):
            raise NetworkError(f"neuron ids run from 0 to {ID_MAX}; there is no room for "
                               f"{count} more")
        order = np.argsort(new, kind="stable")  # ids stay ascending whatever order they come in
        at = np.searchsorted(self.ids, new[order])
        pos = np.zeros((count, 2)) if positions is None else np.asarray(positions, float)
        rows, level, n = self.endpoints(), self._kept_levels(), self.n_neurons
        self.ids = np.insert(self.ids, at, new[order])
        self.role = np.insert(self.role, at, r)
        self.act = np.insert(self.act, at, a)
        self.param = np.insert(self.param, at, p)
        self.bias = np.insert(self.bias, at, np.broadcast_to(np.asarray(bias, float), count)[order])
        self.pos = np.insert(self.pos, at, pos.reshape(count, 2)[order], axis=0)
        names = list(labels) if labels is not None else [""] * count
        for offset, i in enumerate(at.tolist()):
            self.labels.insert(i + offset, names[order[offset]])
        if len(at) and at.min() < n:  # not appended: rows after an insertion move down
            moved = np.arange(n) + np.searchsorted(np.sort(at), np.arange(n), side="right")
            rows = moved[rows[0]], moved[rows[1]]
        self._keep(rows, None if level is None else np.insert(level, at, _base_levels(r)))
        self.changed.emit(Change("structure", tuple(new.tolist())))
        return new

    def remove_neuron(self, nid: int) -> None:
        """Removes a neuron together with its connections."""
        self.remove([nid])

    def remove(self, ids: Sequence[int] | np.ndarray = (),
               connections: Sequence[int] | np.ndarray = ()) -> Removed:
        """Removes neurons with all their connections, and the connections at the given
        positions, in one go; returns what put_back needs to undo it."""
        ids = np.unique(np.asarray(ids, np.int64))
        if any(layer.conv for layer in self.layers):
            self._check_removal(ids, connections)
        rows = np.atleast_1d(self.index(ids)) if len(ids) else np.zeros(0, np.int64)
        si, di = self.endpoints()
        level = self._kept_levels()
        gone = np.zeros(self.n_neurons, bool)
        gone[rows] = True
        if len(rows) <= 2:  # comparisons with a neuron's row are cheaper than lookups
            cut = np.zeros(len(si), bool)
            for row in rows.tolist():
                cut |= si == row
                cut |= di == row
        else:
            cut = gone[si] | gone[di]  # a lookup per connection, not a search
        cut[np.asarray(connections, np.int64)] = True
        conns = np.flatnonzero(cut)
        removed = Removed(rows, {name: getattr(self, name)[rows] for name in NEURON_ARRAYS},
                          [self.labels[i] for i in rows], conns, self.src[conns],
                          self.dst[conns], self.weight[conns], _copied(self.layers))
        kept = _kept(cut, conns)
        self.src, self.dst, self.weight = self.src[kept], self.dst[kept], self.weight[kept]
        keep = ~gone
        for name in NEURON_ARRAYS:
            setattr(self, name, getattr(self, name)[keep])
        self.labels = [label for label, k in zip(self.labels, keep.tolist()) if k]
        dropped = set(ids.tolist())
        for layer in self.layers:
            layer.neurons = [n for n in layer.neurons if n not in dropped]
            if layer.shape and math.prod(layer.shape) != len(layer.neurons):
                layer.shape = None  # a 28×28 tile less a pixel is no picture (undo gives it back)
        self.layers = [layer for layer in self.layers if layer.neurons]
        si, di = si[kept], di[kept]
        if not len(rows) or rows[0] == len(keep) - len(rows) == rows[-1] - len(rows) + 1:
            pass  # the last rows (an added layer taken back): the others keep their numbers
        elif len(rows) <= 2:
            if isinstance(kept, slice):  # views of the old rows, which others still hold
                si, di = si.copy(), di.copy()
            for row in rows[::-1].tolist():  # a comparison per removed row, in place
                np.subtract(si, si > row, out=si)
                np.subtract(di, di > row, out=di)
        else:
            new_row = np.cumsum(keep) - 1  # renumbering by lookup, not a search over every id
            si, di = new_row[si], new_row[di]
        self._keep((si, di))
        if level is not None:
            fed = removed.dst[np.isin(removed.dst, self.ids)]
            self._keep(levels=self._lowered(level[keep], np.unique(self.index(fed))))
        self.changed.emit(Change("structure", tuple(ids.tolist())))
        return removed

    def put_back(self, removed: Removed) -> None:
        """Undoes remove: every row returns to its old position."""
        si, di = self.endpoints()
        level = self._kept_levels()
        at = removed.rows - np.arange(len(removed.rows))  # positions in the shorter arrays
        for name in NEURON_ARRAYS:
            setattr(self, name, np.insert(getattr(self, name), at, removed.neurons[name], axis=0))
        for row, label in zip(removed.rows.tolist(), removed.labels):
            self.labels.insert(row, label)
        if level is not None:
            level = np.insert(level, at, _base_levels(removed.neurons["role"]))
        at = removed.conns - np.arange(len(removed.conns))
        self.src, self.dst, self.weight = (np.insert(a, at, v) for a, v in (
            (self.src, removed.src), (self.dst, removed.dst), (self.weight, removed.weight)))
        self.layers = _copied(removed.layers)
        old_row = np.delete(np.arange(self.n_neurons), removed.rows)
        s, d = np.atleast_1d(self.index(removed.src)), np.atleast_1d(self.index(removed.dst))
        self._keep((np.insert(old_row[si], at, s), np.insert(old_row[di], at, d)))
        if level is not None:
            self._keep(levels=self._raised(level, s, d))
        self.changed.emit(Change("structure", tuple(removed.neurons["ids"].tolist())))

    def set_bias(self, nid: int | Sequence[int] | np.ndarray,
                 bias: float | Sequence[float] | np.ndarray) -> None:
        """One neuron's bias, or several neurons' (one value for all, or one each). A unit of a
        feature map sets its map's one bias."""
        rows, ids = self.index(nid), np.atleast_1d(np.asarray(nid, np.int64))
        units = self._units(ids)
        for layer, mine in units:
            if layer.conv.kind == "pool":
                self._refuse_units(mine, "a pooling unit has no bias")
        self.bias[rows] = bias
        for layer, mine in units:
            values = np.broadcast_to(self.bias[np.atleast_1d(rows)], ids.shape)[np.isin(ids, mine)]
            for map_rows, value in zip(self.map_rows(layer, mine), values.tolist()):
                self.bias[map_rows] = value
        self.changed.emit(Change("biases", _named(nid)))

    def set_biases(self, biases: np.ndarray) -> None:
        """All biases at once, in neuron (array) order: one vectorised copy."""
        self.bias[:] = biases
        self.changed.emit(Change("biases"))

    def set_activation(self, nid: int | Sequence[int] | np.ndarray, name: str,
                       param: float | None = None) -> None:
        """One neuron's activation, or several neurons' (all checked before any changes). A
        convolution's units share one: a unit sets its whole layer's."""
        rows, ids = np.atleast_1d(self.index(nid)), np.atleast_1d(nid)
        for layer, mine in self._units(ids):
            if layer.conv.kind == "pool":
                self._refuse_units(mine, "pooling takes each window's largest value and has "
                                         "no activation")
            rows = np.union1d(rows, self.index(layer.neurons))
        for k in np.unique(self.role[rows], return_index=True)[1].tolist():
            act, value = self._check_activation(name, param, self.role[rows[k]],
                                                int(self.ids[rows[k]]))
        if len(rows):
            self.act[rows], self.param[rows] = act, value
        self.changed.emit(Change("neurons", _named(nid)))

    def set_role(self, nid: int, role: str) -> None:
        i, r = self.index(nid), self._check_role(role)
        self._refuse_units(np.array([nid]), "it stays hidden")
        if r == INPUT and np.any(self.dst == nid):
            raise NetworkError(f"neuron {nid} has incoming connections, so it cannot be an input")
        if r == OUTPUT and np.any(self.src == nid):
            raise NetworkError(f"neuron {nid} feeds other neurons, so it cannot be an output")
        self._check_activation(activations.NAMES[self.act[i]], self.param[i], r, nid)
        self.role = self.role.copy()  # a new array: caches keyed on the arrays see the change
        self.role[i] = r
        self.changed.emit(Change("structure", (int(nid),)))

    def set_label(self, nid: int, label: str) -> None:
        self.labels[self.index(nid)] = label
        self.changed.emit(Change("neurons", (int(nid),)))

    @staticmethod
    def pair_keys(source: np.ndarray | int, target: np.ndarray | int) -> np.ndarray:
        """One number per (source, target): whole arrays of pairs compare in one vector test."""
        return np.asarray(source, np.int64) * (ID_MAX + 1) + np.asarray(target, np.int64)

    def set_frozen(self, ids: Iterable[int] = (), pairs: np.ndarray | Sequence = (),
                   frozen: bool = True) -> None:
        """Freezes (or frees) the biases of ids and the weights of the (source, target) pairs:
        training, with any optimiser and any regularisation, leaves them exactly as they are."""
        ids = {int(i) for i in ids}
        pairs = np.asarray(pairs, np.int64).reshape(-1, 2)
        keys = self.pair_keys(pairs[:, 0], pairs[:, 1])
        if frozen:
            self.frozen_biases = self.frozen_biases | ids
            self.frozen_weights = sorted_unique(np.concatenate([self.frozen_weights, keys]))
        else:
            self.frozen_biases = self.frozen_biases - ids
            self.frozen_weights = self.frozen_weights[~found_in(self.frozen_weights,
                                                                sorted_unique(keys))]
        self.changed.emit(Change("frozen", tuple(sorted(ids | set(pairs[:, 1].tolist())))))

    def weight_frozen(self, source: int, target: int) -> bool:
        return bool(found_in(self.pair_keys([source], [target]), self.frozen_weights)[0])

    def frozen_masks(self) -> tuple[np.ndarray, np.ndarray]:
        """Which connections (in connection order) and which neurons' biases (in neuron order)
        are frozen; a feature map's units share their map's one bias."""
        biases = np.isin(self.ids, list(self.frozen_biases))
        for layer, _ in self.conv_layers():  # one unit's bias frozen is its map's
            rows = self.index(layer.neurons).reshape(layer.shape[0], -1)
            biases[rows] = biases[rows].any(1, keepdims=True)
        return found_in(self.pair_keys(self.src, self.dst), self.frozen_weights), biases

    def name_of(self, i: int) -> str:
        """The neuron at index i in words: its label, else #id."""
        return self.labels[i] or f"#{int(self.ids[i])}"

    def move(self, nid: int | Sequence[int] | np.ndarray,
             position: tuple[float, float] | np.ndarray) -> None:
        """One neuron to a position, or several to one position each."""
        self.pos[self.index(nid)] = position
        self.changed.emit(Change("positions", _named(nid)))

    # ---- connection edits ------------------------------------------------------------------
    def connect(self, source: int, target: int, weight: float = 0.0) -> None:
        self.connect_many([source], [target], [weight])

    def connect_many(self, sources: Iterable[int], targets: Iterable[int],
                     weights: Iterable[float] | np.ndarray) -> None:
        """Adds connections in one go, refusing the whole batch if any one is invalid."""
        s = np.asarray(list(sources) if not isinstance(sources, np.ndarray) else sources, np.int64)
        d = np.asarray(list(targets) if not isinstance(targets, np.ndarray) else targets, np.int64)
        w = np.broadcast_to(np.asarray(weights, float), s.shape).copy()
        si, di = self._check_connections(s, d)
        self._refuse_units(d, "they take no other connections")
        rows, level, caches = self.endpoints(), self.levels(), (self._rows, self._levels)
        old = self.src, self.dst, self.weight
        self.src, self.dst, self.weight = (np.concatenate([old[0], s]), np.concatenate([old[1], d]),
                                           np.concatenate([old[2], w]))
        self._keep((np.concatenate([rows[0], si]), np.concatenate([rows[1], di])))
        try:
            self._keep(levels=self._raised(level, si, di))
        except NetworkError:
            self.src, self.dst, self.weight = old
            self._rows, self._levels = caches
            raise NetworkError(self._cycle_reason(s, d)) from None
        named = tuple(zip(s.tolist(), d.tolist())) if len(s) <= FEW else ()  # not 1.79 M pairs
        self.changed.emit(Change("structure", pairs=named))

    def disconnect(self, source: int, target: int) -> None:
        k = self.connection_index(source, target)
        if k is None:
            raise NetworkError(f"neurons {source} and {target} are not connected")
        self._check_removal(np.zeros(0, np.int64), np.array([k]))
        self.src, self.dst, self.weight = (np.delete(a, k) for a in (self.src, self.dst, self.weight))
        self.changed.emit(Change("structure", pairs=((int(source), int(target)),)))

    def set_weight(self, source: int, target: int, weight: float) -> None:
        k = self.connection_index(source, target)
        if k is None:
            raise NetworkError(f"neurons {source} and {target} are not connected")
        self.weight[k] = weight
        self.changed.emit(Change("weights", pairs=((int(source), int(target)),)))

    def set_parameters(self, weights: np.ndarray, biases: np.ndarray) -> None:
        """Every weight and bias at once (a trainer snapshot): one announcement, one redraw."""
        self.weight[:] = weights
        self.bias[:] = biases
        self.changed.emit(Change("parameters"))

    def set_trained(self, weights: np.ndarray, biases: np.ndarray) -> None:
        """A run's numbers, but the frozen ones as they are here: the trainer never moves them,
        yet holds them in its own precision (float32 would round them)."""
        if self.frozen_biases or len(self.frozen_weights):
            frozen_w, frozen_b = self.frozen_masks()
            weights, biases = np.where(frozen_w, self.weight, weights), np.where(frozen_b, self.bias, biases)
        self.set_parameters(weights, biases)

    def set_weights(self, weights: np.ndarray) -> None:
        """All weights at once, in connection order: one vectorised copy."""
        self.weight[:] = weights
        self.changed.emit(Change("weights"))

    # ---- validation ------------------------------------------------------------------------
    @staticmethod
    def _check_role(role: str) -> int:
        if role not in ROLES:
            raise NetworkError(f"unknown role {role!r}; a neuron is an input, hidden or output")
        return ROLES.index(role)

    @staticmethod
    def _check_activation(name: str, param: float | None, role: int,
                          nid: int | None = None) -> tuple[int, float]:
        try:
            spec = activations.check(name)
        except ValueError as e:
            raise NetworkError(str(e)) from None
        if name == "softmax" and role != OUTPUT:
            who = f"neuron {nid}" if nid is not None else "this neuron"
            raise NetworkError(f"softmax works across the output neurons, and {who} is "
                               f"{ROLES[role]}; give it another activation")
        default = spec.default_param if spec.default_param is not None else 0.0
        return activations.NAMES.index(name), float(default if param is None else param)

    def _check_connections(self, s: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Refuses bad connections; returns their source and target rows."""
        si, di = np.atleast_1d(self.index(s)), np.atleast_1d(self.index(d))
        for k in np.flatnonzero(self.role[di] == INPUT)[:1]:
            raise NetworkError(f"cannot connect {s[k]} → {d[k]}: neuron {d[k]} is an input, and "
                               "inputs take their values from the data, not from other neurons")
        for k in np.flatnonzero(self.role[si] == OUTPUT)[:1]:
            raise NetworkError(f"cannot connect {s[k]} → {d[k]}: neuron {s[k]} is an output, and "
                               "outputs are the network's answers; make it hidden to feed others")
        for k in np.flatnonzero(s == d)[:1]:
            raise NetworkError(f"cannot connect neuron {s[k]} to itself: networks are feed-forward")
        # only connections into the same targets can clash (new neurons have none): one lookup
        # per connection, and a sort of those few, not of all 1.79 M
        into = np.zeros(self.n_neurons, bool)
        into[di] = True
        k = np.flatnonzero(into[self.endpoints()[1]])
        keys, taken = np.concatenate([self.src[k] << 32 | self.dst[k], s << 32 | d]), []
        if not (keys[1:] > keys[:-1]).all():  # a layer's batch comes in order: no sort needed
            keys = np.sort(keys)
            taken = keys[1:][keys[1:] == keys[:-1]][:1].tolist()
        if taken:
            a, b = taken[0] >> 32, taken[0] & 0xFFFFFFFF
            raise NetworkError(f"neurons {a} and {b} are already connected; change that "
                               "connection's weight instead of adding another")
        return si, di

    def _cycle_reason(self, s: np.ndarray, d: np.ndarray) -> str:
        if len(s) == 1:
            return (f"connecting {s[0]} → {d[0]} would make a cycle ({d[0]} already feeds "
                    f"{s[0]}); networks are feed-forward")
        return "these connections would make a cycle; networks are feed-forward"
