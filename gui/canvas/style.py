"""Colours and sizes of the canvas, in one place."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

RADIUS = 22.0
PORT = 6.0            # the handle on a neuron's right edge that starts a connection
POSITIVE = QColor(43, 108, 176)
NEGATIVE = QColor(221, 107, 32)
ZERO = QColor(160, 160, 160)
SELECTED = QColor(214, 40, 120)
OUTLINE = QColor(40, 40, 40)
WHITE = QColor(255, 255, 255)
PREDICTED = QColor(47, 133, 90)  # the output the network answers with


def mix(a: QColor, b: QColor, t: float) -> QColor:
    t = min(max(t, 0.0), 1.0)
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


SHADES = 256
# precomputed: a snapshot of a big network asks for thousands of fills a second
_FILLS = {sign: [mix(WHITE, colour, k / (SHADES - 1)) for k in range(SHADES)]
          for sign, colour in ((True, POSITIVE), (False, NEGATIVE))}


def activation_fill(a: float) -> QColor:
    """White at 0, blue towards +1, orange towards −1 (tanh, linear, leaky)."""
    t = abs(a)
    return _FILLS[a >= 0][int(t * (SHADES - 1) + 0.5) if t < 1 else SHADES - 1]  # inf, NaN: full


def paint_lock(painter: QPainter, left: float, top: float) -> None:
    """A small padlock with its top left here: a number training leaves as it is."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(OUTLINE, 1.6))
    painter.drawArc(QRectF(left + 2, top, 6, 8), 0, 180 * 16)  # the shackle
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(OUTLINE))
    painter.drawRect(QRectF(left, top + 4, 10, 7))
