"""The training settings a file, the CLI and the Training dock share: one table of their ranges.

A value outside its range is refused with the setting's name and the range, wherever it comes
from, so a file that the CLI wrote always opens in the window and fits its spin boxes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from engine.errors import EngineError, quoted
from engine.init import BIAS_SCHEMES, SCHEMES
from engine.schedules import KINDS as SCHEDULES

SEED_MAX = 2 ** 31 - 1  # what a Qt spin box holds


@dataclass(frozen=True)
class Limit:
    low: float
    high: float
    whole: bool = False  # a whole number

    @property
    def range(self) -> str:
        return f"{self.low:d} to {self.high:d}" if self.whole else f"{self.low:g} to {self.high:g}"

    def problem(self, value: Any) -> str | None:
        """Why value does not fit, in words, or None."""
        kind = "a whole number" if self.whole else "a number"
        if isinstance(value, bool) or not isinstance(value, int if self.whole else (int, float)):
            return f"{quoted(value)} should be {kind} from {self.range}"
        if isinstance(value, float) and not math.isfinite(value) or not self.low <= value <= self.high:
            return f"{quoted(value)} is not in the range {self.range}"
        return None


NUMBERS: dict[str, Limit] = {
    "lr": Limit(1e-5, 100.0),
    "momentum": Limit(0.0, 0.999),
    "batch_size": Limit(0, 1_000_000, whole=True),
    "epochs": Limit(1, 100_000, whole=True),
    "l1": Limit(0.0, 10.0),
    "l2": Limit(0.0, 10.0),
    "dropout": Limit(0.0, 0.95),
    "init_mean": Limit(-10.0, 10.0),
    "init_std": Limit(1e-4, 10.0),
    "seed": Limit(0, SEED_MAX, whole=True),
    "bias_value": Limit(-10.0, 10.0),
    "validation": Limit(0.0, 0.5),
    "patience": Limit(0, 100_000, whole=True),
    "tol": Limit(0.0, 10.0),
    "samples": Limit(10, 1_000_000, whole=True),   # of a 2-D toy set or sin
    "noise": Limit(0.0, 10.0),
    "test_share": Limit(0.0, 0.9),
    "data_seed": Limit(0, SEED_MAX, whole=True),    # Regenerate draws another
    "pace": Limit(0, 100_000, whole=True),          # the window's steps a second; 0: full speed
    "decay": Limit(1e-6, 10.0),                     # the schedule's γ
    "decay_every": Limit(1, 100_000, whole=True),   # step's epochs a step, cosine's period
    "lr_min": Limit(0.0, 100.0),                    # cosine's floor
}
# a run's own settings (engine.training.TrainConfig's fields but resume), known without torch
RUN = ("loss", "optimizer", "lr", "momentum", "batch_size", "epochs", "l1", "l2", "dropout", "init",
       "init_mean", "init_std", "bias_init", "bias_value", "validation", "patience", "tol", "seed",
       "device", "dtype", "schedule", "decay", "decay_every", "lr_min")
CHOICES: dict[str, tuple[str, ...]] = {
    "loss": ("mse", "l1", "bce", "ce"),
    "optimizer": ("sgd", "momentum", "adam"),
    "init": SCHEMES,
    "bias_init": BIAS_SCHEMES,
    "device": ("auto", "cpu", "cuda"),
    "dtype": ("float32", "float64"),
    "schedule": SCHEDULES,
}


class SettingError(EngineError):
    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"{name}: {why}")
        self.name, self.why = name, why


def check(name: str, value: Any) -> None:
    """Raises SettingError if a known setting holds a value out of its range; others pass."""
    if name == "dataset":
        why = None if isinstance(value, str) else f"{quoted(value)} should be a data set's name"
    elif name == "csv":
        from engine.datasets.table import spec_problem  # noqa: PLC0415 (it reads these ranges)
        problem = spec_problem(value)
        if problem:
            raise SettingError(f"csv.{problem[0]}".rstrip("."), problem[1])
        return
    elif name in NUMBERS:
        why = NUMBERS[name].problem(value)
    elif name in CHOICES:
        why = None if value in CHOICES[name] else (
            f"{quoted(value)} is not one of {', '.join(CHOICES[name])}")
    else:
        return
    if why:
        raise SettingError(name, why)


def loss_problem(name: str, output_activations: set[str]) -> str | None:
    """Why this loss does not fit outputs with these activations, in words, or None."""
    if name not in CHOICES["loss"]:
        return f"unknown loss {name!r}; choose one of {', '.join(CHOICES['loss'])}"
    if name == "ce" and output_activations != {"softmax"}:
        return ("categorical cross-entropy needs softmax outputs (one-hot targets); "
                "for one sigmoid output use binary cross-entropy (bce)")
    if name == "bce" and output_activations != {"sigmoid"}:
        return ("binary cross-entropy needs sigmoid outputs (values between 0 and 1); "
                "with softmax outputs use categorical cross-entropy (ce)")
    return None


def check_all(settings: dict) -> None:
    for name, value in settings.items():
        check(name, value)


DEFAULTS: dict[str, Any] = {
    "loss": "mse", "optimizer": "sgd", "lr": 0.1, "momentum": 0.9, "batch_size": 0, "epochs": 500,
    "l1": 0.0, "l2": 0.0, "dropout": 0.0, "init": "keep", "init_mean": 0.0, "init_std": 0.05,
    "seed": 0, "device": "auto", "bias_init": "scheme", "bias_value": 0.0, "validation": 0.0,
    "patience": 0, "tol": 1e-4, "samples": 500, "noise": 0.1, "test_share": 0.2, "data_seed": 0,
    "pace": 0, "schedule": "constant", "decay": 0.5, "decay_every": 10, "lr_min": 0.0}


def fitting(n_inputs: int, n_outputs: int, softmax: bool) -> dict[str, Any]:
    """Every setting, with a data set and a loss that fit a network of this shape: a new
    2-input network gets XOR and squared error, never the MNIST settings of the last one."""
    fit = {**DEFAULTS, "loss": "ce" if softmax else "mse"}
    if (n_inputs, n_outputs) == (784, 10):
        return {**fit, "dataset": "mnist-subset", "lr": 0.5, "batch_size": 32, "epochs": 5}
    if (n_inputs, n_outputs) == (1, 1):  # a regression, which plain full-batch SGD fits slowly
        return {**fit, "dataset": "sin", "optimizer": "adam", "lr": 0.01, "batch_size": 32,
                "epochs": 200}
    # an empty canvas: the course's first lessons draw 2 inputs and 1 output
    dataset = {(0, 0): "xor", (1, 1): "sin", (2, 1): "xor", (3, 1): "cheese",
               (2, 2): "moons"}.get((n_inputs, n_outputs))
    return {**fit, "dataset": dataset} if dataset else fit
