"""A "−" and a "+" above each hidden layer (TensorFlow Playground's): one neuron fewer or more,
its connections following. The scene places one per plain hidden layer; the editor edits."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsObject, QGraphicsSceneMouseEvent, QStyleOptionGraphicsItem,
                               QWidget)

from gui.canvas.style import OUTLINE, WHITE, mix

SIZE = 18.0  # each button's side
GAP = 6.0


class LayerButtons(QGraphicsObject):
    clicked = Signal(str, int)  # the layer's name, −1 or +1

    def __init__(self, layer: str, size: int) -> None:
        super().__init__()
        self.layer = layer
        self.setZValue(4)
        self.setAcceptHoverEvents(True)
        self.set_size(size)

    def set_size(self, size: int) -> None:
        self.size = size
        self.setToolTip(f"{self.layer}: {size} neuron{'s' * (size != 1)}. − removes its last "
                        "neuron, + adds one with the connections the others have")
        self.update()

    def _button(self, delta: int) -> QRectF:
        left = -SIZE - GAP / 2 if delta < 0 else GAP / 2
        return QRectF(left, -SIZE / 2, SIZE, SIZE)

    def boundingRect(self) -> QRectF:
        return QRectF(-SIZE - GAP, -SIZE / 2 - 1, 2 * SIZE + 2 * GAP, SIZE + 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        for delta, text in ((-1, "−"), (1, "+")):
            rect = self._button(delta)
            usable = delta > 0 or self.size > 1
            painter.setPen(QPen(OUTLINE if usable else mix(WHITE, OUTLINE, 0.3), 1.2))
            painter.setBrush(QBrush(mix(WHITE, OUTLINE, 0.08)))
            painter.drawRoundedRect(rect, 4, 4)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def button_at(self, point: QPointF) -> int:
        """−1, +1, or 0 where point (item coordinates) is on neither button."""
        return next((d for d in (-1, 1) if self._button(d).contains(point)), 0)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt's name)
        delta = self.button_at(event.pos())
        if delta and (delta > 0 or self.size > 1):
            self.clicked.emit(self.layer, delta)
        event.accept()
