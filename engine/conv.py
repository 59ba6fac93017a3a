"""Convolution and max-pooling layers: their geometry, their kernels and the numpy pass.

A convolution layer's neurons are its feature maps' units, channel-major (c, y, x) as torch
flattens a map. Its connections are implied by the kernel and shared, so the network stores each
kernel once: as the incoming connections of one unit per map, its anchor (the first unit whose
window lies inside the input: the top-left one without padding), in (c_in, dy, dx) order. Every
other unit of the map shares those weights; a map's units share one bias. Pooling has no numbers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from engine.errors import EngineError

KINDS = ("conv", "pool")


class ShapeError(EngineError):
    """A convolution or pooling that does not fit its input; the message says what and why."""


@dataclass(frozen=True)
class Conv:
    kind: str          # "conv" or "pool"
    source: str        # the name of the layer it reads
    size: int          # the kernel's k (k × k), or the pool's window
    stride: int = 1
    padding: int = 0


def grid_of(shape: tuple[int, ...] | None, what: str) -> tuple[int, int, int]:
    """A layer's shape as channels × height × width: an image (H, W) is one channel."""
    if shape is not None and len(shape) == 2:
        return (1, *shape)
    if shape is not None and len(shape) == 3:
        return tuple(shape)  # type: ignore[return-value]
    raise ShapeError(f"{what} has no image shape (height × width, or maps × height × width) for "
                     "a convolution or pooling to read; convolutions follow the input image or "
                     "another convolution or pooling, never a dense layer")


def out_shape(conv: Conv, in_shape: tuple[int, int, int], channels: int = 0) -> tuple[int, int, int]:
    """Maps × height × width of what conv makes from in_shape; channels: a convolution's maps.
    Refuses, in words, what does not fit."""
    c, h, w = in_shape
    k, s, p = conv.size, conv.stride, conv.padding
    name = f"a {k}×{k} kernel" if conv.kind == "conv" else f"a {k}×{k} pool"
    if k < 1 or s < 1 or p < 0:
        raise ShapeError(f"{name} with stride {s} and padding {p}: sizes and strides are at "
                         "least 1, padding at least 0")
    if conv.kind == "pool":
        if p:
            raise ShapeError("pooling takes no padding: a padded edge would count as a value")
        if h == w == 1:
            raise ShapeError("pooling a 1×1 map leaves it as it is; take the pooling out")
        if k > min(h, w):
            raise ShapeError(f"{name} is larger than its {h}×{w} map")
        return c, (h - k) // s + 1, (w - k) // s + 1  # as torch and Keras: the last rows left over
    if channels < 1:
        raise ShapeError(f"a convolution needs at least one feature map, not {channels}")
    if k > min(h, w) + 2 * p:
        raise ShapeError(f"{name} is larger than its {h}×{w} input" +
                         (f" with padding {p}" if p else ""))
    for side, n in (("height", h), ("width", w)):
        left = (n + 2 * p - k) % s
        if left:
            raise ShapeError(f"a stride of {s} does not fit: {name} stepping over the {side} of "
                             f"{n + 2 * p} leaves {left} unit{'s' * (left > 1)} unseen; choose "
                             "a stride that divides the rest, or pad")
    out = c if conv.kind == "pool" else channels
    return out, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1


def anchor(conv: Conv, in_shape: tuple[int, int, int]) -> int:
    """Row (and column) of the unit whose window lies inside the input: its connections hold
    the kernel."""
    k, s, p = conv.size, conv.stride, conv.padding
    r = -(-p // s)
    if r * s - p + k > min(in_shape[1:]):
        raise ShapeError(f"with padding {p}, no unit's {k}×{k} window lies inside the "
                         f"{in_shape[1]}×{in_shape[2]} input; use less padding")
    return r


def kernel_pairs(conv: Conv, sources: np.ndarray, units: np.ndarray,
                 in_shape: tuple[int, int, int], shape: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The (source, target) ids of the connections that hold a convolution's kernels, in
    (map, c_in, dy, dx) order: weights[that run].reshape(maps, c_in, k, k) is the kernel."""
    c_in, h, w = in_shape
    maps, h2, w2 = shape
    k, r = conv.size, anchor(conv, in_shape)
    y0 = r * conv.stride - conv.padding
    ci, dy, dx = np.meshgrid(np.arange(c_in), np.arange(k), np.arange(k), indexing="ij")
    window = np.asarray(sources)[(ci * h + y0 + dy) * w + y0 + dx].reshape(-1)
    anchors = np.asarray(units)[np.arange(maps) * h2 * w2 + r * w2 + r]
    return np.tile(window, maps), np.repeat(anchors, len(window))


def window(conv: Conv, in_shape: tuple[int, int, int], shape: tuple[int, int, int],
           unit: int) -> tuple[np.ndarray, np.ndarray]:
    """A unit's receptive field, by its place in its layer: the places in the input of the
    units its window holds, and for a convolution each one's place in its map's kernel
    (c_in · k · k + dy · k + dx); a padded edge holds none."""
    c_in, h, w = in_shape
    m, y, x = np.unravel_index(unit, shape)
    k, s, p = conv.size, conv.stride, conv.padding
    channels = np.arange(c_in) if conv.kind == "conv" else np.array([m])
    ci, dy, dx = (a.reshape(-1) for a in np.meshgrid(channels, np.arange(k), np.arange(k),
                                                      indexing="ij"))
    row, col = y * s - p + dy, x * s - p + dx
    inside = (row >= 0) & (row < h) & (col >= 0) & (col < w)
    places = ((ci * h + row) * w + col)[inside]
    return places, ((ci * k + dy) * k + dx)[inside] if conv.kind == "conv" else places[:0]


def sharing(conv: Conv, in_shape: tuple[int, int, int], shape: tuple[int, int, int],
            weight: int) -> tuple[np.ndarray, np.ndarray]:
    """Every connection a kernel weight stands for, by its place among the layer's kernel
    numbers (map · c_in · k · k + …): the places of the units (its map's) and of the inputs
    each one reads through that weight."""
    c_in, h, w = in_shape
    k = conv.size
    m, ci, dy, dx = np.unravel_index(weight, (shape[0], c_in, k, k))
    y, x = np.divmod(np.arange(shape[1] * shape[2]), shape[2])
    row, col = y * conv.stride - conv.padding + dy, x * conv.stride - conv.padding + dx
    inside = (row >= 0) & (row < h) & (col >= 0) & (col < w)
    units = m * shape[1] * shape[2] + np.flatnonzero(inside)
    return units, (ci * h + row[inside]) * w + col[inside]


def parameters(conv: Conv, in_shape: tuple[int, int, int], shape: tuple[int, int, int]) -> int:
    """The numbers a layer learns: its kernels and one bias a map."""
    return shape[0] * (in_shape[0] * conv.size ** 2 + 1) if conv.kind == "conv" else 0


def implied_connections(conv: Conv, in_shape: tuple[int, int, int],
                        shape: tuple[int, int, int]) -> int:
    """How many connections the layer stands for (each unit's window)."""
    per_unit = (in_shape[0] if conv.kind == "conv" else 1) * conv.size ** 2
    return math.prod(shape) * per_unit


# ---- the numpy pass (trace and Learn one sample), in float64 ---------------------------------
def _windows(x: np.ndarray, conv: Conv, h2: int, w2: int) -> np.ndarray:
    """(batch, c, h2, w2, k, k): each unit's window of x, a view (no copy)."""
    p, s = conv.padding, conv.stride
    if p:
        x = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    return sliding_window_view(x, (conv.size, conv.size), axis=(2, 3))[:, :, ::s, ::s][:, :, :h2, :w2]


def forward(conv: Conv, x: np.ndarray, shape: tuple[int, int, int],
            kernels: np.ndarray | None = None, biases: np.ndarray | None = None) -> np.ndarray:
    """z of every unit, (batch, maps, h, w), for inputs x (batch, c, h, w): Σ w·a + b over each
    window, or its largest a for pooling."""
    win = _windows(x, conv, *shape[1:])
    if conv.kind == "pool":
        return win.max(axis=(4, 5))
    z = np.tensordot(win, kernels, axes=([1, 4, 5], [1, 2, 3]))  # (batch, h, w, maps)
    return z.transpose(0, 3, 1, 2) + biases[:, None, None]


def backward(conv: Conv, x: np.ndarray, delta: np.ndarray,
             kernels: np.ndarray | None = None) -> tuple[np.ndarray | None, np.ndarray]:
    """From δ = ∂C/∂z of the units (batch, maps, h, w): ∂C/∂kernels, each shared weight's
    gradient summed over every position it is used at (None for pooling), and ∂C/∂a of the
    inputs x. Pooling sends each δ to the first largest a of its window, as torch does."""
    b, c, h, w = x.shape  # kernels: a convolution's (maps, c, k, k); pooling has none
    h2, w2 = delta.shape[2:]
    k, s, p = conv.size, conv.stride, conv.padding
    grad_x = np.zeros((b, c, h + 2 * p, w + 2 * p))
    win = _windows(x, conv, h2, w2)
    if conv.kind == "pool":
        flat = win.reshape(*win.shape[:4], k * k)
        first = flat.argmax(-1)  # argmax takes the first of equal ones
        dy, dx = np.divmod(first, k)
        bi, ci, yi, xi = np.indices(first.shape)
        np.add.at(grad_x, (bi, ci, yi * s + dy, xi * s + dx), delta)
        return None, grad_x
    grad_k = np.tensordot(delta, win, axes=([0, 2, 3], [0, 2, 3]))  # (maps, c, k, k)
    spread = np.tensordot(delta, kernels, axes=([1], [0]))  # (batch, h2, w2, c, k, k)
    for dy in range(k):
        for dx in range(k):
            grad_x[:, :, dy:dy + s * h2:s, dx:dx + s * w2:s] += spread[..., dy, dx].transpose(0, 3, 1, 2)
    return grad_k, grad_x[:, :, p:p + h, p:p + w]
