"""Digits as MNIST made them, and pictures of many neurons at once.

MNIST's digits were scaled to fit a 20×20 box (keeping their aspect) and placed in 28×28 with
their centre of mass in the middle; a digit drawn with the mouse must go through the same steps,
or a network trained on MNIST reads it badly.
"""
from __future__ import annotations

import numpy as np

from engine.network import Layer, Network

SIDE, BOX = 28, 20


def input_tile(net: Network) -> Layer | None:
    """The 28×28 layer of input neurons a digit goes on, if the network has one."""
    inputs = set(net.inputs.tolist())
    return next((layer for layer in net.layers if layer.shape == (SIDE, SIDE)
                 and set(layer.neurons) <= inputs), None)


def _area(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in): each output cell the mean of the input cells it covers, in parts."""
    edges = np.linspace(0, n_in, n_out + 1)
    cells = np.arange(n_in)
    overlap = np.clip(np.minimum(edges[1:, None], cells + 1) - np.maximum(edges[:-1, None], cells),
                      0, None)
    return overlap / overlap.sum(1, keepdims=True)


def centred(drawing: np.ndarray) -> np.ndarray:
    """A drawing (rows × columns of ink in [0, 1], any size) as an MNIST digit: the ink's bounding
    box scaled by area averaging to fit 20×20, keeping its aspect, then moved within 28×28 so
    that its centre of mass is in the middle. No ink gives a blank digit."""
    digit = np.zeros((SIDE, SIDE))
    ink = np.argwhere(drawing > 0)
    if not len(ink):
        return digit
    (top, left), (bottom, right) = ink.min(0), ink.max(0) + 1
    crop = np.asarray(drawing, float)[top:bottom, left:right]
    h, w = crop.shape
    nh, nw = (max(1, round(n * BOX / max(h, w))) for n in (h, w))
    small = _area(h, nh) @ crop @ _area(w, nw).T
    mass = small.sum()
    cy = (small.sum(1) @ np.arange(nh)) / mass
    cx = (small.sum(0) @ np.arange(nw)) / mass
    # the centre of mass on pixel (14, 14), where MNIST's digits have it (measured: 13.99, 14.01
    # on average), the box kept inside the 28×28 field
    row = int(np.clip(round(SIDE / 2 - cy), 0, SIDE - nh))
    col = int(np.clip(round(SIDE / 2 - cx), 0, SIDE - nw))
    digit[row:row + nh, col:col + nw] = small
    return np.clip(digit, 0.0, 1.0)


def mosaic(pictures: np.ndarray, columns: int, gap: int = 1) -> np.ndarray:
    """Pictures (n, rows, cols) laid out left to right, top to bottom, with NaN between them."""
    n, h, w = pictures.shape
    columns = max(1, min(columns, n))
    lines = -(-n // columns)
    out = np.full((lines * (h + gap) - gap, columns * (w + gap) - gap), np.nan)
    for k in range(n):
        r, c = divmod(k, columns)
        out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = pictures[k]
    return out
