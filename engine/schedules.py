"""Learning-rate schedules: the rate of each epoch from the set rate η, as torch.optim.lr_scheduler
computes it when stepped once an epoch (t counts the run's epochs from 0, a continued run's
included, so a resumed run goes on where it was):

    constant     η
    step         η·γ^⌊t / n⌋          StepLR(step_size=n, gamma=γ)
    exponential  η·γ^t                ExponentialLR(gamma=γ)
    inverse      η / (1 + γ·t)        LambdaLR(lambda t: 1 / (1 + γ·t)), the 1/t decay
    cosine       η_min + (η − η_min)·(1 + cos(π·t / n)) / 2     CosineAnnealingLR(T_max=n)

Knows no torch: the window's dock draws the schedule from here too.
"""
from __future__ import annotations

import math

KINDS = ("constant", "step", "exponential", "inverse", "cosine")


def rate(kind: str, lr: float, t: int, decay: float, every: int, lr_min: float) -> float:
    """The rate of epoch t (0: the first)."""
    if kind == "step":
        return lr * decay ** (t // every)
    if kind == "exponential":
        return lr * decay ** t
    if kind == "inverse":
        return lr / (1 + decay * t)
    if kind == "cosine":
        return lr_min + (lr - lr_min) * (1 + math.cos(math.pi * t / every)) / 2
    return lr


def problem(kind: str, lr: float, decay: float, lr_min: float) -> str | None:
    """Why these settings make no schedule (the ranges of decay and every are the settings');
    None where they do."""
    if kind not in KINDS:
        return f"schedule: {kind!r} is not one of {', '.join(KINDS)}"
    if kind in ("step", "exponential") and decay > 1:
        return (f"decay: {decay:g} above 1 would make the {kind} schedule's rate grow without "
                "end; give a factor from 0 to 1")
    if kind == "cosine" and lr_min > lr:
        return (f"lr_min: {lr_min:g} is above the learning rate {lr:g}; cosine falls from the "
                "rate to it")
    return None
