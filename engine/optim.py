"""SGD, momentum and Adam on one flat buffer: the compiled network keeps every weight and bias in
a single tensor, and here every gradient lands in a second one, so a step is a few whole-buffer
operations whatever the number of layers.

Why not torch.optim: its per-parameter loop and bookkeeping were a quarter of an XOR step
(profile: _single_tensor_adam 0.07 s of 0.34 s for 500 steps), and its first use imports
torch._dynamo, 1.3 s before the CLI's first step and of the trainer process's start. The
arithmetic is torch.optim's defaults, operation for operation (SGD with dampening 0, no
Nesterov; Adam with β = (0.9, 0.999), ε = 1e-8), so the numbers are the same.
"""
from __future__ import annotations

import torch
from torch import nn

BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


def views_like(buffer: torch.Tensor, flat: torch.Tensor,
               params: list[torch.Tensor]) -> list[torch.Tensor]:
    """A buffer laid out as flat, seen as each of params (which are views of flat)."""
    start = flat.storage_offset()
    return [buffer[p.storage_offset() - start:][:p.numel()].view(p.shape) for p in params]


class FlatOptimizer:
    def __init__(self, flat: torch.Tensor, params: list[nn.Parameter], kind: str, lr: float,
                 momentum: float = 0.0) -> None:
        """params: views of flat. kind: sgd, momentum or adam. The gradient is written into
        self.views (one per parameter, views of self.grad) before each step."""
        self.flat, self.kind, self.lr, self.momentum = flat, kind, lr, momentum
        self.grad = torch.zeros_like(flat)
        self.views = views_like(self.grad, flat, params)
        self.steps = 0
        self.trainable: torch.Tensor | None = None  # 0 where a number is frozen, else 1
        self.buffer = torch.zeros_like(flat) if kind in ("momentum", "adam") else None
        self.squares = torch.zeros_like(flat) if kind == "adam" else None

    def step(self) -> None:
        self.steps += 1
        if self.trainable is not None:  # no gradient, so no step: momentum and Adam's moments
            self.grad.mul_(self.trainable)  # stay 0 there, and w − 0 is w, bit for bit
        if self.kind == "sgd":
            self.flat.add_(self.grad, alpha=-self.lr)
        elif self.kind == "momentum":
            self.buffer.mul_(self.momentum).add_(self.grad)  # the first step: 0·α + g = g
            self.flat.add_(self.buffer, alpha=-self.lr)
        else:
            self.buffer.lerp_(self.grad, 1 - BETA1)
            self.squares.mul_(BETA2).addcmul_(self.grad, self.grad, value=1 - BETA2)
            step_size = self.lr / (1 - BETA1 ** self.steps)
            denom = (self.squares.sqrt() / (1 - BETA2 ** self.steps) ** 0.5).add_(EPS)
            self.flat.addcdiv_(self.buffer, denom, value=-step_size)
