"""The truth table follows the network: numbers, marks and which cells take a target, through
edits, cleared targets and networks of another shape with as many columns."""
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from engine.build import from_spec
from engine.explain import number
from engine.trace import truth_table
from gui.panels.truth_table import RIGHT, WRONG


def cells(window) -> list[list[str]]:
    table = window.truth_table.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def backgrounds(window) -> list[QColor]:
    table = window.truth_table.table
    return [table.item(r, table.columnCount() - 1).background().color() for r in range(table.rowCount())]


def editable_columns(window) -> set[int]:
    table = window.truth_table.table
    return {c for c in range(table.columnCount()) for r in range(table.rowCount())
            if table.item(r, c).flags() & Qt.ItemFlag.ItemIsEditable}


def clear_cell(table, row: int, column: int) -> None:
    """F2 opens the cell's editor; select all, delete, Tab to the next cell."""
    table.setFocus()
    table.setCurrentCell(row, column)
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = table.findChild(QLineEdit)
    QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    QTest.keyClick(editor, Qt.Key.Key_Tab)


def test_numbers_follow_an_edit_and_a_cleared_target_loses_its_mark(window):
    net = from_spec("2-1", "linear", "sigmoid")
    net.weight[:] = [1.0, 1.0]
    window.doc.replace(net)
    window.truth_table.use_preset("and")
    assert [row[-1] for row in cells(window)] == ["✗", "✗", "✗", "✓"]  # σ(x1 + x2) ≥ 0.5: OR
    assert backgrounds(window) == [WRONG, WRONG, WRONG, RIGHT]
    window.doc.network.set_bias([int(window.doc.network.outputs[0])], -1.5)
    trace = truth_table(window.doc.network)
    out = window.doc.network.index(int(window.doc.network.outputs[0]))
    assert [row[3] for row in cells(window)] == [number(a) for a in trace.a[:, out]]
    assert [row[-1] for row in cells(window)] == ["✓", "✓", "✓", "✓"]
    assert backgrounds(window) == [RIGHT] * 4  # a mark of the same width, in its new colour
    table = window.truth_table.table
    clear_cell(table, 0, 4)
    assert cells(window)[0][-1] == "" and table.item(0, 5).background().style() == Qt.BrushStyle.NoBrush
    assert table.item(1, 5).background().style() != Qt.BrushStyle.NoBrush
    assert window.truth_table.score == (3, 3)


def test_a_network_of_another_shape_with_as_many_columns_gets_its_own_cells(window):
    window.doc.replace(from_spec("1-2", "linear", "sigmoid"))  # 1 + 3·2 + 1 = 8 columns
    assert window.truth_table.table.columnCount() == 8 and editable_columns(window) == {3, 6}
    window.doc.replace(from_spec("4-1", "linear", "sigmoid"))  # 4 + 3 + 1 = 8 columns
    table = window.truth_table.table
    assert (table.rowCount(), table.columnCount()) == (16, 8) and editable_columns(window) == {6}
    heads = [table.horizontalHeaderItem(c).text() for c in range(8)]
    assert heads[4:6] == [h for h in heads[4:6] if h.startswith(("z(", "y("))]
    assert np.all([cells(window)[r][:4] == [str(int(b)) for b in f"{r:04b}"] for r in range(16)])
