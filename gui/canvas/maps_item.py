"""A convolution or pooling layer on the canvas: a stack of tiles, one a feature map, each a grey
picture of its units' activations for the sample on the inputs (ConvNetJS's picture of a
convnet); beside each convolution map its kernel, k×k a channel it reads, on the weight colours
(orange negative, blue positive, each kernel on its own scale), live while training.

Units are pixels of one image, never an item each: 784-32-10's window drew 2,795 neuron items,
and 28x28-conv32k3-pool2-conv64k3-pool2-10 has 36,394 units."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsSceneMouseEvent, QStyleOptionGraphicsItem,
                               QWidget)

from engine.build import PIXEL
from gui.canvas.bundles import LUT
from gui.canvas.style import SELECTED

PER_ROW = 8  # a kernel's channels drawn side by side (engine.build.kernel_room), in as many
            # rows as fit the map's height
FRAME = QColor(120, 130, 150)


def _argb(grey: np.ndarray) -> np.ndarray:
    g = grey.astype(np.uint32)
    return np.ascontiguousarray(0xFF000000 | g << 16 | g << 8 | g)


def grey_maps(values: np.ndarray) -> np.ndarray:
    """(maps, h, w) activations as (maps · h, w) 0xffRRGGBB pixels, the maps one under another:
    white for the layer's largest value, black for 0 (a silent unit) or its least below 0."""
    lo, hi = float(values.min(initial=0.0)), float(values.max(initial=0.0))
    grey = np.round((values - lo) / (hi - lo if hi > lo else 1.0) * 255)
    return _argb(grey.reshape(-1, values.shape[2]))


def signed_maps(values: np.ndarray) -> np.ndarray:
    """(maps, h, w) signed numbers (δ) as (maps · h, w) pixels on the weight colours, each map
    on its own scale around 0: orange negative, white 0, blue positive."""
    reach = np.abs(values).max(axis=(1, 2), keepdims=True)
    index = np.round((values / np.where(reach > 0, reach, 1.0) + 1) * 127.5).astype(np.intp)
    return np.ascontiguousarray(LUT[index].reshape(-1, values.shape[2]))


def kernel_pictures(kernels: np.ndarray, rows: int = 1) -> np.ndarray:
    """(maps, channels, k, k) kernels as (maps · height, width) 0xAARRGGBB pixels: each map's
    channels in rows of PER_ROW, up to `rows` rows, a see-through line between two; each
    kernel on its own scale around 0."""
    maps, channels, k, _ = kernels.shape
    shown = min(channels, PER_ROW * rows)
    kernels = kernels[:, :shown]
    reach = np.abs(kernels).max(axis=(1, 2, 3), keepdims=True)
    index = np.round((kernels / np.where(reach > 0, reach, 1.0) + 1) * 127.5).astype(np.intp)
    across, down = min(shown, PER_ROW), -(-shown // PER_ROW)
    grid = np.zeros((maps, down * across, k + 1, k + 1), np.uint32)
    grid[:, :shown, :k, :k] = LUT[index]
    grid = grid.reshape(maps, down, across, k + 1, k + 1).transpose(0, 1, 3, 2, 4)
    grid = grid.reshape(maps, down * (k + 1), across * (k + 1))[:, :-1, :-1]
    return np.ascontiguousarray(grid.reshape(-1, across * (k + 1) - 1))


class MapsItem(QGraphicsItem):
    """Placed at its first unit; corners: each map's first unit, from there (the layout is
    engine.build.map_positions')."""

    def __init__(self, name: str, first: int, shape: tuple[int, int, int], kind: str,
                 corners: np.ndarray) -> None:
        super().__init__()
        self.name, self.first, self.dims, self.kind = name, first, shape, kind
        self.channels = 0  # of the kernels, once they are set
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.corners = np.asarray(corners, float) - PIXEL / 2  # pixel centres to edges
        self.setZValue(0.5)
        self._values, self._deltas = np.zeros(shape), None
        self._share: float | None = None  # of each map shown, while the forward pass plays
        self.marked: int | None = None  # the map whose unit is selected: its kernel framed
        self._tiles = grey_maps(self._values)
        self._kernels: np.ndarray | None = None
        self._rect = self._extent(0.0)
        self.setToolTip(self._tip())
        # drawn again only when a sample or the weights change, not when a pulse passes over
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def _extent(self, left: float) -> QRectF:
        _, h, w = self.dims
        lo, hi = self.corners.min(0), self.corners.max(0)
        return QRectF(lo[0] - left, lo[1], hi[0] - lo[0] + w * PIXEL + left,
                      hi[1] - lo[1] + h * PIXEL)

    def _tip(self) -> str:
        maps, h, w = self.dims
        if self.kind == "pool":
            return (f"Max-pooling: {maps} maps of {h}×{w}. Each unit takes the largest a of its "
                    "window in the map before it: the feature is kept, its exact place is not.")
        return (f"Convolution: {maps} feature maps of {h}×{w}. Each unit computes z = Σ w·a + b "
                "over its window of the layer before, with its map's kernel (the small picture "
                "beside it: orange negative, blue positive) and its map's bias: one set of "
                "weights, shared by every position, finds one feature anywhere in the picture.")

    def set_values(self, values: np.ndarray) -> None:
        """The units' activations, in the layer's (map, row, column) order (unless δ is shown)."""
        self._values = np.asarray(values, float).reshape(self.dims)
        if self._deltas is None:
            self._show()

    def set_marked(self, map_: int | None) -> None:
        """Frames a map's kernel: the one the selected unit reads its window through."""
        if map_ != self.marked:
            self.marked = map_
            self.update()

    def set_reveal(self, share: float | None) -> None:
        """The forward-pass animation: only the first share of each map's units (row by row)
        computed so far, the rest blank; None: all of them."""
        if share == self._share:
            return
        self._share = share
        self._show()

    def _show(self) -> None:
        maps, h, w = self.dims
        tiles = grey_maps(self._values) if self._deltas is None else signed_maps(self._deltas)
        if self._share is not None:
            tiles = tiles.reshape(maps, h * w).copy()
            tiles[:, int(self._share * h * w):] = 0xFFFFFFFF
            tiles = tiles.reshape(maps * h, w)
        self._tiles = tiles
        self.update()

    def set_deltas(self, deltas: np.ndarray | None) -> None:
        """δ = ∂C/∂z of every unit (Learn one sample: back propagation's maps, one a
        channel), or None for the activations again."""
        self._deltas = None if deltas is None else np.asarray(deltas, float).reshape(self.dims)
        self._show()

    def set_kernels(self, kernels: np.ndarray | None) -> None:
        """A convolution's kernels, (maps, channels, k, k)."""
        self.prepareGeometryChange()
        self.channels = 0 if kernels is None else kernels.shape[1]
        self.k = 0 if kernels is None else kernels.shape[2]
        rows = max(1, (2 * self.dims[1] + 1) // (self.k + 1))  # half-pixels within the map
        self._kernels = None if kernels is None else kernel_pictures(kernels, rows)
        width = 0 if self._kernels is None else self._kernels.shape[1]
        self._rect = self._extent((width + 1) * PIXEL / 2)
        self.update()

    def unit_at(self, x: float, y: float) -> int | None:
        """The id of the unit whose pixel is at (x, y), in the item's coordinates."""
        _, h, w = self.dims
        col, row = (x - self.corners[:, 0]) / PIXEL, (y - self.corners[:, 1]) / PIXEL
        inside = np.flatnonzero((col >= 0) & (col < w) & (row >= 0) & (row < h))
        if not len(inside):
            return None
        m = int(inside[0])
        return self.first + (m * h + int(row[m])) * w + int(col[m])

    def weight_at(self, x: float, y: float) -> int | None:
        """The place among the layer's kernel numbers of the kernel pixel at (x, y)."""
        if self._kernels is None:
            return None
        height, width = len(self._kernels) // self.dims[0], self._kernels.shape[1]
        col = (x - self.corners[:, 0] + (width + 1) * PIXEL / 2) / (PIXEL / 2)
        row = (y - self.corners[:, 1]) / (PIXEL / 2)
        inside = np.flatnonzero((col >= 0) & (col < width) & (row >= 0) & (row < height))
        if not len(inside):
            return None
        m, k = int(inside[0]), self.k
        (across, dx), (down, dy) = divmod(int(col[m]), k + 1), divmod(int(row[m]), k + 1)
        channel = down * PER_ROW + across
        if dx == k or dy == k or channel >= self.channels:  # a line between two channels
            return None
        return ((m * self.channels + channel) * k + dy) * k + dx

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt's name)
        x, y = event.pos().x(), event.pos().y()
        unit, weight = self.unit_at(x, y), self.weight_at(x, y)
        if unit is None and weight is None:
            event.ignore()
            return
        if unit is not None:
            self.scene().select_unit(unit)
        else:
            self.scene().select_kernel_weight(self.name, weight)
        event.accept()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        maps, h, w = self.dims
        image = QImage(self._tiles.data, w, maps * h, 4 * w, QImage.Format.Format_RGB32)
        painter.setPen(QPen(FRAME, 0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for m, (x, y) in enumerate(self.corners.tolist()):
            tile = QRectF(x, y, w * PIXEL, h * PIXEL)
            painter.drawImage(tile, image, QRectF(0, m * h, w, h))
            painter.drawRect(tile)
        if self._kernels is None:
            return
        width = self._kernels.shape[1]
        height = len(self._kernels) // maps
        image = QImage(self._kernels.data, width, maps * height, 4 * width,
                       QImage.Format.Format_ARGB32)
        for m, (x, y) in enumerate(self.corners.tolist()):  # left of its map, level with its top
            target = QRectF(x - (width + 1) * PIXEL / 2, y, width * PIXEL / 2, height * PIXEL / 2)
            painter.drawImage(target, image, QRectF(0, m * height, width, height))
            if m == self.marked:
                painter.setPen(QPen(SELECTED, 0))
                painter.drawRect(target)
