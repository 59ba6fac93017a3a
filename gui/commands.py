"""One QUndoCommand per user edit. Commands call only the engine's edit methods (DESIGN.md): the
views follow the document's signals, so undo never touches a graphics item.

`keeps_run` says whether a training run can go on through the edit (new numbers, a move, a
label); any other edit changes what the trainer computes, so the run stops before it lands."""
from __future__ import annotations

import itertools
from typing import Callable, ContextManager, Sequence

import numpy as np
from PySide6.QtGui import QUndoCommand

from engine import activations
from engine.events import Change
from engine.network import Network, Removed, found_in

_tokens = itertools.count(1)
WHEEL_GESTURE_S = 0.6  # wheel notches closer than this form one undo step


def new_drag_token() -> int:
    """One token per slider drag or wheel gesture: its steps merge into one undo step."""
    return next(_tokens)


def one_change(net: Network) -> ContextManager[None]:
    """An edit of many parts announces one change, so the window redraws once (a layer of
    1,000 neurons at 784-1000-1000-10: 20 s of redraws one by one)."""
    return net.changed.held(Change.merged)


class _GestureEdit(QUndoCommand):
    """An edit that a slider drag or a wheel gesture repeats: steps of one gesture (same token,
    same target) merge into one undo step. The number it replaces is read as it is first done,
    not when it is made: a training run's latest numbers land in between (Document.push tells
    the Training dock first), and undo must give those back, not the ones shown before."""

    keeps_run = True

    def __init__(self, text: str, key: tuple, new: float, token: int | None) -> None:
        super().__init__(text)
        self.key, self.new, self.token = key, new, token
        self.old: float | np.ndarray | None = None

    def continues(self, other: QUndoCommand) -> bool:
        """other is the next step of this one's gesture."""
        return (type(other) is type(self) and bool(self.token) and other.token == self.token
                and other.key == self.key)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not self.continues(other):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        if self.old is None:
            self.old = self._read()
        self._write(self.new)

    def undo(self) -> None:
        self._write(self.old)

    def _read(self) -> float | np.ndarray:
        raise NotImplementedError

    def _write(self, value: float | np.ndarray) -> None:
        raise NotImplementedError


class SetWeight(_GestureEdit):
    def __init__(self, net: Network, source: int, target: int, weight: float,
                 token: int | None = None) -> None:
        super().__init__(f"Set weight {source}→{target}", (source, target), weight, token)
        self.net = net
        net.weight_of(source, target)  # raises now for a connection that is not there

    def id(self) -> int:
        return 1

    def _read(self) -> float:
        return self.net.weight_of(*self.key)

    def _write(self, value: float) -> None:
        self.net.set_weight(*self.key, value)


class SetBias(_GestureEdit):
    def __init__(self, net: Network, ids: Sequence[int], bias: float,
                 token: int | None = None) -> None:
        super().__init__("Set bias", tuple(ids), bias, token)
        self.net = net
        net.index(list(ids))  # raises now for a neuron that is not there

    def id(self) -> int:
        return 2

    def _read(self) -> np.ndarray:
        return self.net.bias[np.atleast_1d(self.net.index(list(self.key)))]

    def _write(self, value: float | np.ndarray) -> None:
        self.net.set_bias(self.key, value)


class Checked(QUndoCommand):
    """An edit the engine may refuse part way (a role, an activation, a compound edit):
    Document.push_checked runs do() on the network itself, takes it back with undo() if it is
    refused, and pushes it only once done, so the push's redo() has nothing left to do. No trial
    on a copy: copying 784-1000-1000-10 cost more than the edit."""

    _done_before_push = False

    def do(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._done_before_push:
            self._done_before_push = False
            return
        self.do()


class SetActivation(Checked):
    def __init__(self, net: Network, ids: Sequence[int], name: str, param: float | None = None) -> None:
        super().__init__(f"Set activation {name}")
        self.net, self.ids, self.name, self.param = net, tuple(ids), name, param
        rows = np.atleast_1d(net.index(list(self.ids)))
        self.old = list(zip(net.act[rows].tolist(), net.param[rows].tolist()))

    def do(self) -> None:
        self.net.set_activation(self.ids, self.name, self.param)

    def undo(self) -> None:
        ids = np.array(self.ids)
        with one_change(self.net):
            for act, param in set(self.old):  # one call per activation the neurons had
                mine = [k for k, old in enumerate(self.old) if old == (act, param)]
                self.net.set_activation(ids[mine], activations.NAMES[act], param)


class SetNeuron(Checked):
    """One text property of one neuron: its "role" or its "label"."""

    def __init__(self, net: Network, nid: int, prop: str, value: str) -> None:
        super().__init__(f"Make neuron {nid} {value}" if prop == "role" else "Rename neuron")
        self.keeps_run = prop == "label"
        self.setter = getattr(net, f"set_{prop}")
        self.nid, self.new, self.old = nid, value, getattr(net.neuron(nid), prop)

    def do(self) -> None:
        self.setter(self.nid, self.new)

    def undo(self) -> None:
        self.setter(self.nid, self.old)


class SetFrozen(QUndoCommand):
    """Freeze or free biases and weights. It changes what training may move, so a run stops
    first (its trainer was told the old set)."""

    def __init__(self, net: Network, ids: Sequence[int], pairs: np.ndarray, frozen: bool) -> None:
        what = "connection" if not ids else "neuron" if len(ids) == 1 else f"{len(ids)} neurons"
        super().__init__(f"{'Freeze' if frozen else 'Unfreeze'} {what}")
        self.net, self.ids, self.frozen = net, list(ids), frozen
        self.pairs = np.asarray(pairs, np.int64).reshape(-1, 2)
        # what was frozen before, to put back exactly
        before = found_in(net.pair_keys(self.pairs[:, 0], self.pairs[:, 1]), net.frozen_weights)
        self.was = ([i for i in ids if i in net.frozen_biases], self.pairs[before])

    def redo(self) -> None:
        self.net.set_frozen(self.ids, self.pairs, self.frozen)

    def undo(self) -> None:
        with one_change(self.net):
            self.net.set_frozen(self.ids, self.pairs, not self.frozen)
            self.net.set_frozen(*self.was, self.frozen)


class MoveNeurons(QUndoCommand):
    keeps_run = True

    def __init__(self, net: Network, ids: Sequence[int], old: np.ndarray, new: np.ndarray) -> None:
        super().__init__("Move" if len(ids) > 1 else f"Move neuron {ids[0]}")
        self.net, self.ids, self.old, self.new = net, tuple(ids), np.array(old), np.array(new)

    def _apply(self, positions: np.ndarray) -> None:
        self.net.move(self.ids, positions)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class AddNeuron(QUndoCommand):
    def __init__(self, net: Network, role: str, position: tuple[float, float],
                 activation: str = "sigmoid") -> None:
        super().__init__(f"Add {role} neuron")
        self.net, self.role, self.position = net, role, position
        self.activation = "linear" if role == "input" else activation
        self.nid: int | None = None

    def redo(self) -> None:
        self.nid = self.net.add_neuron(self.role, self.activation, position=self.position,
                                       nid=self.nid)

    def undo(self) -> None:
        self.net.remove_neuron(self.nid)


class Connect(QUndoCommand):
    """Check net.connection_problem first: a refused connection must not reach the stack."""

    def __init__(self, net: Network, source: int, target: int, weight: float = 1.0) -> None:
        super().__init__(f"Connect {source}→{target}")
        self.net, self.pair, self.weight = net, (source, target), weight

    def redo(self) -> None:
        self.net.connect(*self.pair, self.weight)

    def undo(self) -> None:
        self.net.disconnect(*self.pair)


class Remove(QUndoCommand):
    """Deletes neurons (with their connections) and connections; keeps only what it removed."""

    def __init__(self, net: Network, ids: Sequence[int], connections: Sequence[int] = (),
                 text: str = "Delete") -> None:
        super().__init__(text)
        self.net, self.ids, self.connections = net, list(ids), list(connections)
        self.removed: Removed | None = None

    def redo(self) -> None:
        self.removed = self.net.remove(self.ids, self.connections)

    def undo(self) -> None:
        self.net.put_back(self.removed)


class StructureEdit(Checked):
    """A compound edit that only adds (paste, duplicate, a layer, a network): it runs once; undo
    removes what it added and redo puts that back, so a step holds only the new part."""

    def __init__(self, net: Network, text: str, edit: Callable[[Network], None]) -> None:
        super().__init__(text)
        self.net, self.edit = net, edit
        self.old_ids, self.old_connections = net.ids.copy(), net.n_connections
        self.added: Removed | None = None

    def do(self) -> None:
        if self.added is None:
            with one_change(self.net):
                self.edit(self.net)
        else:
            self.net.put_back(self.added)

    def undo(self) -> None:
        self.added = self.net.remove(np.setdiff1d(self.net.ids, self.old_ids),
                                     np.arange(self.old_connections, self.net.n_connections))


class SetParameters(QUndoCommand):
    """Every weight and bias at once: a training run, or Reset weights. in_place: the new numbers
    are already there when it is pushed (a run shows them live), so its first redo leaves them:
    setting them again redrew every view once more as each run ended."""

    def __init__(self, net: Network, text: str, old: tuple[np.ndarray, np.ndarray],
                 new: tuple[np.ndarray, np.ndarray], in_place: bool = False) -> None:
        super().__init__(text)
        self.net, self.old, self.new, self._in_place = net, old, new, in_place

    def _apply(self, values: tuple[np.ndarray, np.ndarray]) -> None:
        self.net.set_parameters(*values)

    def redo(self) -> None:
        if self._in_place:
            self._in_place = False
            return
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)
