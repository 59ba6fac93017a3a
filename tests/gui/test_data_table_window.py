"""The data set as rows, edited with the keyboard: a cell changed, a row typed in, a row deleted,
a cell that is not a number refused; OK makes the table the network's data as one undo step, and
the next network shows its own data, not this table."""
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from engine.datasets.table import make_dataset
from tests.gui.drive import shortcut


def _type(qtbot, dialog, row: int, column: int, text: str) -> None:
    """Types into a cell as a user does: the dialog active (under X11 that comes a few turns of
    the event loop later), a first key that opens the cell's editor, the rest into it."""
    view = dialog.view
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    view.setFocus()
    view.setCurrentIndex(dialog.model.index(row, column))
    QTest.keyClicks(view, text[0])
    qtbot.waitUntil(lambda: QApplication.focusWidget() not in (None, view))
    editor = QApplication.focusWidget()
    QTest.keyClicks(editor, text[1:])
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def _open(qtbot, window):
    QTest.mouseClick(window.training.table, Qt.MouseButton.LeftButton)
    shown = lambda: [w for w in QApplication.topLevelWidgets()  # noqa: E731
                     if w.isVisible() and w.windowTitle().startswith("Data set table")]
    qtbot.waitUntil(lambda: bool(shown()))
    return shown()[0]


def _ok(dialog) -> None:
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_editing_the_xor_table_makes_the_networks_data(qtbot, window):
    window.open_example("xor-2-2-1")
    window.docks["Training"].raise_()
    dialog = _open(qtbot, window)
    model = dialog.model
    assert [model.data(model.index(r, 2)) for r in range(4)] == ["0", "1", "1", "0"]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "x1 (input)"

    _type(qtbot, dialog, 3, 2, "1")                 # 1 XOR 1 is now 1: OR
    _type(qtbot, dialog, 4, 0, "0.5")               # the empty last row becomes a fifth sample
    assert model.rows[4] == ["0.5", "1.0", "1"] and model.rowCount() == 6
    _type(qtbot, dialog, 4, 1, "abc")
    assert "'x2' is an input: 'abc' is not a number" in dialog.note.text()
    assert dialog.note.isVisible() and model.rows[4][1] == "1.0"  # the cell keeps its value
    dialog.view.selectRow(0)
    dialog.view.setFocus()
    qtbot.waitUntil(dialog.view.hasFocus)
    QTest.keyClick(dialog.view, Qt.Key.Key_Delete)
    assert len(model.rows) == 4 and model.rows[0] == ["0.0", "1.0", "1"]

    steps = window.doc.undo.count()
    _ok(dialog)
    get = window.doc.settings.get
    assert get("dataset") == "csv" and window.doc.undo.count() == steps + 1
    data = make_dataset(get("csv"))
    rows = sorted(zip(data.x_train.tolist(), data.labels_train.tolist()))
    assert rows == [([0.0, 1.0], 1), ([0.5, 1.0], 1), ([1.0, 0.0], 1), ([1.0, 1.0], 1)]
    assert window.training.dataset.currentText() == "Your table: xor (edited)"

    shortcut(window, "Ctrl+Z")  # one step back to XOR
    assert get("dataset") == "xor" and window.training.dataset.currentText() == "XOR"
    shortcut(window, "Ctrl+Shift+Z")
    window.doc.undo.setClean()  # no question about saving
    window.open_example("and")  # the next network: its own data, not this table
    assert get("dataset") != "csv" and window.training.dataset.currentText() != "Your table: xor (edited)"


def test_a_cancelled_edit_changes_nothing_and_an_unchanged_ok_makes_no_step(qtbot, window):
    window.open_example("xor-2-2-1")
    window.docks["Training"].raise_()
    steps = window.doc.undo.count()
    dialog = _open(qtbot, window)
    _type(qtbot, dialog, 0, 2, "1")
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert window.doc.settings.get("dataset") == "xor" and window.doc.undo.count() == steps
    _ok(window.data_table_dialog())
    assert window.doc.undo.count() == steps


def test_painted_points_stay_paintable_and_mnist_says_why_it_has_no_table(qtbot, window,
                                                                        monkeypatch):
    from engine.datasets.paint import points_of, with_points
    window.open_example("xor-2-2-1")
    window.editor.set_settings({"csv": with_points(None, np.array([[0.2, 0.3], [1.0, 1.0]]), 0),
                                "dataset": "csv"})
    assert window.training.dataset.currentText() == "Painted points"
    dialog = window.data_table_dialog()
    _type(qtbot, dialog, 1, 2, "1")
    _ok(dialog)
    assert points_of(window.doc.settings.get("csv"))[1].tolist() == [0, 1]
    assert window.training.dataset.currentText() == "Painted points"

    shown = []
    monkeypatch.setattr(window, "show_error", lambda title, text: shown.append(text))
    window.editor.set_settings({"dataset": "mnist-subset"})
    assert window.data_table_dialog() is None and "784 pixels" in shown[0]
