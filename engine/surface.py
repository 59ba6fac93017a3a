"""A slice of the loss surface through the network's numbers θ: the cost, as training computes it
(without dropout), at θ + α·d₁ + β·d₂ on a grid of (α, β), and the path the training steps took
projected onto it. d is either one weight or bias (for a one- or two-number network, the whole
surface) or a random direction normalised per filter: each neuron's incoming weights scaled to
the norm of its own, biases left still (Li et al. 2018, "Visualizing the loss landscape of
neural nets"). Imports torch only where it computes (the CLI's parser reads the limits), never
Qt.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from engine.errors import EngineError, printable
from engine.goals import find

if TYPE_CHECKING:
    import torch

    from engine.training import Trainer

MAX_POINTS = 101       # per side of the grid
MAX_SAMPLES = 10_000
MAX_SPAN = 1e4
PATH_BYTES = 64 * 2 ** 20  # the path's kept numbers: a big network keeps fewer, further apart
PATH_POINTS = 1024  # and more than a plot can tell apart are not kept


class SurfaceError(EngineError):
    pass


@dataclass
class Slice:
    alphas: np.ndarray          # (n,): the steps along d₁
    betas: np.ndarray | None    # (n,) along d₂, or None for a 1-D slice
    loss: np.ndarray            # (n,) or (n, n), loss[i, j] at (alphas[i], betas[j])
    centre: float               # at θ itself: the grid's middle
    path: np.ndarray            # (k, 1 or 2): the kept steps' θ as (α, β)
    along: list[str]            # what each direction is

    def as_json(self) -> dict:
        return {"alphas": self.alphas.tolist(),
                "betas": None if self.betas is None else self.betas.tolist(),
                "loss": self.loss.tolist(), "centre": self.centre, "path": self.path.tolist(),
                "along": self.along}


def named(trainer: Trainer, name: str) -> tuple[torch.Tensor, str]:
    """The unit direction of one number: "A:B" the weight from neuron A to B, "B" B's bias."""
    import torch  # noqa: PLC0415

    net, model = trainer.net, trainer.model
    direction = torch.zeros_like(model.flat)
    ends = name.split(":")
    found = [find(net, end) for end in ends]
    if len(ends) > 2 or None in found:
        missing = next((e for e, k in zip(ends, found) if k is None), name)
        raise SurfaceError(f"{printable(name)}: the network has no neuron {printable(missing)!r} "
                           "(write A:B for the weight from A to B, B for B's bias)")
    if len(ends) == 2:
        conn = net.connection_index(int(net.ids[found[0]]), int(net.ids[found[1]]))
        if conn is None:
            raise SurfaceError(f"{printable(name)}: no connection goes from {ends[0]} to {ends[1]}")
        direction[int(model.weight_at[conn])] = 1.0
        return direction, f"w {ends[0]}→{ends[1]}"
    at = np.flatnonzero(model.bias_neurons == found[0])
    if not len(at):
        raise SurfaceError(f"{printable(name)}: an input neuron has no bias")
    direction[int(model.bias_at[at[0]])] = 1.0
    return direction, f"b {ends[0]}"


def random(trainer: Trainer, seed: int) -> tuple[torch.Tensor, str]:
    """A random direction, each neuron's incoming weights scaled to the norm of its own."""
    import torch  # noqa: PLC0415

    from engine.optim import views_like  # noqa: PLC0415

    model = trainer.model
    generator = torch.Generator().manual_seed(seed)
    direction = torch.zeros_like(model.flat)
    views = views_like(direction, model.flat, model._w)
    for view, weights, mask in zip(views, model.masked_weights(), model.masks):
        drawn = torch.randn(weights.shape, generator=generator, dtype=weights.dtype)
        drawn = drawn.to(weights.device) * (1 if mask is None else mask)  # no absent connection
        norms = drawn.norm(dim=0)
        view.copy_(drawn * (weights.norm(dim=0) / torch.where(norms > 0, norms, 1.0)))
    if not float(direction.abs().sum()) > 0:
        raise SurfaceError("every weight is 0: a direction scaled to the weights has no length; "
                           "train first, or choose two numbers of the network")
    return direction, f"random (seed {seed})"


class Path:
    """θ after the steps of a run, kept in PATH_BYTES: when full, every other one goes and
    only every other step is kept from then on."""

    def __init__(self, n: int) -> None:
        self.room = max(2, min(PATH_POINTS, PATH_BYTES // max(1, 4 * n)))
        self.kept: list[np.ndarray] = []
        self.every, self._seen = 1, 0

    def add(self, flat: torch.Tensor) -> None:
        """Called after every step: most calls only count (a copy costs XOR's steps 10%)."""
        if self._seen % self.every == 0:
            if len(self.kept) >= self.room:
                self.kept = self.kept[::2]
                self.every *= 2
            self.kept.append(flat.detach().cpu().numpy().astype(np.float32))
        self._seen += 1


def _grid(span: float, points: int) -> np.ndarray:
    half = (points - 1) // 2
    return span * np.arange(-half, half + 1) / half  # 0 exactly in the middle


def _parallel(a: torch.Tensor, b: torch.Tensor) -> bool:
    a, b = a.double(), b.double()
    return float(a.dot(b).abs()) >= (1 - 1e-9) * float(a.norm() * b.norm())


def check(span: float, points: int, samples: int) -> None:
    if not (np.isfinite(span) and 0 < span <= MAX_SPAN):
        raise SurfaceError(f"span {span}: give a number above 0 and up to {MAX_SPAN:g}")
    if not (3 <= points <= MAX_POINTS and points % 2):
        raise SurfaceError(f"points {points}: give an odd number from 3 to {MAX_POINTS}, so the "
                           "network's own numbers lie in the middle")
    if not 1 <= samples <= MAX_SAMPLES:
        raise SurfaceError(f"samples {samples}: give 1 to {MAX_SAMPLES:,}")


def compute(trainer: Trainer, directions: list[tuple[torch.Tensor, str]], span: float = 1.0,
            points: int = 41, on: str = "train", samples: int = 1000,
            path: Path | None = None, cover_path: bool = False) -> Slice:
    """The cost over the grid on the first samples of the training (or test) data; θ is the
    trainer's, and stays as it was. cover_path widens the span to take in the whole path."""
    import torch  # noqa: PLC0415

    check(span, points, samples)
    if len(directions) not in (1, 2):
        raise SurfaceError("a slice has one or two directions")
    if len(directions) == 2 and _parallel(directions[0][0], directions[1][0]):
        raise SurfaceError("the two directions are the same line: choose two different numbers "
                           "(a network of one weight has one random direction)")
    data = trainer.train if on == "train" else trainer.test
    if data is None:
        raise SurfaceError("the data set has no test samples")
    n = min(samples, len(data.x))
    part = dataclasses.replace(data, x=data.x[:n], y=data.y[:n],
                               labels=None if data.labels is None else data.labels[:n])
    flat = trainer.model.flat
    theta = flat.clone()
    d = [direction for direction, _ in directions]
    projected = project(path.kept if path else [], theta, d)
    if cover_path and len(projected):
        span = min(max(span, 1.05 * float(np.abs(projected).max())), MAX_SPAN)
    steps = _grid(span, points)
    shape = (points,) * len(d)
    loss = np.empty(shape)
    try:
        with torch.no_grad():
            for at in np.ndindex(*shape):
                flat.copy_(theta)
                for k, i in enumerate(at):
                    flat.add_(d[k], alpha=float(steps[i]))
                loss[at] = trainer.data_cost(part)
    finally:
        flat.copy_(theta)
    middle = (points // 2,) * len(d)
    return Slice(steps, steps if len(d) == 2 else None, loss, float(loss[middle]), projected,
                 [text for _, text in directions])


def project(kept: list[np.ndarray], theta: torch.Tensor, d: list[torch.Tensor]) -> np.ndarray:
    """Each kept θ as steps along the directions, least squares (exact for one-number ones)."""
    import torch  # noqa: PLC0415

    if not kept:
        return np.zeros((0, len(d)))
    basis = torch.stack(d, 1).to("cpu", torch.float64).numpy()
    moved = np.stack(kept) - theta.to("cpu", torch.float32).numpy()
    # the normal equations: a 2 × 2 solve after one float32 product (lstsq on float64 copies
    # of every kept step took a tenth of a 784-32-10 slice)
    along = (moved @ basis.astype(np.float32)).astype(np.float64)
    return np.linalg.solve(basis.T @ basis, along.T).T
