"""Real mouse and key events on the canvas and panels, in scene coordinates."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication

from gui.canvas.style import RADIUS


def at(window, x: float, y: float) -> QPoint:
    return window.view.mapFromScene(QPointF(x, y))


def click(window, x: float, y: float, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, modifier, at(window, x, y))


def drag(window, start: tuple[float, float], end: tuple[float, float], steps: int = 5) -> None:
    vp = window.view.viewport()
    a, b = at(window, *start), at(window, *end)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for k in range(1, steps + 1):
        QTest.mouseMove(vp, a + (b - a) * k / steps)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def connect(window, source: int, target: int) -> None:
    """Drags from the source's handle (right edge) onto the target."""
    net = window.doc.network
    sx, sy = net.pos[net.index(source)]
    tx, ty = net.pos[net.index(target)]
    drag(window, (sx + RADIUS, sy), (tx, ty))


def use_tool(window, name: str) -> None:
    action = window.actions_by_name[f"tool_{name}"]
    QTest.mouseClick(window.toolbar.widgetForAction(action), Qt.MouseButton.LeftButton)


def type_into(spin: QAbstractSpinBox, text: str) -> None:
    spin.setFocus()
    QTest.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(spin, text)
    QTest.keyClick(spin, Qt.Key.Key_Return)
    QApplication.processEvents()


def shortcut(window, key: str) -> None:
    """A key press on the canvas of the active window (shortcuts need an active window)."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        for _ in range(200):  # under X11 the focus may come a few event-loop turns later
            QApplication.processEvents()
            if QApplication.activeWindow() is window:
                break
            QTest.qWait(10)
    seq = QKeySequence(key)[0]
    QTest.keyClick(window.view, seq.key(), seq.keyboardModifiers())


def choose(window, menu_title: str, item: str) -> None:
    """Opens a menu of the menu bar and clicks one of its items, as a user does."""
    bar = window.menuBar()
    entry = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(entry).center())
    menu = entry.menu()
    action = next(a for a in menu.actions() if a.text().replace("&", "") == item)
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    QApplication.processEvents()
