"""The course's calculation table, live: every 0/1 input combination, each output's z and y, a
target the user types (or a preset fills), and how many rows come out right."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from engine.datasets.gates import RULES, gate
from engine.explain import number
from engine.trace import MAX_TRUTH_INPUTS, truth_table
from gui.document import Document
from gui.theme import PROBLEM_TEXT

PRESETS = {"and": "AND", "or": "OR", "nand": "NAND", "xor": "XOR", "cheese": "Cheese festival"}
RIGHT, WRONG = QColor(198, 239, 206), QColor(255, 199, 206)
MARK_TEXT = QColor(20, 20, 20)


class TruthTable(QWidget):
    presetChosen = Signal(str)  # the user picked a preset: the data set Train uses follows it

    def __init__(self, doc: Document) -> None:
        super().__init__()
        self.doc = doc
        self.targets = np.zeros((0, 0))  # rows × outputs; NaN where no target is typed
        self.score = (0, 0)
        self.preset = QComboBox()
        self.preset.addItem("Custom targets")
        for key, text in PRESETS.items():
            self.preset.addItem(text, key)
        self.preset.setToolTip("Fill the target column with a truth table from the course")
        self.summary = QLabel()
        self.table = QTableWidget()
        self.table.verticalHeader().setVisible(False)
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.preset)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self._filling = False
        self._shape: tuple[int, int] | None = None  # inputs and outputs the cells are laid out for
        self._heads: list[str] | None = None
        self.preset.activated.connect(self._preset_picked)
        self.table.itemChanged.connect(self._target_typed)
        doc.traceChanged.connect(self.refresh)
        self.refresh()

    def _columns(self) -> tuple[list[int], list[int]]:
        net = self.doc.network
        return net.inputs.tolist(), net.outputs.tolist()

    def refresh(self) -> None:
        """A run refreshes it at every snapshot shown: the forward pass uses the document's
        plan and labels, and only what changed is set (py-spy: 2.4 ms a refresh, half of the
        window's work per XOR snapshot, went to re-planning and re-naming)."""
        ins, outs = self._columns()
        if not ins or not outs or len(ins) > MAX_TRUTH_INPUTS:
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self._shape, self._heads = None, None
            self.summary.setText(f"A truth table needs 1 to {MAX_TRUTH_INPUTS} inputs and an output.")
            return
        net = self.doc.network
        trace = truth_table(net, self.doc.plan(), self.doc.input_labels())
        rows = len(trace.a)
        if self.targets.shape != (rows, len(outs)):
            self.targets = np.full((rows, len(outs)), np.nan)
            self.preset.setCurrentIndex(0)
        in_rows, out_rows = net.index(ins), net.index(outs)
        heads = [net.name_of(i) for i in in_rows]
        for o in out_rows:
            name = net.name_of(o)
            heads += [f"z({name})", f"y({name})", f"target {name}"]
        self._filling = True
        if self._shape != (len(ins), len(outs)):  # cells are reused only in their own roles
            self._shape = (len(ins), len(outs))
            self.table.clearContents()
            self.table.setColumnCount(len(heads) + 1)
            self.table.setRowCount(rows)
        if self._heads != heads:
            self._heads = heads
            self.table.setHorizontalHeaderLabels(heads + ["✓"])
        wider = False
        for r in range(rows):
            cells = [number(v) for v in trace.a[r, in_rows].tolist()]
            outputs = zip(trace.z[r, out_rows].tolist(), trace.a[r, out_rows].tolist())
            for k, (z, a) in enumerate(outputs):
                t = self.targets[r, k]
                cells += [number(z), number(a), "" if np.isnan(t) else number(t)]
            for c, text in enumerate(cells):
                wider |= self._cell(r, c, text, c >= len(ins) and (c - len(ins)) % 3 == 2)
        self._mark(trace.a[:, out_rows])
        self._filling = False
        if wider:
            self.table.resizeColumnsToContents()

    def _cell(self, r: int, c: int, text: str, editable: bool = False) -> bool:
        """Sets a cell's text, in place: a run refreshes the table 30 times a second (a new
        item for every cell, then fitting every column, was a third of the window's work for
        XOR). True where the text's length changed."""
        item = self.table.item(r, c)
        if item is None:
            item = QTableWidgetItem(text)
            if not editable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(r, c, item)
            return True
        if item.text() == text:
            return False
        wider = len(item.text()) != len(text)
        item.setText(text)
        return wider

    def _mark(self, y: np.ndarray) -> None:
        """Rows whose every output matches its target (y ≥ 0.5 reads as 1) are marked."""
        known = ~np.isnan(self.targets).any(1)
        right = ((y >= 0.5) == (self.targets >= 0.5)).all(1) & known
        last = self.table.columnCount() - 1
        for r in range(len(y)):
            mark = "✓" if right[r] else ("✗" if known[r] else "")
            item = self.table.item(r, last)
            if item is None or item.text() != mark:
                self._cell(r, last, mark)
                colour = RIGHT if right[r] else WRONG if known[r] else QBrush()
                self.table.item(r, last).setBackground(colour)
                # dark text on the pale mark colours, in either theme (light text on them
                # was 1.3:1 in the dark theme)
                self.table.item(r, last).setForeground(MARK_TEXT if known[r] else QBrush())
        self.score = (int(right.sum()), int(known.sum()))  # rows right, rows with a target
        said = (f"{self.score[0]}/{self.score[1]} correct" if known.any() else
                "Type targets (0 or 1), or fill them from a preset.")
        dataset = self.doc.settings.get("dataset")
        if known.any() and self.preset.currentIndex() == 0 and dataset in PRESETS:
            said += f" (typed targets: Train learns the {PRESETS[dataset]} data set, not these)"
        if self.summary.text() != said:  # a refused target's message included
            self.summary.setStyleSheet("")
            self.summary.setText(said)

    def _target_typed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        ins, outs = self._columns()
        k = (item.column() - len(ins)) // 3
        typed = item.text()  # refresh() below replaces the items
        text = typed.strip().replace("−", "-")
        try:
            value = float(text) if text else np.nan  # empty: no target for this row
        except ValueError:
            self.refresh()  # the old target back, and why the typed one is not taken
            self.summary.setText(f"“{typed}” is not a target: type a number (0 or 1), or "
                                 "clear the cell for no target.")
            self.summary.setStyleSheet(PROBLEM_TEXT)
            return
        self.targets[item.row(), k] = value
        self.preset.setCurrentIndex(0)
        self.refresh()

    def use_preset(self, key: str | None) -> None:
        """The targets of a course truth table (AND, OR, XOR, …) where it fits the network:
        the table follows the data set the network trains on."""
        index = self.preset.findData(key)
        ins, _ = self._columns()
        if index > 0 and RULES[key][0] == len(ins):
            self.preset.setCurrentIndex(index)
            self._apply_preset(index)

    def set_targets(self, rows: list[int]) -> None:
        """A lesson's own targets for one output, one per row, where they fit the network."""
        ins, outs = self._columns()
        if len(rows) != 2 ** len(ins) or len(outs) != 1:
            return
        self.preset.setCurrentIndex(0)
        self.targets = np.asarray(rows, float).reshape(-1, 1)
        self.refresh()

    def _preset_picked(self, index: int) -> None:
        if self._apply_preset(index):
            self.presetChosen.emit(self.preset.itemData(index))
        elif index == 0:  # the targets stay, and are now the user's own
            self.refresh()

    def _apply_preset(self, index: int) -> bool:
        """The preset's targets, where the network has its inputs and an output."""
        key = self.preset.itemData(index)
        ins, outs = self._columns()
        if key is None:
            return False
        if RULES[key][0] != len(ins) or not outs:
            self.summary.setText(f"{PRESETS[key]} needs {RULES[key][0]} inputs and an output; "
                                 f"this network has {len(ins)} inputs and {len(outs)} outputs.")
            self.summary.setStyleSheet(PROBLEM_TEXT)
            return False
        self.targets = np.full((2 ** len(ins), len(outs)), np.nan)
        self.targets[:, 0] = gate(key).labels_train
        self.refresh()
        return True
