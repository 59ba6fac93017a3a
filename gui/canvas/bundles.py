"""Bundles: the many connections between two layers (784 × 32 in MNIST) drawn so they can be read.

Thousands of lines between two layers make a wall of colour. A bundle is drawn instead as a faint
band from one layer to the other and, beside each target neuron, a small picture of its incoming
weights from that layer: 28×28 when the source layer is an image, else a strip with one pixel
per source neuron. Every weight is a pixel there, readable at some zoom, and a click on one
selects its connection. Each picture has its own colour scale (orange negative, blue positive),
as the Inspector's picture does. Bundles are the dense blocks the level plan finds, so finding
them costs no pass over 1.79 M connections; only pictures in view are coloured.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPolygonF

from engine.plan import Plan
from gui.canvas.style import NEGATIVE, POSITIVE, RADIUS

BUNDLE_MIN = 256     # connections between two layers from which they are drawn as a bundle
PICTURE = 48.0         # a picture's largest height, in scene units (neurons of a layer are ~60 apart)
STRIP = 2.5            # a strip picture's width in heights
MARGIN = 6.0           # between a picture and its neuron
BAND = QColor(120, 130, 150, 45)


def _lut() -> np.ndarray:
    """256 colours from orange through white to blue, as 0xffRRGGBB."""
    t = np.linspace(-1, 1, 256)[:, None]
    ends = np.where(t < 0, np.array(NEGATIVE.getRgb()[:3]), np.array(POSITIVE.getRgb()[:3]))
    rgb = np.round(255 + (ends - 255) * np.abs(t)).astype(np.uint32)
    return (0xFF000000 | rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2]).astype(np.uint32)


LUT = _lut()


@dataclass
class Bundle:
    first: int              # the block's first connection: [sources, targets] row-major from it
    sources: np.ndarray     # neuron rows, in the block's order
    targets: np.ndarray
    shape: tuple[int, int]  # one target's picture, rows × columns
    rects: np.ndarray | None = None   # (targets, 4) each picture's x, y, width, height
    band: QPolygonF | None = None
    pixels: np.ndarray | None = None  # the pictures one under another, 0xffRRGGBB
    stale: np.ndarray | None = None   # per target: its picture waits for the current weights

    @property
    def conns(self) -> slice:
        return slice(self.first, self.first + len(self.sources) * len(self.targets))

    def recolour(self) -> None:
        """The weights changed: each picture is coloured again when it is next drawn."""
        self.stale[:] = True

    def _colour(self, weights: np.ndarray, which: np.ndarray) -> None:
        # rows of the targets in which: a strided view of the block, no copy of it all
        values = weights[self.conns].reshape(len(self.sources), -1).T[which]
        reach = np.abs(values).max(axis=1, keepdims=True, initial=0.0)
        index = np.round((values / np.where(reach > 0, reach, 1.0) + 1) * 127.5).astype(np.intp)
        h, w = self.shape
        self.pixels.reshape(len(self.targets), h * w)[which] = LUT[index]
        self.stale[which] = False

    def paint(self, painter: QPainter, exposed: QRectF, pixels_per_unit: float,
              weights: np.ndarray) -> None:
        painter.drawPolygon(self.band)
        if not len(self.rects) or self.rects[0, 3] * pixels_per_unit < 3:
            return  # pictures under 3 pixels tall say nothing: the band alone
        x, y, w, h = self.rects.T
        seen = np.flatnonzero((x + w >= exposed.left()) & (x <= exposed.right()) &
                              (y + h >= exposed.top()) & (y <= exposed.bottom()))
        if self.stale[seen].any():  # only what is in view: 20 pictures, not 1,000
            self._colour(weights, seen[self.stale[seen]])
        rows, cols = self.shape
        image = QImage(self.pixels.data, cols, len(self.pixels), 4 * cols, QImage.Format.Format_RGB32)
        for k in seen.tolist():
            painter.drawImage(QRectF(*self.rects[k]), image, QRectF(0, k * rows, cols, rows))

    def hit(self, point: QPointF) -> int | None:
        """The connection whose pixel is under point, if any."""
        x, y, w, h = self.rects.T
        inside = np.flatnonzero((point.x() >= x) & (point.x() < x + w) &
                                (point.y() >= y) & (point.y() < y + h))
        if not len(inside):
            return None
        k = int(inside[0])
        rows, cols = self.shape
        r = min(int((point.y() - y[k]) / h[k] * rows), rows - 1)
        c = min(int((point.x() - x[k]) / w[k] * cols), cols - 1)
        return self.first + (r * cols + c) * len(self.targets) + k


def find_bundles(plan: Plan, positions: np.ndarray,
                 layers: list[tuple[np.ndarray, tuple[int, int] | None]]) -> list[Bundle]:
    """The dense blocks of BUNDLE_MIN or more connections that the level plan found (a dense
    layer, or the big part of one), sources left of targets: no pass over the connections."""
    found = []
    for lv in plan.levels:
        if lv.conv is not None:  # kernels, drawn beside their maps
            continue
        if lv.block is not None:
            blocks = [(lv.block, lv.sources, lv.neurons)]
        else:
            blocks = [(first, sources, lv.neurons[cols]) for first, sources, cols in
                      (lv.pieces[0] if len(lv.conns) >= BUNDLE_MIN else ())]
        for first, sources, targets in blocks:
            if (len(sources) * len(targets) < BUNDLE_MIN or
                    positions[sources, 0].max() >= positions[targets, 0].min()):
                continue  # small, or not left to right: lines say it better
            images = [rows for rows, shape in layers if shape is not None and len(shape) == 2]
            shape = next((shape for rows, shape in layers if shape is not None and len(shape) == 2
                          and np.array_equal(rows, sources)), (1, len(sources)))
            bundle = _placed(Bundle(int(first), sources, targets, shape), positions)
            if any(np.isin(targets, rows).all() for rows in images):
                bundle.rects = bundle.rects[:0]  # into a tile's pixels: no room for pictures
            found.append(bundle)
    return found


def _placed(bundle: Bundle, positions: np.ndarray) -> Bundle:
    """Each target's picture just left of it, and the band from the sources to them."""
    sources, targets, shape = positions[bundle.sources], positions[bundle.targets], bundle.shape
    ys, xs = np.unique(targets[:, 1]), np.unique(targets[:, 0])
    spacing = float(np.median(np.diff(ys))) if len(ys) > 1 else 2 * PICTURE
    height = min(PICTURE, 0.8 * spacing)
    width = height * (shape[1] / shape[0] if shape[0] > 1 else STRIP)
    if len(xs) > 1:  # a block of columns: each picture within its own column's room
        room = float(np.min(np.diff(xs))) - 2 * RADIUS - 2 * MARGIN
        if width > room:
            width, height = max(room, 0.0), height * max(room, 0.0) / width
    room = targets[:, 0].min() - RADIUS - MARGIN - sources[:, 0].max() - 2 * MARGIN
    if width > 0.7 * room:  # keep a stretch of band between the layers
        scale = max(0.7 * room, 0.0) / width
        width, height = width * scale, height * scale if shape[0] > 1 else height
    rects = np.column_stack([targets[:, 0] - RADIUS - MARGIN - width, targets[:, 1] - height / 2,
                             np.full(len(targets), width), np.full(len(targets), height)])
    near = sources[:, 0].max() + MARGIN
    far = rects[:, 0].min() if width > 0 else targets[:, 0].min() - RADIUS
    bundle.band = QPolygonF([QPointF(near, sources[:, 1].min()), QPointF(far, rects[:, 1].min()),
                             QPointF(far, rects[:, 1].max() + height),
                             QPointF(near, sources[:, 1].max())])
    bundle.rects = rects if width > 1 else rects[:0]
    bundle.pixels = np.zeros((len(targets) * shape[0], shape[1]), np.uint32)
    bundle.stale = np.ones(len(targets), bool)
    return bundle
