"""All connections as one item (DESIGN.md): a few pens, bucketed by sign and |w|, each drawing one
cached path; hit tests are one vectorised distance query over what is drawn. Past MAX_DRAWN
connections only the strongest are drawn, since rasterising tens of thousands of lines costs
seconds a frame. Line ends are looked up only for drawn connections: at 1.79 M connections,
gathering every end point cost 70 ms an edit. Dense connections between two layers are drawn as
bundles (gui/canvas/bundles.py) with their STRONGEST lines over them; every connection of the
neuron in focus (hovered or selected) is drawn on top."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from engine.explain import number
from engine.plan import Plan
from gui.canvas.bundles import BAND, Bundle, find_bundles
from gui.canvas.style import NEGATIVE, POSITIVE, RADIUS, SELECTED, ZERO, paint_lock
from gui.plotting import pg

MAX_DRAWN = 2000
STRONGEST = 64        # lines drawn over each bundle
SAMPLE = 20_000       # |w| sampled to find the threshold of the strongest
SMOOTH_LINES = 400    # antialiased up to this many lines
WIDTHS = 6            # width buckets
MAX_LABELS = 300      # weights written as numbers only up to this many connections
MAX_LOCKS = 300       # frozen connections marked with a padlock only up to this many
LABEL_SWING = 0.2     # a weight's number goes 50% ± this far along its line, by its slope


def _dist_to_segments(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    t = np.clip(((p - a) * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-12), 0.0, 1.0)
    return np.hypot(*(a + t[:, None] * ab - p).T)


def strongest(weights: np.ndarray, k: int) -> np.ndarray:
    """Places of the k largest |weights| (all of them when there are no more than k)."""
    n = len(weights)
    if n <= k:
        return np.arange(n)
    if n > max(50 * k, SAMPLE):  # a threshold from a sample, then a partition of the few above it
        # no |w| of all of them: allocating that array would be most of a hand edit's redraw
        sample = np.abs(weights[::n // SAMPLE])
        above_in_sample = min(max(4 * len(sample) * k // n, 1), len(sample))  # ~4× the share
        cut = len(sample) - above_in_sample
        threshold = np.partition(sample, cut)[cut]
        above = np.flatnonzero((weights >= threshold) | (weights <= -threshold))
        if len(above) >= k:
            return above[np.argpartition(-np.abs(weights[above]), k - 1)[:k]]
    return np.argpartition(-np.abs(weights), k)[:k]


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
        self.focus: int | None = None  # the neuron row whose connections are all drawn
        self.show_labels = False
        self.labels_drawn: list[tuple[str, QRectF]] = []  # the weights' numbers last drawn
        self.frozen = np.zeros(0, np.int64)  # frozen connections' indices
        self.bundles: list[Bundle] = []
        self._free = np.zeros(0, np.int64)  # connections in no bundle
        self._kernels = np.zeros(0, bool)  # per connection: holds a convolution's kernel
        self._paths: list[tuple[QPen, QPainterPath]] = []
        self._faint_paths: list[tuple[QPen, QPainterPath]] = []  # the strongest over bundles
        self._focus_conns = np.zeros(0, np.int64)
        self._focus_paths: list[tuple[QPen, QPainterPath]] = []
        self._rect = QRectF()
        self._scale = 1.0  # the largest |w|: the widest line
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # exposedRect
        # drawn again only when the lines change, not whenever a pulse or neuron over them does
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_geometry(self, positions: np.ndarray, source: np.ndarray, target: np.ndarray,
                     weights: np.ndarray, plan: Plan | None = None,
                     layers: list[tuple[np.ndarray, tuple[int, int] | None]] = ()) -> None:
        """positions of the neurons; source and target: each connection's neuron rows; the
        level plan and each layer's neuron rows and shape, for bundles."""
        self.prepareGeometryChange()
        self.positions, self.source, self.target = positions, source, target
        pts = positions if len(positions) else np.zeros((1, 2))
        lo, hi = pts.min(0) - 10, pts.max(0) + 10  # over neurons, not over every connection
        self._rect = QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        self.bundles = find_bundles(plan, positions, list(layers)) if plan is not None else []
        bundled = np.zeros(len(source), bool)
        for bundle in self.bundles:
            bundled[bundle.conns] = True
        # a convolution's kernels are pictures beside its maps (maps_item.py), not lines
        self._kernels = np.zeros(len(source), bool)
        for lv in plan.levels if plan is not None else ():
            if lv.conv is not None:
                self._kernels[lv.conns] = True
        self._free = np.flatnonzero(~(bundled | self._kernels))
        if self.focus is not None and self.focus >= len(positions):
            self.focus = None
        self.set_weights(weights)

    def set_weights(self, weights: np.ndarray) -> None:
        self.weights = np.asarray(weights, float)
        for bundle in self.bundles:
            bundle.recolour()
        self._rebuild()
        self._refocus()

    def set_frozen(self, conns: np.ndarray) -> None:
        """The frozen connections: each gets a padlock on its line (while they are few)."""
        if not np.array_equal(conns, self.frozen):
            self.frozen = conns
            self.update()

    def set_focus(self, row: int | None) -> None:
        if row != self.focus:
            self.focus = row
            self._refocus()

    def set_selected(self, index: int | None) -> None:
        self.selected = index
        self.update()

    def set_show_labels(self, show: bool) -> None:
        self.show_labels = show
        self.update()

    def segments(self, conns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and end points of the given connections."""
        return self.positions[self.source[conns]], self.positions[self.target[conns]]

    def drawn(self) -> tuple[np.ndarray, np.ndarray]:
        """Indices of the connections drawn as lines: those in no bundle (the MAX_DRAWN
        strongest past that many), and the STRONGEST of each bundle."""
        over = [b.first + strongest(self.weights[b.conns], STRONGEST) for b in self.bundles]
        return (self._free[strongest(self.weights[self._free], MAX_DRAWN)],
                np.concatenate(over) if over else np.zeros(0, np.int64))

    def _rebuild(self) -> None:
        if len(self.weights) != len(self.source):
            return
        weights = self.weights
        self._scale = max(-float(weights.min(initial=0.0)), float(weights.max(initial=0.0)), 1e-9)
        free, over = self.drawn()
        self._drawn = np.concatenate([free, over])
        # lines over a bundle are thin and see-through: its pictures carry the detail
        self._paths, self._faint_paths = self._lines(free), self._lines(over, faint=True)
        self.update()

    def _refocus(self) -> None:
        if self.focus is None or len(self.weights) != len(self.source):
            self._focus_conns = np.zeros(0, np.int64)
        else:
            self._focus_conns = np.flatnonzero(((self.source == self.focus) |
                                                (self.target == self.focus)) & ~self._kernels)
        self._focus_paths = self._lines(self._focus_conns)
        self.update()

    def _lines(self, idx: np.ndarray, faint: bool = False) -> list[tuple[QPen, QPainterPath]]:
        """One path per pen: sign by colour, |w| (against the largest) by width."""
        if not len(idx):  # no bundles, no focus: two of a snapshot's three calls, 18 masks each
            return []
        start, end = self.segments(idx)
        level = np.minimum((np.abs(self.weights[idx]) / self._scale * WIDTHS).astype(int), WIDTHS - 1)
        sign = np.sign(self.weights[idx]).astype(int)
        paths = []
        for s, colour in ((0, ZERO), (1, POSITIVE), (-1, NEGATIVE)):
            for lv in range(WIDTHS):
                k = np.flatnonzero((sign == s) & (level == lv))
                if not len(k):
                    continue
                xs = np.column_stack([start[k, 0], end[k, 0]]).ravel()
                ys = np.column_stack([start[k, 1], end[k, 1]]).ravel()
                path = pg.arrayToQPath(xs, ys, connect="pairs")  # built from arrays, no loop
                pen = QPen(colour, (0.8 + 1.2 * lv) * (0.5 if faint else 1.0) if s else 1.0)
                if faint:
                    pen.setColor(QColor(colour.red(), colour.green(), colour.blue(), 150))
                if s == 0:
                    pen.setStyle(Qt.PenStyle.DashLine)
                paths.append((pen, path))
        return paths

    def nearest(self, point: QPointF, tolerance: float) -> int | None:
        """The connection whose bundle pixel is under point, else the line nearest to it within
        tolerance (only what is drawn can be picked)."""
        for bundle in self.bundles:
            if (hit := bundle.hit(point)) is not None:
                return hit
        lines = np.concatenate([self._drawn, self._focus_conns])
        if not len(lines):
            return None
        d = _dist_to_segments(np.array([point.x(), point.y()]), *self.segments(lines))
        k = int(np.argmin(d))
        return int(lines[k]) if d[k] <= tolerance else None

    def label_places(self) -> np.ndarray:
        """Per connection, how far along its line its number goes: past the middle for a line
        that rises, before it for one that falls. Numbers of lines that cross or fan in or out
        land apart instead of on one spot (at 70% they piled up at the target)."""
        start, end = self.segments(np.arange(len(self.source)))
        dx, dy = (end - start).T
        # tanh: even a gentle slope moves its number well away from the middle
        return 0.5 - LABEL_SWING * np.tanh(3 * dy / np.maximum(np.hypot(dx, dy), 1e-9))

    def label_points(self) -> np.ndarray:
        """Per connection, the point of its line where its number goes (label_places)."""
        start, end = self.segments(np.arange(len(self.source)))
        return start + self.label_places()[:, None] * (end - start)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if self.bundles:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BAND)
            lod = option.levelOfDetailFromTransform(painter.worldTransform())
            for bundle in self.bundles:
                bundle.paint(painter, option.exposedRect, lod, self.weights)
            painter.setBrush(Qt.BrushStyle.NoBrush)  # a brush would fill every line's path
        # the faint lines over bundles are never smooth: long and see-through, smoothing them
        # cost most of a fitted MNIST repaint
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for pen, path in self._faint_paths:
            painter.setPen(pen)
            painter.drawPath(path)
        # smooth lines cost 2-3× to paint: only where there are few (a selected MNIST neuron
        # brings 794; with them smooth, line painting took a fifth of the window's time)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing,
                              len(self._drawn) + len(self._focus_conns) <= SMOOTH_LINES)
        for pen, path in self._paths + self._focus_paths:
            painter.setPen(pen)
            painter.drawPath(path)
        if self.selected is not None and self.selected < len(self.source):
            painter.setPen(QPen(SELECTED, 4.0))
            start, end = self.segments(np.array([self.selected]))
            painter.drawLine(QPointF(*start[0]), QPointF(*end[0]))
        if 0 < len(self.frozen) <= MAX_LOCKS and len(self.frozen) <= len(self.source):
            places = self.label_places()[self.frozen] if len(self.source) <= MAX_LABELS else 0.5
            start, end = self.segments(self.frozen)
            at = start + np.reshape(places, (-1, 1)) * (end - start)
            for x, y in at.tolist():  # beside the weight's number, not over it
                paint_lock(painter, x - 14, y - 4)
        if self.show_labels and len(self.weights) <= MAX_LABELS:
            painter.setPen(Qt.GlobalColor.black)
            self.labels_drawn = []
            for point, text, rect in self._placed_labels(painter):
                painter.drawText(point, text)
                self.labels_drawn.append((text, rect))

    def _placed_labels(self, painter: QPainter) -> list[tuple[QPointF, str, QRectF]]:
        """The weights' numbers that fit without covering one another or a neuron (its circle,
        bias and label), the strongest first: where two would collide at this zoom, the weaker
        is left out."""
        scale = max(painter.worldTransform().m11(), 1e-9)
        metrics = painter.fontMetrics()
        at = self.label_points() + (4.0, -4.0)
        placed: list[tuple[QPointF, str, QRectF]] = []
        x, y = self.positions.T  # each neuron's body and text, then the numbers placed so far
        taken = np.column_stack([x - 30, y - RADIUS - 18, x + RADIUS + 40, y + RADIUS + 16])
        for k in np.argsort(-np.abs(self.weights), kind="stable").tolist():
            text = number(round(float(self.weights[k]), 3))
            box = QRectF(metrics.boundingRect(text))
            x0, y0 = at[k, 0] + box.left() / scale, at[k, 1] + box.top() / scale
            x1, y1 = x0 + box.width() / scale, y0 + box.height() / scale
            if ((taken[:, 0] < x1) & (x0 < taken[:, 2]) & (taken[:, 1] < y1) & (y0 < taken[:, 3])).any():
                continue
            taken = np.vstack([taken, (x0, y0, x1, y1)])
            placed.append((QPointF(*at[k]), text, QRectF(x0, y0, x1 - x0, y1 - y0)))
        return placed
