"""Network -> torch.nn.Module, one masked dense matmul per level (DESIGN.md), and weights back again.

Imports torch: used by the trainer process and the CLI, never at window start-up.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from engine.errors import EngineError
from engine.memory import check_bytes
from engine.network import Network
from engine.plan import Plan, make_plan, reader

Act = Callable[[torch.Tensor], torch.Tensor]


def _step(z: torch.Tensor) -> torch.Tensor:
    return (z >= 0).to(z.dtype)


def torch_activation(name: str, param: float) -> Act | None:
    """h as one torch call, or None for the identity (linear, and softmax until the group is known).
    Direct torch functions, not F.* wrappers: this runs per level per mini-batch."""
    if name == "leaky_relu":
        return partial(F.leaky_relu, negative_slope=param)
    return {"step": _step, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}.get(name)


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


@dataclass
class Pass:
    """A forward pass, kept for its backward pass (engine.backward)."""
    a: list[torch.Tensor]       # per block, the inputs first: what later levels read
    z: list[torch.Tensor]       # per block, the inputs first
    h: list[torch.Tensor]       # per level: h(z), before dropout
    reads: list[torch.Tensor]   # per level: the matrix it multiplied by its weights
    noise: list[torch.Tensor | None]  # per level: dropout's factors (0, 1/(1 − p), or 1)
    picked: list[torch.Tensor | None]  # per level: a pooling's choice in each window


class CompiledNetwork(nn.Module):
    def __init__(self, net: Network, plan: Plan | None = None, dtype: torch.dtype = torch.float32,
                 device: torch.device | str = "cpu") -> None:
        super().__init__()
        self.plan = plan = plan or make_plan(net)
        opts = {"dtype": dtype, "device": device}
        # Every weight and bias lives in one flat buffer (dense level matrices, then the biases);
        # the parameters are views of it, so a snapshot is a single memcpy.
        shapes = [lv.weight_shape for lv in plan.levels]
        sizes = [math.prod(shape) for shape in shapes]
        # weights, gradients, two optimiser moments and the mask: about five copies
        itemsize = torch.empty(0, dtype=dtype).element_size()
        big = shapes[int(np.argmax(sizes))] if shapes else (0, 0)
        check_bytes(5 * itemsize * sum(sizes),
                    f"training computes each level as a dense matrix (the largest "
                    f"{' × '.join(f'{n:,}' for n in big)}); this network")
        ends = np.cumsum(sizes + [lv.n_biases for lv in plan.levels])
        starts = np.concatenate([[0], ends[:-1]])
        flat = np.zeros(int(ends[-1]) if len(ends) else 0)
        k = len(shapes)
        for i, lv in enumerate(plan.levels):
            flat[starts[i]:ends[i]] = lv.dense(net.weight).reshape(-1)
            flat[starts[k + i]:ends[k + i]] = lv.biases(net.bias)
        self.flat = torch.tensor(flat, **opts)
        views = [self.flat[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
        # no autograd: engine.backward computes the gradients
        self.weights = nn.ParameterList(nn.Parameter(v.view(shape), requires_grad=False)
                                        for v, shape in zip(views, shapes))
        self.biases = nn.ParameterList(nn.Parameter(v, requires_grad=False) for v in views[k:])
        # where each connection's weight and each computed neuron's bias sit in the flat buffer
        self.weight_at = np.empty(plan.n_connections, np.int64)
        for i, (lv, shape) in enumerate(zip(plan.levels, shapes)):
            in_run = lv.block is not None or lv.conv is not None
            self.weight_at[lv.conns] = starts[i] + (np.arange(len(lv.conns)) if in_run
                                                    else lv.rows * shape[-1] + lv.cols)
        self.in_order = np.array_equal(self.weight_at, np.arange(plan.n_connections))
        # a feature map's units all read its one bias; a pooling's have none
        held = [lv for lv in plan.levels if lv.n_biases]
        self.bias_neurons = np.concatenate([lv.neurons for lv in held] or [np.zeros(0, int)])
        self.bias_at = np.concatenate([starts[k + i] + lv.bias_of for i, lv in enumerate(plan.levels)
                                       if lv.n_biases] or [np.zeros(0, int)]).astype(np.int64)
        # plain lists: indexing an nn.ParameterList costs ~3 µs a time, which shows at batch 64
        self._w, self._b = list(self.weights), list(self.biases)
        self.masks = [None if lv.full or lv.conv else torch.tensor(lv.mask(), **opts)
                      for lv in plan.levels]
        self.convs = [lv.conv for lv in plan.levels]
        self.dropout_cols = [None if lv.hidden.all() or not lv.hidden.any() else
                             torch.tensor(lv.hidden, device=device) for lv in plan.levels]
        blocks = [plan.inputs]
        self.readers: list[int | torch.Tensor] = []
        self.reads_levels: list[bool] = []  # reads a computed neuron, not only inputs
        for lv in plan.levels:
            read = reader(lv.sources, blocks)
            self.readers.append(self._as_reader(read, device))
            self.reads_levels.append(bool(np.any(np.asarray(read) >= (1 if isinstance(read, int)
                                                                       else len(plan.inputs)))))
            blocks.append(lv.neurons)
        self.widths = [len(block) for block in blocks]
        self.out_reader = self._as_reader(reader(plan.outputs, blocks), device)
        self.level_acts = [[(torch_activation(name, p), s, e) for name, p, s, e in lv.groups]
                           for lv in plan.levels]
        self.level_dropout = [bool(lv.hidden.any()) for lv in plan.levels]
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
        return [w if m is None else w * m for w, m in zip(self._w, self.masks)]

    def run(self, x: torch.Tensor, dropout: float = 0.0) -> Pass:
        """Every level's numbers for the inputs x, with dropout at this rate on hidden neurons."""
        fwd = Pass([x], [x], [], [], [], [])
        for w, b, level_reader, acts, cols, droppable, geometry in zip(
                self.masked_weights(), self._b, self.readers, self.level_acts, self.dropout_cols,
                self.level_dropout, self.convs):
            read = self._read(level_reader, fwd.a)
            picked = None
            if geometry is None:
                z = torch.addmm(b, read, w)
            else:
                z, picked = maps(geometry, read, w, b)
            fwd.picked.append(picked)
            if len(acts) == 1:
                fn = acts[0][0]
                h = z if fn is None else fn(z)
            else:
                h = torch.cat([z[:, s:e] if fn is None else fn(z[:, s:e]) for fn, s, e in acts], 1)
            noise = None
            if dropout and droppable:  # as F.dropout draws it, on the hidden neurons only
                noise = torch.empty_like(h).bernoulli_(1 - dropout).div_(1 - dropout)
                if cols is not None:
                    noise = torch.where(cols, noise, 1.0)
            fwd.a.append(h if noise is None else h * noise)
            fwd.z.append(z)
            fwd.h.append(h)
            fwd.reads.append(read)
            fwd.noise.append(noise)
        return fwd

    def level_activations(self, x: torch.Tensor) -> list[torch.Tensor]:
        """a of each level's neurons (in the plan's order), without dropout."""
        return self.run(x).h

    def forward(self, x: torch.Tensor, dropout: float = 0.0,
                softmax: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
        return self.outputs(self.run(x, dropout), softmax)

    def outputs(self, fwd: Pass, softmax: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
        """z and a of the output neurons; softmax=False leaves a = z for the softmax group (a loss
        that works from z needs no more, and argmax is the same either way)."""
        z_out, a_out = self._read(self.out_reader, fwd.z), self._read(self.out_reader, fwd.a)
        if not softmax:
            return z_out, a_out
        if self.softmax_all:
            a_out = torch.softmax(z_out, 1)
        elif self.softmax_idx is not None:
            soft = torch.softmax(z_out.index_select(1, self.softmax_idx), 1)
            a_out = a_out.index_copy(1, self.softmax_idx, soft)
        return z_out, a_out

    def to_connections(self, flat: np.ndarray) -> np.ndarray:
        """Connection-order weights from a fresh flat array laid out like the buffer (a view of it
        where the layout already is connection order, as for every layered network)."""
        return flat[:self.plan.n_connections] if self.in_order else flat[self.weight_at]

    def to_neurons(self, flat: np.ndarray, base: np.ndarray) -> np.ndarray:
        """Neuron-order biases from a flat array; inputs keep their base value."""
        out = base.astype(flat.dtype)
        out[self.bias_neurons] = flat[self.bias_at]
        return out

    def flat_of(self, weights: np.ndarray, biases: np.ndarray) -> torch.Tensor:
        """A tensor laid out like the buffer from connection-order weights and neuron-order
        biases (to_connections and to_neurons the other way)."""
        flat = np.zeros(self.flat.numel())
        flat[self.weight_at] = weights
        flat[self.bias_at] = biases[self.bias_neurons]
        return torch.as_tensor(flat, dtype=self.flat.dtype, device=self.flat.device)

    def host_flat(self) -> np.ndarray:
        """A copy of every weight and bias, on the CPU."""
        return self.flat.detach().to("cpu", copy=True).numpy()

    def numpy_weights(self) -> np.ndarray:
        """Weights in the network's connection order."""
        return self.to_connections(self.host_flat())

    def numpy_biases(self, base: np.ndarray) -> np.ndarray:
        return self.to_neurons(self.host_flat(), base)

    @torch.no_grad()
    def load_some(self, conns: np.ndarray, weights: np.ndarray, neurons: np.ndarray,
                  biases: np.ndarray) -> None:
        """Only these connections' weights and these neurons' biases (indices into the
        network's arrays): a hand edit costs what it changed, not the whole network."""
        place = np.full(self.plan.n_neurons, -1, np.int64)  # an input has no bias here
        place[self.bias_neurons] = self.bias_at
        at = np.concatenate([self.weight_at[conns], place[neurons]])
        values = np.concatenate([weights, biases])[at >= 0]
        if len(values):
            self.flat[torch.as_tensor(at[at >= 0], device=self.flat.device)] = torch.as_tensor(
                values, dtype=self.flat.dtype, device=self.flat.device)

    @torch.no_grad()
    def load_numpy(self, weights: np.ndarray, biases: np.ndarray) -> None:
        for lv, w, b in zip(self.plan.levels, self._w, self._b):
            w.copy_(torch.as_tensor(lv.dense(weights)))
            b.copy_(torch.as_tensor(lv.biases(biases)))


def maps(geometry: tuple, read: torch.Tensor, w: torch.Tensor,
         b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
    """z of a convolution's or a pooling's units, flat as (batch, maps·h·w), from the flat
    (batch, c·h·w) block it reads; a pooling's choice in each window too (for its gradient)."""
    conv, in_shape, _ = geometry
    x = read.reshape(len(read), *in_shape)
    if conv.kind == "conv":
        return F.conv2d(x, w, b, conv.stride, conv.padding).flatten(1), None
    z, picked = F.max_pool2d(x, conv.size, conv.stride, return_indices=True)
    return z.flatten(1), picked
