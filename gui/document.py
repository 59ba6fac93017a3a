"""The open document: the Network, its training settings and runs, its undo stack, its file and
the live forward pass.

Turns the engine's Qt-free change events into Qt signals naming what changed, so each view
updates only that.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import QIODevice, QObject, QSaveFile, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from engine import io
from engine.build import parse_spec
from engine.datasets.features import FEATURES, labels_of, raw_count, widen
from engine.errors import EngineError
from engine.files import MIB
from engine.events import Change
from engine.network import Network
from engine.plan import Plan, make_plan
from engine.trace import forward
from gui.commands import Checked
from gui.runs import Runs
from gui.training_settings import TrainingSettings

UNDO_LIMIT = 200
# Each neuron is a graphics item: past this many, opening takes seconds and every repaint
# hundreds of ms (measured: 50,000 neurons opened in 4 s). Bigger networks belong to the CLI.
MAX_NEURONS = 20_000
# past this, building a network (New or Insert from Spec) holds the window for seconds:
# 3000-3000 for 25 s; 784-1000-1000-10 (1,794,000) builds in under a second
MAX_CONNECTIONS = 2_000_000
MAX_BYTES = 256 * MIB  # 784-1000-1000-10 with Adam's moments is 77 MB and opens in a second


def load(path: str | Path) -> Network:
    """A network file as the window opens it: refused, with the reason, past its limits."""
    return io.load(path, (MAX_NEURONS, MAX_CONNECTIONS), MAX_BYTES)


def size_problem(neurons: int, connections: int) -> str | None:
    """Why the window will not hold a network of this size, in words, or None."""
    for what, count, most in (("neurons", neurons, MAX_NEURONS),
                              ("connections", connections, MAX_CONNECTIONS)):
        if count > most:
            return (f"that would make {count:,} {what}, more than the window draws "
                    f"({most:,}); build bigger networks with neurocanvas-cli new")
    return None


def spec_size(spec: str) -> tuple[int, int]:
    """The neurons drawn one by one (not a convolution's units, pixels of its maps) and the
    connections (a kernel's once) of a spec such as 784-32-10."""
    parsed = parse_spec(spec)
    return parsed.drawn, parsed.connections


class Document(QObject):
    replaced = Signal()                # a new or opened network: selections no longer apply
    structureChanged = Signal()        # neurons or connections added or removed
    neuronsChanged = Signal(tuple)     # ids whose activation, role, label or position changed
    weightsChanged = Signal(tuple)     # (source, target) pairs; () means all
    biasesChanged = Signal(tuple)      # ids; () means all
    traceChanged = Signal()            # a new forward pass for the current inputs
    inputsChanged = Signal()           # other values on the inputs: a sample shown is gone
    titleChanged = Signal()            # file name or modified state
    editing = Signal(object)           # a user's edit is about to land: the command, or None
                                       # for an undo or redo (a live run ends its step first)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo = QUndoStack(self)
        self.undo.setUndoLimit(UNDO_LIMIT)
        self.undo.cleanChanged.connect(self.titleChanged)  # signal to signal: dies with the stack
        self.path: Path | None = None
        self.inputs: dict[int, float] = {}
        self.network = Network()
        self.network.changed.subscribe(self._on_change)
        self.settings = TrainingSettings(self)  # the network's training settings, as a model
        self.runs = Runs(self)  # its runs, and those of the networks open before it
        self._plan: Plan | None = None  # depends on structure and activations, not on numbers
        self._labels: list[str] | None = None  # the inputs' labels (which are features)
        self.trace = forward(self.network, np.zeros((1, 0)))

    # ---- the network ---------------------------------------------------------------------------
    def push(self, command: QUndoCommand) -> None:
        """A user's edit."""
        self.editing.emit(command)
        self.undo.push(command)

    def record(self, command: QUndoCommand) -> None:
        """A step that is no user edit (a training run's numbers): nobody is told beforehand."""
        self.undo.push(command)

    def undo_step(self, back: bool = True) -> None:
        """Undo (or redo) for the user: announced first, like an edit."""
        self.editing.emit(None)
        (self.undo.undo if back else self.undo.redo)()

    def push_checked(self, make: Callable[[Network], Checked]) -> str | None:
        """An edit the engine may refuse: done on the network first, taken back if refused (so a
        refused edit never reaches the undo stack). Returns why it was refused, or None."""
        command = make(self.network)
        neurons, connections = self.network.n_neurons, self.network.n_connections
        self.editing.emit(command)
        try:
            command.do()
            net = self.network
            grew = net.n_neurons > neurons or net.n_connections > connections
            problem = size_problem(net.n_neurons, net.n_connections) if grew else None
            if problem:
                raise EngineError(problem)
        except EngineError as e:
            command.undo()
            return str(e)
        command._done_before_push = True
        self.undo.push(command)
        return None

    def replace(self, net: Network, path: Path | None = None) -> None:
        """A new or opened network: a fresh undo history and default inputs."""
        self.network.changed.unsubscribe(self._on_change)
        self.network = net
        net.changed.subscribe(self._on_change)
        self.path, self.inputs, self._plan, self._labels = path, {}, None, None
        self.undo.clear()
        self.undo.setClean()
        self.replaced.emit()
        self.inputsChanged.emit()
        self.structureChanged.emit()
        self._retrace()
        self.titleChanged.emit()

    def _on_change(self, change: Change) -> None:
        if change.kind in ("structure", "neurons"):
            self._plan = self._labels = None
        if change.kind == "structure":
            alive = set(self.network.ids.tolist())
            self.inputs = {k: v for k, v in self.inputs.items() if k in alive}
            self.structureChanged.emit()
        elif change.kind == "weights":
            self.weightsChanged.emit(change.pairs)
        elif change.kind == "biases":
            self.biasesChanged.emit(change.ids)
        elif change.kind == "parameters":
            self.weightsChanged.emit(())
            self.biasesChanged.emit(())
        else:
            self.neuronsChanged.emit(change.ids)
        if change.kind not in ("positions", "frozen"):  # they change none of the numbers
            self._retrace()

    # ---- inputs and the forward pass -----------------------------------------------------------
    def input_labels(self) -> list[str]:
        """The inputs' labels, which name feature inputs; kept until the neurons change, as the
        forward pass asks at every snapshot (0.5 ms at 784 inputs)."""
        if self._labels is None:
            self._labels = labels_of(self.network)
        return self._labels

    def reads_plane(self) -> bool:
        """Two inputs read the data (the rest, if any, are features): a plane to draw over."""
        return raw_count(self.input_labels()) == 2

    def input_vector(self) -> np.ndarray:
        """The inputs' values; a feature input's (x₁², …) computed from the two others."""
        labels = self.input_labels()
        values = [self.inputs.get(int(i), 0.0) for i in self.network.inputs]
        if raw_count(labels) == len(labels):
            return np.array(values)
        raw = [v for v, label in zip(values, labels) if label not in FEATURES]
        return widen(np.array([raw]), labels)[0]

    def set_input(self, nid: int, value: float) -> None:
        """The value shown on an input neuron (a what-if, not an edit of the network)."""
        self.set_inputs([nid], [value])

    def set_inputs(self, ids: list[int], values: np.ndarray) -> None:
        """Many inputs at once (a digit's 784 pixels): one forward pass, not one per input."""
        self.inputs.update(zip(ids, np.asarray(values, float).tolist()))
        self.inputsChanged.emit()
        self._retrace()

    def plan(self) -> Plan:
        """The level plan, kept until the structure or an activation changes."""
        if self._plan is None:
            self._plan = make_plan(self.network)
        return self._plan

    def _retrace(self) -> None:
        self.trace = forward(self.network, self.input_vector()[None, :], self.plan())
        self.traceChanged.emit()

    # ---- the file ------------------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        return not self.undo.isClean()

    @property
    def name(self) -> str:
        return self.path.name if self.path else "Untitled"

    def open(self, path: str | Path) -> None:
        """Raises FileFormatError, leaving the open network untouched, if the file is bad."""
        self.replace(load(path), Path(path))

    def save(self, path: str | Path | None = None) -> None:
        """Atomic (QSaveFile): on any failure the old file stays whole and OSError says why."""
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("save needs a path for an untitled network")
        data = io.dumps(self.network).encode("utf-8")
        # QSaveFile would replace a FIFO or /dev/null, and say "Unknown error" on a full disk
        why = io.target_problem(target) or io.space_problem(target, len(data))
        if why:
            raise OSError(f"cannot save: {why}; the file on disk is unchanged")
        f = QSaveFile(str(target))
        if not f.open(QIODevice.OpenModeFlag.WriteOnly):
            raise OSError(f"cannot write {target}: {f.errorString()}")
        written = f.write(data)
        if written != len(data):  # a full disk: keep the old file whole and say so
            error = f.errorString()
            f.cancelWriting()
            f.commit()
            raise OSError(f"cannot write {target}: only {max(written, 0):,} of {len(data):,} bytes "
                          f"were written ({error or 'the disk may be full'}); the file on disk "
                          "is unchanged")
        if not f.commit():
            why = io.space_problem(target, len(data)) or f.errorString()
            raise OSError(f"cannot write {target}: {why}; the file on disk is unchanged")
        self.path = target
        self.undo.setClean()
        self.titleChanged.emit()
