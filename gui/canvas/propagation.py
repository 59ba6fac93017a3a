"""The forward-propagation animation: one sample travels through the network level by level.
Within each level's slot of the QTimeLine, pulses run along its incoming connections, then its
neurons show z, then fill with a = h(z)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEasingCurve, QObject, QRectF, Qt, QTimeLine, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from engine.plan import make_plan
from engine.trace import forward
from gui.canvas.scene import NetworkScene
from gui.canvas.edges_item import SMOOTH_LINES
from gui.canvas.style import OUTLINE, SELECTED
from gui.plotting import pg

PULSE_END, Z_END = 0.6, 0.8   # share of a level's slot: pulses travel, then z shows, then a
# pulses on a level's connections, spread over all of them: each frame's dots cost 5-9 ms at
# 2,000 (25 frames a second while MNIST trains, the animation's whole cost), 1-1.7 ms at 500
MAX_PULSES = 500
SPEEDS = {"Slow": 1600, "Normal": 700, "Fast": 250}  # milliseconds per level


class PulseItem(QGraphicsItem):
    """Dots part way along some connections."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(2)
        self.points = np.zeros((0, 2))

    def set_points(self, points: np.ndarray) -> None:
        self.prepareGeometryChange()
        self.points = points

    def boundingRect(self) -> QRectF:
        if not len(self.points):
            return QRectF()
        lo, hi = self.points.min(0) - 8, self.points.max(0) + 8
        return QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        # every pulse in one call (round points of a wide pen): an ellipse each took up to 17 ms
        # a frame for MNIST's 2,000 pulses (py-spy, with the animation playing while training);
        # smoothed only where there are few: 2,000 smoothed dots took 12-24 ms a frame, 5-7 not
        if not len(self.points):
            return
        dots = pg.functions.create_qpolygonf(len(self.points))
        pg.functions.ndarray_from_qpolygonf(dots)[:] = self.points
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, len(self.points) <= SMOOTH_LINES)
        for colour, width in ((OUTLINE, 12.0), (SELECTED, 10.0)):  # an outlined dot
            painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawPoints(dots)


class Propagation(QObject):
    levelReached = Signal(int)   # the level whose neurons now show a
    finished = Signal()

    def __init__(self, scene: NetworkScene) -> None:
        super().__init__(scene)
        self.scene, self.doc = scene, scene.doc
        self.pulses = PulseItem()
        scene.addItem(self.pulses)
        self.timeline = QTimeLine(1000, self)
        self.timeline.setEasingCurve(QEasingCurve.Type.Linear)
        self.timeline.valueChanged.connect(self._show)
        self.timeline.finished.connect(self._done)
        self.ms_per_level = SPEEDS["Normal"]
        self.position = -1.0  # in levels: 1.5 is half way through level 1
        self.plan = self.trace = None
        self._reached = 0
        self._shown: list[str | None] | None = None  # each level's reveal as last shown
        self.doc.replaced.connect(self._forget)

    def _forget(self) -> None:
        """Another network: the old one's plan and trace never reach its items."""
        self.timeline.stop()
        self.plan = self.trace = None
        self.position, self._reached, self._shown = -1.0, 0, None
        self.pulses.set_points(np.zeros((0, 2)))

    def running(self) -> bool:
        return self.timeline.state() == QTimeLine.State.Running

    def _prepare(self) -> None:
        net = self.doc.network
        self.plan = make_plan(net)
        self.trace = forward(net, self.doc.input_vector()[None, :], self.plan)
        self._reached, self._shown = 0, None

    def play(self) -> None:
        """From the inputs to the outputs, for the inputs shown on the canvas."""
        self._prepare()
        n = len(self.plan.levels)
        if not n:
            return
        self.timeline.stop()
        self.timeline.setDuration(self.ms_per_level * n)
        self.timeline.start()

    def step_level(self) -> None:
        """One level further, by hand; starts over after the outputs."""
        if self.trace is None or self.position >= len(self.plan.levels) or self.position < 0:
            self._prepare()
            self.position = 0.0
        self.timeline.stop()
        self._show_at(float(int(self.position) + 1))

    def _show(self, value: float) -> None:
        self._show_at(value * len(self.plan.levels))

    def _show_at(self, position: float) -> None:
        """position k + f: levels up to k are done, level k+1 is f of the way through its slot."""
        self.position = position
        net, plan, trace = self.doc.network, self.plan, self.trace
        done, frac = int(position), position - int(position)
        reveals = []
        for k in range(len(plan.levels)):
            if k < done or k == done and frac >= Z_END:
                reveals.append(None)
            elif k == done and frac >= PULSE_END:
                reveals.append("z")
            else:
                reveals.append("blank")
        # only the neurons of levels whose look changed since the last frame, all at the first:
        # a frame that moves pulses touched 826 neurons of 784-32-10 twice each
        ids, items, first = net.ids.tolist(), self.scene.neurons, self._shown is None
        if first:
            for i, nid in enumerate(ids):  # inputs too: they belong to no level
                if nid in items:  # not a feature map's unit: its layer's tiles show it
                    items[nid].set_value(float(trace.a[0, i]), float(trace.z[0, i]))
                    items[nid].set_reveal(None)
        for k, (lv, reveal) in enumerate(zip(plan.levels, reveals)):
            if (first or self._shown[k] != reveal) and lv.conv is None:
                for i in lv.neurons.tolist():
                    items[ids[i]].set_value(float(trace.a[0, i]), float(trace.z[0, i]))
                    items[ids[i]].set_reveal(reveal)
        self._shown = reveals
        self._slide(done, frac)
        points = np.zeros((0, 2))
        if done < len(plan.levels) and frac < PULSE_END and plan.levels[done].conv is None:
            conns = plan.levels[done].conns
            conns = conns[::-(-len(conns) // MAX_PULSES)]  # every k-th: at most MAX_PULSES
            t = frac / PULSE_END
            start, end = self.scene.edges.segments(conns)
            points = start + t * (end - start)
        self.pulses.set_points(points)
        for level in range(self._reached + 1, done + 1):
            self.levelReached.emit(level)
        self._reached = max(self._reached, done)

    def _slide(self, done: int, frac: float) -> None:
        """Convolution and pooling levels: the level under way fills its tiles row by row as
        its window slides over the layer below (map 1's window drawn where it is); those before
        it are whole, those after it blank."""
        if not self.scene.maps:
            return
        net, field = self.doc.network, self.scene.field
        items = {item.first: item for item in self.scene.maps.values()}
        sliding = None
        for k, lv in enumerate(self.plan.levels):
            item = items.get(int(net.ids[lv.neurons[0]])) if lv.conv is not None else None
            if item is None:
                continue
            item.set_reveal(None if k < done else frac if k == done else 0.0)
            if k == done:
                per_map = item.dims[1] * item.dims[2]
                sliding = item.first + min(int(frac * per_map), per_map - 1)
        if sliding is not None:
            field.show_unit(net, sliding)
        elif self.scene.selected_unit is None:
            field.show_weight(net, None if self.scene.selected_connection is None else
                              net.connection_index(*self.scene.selected_connection))
        else:
            field.show_unit(net, self.scene.selected_unit)

    def _done(self) -> None:
        self._show_at(float(len(self.plan.levels)))
        self.finished.emit()
