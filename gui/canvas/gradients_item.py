"""Back propagation drawn over the canvas: each shown connection's ∂C/∂w as a line (purple where
the gradient is positive, so the step lowers the weight; green where it is negative), its width by
|∂C/∂w| against the largest, its number on it while there are few; and each shown neuron's δ
written beside it. Whoever shows them draws at most MAX_LINES: the steepest."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from engine.explain import number
from gui.canvas.style import RADIUS
from gui.plotting import pg

GROWS, SHRINKS = QColor("#2f855a"), QColor("#805ad5")  # the weight will grow / shrink
BADGE = QColor(255, 255, 240, 225)
MAX_LINES = 400
MAX_LABELS = 40   # numbers on lines only up to this many
WIDTHS = 5


class GradientsItem(QGraphicsItem):
    def __init__(self) -> None:
        super().__init__()
        self.setZValue(3)  # over the connections and the neurons' fill
        self._paths: list[tuple[QPen, object]] = []
        self._labels: list[tuple[QPointF, str, bool]] = []  # where, what, centred on where
        self._rect = QRectF()

    def show(self, start: np.ndarray, end: np.ndarray, grads: np.ndarray, places: np.ndarray,
             points: np.ndarray, notes: list[str]) -> None:
        """Lines from start to end for their gradients, each number `places` of the way along
        its line (as the weights' numbers go: apart where lines fan in); δ beside the neurons
        at points; notes beside the neurons at points ("δ = …")."""
        self.prepareGeometryChange()
        scale = max(float(np.abs(grads).max(initial=0.0)), 1e-12)
        level = np.minimum((np.abs(grads) / scale * WIDTHS).astype(int), WIDTHS - 1)
        self._paths = []
        for colour, sign in ((SHRINKS, grads > 0), (GROWS, grads < 0)):
            for lv in range(WIDTHS):
                k = np.flatnonzero(sign & (level == lv))
                if len(k):
                    xs = np.column_stack([start[k, 0], end[k, 0]]).ravel()
                    ys = np.column_stack([start[k, 1], end[k, 1]]).ravel()
                    pen = QPen(colour, 1.5 + 1.5 * lv, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
                    self._paths.append((pen, pg.arrayToQPath(xs, ys, connect="pairs")))
        self._labels = []
        if len(grads) <= MAX_LABELS:
            at = start + places[:, None] * (end - start)
            self._labels = [(QPointF(x + 4, y - 4), number(g), False)
                            for (x, y), g in zip(at.tolist(), grads.tolist())]
        # centred above the neuron, where its bias label stands (the scene hides those then)
        self._labels += [(QPointF(x, y - RADIUS - 5), note, True)
                         for (x, y), note in zip(points.tolist(), notes)]
        every = np.concatenate([start, end, points]) if len(start) + len(points) else np.zeros((1, 2))
        lo, hi = every.min(0) - 60, every.max(0) + 160
        self._rect = QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        self.setVisible(True)
        self.update()

    def clear(self) -> None:
        self.prepareGeometryChange()
        self._paths, self._labels, self._rect = [], [], QRectF()
        self.setVisible(False)

    @property
    def labels(self) -> list[str]:
        return [text for _, text, _centred in self._labels]

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for pen, path in self._paths:
            painter.setPen(pen)
            painter.drawPath(path)
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        for point, text, centred in self._labels:  # on a pale badge: readable over the lines
            if centred:
                point = point - QPointF(metrics.horizontalAdvance(text) / 2, 0)
            box = metrics.boundingRect(text).translated(point.toPoint()).adjusted(-2, -1, 2, 1)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BADGE)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(point, text)
