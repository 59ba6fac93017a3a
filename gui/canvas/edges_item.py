"""All connections as one item (DESIGN.md): a few pens, bucketed by sign and |w|, each drawing one
cached path; hit tests are one vectorised distance query over what is drawn. Past MAX_DRAWN
connections only the strongest are drawn, since rasterising tens of thousands of lines costs
seconds a frame. Line ends are looked up only for drawn connections: at 1.79 M connections,
gathering every end point cost 70 ms an edit."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from engine.explain import number
from gui.canvas.style import NEGATIVE, POSITIVE, SELECTED, ZERO

MAX_DRAWN = 2000
WIDTHS = 6            # width buckets
MAX_LABELS = 300      # weights written as numbers only up to this many connections
LABEL_AT = 0.7        # along the line, near the target, so labels of one neuron do not overlap


def _dist_to_segments(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    t = np.clip(((p - a) * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-12), 0.0, 1.0)
    return np.hypot(*(a + t[:, None] * ab - p).T)


class EdgesItem(QGraphicsItem):
    def __init__(self) -> None:
        super().__init__()
        self.setZValue(0)
        self.positions = np.zeros((0, 2))
        self.source = np.zeros(0, np.int64)   # each connection's source row in positions
        self.target = np.zeros(0, np.int64)
        self.weights = np.zeros(0)
        self._drawn = np.zeros(0, np.int64)
        self.selected: int | None = None
        self.show_labels = False
        self._paths: list[tuple[QPen, QPainterPath]] = []
        self._rect = QRectF()

    def set_geometry(self, positions: np.ndarray, source: np.ndarray, target: np.ndarray,
                     weights: np.ndarray) -> None:
        """positions of the neurons; source and target: each connection's neuron rows."""
        self.prepareGeometryChange()
        self.positions, self.source, self.target = positions, source, target
        pts = positions if len(positions) else np.zeros((1, 2))
        lo, hi = pts.min(0) - 10, pts.max(0) + 10  # over neurons, not over every connection
        self._rect = QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        self.set_weights(weights)

    def set_weights(self, weights: np.ndarray) -> None:
        self.weights = np.asarray(weights, float)
        self._rebuild()

    def set_selected(self, index: int | None) -> None:
        self.selected = index
        self.update()

    def set_show_labels(self, show: bool) -> None:
        self.show_labels = show
        self.update()

    def segments(self, conns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and end points of the given connections."""
        return self.positions[self.source[conns]], self.positions[self.target[conns]]

    def drawn(self) -> np.ndarray:
        """Indices of the connections drawn: all, or the MAX_DRAWN strongest."""
        n = len(self.weights)
        if n <= MAX_DRAWN:
            return np.arange(n)
        strength = np.abs(self.weights)
        if n > 50 * MAX_DRAWN:  # a threshold from a sample, then a partition of the few above it
            sample = strength[::n // (20 * MAX_DRAWN)]
            k = len(sample) - 2 * len(sample) * MAX_DRAWN // n  # about twice the share wanted
            above = np.flatnonzero(strength >= np.partition(sample, k)[k])
            if len(above) >= MAX_DRAWN:
                return above[np.argpartition(-strength[above], MAX_DRAWN - 1)[:MAX_DRAWN]]
        return np.argpartition(-strength, MAX_DRAWN)[:MAX_DRAWN]

    def _rebuild(self) -> None:
        if len(self.weights) != len(self.source):
            return
        scale = max(float(np.abs(self.weights).max(initial=0.0)), 1e-9)
        idx = self._drawn = self.drawn()
        start, end = self.segments(idx)
        row = np.empty(len(self.weights), np.int64)
        row[idx] = np.arange(len(idx))
        level = np.minimum((np.abs(self.weights[idx]) / scale * WIDTHS).astype(int), WIDTHS - 1)
        sign = np.sign(self.weights[idx]).astype(int)
        self._paths = []
        for s, colour in ((0, ZERO), (1, POSITIVE), (-1, NEGATIVE)):
            for lv in range(WIDTHS):
                members = idx[(sign == s) & (level == lv)]
                if not len(members):
                    continue
                k = row[members]
                xs = np.column_stack([start[k, 0], end[k, 0]]).ravel()
                ys = np.column_stack([start[k, 1], end[k, 1]]).ravel()
                path = pg.arrayToQPath(xs, ys, connect="pairs")  # built from arrays, no loop
                pen = QPen(colour, 0.8 + 1.2 * lv if s else 1.0)
                if s == 0:
                    pen.setStyle(Qt.PenStyle.DashLine)
                self._paths.append((pen, path))
        self.update()

    def nearest(self, point: QPointF, tolerance: float) -> int | None:
        """The drawn connection nearest to point, within tolerance (only drawn ones can be seen)."""
        if not len(self._drawn):
            return None
        d = _dist_to_segments(np.array([point.x(), point.y()]), *self.segments(self._drawn))
        k = int(np.argmin(d))
        return int(self._drawn[k]) if d[k] <= tolerance else None

    def label_point(self, k: int) -> QPointF:
        start, end = self.segments(np.array([k]))
        x, y = start[0] + LABEL_AT * (end[0] - start[0])
        return QPointF(x, y)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, len(self.weights) <= MAX_DRAWN)
        for pen, path in self._paths:
            painter.setPen(pen)
            painter.drawPath(path)
        if self.selected is not None and self.selected < len(self.source):
            painter.setPen(QPen(SELECTED, 4.0))
            start, end = self.segments(np.array([self.selected]))
            painter.drawLine(QPointF(*start[0]), QPointF(*end[0]))
        if self.show_labels and len(self.weights) <= MAX_LABELS:
            painter.setPen(Qt.GlobalColor.black)
            for k, w in enumerate(self.weights):
                painter.drawText(self.label_point(k) + QPointF(4, -4), number(round(w, 3)))
