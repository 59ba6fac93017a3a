"""The training runs as a model in the document: the Plots dock draws and lists what this holds,
and its rename, hide and remove change it here. Runs of the networks opened before stay, each
under the network it trained, hidden so that the plots fit the open network's runs."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, Signal

from engine.network import Network

SMOOTHING = 0.9  # exponential moving average of the step losses, for a readable curve
MAX_STARTS = 5
COLOURS = ["#2b6cb0", "#dd6b20", "#2f855a", "#9f7aea", "#c53030", "#319795"]
METRICS = ("epoch", "loss", "train_accuracy", "test_accuracy", "validation_loss",
           "validation_accuracy")


@dataclass(eq=False)  # a run is itself, whatever numbers another run shares with it
class Run:
    name: str
    network: str | None  # the network it trained, in words (its heading in the list)
    colour: str
    steps: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    smooth: list[float] = field(default_factory=list)
    epochs: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in METRICS})
    rates: list[float] = field(default_factory=list)  # each epoch's learning rate
    summary: str = ""  # how it ended, in words
    shown: bool = True
    start: RunStart | None = None  # what Rewind makes it again from, for the latest runs


@dataclass(frozen=True)
class RunStart:
    """A run's start: the network's numbers and settings as it began, and its connections."""
    weights: np.ndarray
    biases: np.ndarray
    settings: dict
    structure: int  # a hash of the connections' endpoints: a rewind needs the same network


def structure_of(net: Network) -> int:
    return hash((net.ids.tobytes(), net.src.tobytes(), net.dst.tobytes()))


def run_csv(run: Run) -> str:
    """A run's epochs as CSV: epoch, loss (the epoch's mean), train and test accuracy (empty
    where there is no test set), and the validation loss and accuracy where it had a split."""
    out = io.StringIO()
    table = csv.writer(out, lineterminator="\n")
    validated = not np.isnan(run.epochs["validation_loss"]).all()
    columns = METRICS if validated else METRICS[:4]
    table.writerow(columns)
    for row in zip(*(run.epochs[k] for k in columns)):
        table.writerow(["" if isinstance(v, float) and np.isnan(v) else
                        (int(v) if k == "epoch" else repr(float(v))) for k, v in zip(columns, row)])
    return out.getvalue()


class Runs(QObject):
    added = Signal(object)      # a Run
    grew = Signal(object)       # a Run with new numbers
    changed = Signal(object)    # a Run's name, summary or visibility
    removed = Signal(object)    # a Run
    networkChanged = Signal()   # another network is open: its runs start a new group

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[Run] = []
        self.network: str | None = None
        self._made = 0  # runs begun, for their colours

    def begin(self, name: str, network: str | None = None) -> Run:
        """A new run of the network named (as it is now: a network built by hand has its
        layers only then), else of the one opened last."""
        run = Run(name, network or self.network, COLOURS[self._made % len(COLOURS)])
        self._made += 1
        self.items.append(run)
        self.added.emit(run)
        return run

    def remember_start(self, run: Run, start: RunStart) -> None:
        """Rewind's starts are kept for the last MAX_STARTS runs: 14 MB each at
        784-1000-1000-10."""
        run.start = start
        for old in [r for r in self.items if r.start is not None][:-MAX_STARTS]:
            old.start = None

    def add_losses(self, losses: list[tuple[int, float]]) -> None:
        if not self.items or not losses:
            return
        run = self.items[-1]
        for step, loss in losses:
            last = run.smooth[-1] if run.smooth else loss
            run.steps.append(step)
            run.losses.append(loss)
            run.smooth.append(SMOOTHING * last + (1 - SMOOTHING) * loss)
        self.grew.emit(run)

    def add_epochs(self, epochs: list[dict]) -> None:
        """The epochs since the last call: one signal for all of them."""
        if not self.items or not epochs:
            return
        run = self.items[-1]
        for metrics in epochs:
            for key in METRICS:
                run.epochs[key].append(np.nan if metrics.get(key) is None else metrics[key])
            if metrics.get("lr") is not None:
                run.rates.append(metrics["lr"])
        self.grew.emit(run)

    def end(self, summary: str) -> None:
        if self.items:
            self.items[-1].summary = summary
            self.changed.emit(self.items[-1])

    def drop(self) -> None:
        """The last run ended before its first step: it has nothing to show."""
        if self.items:
            self.remove(self.items[-1])

    def remove(self, run: Run) -> None:
        self.items.remove(run)
        self.removed.emit(run)

    def set(self, run: Run, name: str | None = None, shown: bool | None = None) -> None:
        if (name is None or name == run.name) and (shown is None or shown == run.shown):
            return
        run.name = run.name if name is None else name
        run.shown = run.shown if shown is None else shown
        self.changed.emit(run)

    def open_network(self, name: str, history: dict[str, list] | None = None) -> None:
        """Another network: the runs so far are hidden (tick them to compare). The epochs of
        the runs its file carries (engine.resume) are shown as one run."""
        self.network = name
        for run in self.items:
            self.set(run, shown=False)
            run.start = None  # Rewind belongs to the network a run trained
        self.networkChanged.emit()
        if history and history.get("epoch"):
            self.begin(f"saved: {len(history['epoch'])} epochs")
            keys = [k for k in history if k in METRICS]
            self.add_epochs([dict(zip(keys, row)) for row in zip(*(history[k] for k in keys))])
            self.end("trained before the file was saved")
