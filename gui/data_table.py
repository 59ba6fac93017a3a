"""The data set as rows (File ▸ Data Set Table…, or Table… beside the Training dock's data set):
every cell editable, a last empty row that becomes a sample when typed in, Delete for the selected
rows. OK makes the edited table the network's data, one undo step; Cancel changes nothing. The
engine says which cells a column takes (engine.datasets.editable)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from engine.datasets import DatasetError
from engine.datasets.editable import cell_problem, checked
from engine.datasets.table import Table
from gui.theme import PROBLEM_TEXT

Index = QModelIndex | QPersistentModelIndex
NEW_ROW = QColor(128, 128, 128)


class Rows(QAbstractTableModel):
    """A table's rows, edited in place; the row after the last is where a new one is typed."""
    refused = Signal(str)

    def __init__(self, spec: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec, self.rows = spec, [list(row) for row in spec["rows"]]
        # the columns' numbers are read once, for the kind of an "auto" target
        self.read = Table(spec["name"], spec["columns"], spec["rows"], 2)
        self.changed = False
        self.first = spec.get("first_line", 2)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.spec["columns"])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r, c = index.row(), index.column()
        if r == len(self.rows):
            if role == Qt.ItemDataRole.DisplayRole and c == 0:
                return "type to add…"
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(NEW_ROW)
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Type in this row to add a sample (its other cells copy the row above)"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.rows[r][c]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt's name)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            # the numbers the engine's messages name rows by: a file's own lines
            return "+" if section == len(self.rows) else str(section + self.first)
        name = self.spec["columns"][section]
        role_of = ("input" if name in self.spec["inputs"] else
                   "target" if name == self.spec["target"] else "unused")
        return f"{name} ({role_of})"

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any,  # noqa: N802 (Qt's name)
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole:
            return False
        r, c, text = index.row(), index.column(), str(value).strip().replace("−", "-")
        if r == len(self.rows) and not text:
            return False  # nothing typed in the new row: no row
        problem = cell_problem(self.spec, c, text, self.read)
        if problem:
            self.refused.emit(f"Row {r + self.first}: {problem}. The cell keeps its value.")
            return False
        if r == len(self.rows):
            self.beginInsertRows(QModelIndex(), r + 1, r + 1)  # a new empty row below
            self.rows.append(list(self.rows[-1]))
            self.endInsertRows()
        if self.rows[r][c] != text:
            self.rows[r][c], self.changed = text, True
            self.dataChanged.emit(index, index)
        self.headerDataChanged.emit(Qt.Orientation.Vertical, r, r)
        self.refused.emit("")
        return True

    def remove(self, rows: list[int]) -> None:
        """Removes these rows; the last one stays (a data set keeps a sample)."""
        rows = sorted({r for r in rows if r < len(self.rows)}, reverse=True)
        if len(rows) >= len(self.rows):
            self.refused.emit("A data set keeps one row at least: leave one, or Cancel.")
            return
        for r in rows:
            self.beginRemoveRows(QModelIndex(), r, r)
            del self.rows[r]
            self.endRemoveRows()
        self.changed |= bool(rows)
        self.refused.emit("")

    def edited(self) -> dict[str, Any]:
        return {**self.spec, "rows": self.rows}


class DataTable(QDialog):
    def __init__(self, spec: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Data set table: {spec['name']}")
        self.model = Rows(spec, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed |
                                  QAbstractItemView.EditTrigger.DoubleClicked |
                                  QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        about = QLabel(f"{len(self.model.rows):,} rows. Inputs: {', '.join(spec['inputs'])}; "
                       f"target: {spec['target']}. Type in the last row to add a sample; "
                       "Delete removes the selected rows. OK makes this table the network's data "
                       "set (one undo step).")
        about.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(PROBLEM_TEXT)
        self.note.hide()
        self.model.refused.connect(self._say)
        remove = QPushButton("Delete Rows")
        remove.setToolTip("Remove the selected rows (Delete)")
        remove.clicked.connect(self._remove)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)  # a cell's editor keeps its Delete
        delete.activated.connect(self._remove)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(remove, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(560, 560)
        self.spec: dict[str, Any] | None = None  # the edited table, once OK took it

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _remove(self) -> None:
        self.model.remove([index.row() for index in self.view.selectionModel().selectedRows()])

    def accept(self) -> None:
        """Keeps the table where it makes a data set; otherwise says why and stays open."""
        if not self.model.changed:
            super().accept()
            return
        try:
            self.spec = checked(self.model.edited())
        except DatasetError as e:
            self._say(str(e))
            return
        super().accept()
