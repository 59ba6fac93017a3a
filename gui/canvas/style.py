"""Colours and sizes of the canvas, in one place."""
from __future__ import annotations

from PySide6.QtGui import QColor

RADIUS = 22.0
PORT = 6.0            # the handle on a neuron's right edge that starts a connection
POSITIVE = QColor(43, 108, 176)
NEGATIVE = QColor(221, 107, 32)
ZERO = QColor(160, 160, 160)
SELECTED = QColor(214, 40, 120)
OUTLINE = QColor(40, 40, 40)
WHITE = QColor(255, 255, 255)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    t = min(max(t, 0.0), 1.0)
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def activation_fill(a: float) -> QColor:
    """White at 0, blue towards +1, orange towards −1 (tanh, linear, leaky)."""
    return mix(WHITE, POSITIVE if a >= 0 else NEGATIVE, abs(a))
