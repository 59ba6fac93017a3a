"""What a run leaves for the next one to go on exactly where it ended (numpy only: the window and
the file reader use it without torch): the optimiser's moments per connection and per neuron, the
epochs done, Adam's step count, and the epochs' metrics.

It fits only the very numbers it was saved with: a fingerprint of the network's neurons,
connections, weights and biases. After any edit, Reset weights or an undo of the run, the next run
starts afresh rather than carry moments that belong to other weights.
"""
from __future__ import annotations

import base64
import math
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.network import Network
from engine.settings import CHOICES

METRICS = ("loss", "train_accuracy", "test_accuracy", "validation_loss", "validation_accuracy")


def fingerprint(net: Network) -> str:
    """crc32 of the structure and every number, as 8 hex digits."""
    crc = 0
    for arr in (net.ids, net.src, net.dst, net.weight, net.bias):
        crc = zlib.crc32(np.ascontiguousarray(arr).tobytes(), crc)
    return f"{crc:08x}"


@dataclass
class OptimizerState:
    optimizer: str                    # sgd | momentum | adam
    dtype: str                        # the precision it trained in
    epoch: int                        # epochs done
    steps: int                        # optimiser steps done (Adam's bias correction counts them)
    fingerprint: str                  # of the network it was saved with
    # per moment (momentum's buffer; Adam's buffer and squares): weights and biases, float64
    moments: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    history: dict[str, list] = field(default_factory=dict)  # "epoch" and METRICS, one per epoch

    def fits(self, net: Network) -> bool:
        return self.fingerprint == fingerprint(net)

    def why_not(self, net: Network, optimizer: str, dtype: str) -> str | None:
        """Why this state cannot continue a run of these settings on this network, or None."""
        if not self.fits(net):
            return "the network changed since its last run ended"
        if (optimizer, dtype) != (self.optimizer, self.dtype):
            return (f"the last run used {self.optimizer} in {self.dtype}, not {optimizer} in "
                    f"{dtype}")
        return None


class StateError(ValueError):
    """A file's resume object that cannot be read: field is its path inside it."""

    def __init__(self, field: str, why: str) -> None:
        super().__init__(f"{field}: {why}")
        self.field, self.why = field, why


def _b64(arr: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(arr, dtype="<f8").tobytes()).decode("ascii")


def _unb64(text: Any, count: int, field: str) -> np.ndarray:
    try:
        arr = np.frombuffer(base64.b64decode(text, validate=True), dtype="<f8")
    except (TypeError, ValueError):
        raise StateError(field, "is not a valid base64 array") from None
    if len(arr) != count:
        raise StateError(field, f"holds {len(arr)} values, not {count}")
    if not np.isfinite(arr).all():
        raise StateError(field, "holds NaN or infinite numbers")
    return arr.astype(np.float64)


def _finite_or_none(value: Any) -> float | int | None:
    return value if value is not None and math.isfinite(value) else None


def to_json(state: OptimizerState) -> dict[str, Any]:
    """The file's "resume" object: numbers as base64 float64, like the connections."""
    return {"optimizer": state.optimizer, "dtype": state.dtype, "epoch": state.epoch,
            "steps": state.steps, "fingerprint": state.fingerprint,
            "moments": {name: {"weights": _b64(w), "biases": _b64(b)}
                        for name, (w, b) in state.moments.items()},
            "history": {k: [_finite_or_none(v) for v in column]
                        for k, column in state.history.items()}}


def _whole(doc: dict, key: str) -> int:
    value = doc.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StateError(key, f"{value!r} should be a whole number ≥ 0")
    return value


def from_json(doc: Any, net: Network) -> OptimizerState:
    """Reads a file's "resume" object for this network; StateError names what is wrong."""
    if not isinstance(doc, dict):
        raise StateError("", "should be an object")
    for key in ("optimizer", "dtype"):
        if doc.get(key) not in CHOICES[key]:
            raise StateError(key, f"{doc.get(key)!r} is not one of {', '.join(CHOICES[key])}")
    mark = doc.get("fingerprint")
    if not (isinstance(mark, str) and len(mark) == 8 and all(c in "0123456789abcdef" for c in mark)):
        raise StateError("fingerprint", "should be 8 hexadecimal digits")
    moments, found = {}, doc.get("moments", {})
    if not isinstance(found, dict) or not set(found) <= {"buffer", "squares"}:
        raise StateError("moments", "should be an object with buffer and, for Adam, squares")
    for name, pair in found.items():
        if not isinstance(pair, dict):
            raise StateError(f"moments.{name}", "should be an object with weights and biases")
        moments[name] = (_unb64(pair.get("weights"), net.n_connections, f"moments.{name}.weights"),
                         _unb64(pair.get("biases"), net.n_neurons, f"moments.{name}.biases"))
    history = doc.get("history", {})
    if not (isinstance(history, dict) and set(history) <= {"epoch", *METRICS}
            and all(isinstance(c, list) for c in history.values())
            and len({len(c) for c in history.values()}) <= 1):
        raise StateError("history", "should be an object of equally long lists")
    for key, column in history.items():
        if not all(v is None or not isinstance(v, bool) and isinstance(v, (int, float))
                   and math.isfinite(v) for v in column):
            raise StateError(f"history.{key}", "should hold numbers (or null)")
    n = len(history.get("epoch", []))
    if any(history.values()) and not n:
        raise StateError("history.epoch", "missing: every other column is per epoch")
    # a column an older writer left out is unknown for those epochs
    history = {"epoch": list(history.get("epoch", [])),
               **{k: list(history.get(k, [None] * n)) for k in METRICS}}
    return OptimizerState(doc["optimizer"], doc["dtype"], _whole(doc, "epoch"),
                          _whole(doc, "steps"), mark, moments, history)
