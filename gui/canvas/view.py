"""The canvas view: place, move, connect, select, pan, zoom; wheel over a connection tunes it."""
from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsView

from engine.explain import number
from gui.canvas.maps_item import MapsItem
from gui.canvas.neuron_item import NeuronItem
from gui.canvas.scene import NetworkScene
from gui.canvas.style import POSITIVE, RADIUS
from gui.commands import WHEEL_GESTURE_S, new_drag_token

ZOOM_STEP = 1.15
MAX_FIT_ZOOM = 1.6
CLICK_SLOP = 3.0         # pixels a press may move and still count as a click
HIT_PIXELS = 6.0         # how close to a connection a click must be
EMPTY_HINT = ("An empty canvas. To begin, pick Input neuron (I), Hidden neuron (H) or Output "
              "neuron (O) on the toolbar and click here; connect two neurons by dragging from a "
              "neuron's right handle onto the other.\n\nOr open a lesson from Examples: AND, OR, "
              "XOR (it needs a hidden layer), the cheese festival, MNIST digits.")
HINT = QColor(120, 120, 120)


def free_spot(positions: np.ndarray, x: float, y: float) -> tuple[float, float]:
    """(x, y), or the first point below it clear of every neuron: none is dropped on another."""
    gap = 2 * RADIUS + 4
    while len(positions) and (np.hypot(*(positions - (x, y)).T) < gap).any():
        y += gap / 2
    return x, y


class CanvasView(QGraphicsView):
    status = Signal(str)  # what is under the cursor
    hovered = Signal(object)  # the id of the neuron under the cursor, or None
    # edits asked for (the editor makes them): a neuron of a role at a spot; a connection;
    # a connection's new weight, with the gesture it belongs to
    placing = Signal(str, object)
    linking = Signal(int, int)
    nudged = Signal(object, float, int)

    def __init__(self, scene: NetworkScene) -> None:
        super().__init__(scene)
        self.doc = scene.doc
        self.tool: str | None = None          # "input" | "hidden" | "output": click places one
        self._pan_from: QPointF | None = None
        self._space = False
        self._link: tuple[int, QGraphicsLineItem] | None = None
        self._press: tuple[QPointF, NeuronItem | None] | None = None
        self._wheel: tuple[tuple[int, int], int, float] | None = None
        self._hovered: int | None = None
        self._pointer: QPointF | None = None  # where the mouse last was, in the scene
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.viewport().setMouseTracking(True)  # hover text without a button held
        self.hovered.connect(scene.hover)
        self._empty = self.doc.network.n_neurons == 0
        self.doc.structureChanged.connect(self._emptiness_changed)
        self.doc.replaced.connect(self._forget_hover)
        self.doc.traceChanged.connect(self._redescribe)

    # ---- the empty canvas says how to begin ----------------------------------------------------
    def hint_shown(self) -> bool:
        return self.doc.network.n_neurons == 0

    def _emptiness_changed(self) -> None:
        if self._empty != self.hint_shown():  # the hint comes or goes: all of the viewport
            self._empty = self.hint_shown()
            self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 (Qt's name)
        if not self.hint_shown():
            return
        painter.save()
        painter.resetTransform()  # in the viewport's pixels, whatever the zoom
        painter.setPen(HINT)
        area = QRectF(self.viewport().rect()).adjusted(40, 40, -40, -40)
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, EMPTY_HINT)
        painter.restore()

    def scene(self) -> NetworkScene:  # typed
        return super().scene()

    # ---- what is under the mouse --------------------------------------------------------------
    def _forget_hover(self) -> None:
        self._hovered = self._pointer = None
        self.hovered.emit(None)
        self.status.emit("")

    def _redescribe(self) -> None:
        """New numbers (a bias typed, a training step): a hovered neuron's text says them. Only
        a neuron's: finding the connection under the mouse is O(connections), too much for
        every snapshot."""
        item = self.scene().neurons.get(self._hovered) if self._hovered is not None else None
        if item is not None and self._pointer is not None:
            self.status.emit(self._describe(self._pointer, item))

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._pointer = None
        super().leaveEvent(event)

    # ---- zoom ----------------------------------------------------------------------------------
    def zoom(self, factor: float) -> None:
        self.scale(factor, factor)

    def zoom_centred(self, factor: float) -> None:
        """From the keyboard: about the middle of the view, wherever the mouse is."""
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)

    def fit(self) -> None:
        rect = self.scene().itemsBoundingRect().adjusted(-40, -40, 40, 40)
        if rect.isValid():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            if self.transform().m11() > MAX_FIT_ZOOM:  # a tiny network need not fill the screen
                self.resetTransform()
                self.zoom(MAX_FIT_ZOOM)
                self.centerOn(rect.center())

    def tolerance(self) -> float:
        return HIT_PIXELS / max(self.transform().m11(), 1e-6)

    # ---- mouse ---------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = self.mapToScene(event.position().toPoint())
        left = event.button() == Qt.MouseButton.LeftButton
        if event.button() == Qt.MouseButton.MiddleButton or (left and self._space):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        item = self.scene().neuron_at(pos) if left else None
        if item is not None and item.on_port(item.mapFromScene(pos)):
            line = QGraphicsLineItem(QLineF(item.mapToScene(item.port_center()), pos))
            line.setPen(QPen(POSITIVE, 2, Qt.PenStyle.DashLine))
            self.scene().addItem(line)
            self._link = (item.nid, line)
            return
        if left and item is None:
            if self.tool:
                self.placing.emit(self.tool, free_spot(self.doc.network.pos, pos.x(), pos.y()))
                return
            pair = self.scene().connection_at(pos, self.tolerance())
            self.scene().select_connection(pair)
            if pair is not None:
                return
            if self.scene().selected_unit is not None and not any(
                    isinstance(i, MapsItem) for i in self.scene().items(pos)):
                self.scene().select_unit(None)  # empty canvas: no unit stays chosen
        self._press = (event.position(), item)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = self.mapToScene(event.position().toPoint())
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            return
        if self._link is not None:
            line = self._link[1]
            line.setLine(QLineF(line.line().p1(), pos))
            return
        item = self.scene().neuron_at(pos)
        self._pointer = pos
        self.status.emit(self._describe(pos, item))
        nid = None if item is None else item.nid
        if nid != self._hovered:
            self._hovered = nid
            self.hovered.emit(nid)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            return
        if self._link is not None:
            self._finish_link(self.mapToScene(event.position().toPoint()))
            return
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        self.scene().commit_moves()
        if press and press[1] is not None and press[1].role == "input":
            moved = (event.position() - press[0]).manhattanLength()
            if moved <= CLICK_SLOP and event.button() == Qt.MouseButton.LeftButton:
                self.doc.set_input(press[1].nid, 0.0 if press[1].a >= 0.5 else 1.0)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = self.mapToScene(event.position().toPoint())
        # with a placing tool the double click's first press has placed one already
        if (event.button() == Qt.MouseButton.LeftButton and self.tool is None
                and self.scene().neuron_at(pos) is None):
            self.placing.emit("hidden", free_spot(self.doc.network.pos, pos.x(), pos.y()))
            return
        super().mouseDoubleClickEvent(event)

    def _finish_link(self, pos: QPointF) -> None:
        source, line = self._link
        self._link = None
        self.scene().removeItem(line)
        target = self.scene().neuron_at(pos)
        if target is not None and target.nid != source:
            self.linking.emit(source, target.nid)

    def _describe(self, pos: QPointF, item: NeuronItem | None) -> str:
        net = self.doc.network
        if item is not None:
            i = net.index(item.nid)
            name = net.labels[i] or f"neuron {item.nid}"
            z, a = self.doc.trace.z[0, i], self.doc.trace.a[0, i]
            return f"{name}: z = {number(z)}, a = {number(a)}"
        pair = self.scene().connection_at(pos, self.tolerance())
        if pair is not None:
            return f"{pair[0]} → {pair[1]}: w = {number(net.weight_of(*pair))}"
        return ""

    # ---- wheel and keys ------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        pos = self.mapToScene(event.position().toPoint())
        pair = None
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier and \
                self.scene().neuron_at(pos) is None:
            pair = self.scene().connection_at(pos, self.tolerance())
        if pair is None:
            self.zoom(ZOOM_STEP ** steps)
            return
        step = 0.01 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 0.1
        now = time.monotonic()
        if self._wheel is None or self._wheel[0] != pair or now - self._wheel[2] > WHEEL_GESTURE_S:
            self._wheel = (pair, new_drag_token(), now)
        token = self._wheel[1]
        self._wheel = (pair, token, now)
        weight = round(self.doc.network.weight_of(*pair) + step * steps, 6)
        self.nudged.emit(pair, weight, token)
        self.scene().select_connection(pair)
        self.status.emit(f"{pair[0]} → {pair[1]}: w = {number(weight)}")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)
