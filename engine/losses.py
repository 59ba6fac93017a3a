"""Costs, in the course's form: C = 1/(2n) Σ_x ||y − a||², 1/n Σ_x |y − a|, and cross-entropies.

Each is a sum over output neurons and a mean over the n samples of a mini-batch. Cross-entropies
work from z (logits), which stays finite where log(a) would not.
"""
from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F

from engine.errors import EngineError
from engine.settings import loss_problem

LossFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor | None], torch.Tensor]
FROM_Z = {"bce", "ce"}      # need only z of the outputs, not a
LABELS_ONLY = {"ce"}        # need only the class of each sample, not its one-hot target


class LossError(EngineError):
    """A loss that does not fit the network's outputs; the message says which would."""


def _mse(z: torch.Tensor, a: torch.Tensor, y: torch.Tensor, _: torch.Tensor | None) -> torch.Tensor:
    return (a - y).square().sum() * (0.5 / len(y))


def _l1(z: torch.Tensor, a: torch.Tensor, y: torch.Tensor, _: torch.Tensor | None) -> torch.Tensor:
    return (a - y).abs().sum() / len(y)


def _bce(z: torch.Tensor, a: torch.Tensor, y: torch.Tensor, _: torch.Tensor | None) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(z, y, reduction="sum") / len(y)


def _ce(z: torch.Tensor, a: torch.Tensor, y: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
    if labels is not None:
        return F.cross_entropy(z, labels)
    return -(y * F.log_softmax(z, 1)).sum() / len(y)


def gradient(name: str, z: torch.Tensor, a: torch.Tensor, y: torch.Tensor | None,
             labels: torch.Tensor | None) -> torch.Tensor:
    """∂C/∂a of the outputs; for the cross-entropies (FROM_Z) ∂C/∂z, where a's slope cancels."""
    n = len(z)
    if name == "mse":
        return (a - y) / n
    if name == "l1":
        return torch.sign(a - y) / n
    if name == "bce":
        return (torch.sigmoid(z) - y) / n
    p = torch.softmax(z, 1)
    if labels is not None:  # scatter: a third of the cost of p[arange(n), labels] -= 1
        return p.scatter_add_(1, labels.view(-1, 1), p.new_full((n, 1), -1.0)).div_(n)
    return (p * y.sum(1, keepdim=True) - y) / n


def make_loss(name: str, output_activations: set[str]) -> LossFn:
    """The loss function for a network whose output neurons use these activations."""
    problem = loss_problem(name, output_activations)
    if problem:
        raise LossError(problem)
    return LOSSES[name]


LOSSES: dict[str, LossFn] = {"mse": _mse, "l1": _l1, "bce": _bce, "ce": _ce}
