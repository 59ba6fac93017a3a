"""Keyboard, focus and the mouse wheel as in every desktop app: the document's undo from any
field, the wheel that scrolls a dock unless a field has focus, one undo step per wheel gesture,
the formula first in the Inspector, the keys back after a dialog, and settings that do not
apply disabled with the reason."""
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.drive import type_into
from tests.gui.test_draw_perceptron import choose, draw_perceptron, select_neuron


def wheel(widget, notches: int = 1) -> None:
    """A wheel event over the middle of a widget, as the mouse sends it (QTest has none)."""
    at = QPointF(widget.rect().center())
    event = QWheelEvent(at, QPointF(widget.mapToGlobal(at.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def activate(qtbot, window) -> None:
    """The window takes the keys (under X11 a shown window is not yet the active one)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def key(combo: str) -> None:
    """A key press where the keyboard focus is, without activating anything first."""
    from PySide6.QtGui import QKeySequence
    seq = QKeySequence(combo)[0]
    QTest.keyClick(QApplication.focusWidget(), seq.key(), seq.keyboardModifiers())


def test_undo_and_redo_reach_the_document_from_a_field(qtbot, window):
    activate(qtbot, window)
    window.open_example("xor-2-2-1")
    window.docks["Training"].raise_()
    lr = window.training.lr
    type_into(lr, "0.35")  # committed: one step, the focus still in the field
    assert QApplication.focusWidget() in (lr, lr.lineEdit()) and window.doc.undo.count() == 1
    key("Ctrl+Z")
    assert window.doc.undo.count() == 1 and window.doc.undo.index() == 0 and lr.value() == 0.1
    key("Ctrl+Shift+Z")
    assert window.doc.undo.index() == 1 and lr.value() == 0.35
    key("Ctrl+Z")
    key("Ctrl+Y")
    assert window.doc.undo.index() == 1 and lr.value() == 0.35
    # typing not yet committed: the first Ctrl+Z takes the typing back, the document stays
    lr.lineEdit().selectAll()
    QTest.keyClicks(lr, "0.7")
    key("Ctrl+Z")
    assert window.doc.undo.index() == 1 and window.doc.settings.get("lr") == 0.35


def test_the_wheel_over_a_dock_changes_no_field_without_focus(window):
    i1, i2, out = draw_perceptron(window)
    select_neuron(window, out)
    window.view.setFocus()
    bias, activation = window.inspector.bias, window.inspector.activation.currentText()
    steps = window.doc.undo.count()
    for field in (bias.spin, bias.slider, window.inspector.activation):
        wheel(field, -2)
    assert window.doc.network.neuron(out).bias == 0.0 and window.doc.undo.count() == steps
    assert window.inspector.activation.currentText() == activation


def test_a_wheel_gesture_on_a_focused_field_is_one_undo_step(qtbot, window):
    i1, i2, out = draw_perceptron(window)
    select_neuron(window, out)
    spin = window.inspector.bias.spin
    activate(qtbot, window)
    spin.setFocus()
    assert spin.hasFocus()
    steps = window.doc.undo.count()
    for _ in range(3):
        wheel(spin, 1)
    assert abs(window.doc.network.neuron(out).bias - 0.3) < 1e-9
    assert window.doc.undo.count() == steps + 1 and window.doc.undo.text(steps) == "Set bias"


def test_the_formula_is_first_in_the_inspector_and_in_view(window):
    i1, i2, out = draw_perceptron(window)
    select_neuron(window, out)
    window.docks["Inspector"].raise_()
    formula = window.inspector.formula
    assert formula.text().startswith("z =")
    area = window.docks["Inspector"].widget()
    top = formula.mapTo(area.viewport(), QPoint(0, 0))
    assert area.verticalScrollBar().value() == 0
    assert 0 <= top.y() and top.y() + formula.height() <= area.viewport().height()


def test_the_keys_come_back_to_the_window_when_a_dialog_closes(qtbot, window):
    i1, i2, out = draw_perceptron(window)
    box = window.show_error("A problem", "Something to read")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and
                    QApplication.focusWidget().window() is box)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # the OK button
    qtbot.waitUntil(lambda: not box.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    steps = window.doc.undo.index()
    key("Ctrl+Z")  # at once, no click first
    assert window.doc.undo.index() == steps - 1


def test_settings_that_do_not_apply_are_disabled_with_the_reason(window):
    window.open_example("xor-2-2-1")
    window.docks["Training"].raise_()
    t = window.training
    choose(t.optimizer, "SGD")
    assert not t.momentum.isEnabled() and "SGD with momentum" in t.momentum.toolTip()
    choose(t.optimizer, "SGD with momentum α")
    assert t.momentum.isEnabled() and not t.momentum.toolTip().startswith("Used only")
    assert not t.bias_value.isEnabled() and t.bias_value.toolTip().startswith("Used only by")
    choose(t.bias_init, "Constant b")
    assert t.bias_value.isEnabled()
    assert not t.tol.isEnabled()
    type_into(t.patience, "5")
    assert t.tol.isEnabled()
    window.doc.undo.setClean()
    window.open_example("mnist-784-32-10")  # another network: its own settings say
    assert not t.bias_value.isEnabled() and not t.tol.isEnabled()


def test_a_letter_typed_in_a_list_finds_its_item_and_not_a_tool(qtbot, window):
    activate(qtbot, window)
    window.open_example("xor-2-2-1")
    window.docks["Training"].raise_()
    window.view.tool = "hidden"
    schedule = window.training.schedule
    schedule.setFocus()
    key("S")  # "S" alone is the Select tool's key
    assert schedule.currentData() == "step" and window.view.tool == "hidden"
    assert window.doc.settings.get("schedule") == "step"


def test_no_two_actions_share_a_shortcut_and_the_data_table_has_its_own(qtbot, window):
    from collections import Counter

    from PySide6.QtGui import QAction
    keys = Counter(sequence.toString() for action in window.findChildren(QAction)
                   for sequence in action.shortcuts() if not sequence.isEmpty())
    assert [key for key, count in keys.items() if count > 1] == []  # X11 calls them ambiguous
    window.open_example("xor-2-2-1")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyClick(window.view, Qt.Key.Key_D,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(w.isVisible() and w.windowTitle().startswith("Data set table")
                                for w in QApplication.topLevelWidgets()))
    dialog = next(w for w in QApplication.topLevelWidgets() if w.isVisible()
                  and w.windowTitle().startswith("Data set table"))
    dialog.reject()
