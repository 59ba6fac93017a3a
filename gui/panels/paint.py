"""Painting data on the Boundary dock's plane: with Paint on and a class (or a value, for a
regression) chosen, a click adds a point, a drag sprays several, a right-click removes the
nearest; each stroke is one undo step (engine.datasets.paint keeps the points as the network's
CSV table)."""
from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QToolButton

from engine.datasets import DatasetError
from engine.datasets.paint import sprayed, with_points, without_nearest
from gui.plotting import pg
from gui.theme import PROBLEM_TEXT

SPRAY_EVERY_PX = 6  # a drag lays a few points each this far the pointer moves
SPRAY_COUNT = 3
REACH_PX = 12       # a right-click removes the nearest point this close
VALUE = "value"     # the class box's last choice: points of a value


class PaintTool(QObject):
    """The controls (a row for the dock) and the mouse on one plot."""
    painted = Signal(object, str)  # the new "csv" table (object: a dict would be copied)
    refused = Signal(str)

    def __init__(self, spec_of: Callable[[], dict | None], parent: QObject) -> None:
        super().__init__(parent)  # owned by the dock: a viewport's filter must not outlive it
        self.spec_of = spec_of  # the network's "csv" setting now
        self.button = QToolButton()
        self.button.setText("Paint")
        self.button.setCheckable(True)
        self.tip = ("Paint your own data: click to add a point of the chosen class, drag to "
                    "spray several, right-click to remove one. Each stroke is one undo step; the "
                    "points are the data set, kept in the file.")
        self.button.setToolTip(self.tip)
        self.klass = QComboBox()
        self.klass.setPlaceholderText("class…")
        for k in range(10):
            self.klass.addItem(f"class {k}", k)
        self.klass.addItem("a value…", VALUE)
        self.klass.setCurrentIndex(-1)
        self.klass.setToolTip("The class the next points get (0 and 1 for one sigmoid output), "
                              "or a value: points the network should fit (a regression)")
        self.value = QDoubleSpinBox()
        self.value.setRange(0.0, 1.0)
        self.value.setSingleStep(0.1)
        self.value.setValue(0.5)
        self.value.setToolTip("The value the network should output at the next points: 0 to 1, "
                              "the colours of the map (a regression; train with squared error)")
        self.value.hide()
        self.klass.currentIndexChanged.connect(
            lambda _i: self.value.setVisible(self.klass.currentData() == VALUE))
        self.note = QLabel()  # shown only with something to say: the plane keeps its height
        self.note.setWordWrap(True)
        self.note.setStyleSheet(PROBLEM_TEXT)
        self.note.hide()
        self.refused.connect(self._say)
        self.button.toggled.connect(lambda _on: self._say(""))
        self.klass.currentIndexChanged.connect(lambda _i: self._say(""))
        self.plot: pg.PlotWidget | None = None
        self.stroke: list[np.ndarray] = []
        self.shown = None  # the stroke's points, drawn before they are the data's
        self._last: QPointF | None = None
        self._rng = np.random.default_rng(0)

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def attach(self, plot: pg.PlotWidget) -> None:
        self.plot = plot
        self.shown = pg.ScatterPlotItem(size=8, pen=pg.mkPen("w", width=1), brush=(128, 128, 128))
        plot.addItem(self.shown)
        plot.viewport().installEventFilter(self)

    def _at(self, pos: QPointF) -> np.ndarray:
        view = self.plot.getPlotItem().vb.mapSceneToView(self.plot.mapToScene(pos.toPoint()))
        return np.array([view.x(), view.y()])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not self.button.isChecked() or self.plot is None:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.RightButton:
            self._remove(event.position())
            return True
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            if self.klass.currentIndex() < 0:
                self.refused.emit("Choose the class to paint first.")
                return True
            self.stroke, self._last = [self._at(event.position())[None, :]], event.position()
            self._show_stroke()
            return True
        if kind == QEvent.Type.MouseMove and self._last is not None:
            step = event.position() - self._last
            if abs(step.x()) + abs(step.y()) >= SPRAY_EVERY_PX:
                self.stroke.append(sprayed(self._at(event.position()), SPRAY_COUNT, self._rng))
                self._last = event.position()
                self._show_stroke()
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._last is not None:
            self._last = None
            self._commit()
            return True
        return False

    def _show_stroke(self) -> None:
        self.shown.setData(pos=np.concatenate(self.stroke) if self.stroke else np.zeros((0, 2)))

    def _commit(self) -> None:
        points, self.stroke = np.concatenate(self.stroke), []
        self._show_stroke()
        try:
            chosen = self.klass.currentData()
            table = (with_points(self.spec_of(), points, value=self.value.value())
                     if chosen == VALUE else with_points(self.spec_of(), points, chosen))
            self.painted.emit(table, f"Paint {len(points)} point{'s' * (len(points) != 1)}"
                              + (f" of value {self.value.value():g}" if chosen == VALUE else ""))
        except DatasetError as e:
            self.refused.emit(str(e))

    def _remove(self, pos: QPointF) -> None:
        here = self._at(pos)
        near = self._at(pos + QPointF(REACH_PX, 0))
        try:
            found = without_nearest(self.spec_of(), tuple(here), float(np.hypot(*(near - here))))
        except DatasetError as e:
            self.refused.emit(str(e))
            return
        if found is not None:
            self.painted.emit(found, "Remove a painted point")
