"""The backward pass of a compiled network, written out: from ∂C at the outputs, level by level
back, δ = h'(z) ⊙ ∂C/∂a, ∂C/∂W = readᵀ δ, ∂C/∂b = Σ δ over the batch, ∂C/∂read = δ Wᵀ.

Why not autograd: recording the graph and running its engine was a third of a 784-32-10 step at
batch 64 (py-spy of bench/engine_vs_torch.py: Tensor.backward 41% of Trainer.steps, of which the
two weight products are a small part). The arithmetic is the same; tests/engine/test_backward.py
holds it to autograd's on random DAGs with skip connections, missing connections, dropout, every
activation × loss and regularisation.
"""
from __future__ import annotations

import torch

from engine.compile import CompiledNetwork, Pass


def _slope(name: str, param: float, z: torch.Tensor, h: torch.Tensor) -> torch.Tensor | None:
    """h'(z), as autograd takes it at a corner (ReLU'(0) = 0, leaky ReLU'(0) = slope); None for 1."""
    if name == "sigmoid":
        return h * (1 - h)
    if name == "tanh":
        return 1 - h * h
    if name == "relu":
        return (z > 0).to(z.dtype)
    if name == "leaky_relu":
        return torch.full_like(z, param).masked_fill_(z > 0, 1.0)
    return None  # linear, and softmax, whose Jacobian comes with the loss's gradient


def _add_read(model: CompiledNetwork, reader: int | torch.Tensor, d: torch.Tensor,
              d_a: list[torch.Tensor | None]) -> None:
    """∂C/∂read back onto the blocks it was read from (the inputs' share is dropped)."""
    if isinstance(reader, int):
        d_a[reader] = d if d_a[reader] is None else d_a[reader] + d
        return
    spread = d.new_zeros((len(d), sum(model.widths))).index_add_(1, reader, d)
    for k, part in enumerate(spread.split(model.widths, 1)):
        if k:
            d_a[k] = part if d_a[k] is None else d_a[k] + part


def output_gradient(model: CompiledNetwork, d: torch.Tensor, a_out: torch.Tensor) -> torch.Tensor:
    """∂C/∂a of the outputs to ∂C/∂(what the output blocks hold): for softmax outputs (whose block
    holds z) through softmax's Jacobian, δ_j = a_j (g_j − Σ_k a_k g_k) over the group."""
    if model.softmax_all:
        return a_out * (d - (a_out * d).sum(1, keepdim=True))
    if model.softmax_idx is None:
        return d
    a, g = a_out.index_select(1, model.softmax_idx), d.index_select(1, model.softmax_idx)
    return d.index_copy(1, model.softmax_idx, a * (g - (a * g).sum(1, keepdim=True)))


def _delta(model: CompiledNetwork, k: int, fwd: Pass, d: torch.Tensor) -> torch.Tensor:
    """δ = h'(z) ⊙ ∂C/∂a for level k, a group of neurons with one activation at a time."""
    z, h = fwd.z[k + 1], fwd.h[k]
    groups = model.plan.levels[k].groups
    if len(groups) == 1:
        name, param, _, _ = groups[0]
        if name == "relu":  # one pass, as autograd's: a slope tensor and a product were 15% of
            return torch.ops.aten.threshold_backward(d, h, 0)  # a convnet's step (cProfile)
        slope = _slope(name, param, z, h)
        return d if slope is None else d * slope
    parts = []
    for name, param, s, e in groups:
        slope = _slope(name, param, z[:, s:e], h[:, s:e])
        parts.append(d[:, s:e] if slope is None else d[:, s:e] * slope)
    return torch.cat(parts, 1)


def _maps_back(geometry: tuple, fwd: Pass, k: int, delta: torch.Tensor, w: torch.Tensor,
               gw: torch.Tensor, gb: torch.Tensor, reads_levels: bool) -> torch.Tensor | None:
    """A convolution's or a pooling's gradients: each shared weight's summed over the positions
    it is used at, each map's bias over its units; returns ∂C/∂read where a level is read."""
    conv, in_shape, shape = geometry
    d = delta.reshape(len(delta), *shape)
    x = fwd.reads[k].reshape(len(delta), *in_shape)
    s, p = [conv.stride] * 2, [conv.padding] * 2
    if conv.kind == "pool":
        if not reads_levels:
            return None
        return torch.ops.aten.max_pool2d_with_indices_backward(
            d, x, [conv.size] * 2, s, p, [1, 1], False, fwd.picked[k])
    d_x, d_w, d_b = torch.ops.aten.convolution_backward(
        d, x, w, [shape[0]], s, p, [1, 1], False, [0, 0], 1, [reads_levels, True, True])
    gw.copy_(d_w)
    gb.copy_(d_b)
    return d_x


def backward(model: CompiledNetwork, fwd: Pass, d_out: torch.Tensor, of_z: bool,
             grad_w: list[torch.Tensor], grad_b: list[torch.Tensor], l1: float = 0.0,
             l2: float = 0.0) -> None:
    """Writes ∂C/∂W and ∂C/∂b of every level into grad_w and grad_b (all of each), for the cost
    whose gradient at the output blocks is d_out: ∂C/∂z where of_z, else ∂C/∂a; l1 and l2 are the
    regularisation's λ (C + λ₁ Σ|w| + λ₂ Σ w²)."""
    n_blocks = len(fwd.a)
    d_a: list[torch.Tensor | None] = [None] * n_blocks
    d_z: list[torch.Tensor | None] = [None] * n_blocks  # of_z: δ given, no slope to apply
    _add_read(model, model.out_reader, d_out, d_z if of_z else d_a)
    weights = model.masked_weights()
    for k in reversed(range(n_blocks - 1)):
        block, gw, gb = k + 1, grad_w[k], grad_b[k]
        delta = d_a[block]
        if delta is not None:
            if fwd.noise[k] is not None:
                delta = delta * fwd.noise[k]
            delta = _delta(model, k, fwd, delta)
        if d_z[block] is not None:
            delta = d_z[block] if delta is None else delta + d_z[block]
        if delta is None:  # nothing reads this level
            gw.zero_()
            gb.zero_()
        elif model.convs[k] is not None:
            d_read = _maps_back(model.convs[k], fwd, k, delta, weights[k], gw, gb,
                                model.reads_levels[k])
            if d_read is not None:
                _add_read(model, model.readers[k], d_read.flatten(1), d_a)
        else:
            torch.mm(fwd.reads[k].t(), delta, out=gw)
            if model.masks[k] is not None:
                gw.mul_(model.masks[k])
            torch.sum(delta, 0, out=gb)
            if model.reads_levels[k]:
                _add_read(model, model.readers[k], delta @ weights[k].t(), d_a)
        # products first, then sums: add_(…, alpha=) may fuse them, rounding by where the
        # memory is aligned
        if l1:
            gw.add_(torch.sign(weights[k]) * l1)
        if l2:
            gw.add_(weights[k] * (2 * l2))
