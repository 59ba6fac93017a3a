"""Network -> torch.nn.Module, one masked dense matmul per level (DESIGN.md), and weights back again.

Imports torch: used by the trainer process and the CLI, never at window start-up.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from engine.errors import EngineError
from engine.network import Network
from engine.plan import Plan, make_plan

TORCH_ACTIVATIONS: dict[str, Callable[[torch.Tensor, float], torch.Tensor]] = {
    "step": lambda z, _: (z >= 0).to(z.dtype),
    "sigmoid": lambda z, _: torch.sigmoid(z),
    "tanh": lambda z, _: torch.tanh(z),
    "relu": lambda z, _: F.relu(z),
    "leaky_relu": lambda z, slope: F.leaky_relu(z, slope),
    "linear": lambda z, _: z,
    "softmax": lambda z, _: z,  # taken across the whole group once the outputs are known
}
DTYPES = {"float32": torch.float32, "float64": torch.float64}


class DeviceError(EngineError):
    """The device asked for is not there."""


def pick_device(name: str) -> tuple[torch.device, str]:
    """The device to train on and a sentence for the user when "auto" had to fall back."""
    if name not in ("auto", "cpu", "cuda"):
        raise DeviceError(f"unknown device {name!r}; choose auto, cpu or cuda")
    if name == "cpu":
        return torch.device("cpu"), ""
    if torch.cuda.is_available():
        return torch.device("cuda"), ""
    if name == "cuda":
        raise DeviceError("CUDA was asked for, but this PyTorch sees no CUDA GPU "
                          f"(torch {torch.__version__}); use --device cpu or auto")
    return torch.device("cpu"), "no CUDA GPU found: training on the CPU"


def _reader(needed: np.ndarray, blocks: list[np.ndarray]) -> int | np.ndarray:
    """Where a level reads its sources: a whole earlier block, or columns of all blocks so far."""
    for k, block in enumerate(blocks):
        if np.array_equal(block, needed):
            return k
    position = {int(n): i for i, n in enumerate(np.concatenate(blocks))}
    return np.array([position[int(n)] for n in needed], dtype=np.int64)


class CompiledNetwork(nn.Module):
    def __init__(self, net: Network, plan: Plan | None = None, dtype: torch.dtype = torch.float32,
                 device: torch.device | str = "cpu") -> None:
        super().__init__()
        self.plan = plan = plan or make_plan(net)
        opts = {"dtype": dtype, "device": device}
        self.weights = nn.ParameterList(
            nn.Parameter(torch.tensor(lv.dense(net.weight), **opts)) for lv in plan.levels)
        self.biases = nn.ParameterList(
            nn.Parameter(torch.tensor(net.bias[lv.neurons], **opts)) for lv in plan.levels)
        self.masks = [None if lv.full else torch.tensor(lv.mask(), **opts) for lv in plan.levels]
        self.dropout_cols = [None if lv.hidden.all() or not lv.hidden.any() else
                             torch.tensor(lv.hidden, device=device) for lv in plan.levels]
        blocks = [plan.inputs]
        self.readers: list[int | torch.Tensor] = []
        for lv in plan.levels:
            self.readers.append(self._as_reader(_reader(lv.sources, blocks), device))
            blocks.append(lv.neurons)
        self.out_reader = self._as_reader(_reader(plan.outputs, blocks), device)
        softmax_cols = np.flatnonzero(np.isin(plan.outputs, plan.softmax))
        self.softmax_all = len(softmax_cols) == len(plan.outputs) > 0
        self.softmax_idx = torch.tensor(softmax_cols, device=device) if len(softmax_cols) else None

    @staticmethod
    def _as_reader(r: int | np.ndarray, device: torch.device | str) -> int | torch.Tensor:
        return r if isinstance(r, int) else torch.tensor(r, device=device)

    @staticmethod
    def _read(reader: int | torch.Tensor, blocks: list[torch.Tensor]) -> torch.Tensor:
        if isinstance(reader, int):
            return blocks[reader]
        return torch.cat(blocks, 1).index_select(1, reader)

    def masked_weights(self) -> list[torch.Tensor]:
        return [w if m is None else w * m for w, m in zip(self.weights, self.masks)]

    def forward(self, x: torch.Tensor, dropout: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
        """z and a of the output neurons (a with the softmax group applied)."""
        a_blocks, z_blocks = [x], [x]
        for lv, w, b, reader, cols in zip(self.plan.levels, self.masked_weights(), self.biases,
                                          self.readers, self.dropout_cols):
            z = torch.addmm(b, self._read(reader, a_blocks), w)
            parts = [TORCH_ACTIVATIONS[name](z[:, s:e] if len(lv.groups) > 1 else z, p)
                     for name, p, s, e in lv.groups]
            a = parts[0] if len(parts) == 1 else torch.cat(parts, 1)
            if dropout and self.training and lv.hidden.any():
                dropped = F.dropout(a, dropout, True)
                a = dropped if cols is None else torch.where(cols, dropped, a)
            a_blocks.append(a)
            z_blocks.append(z)
        z_out, a_out = self._read(self.out_reader, z_blocks), self._read(self.out_reader, a_blocks)
        if self.softmax_all:
            a_out = torch.softmax(z_out, 1)
        elif self.softmax_idx is not None:
            soft = torch.softmax(z_out.index_select(1, self.softmax_idx), 1)
            a_out = a_out.index_copy(1, self.softmax_idx, soft)
        return z_out, a_out

    def numpy_weights(self) -> np.ndarray:
        """Weights in the network's connection order (one vectorised copy per level)."""
        return self.plan.scatter_weights([w.detach().cpu().numpy() for w in self.weights])

    def numpy_biases(self, base: np.ndarray) -> np.ndarray:
        return self.plan.scatter_biases([b.detach().cpu().numpy() for b in self.biases], base)

    @torch.no_grad()
    def load_numpy(self, weights: np.ndarray, biases: np.ndarray) -> None:
        for lv, w, b in zip(self.plan.levels, self.weights, self.biases):
            w.copy_(torch.as_tensor(lv.dense(weights)))
            b.copy_(torch.as_tensor(biases[lv.neurons]))
