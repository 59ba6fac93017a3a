"""PySide6-Essentials 6.12.0 on CPython 3.11 drops a reference to None on every void Qt call and
Python aborts after ~5,000 calls (DESIGN.md). This fails if the installed binding does that."""
import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPen


def test_void_qt_calls_do_not_leak_references_to_none():
    point, pen = QPointF(), QPen()
    before = sys.getrefcount(None)
    for k in range(1000):
        point.setX(float(k))
        pen.setWidthF(1.5)
    lost = before - sys.getrefcount(None)
    assert lost < 100, f"the Qt binding dropped {lost} references to None in 2,000 void calls"
