"""The open network's training settings as a model: what the Training dock shows and edits, what
Train sends, what Save and autosave write. Its one copy is the network's own `training` dict, so
a file always carries what the dock shows. The dock writes through the editor (one undo step per
change) and shows what this model says changed (napari's evented model, in small)."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from engine.datasets.registry import extent
from engine.settings import DEFAULTS

NAMES = {"dataset": "data set", "loss": "loss", "optimizer": "optimiser", "lr": "learning rate",
         "momentum": "momentum", "batch_size": "batch size", "epochs": "epochs", "l1": "L1 λ",
         "l2": "L2 λ", "dropout": "dropout", "init": "weight init", "init_mean": "init mean",
         "init_std": "init std", "bias_init": "bias init", "bias_value": "bias b",
         "validation": "validation share", "patience": "patience", "tol": "tol", "seed": "seed",
         "device": "device", "csv": "CSV data", "samples": "samples", "noise": "noise",
         "test_share": "test share", "data_seed": "data (regenerated)", "pace": "speed"}
ABSENT = object()  # a setting the network's file does not hold
DATA = ("dataset", "csv", "samples", "noise", "test_share", "data_seed")  # what the data set is


def data_key(args: dict[str, Any]) -> tuple:
    """data_args as a key: equal keys load the same data (a CSV table by identity)."""
    return tuple((k, id(v) if k == "table" else v) for k, v in args.items())


class TrainingSettings(QObject):
    """Each setting is the network's own where its file or the user set it, else the one that
    fits the network (fit), else the default."""
    changed = Signal(tuple)  # the names of the settings that changed, once for a batch of them

    def __init__(self, doc: QObject) -> None:
        super().__init__(doc)
        self.doc = doc
        self.fitted: dict[str, Any] = {}
        self._plane: tuple[tuple, Any] | None = None  # (the data set's key, its plane)

    @property
    def values(self) -> dict[str, Any]:
        """The network's own settings (its file's, and those set since)."""
        return self.doc.network.training

    def get(self, key: str) -> Any:
        return self.values.get(key, self.fitted.get(key, DEFAULTS.get(key)))

    def all(self) -> dict[str, Any]:
        """Every setting as the dock shows it: what a saved file keeps."""
        return {**DEFAULTS, **self.fitted, **self.values}

    def data_args(self) -> dict[str, Any]:
        """The chosen data set as engine.datasets.registry.load takes it."""
        get = self.get
        return {"name": get("dataset") or "xor", "samples": get("samples"), "noise": get("noise"),
                "seed": get("data_seed"), "test_share": get("test_share"), "table": get("csv")}

    def plane(self, axes: tuple[int, int] = (0, 1)
              ) -> tuple[tuple[float, float], tuple[float, float]]:
        """The input plane the chosen data set lies in (registry.extent), found once per data
        set and axes: an imported CSV's is read from all its rows, and the maps ask at every
        redraw."""
        args = self.data_args()
        key = (data_key(args), axes)
        if self._plane is None or self._plane[0] != key:
            self._plane = (key, extent(args["name"], args["table"], axes))
        return self._plane[1]

    def update(self, values: dict[str, Any]) -> None:
        """Sets several of the network's own at once (ABSENT removes one: undo leaves a file
        as it was); one signal names those that changed."""
        def change() -> None:
            for key, value in values.items():
                if value is ABSENT:
                    self.values.pop(key, None)
                else:
                    self.values[key] = value
        self._changing(change)

    def fit(self, values: dict[str, Any]) -> None:
        """What fits the open network, where it has no setting of its own: nothing in the
        network changes (opening a file and saving it keeps it as it was)."""
        self._changing(lambda: setattr(self, "fitted", dict(values)))

    def _changing(self, change: Callable[[], None]) -> None:
        before = self.all()
        change()
        after = self.all()
        changed = tuple(k for k in after if before.get(k, object()) != after[k])
        if changed:
            self.changed.emit(changed)


class SetSettings(QUndoCommand):
    """A change of training settings: it changes no number of the network, so a run goes on
    (the learning rate and λ reach the trainer at its next mini-batch). Changes of one setting
    in a row (typing a number) are one step."""

    keeps_run = True
    numbers_kept = True  # no training step of a run needs to end for it

    def __init__(self, settings: TrainingSettings, new: dict[str, Any], text: str | None = None,
                 merges: bool = True) -> None:
        """merges: a next change of the same settings joins this step (typing); a painted
        stroke is a step of its own."""
        names = ", ".join(NAMES.get(k, k) for k in new)
        super().__init__(text or f"Set {names}")
        self.settings, self.new, self.merges = settings, dict(new), merges
        self.old = {k: settings.values.get(k, ABSENT) for k in new}

    def id(self) -> int:
        return 20

    def continues(self, other: QUndoCommand) -> bool:
        return isinstance(other, SetSettings) and self.merges and other.merges and \
            other.new.keys() == self.new.keys()

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not self.continues(other):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.settings.update(self.new)

    def undo(self) -> None:
        self.settings.update(self.old)
