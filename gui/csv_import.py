"""File ▸ Import CSV Data: a preview of the file, the input and target columns, how the target is
read (one-hot classes or numbers), the test share and the normalisation. What the choices make is
said below them as they change (the engine builds it), and OK waits until it fits the network,
or until the choices make data at all where a network that fits them is to be built."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Generator

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QLabel, QListWidget, QListWidgetItem, QProgressDialog,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from engine.datasets import DatasetError
from engine.build import for_data
from engine.datasets.table import Table, outline, reading, spec_of, target_kind
from engine.network import Network
from gui.theme import PROBLEM_TEXT

PREVIEW_ROWS = 8
PREVIEW_COLUMNS = 100  # all of 20,000 columns would be 160,000 cells before the dialog shows
TICK_S = 0.015  # of reading, between two turns of the window's event loop
READ_SHARE = 0.9  # of the progress bar: the file; the rest, its columns read as numbers
KIND_NAMES = {"auto": "Automatic", "classes": "Classes (one-hot outputs)",
              "numbers": "Numbers (regression)"}
NORMALISE_NAMES = {"standard": "Standard: mean 0, deviation 1", "minmax": "Min–max: 0 to 1",
                   "none": "None"}


def _combo(items: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for key, text in items.items():
        box.addItem(text, key)
    return box


class CsvImport(QDialog):
    def __init__(self, table: Table, net: Network, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {table.name}")
        self.table, self.net, self.spec, self.outline = table, net, None, None
        shown = table.columns[:PREVIEW_COLUMNS]
        preview = QTableWidget(min(PREVIEW_ROWS, len(table.rows)), len(shown))
        preview.setHorizontalHeaderLabels(shown)
        # the file's own line numbers, which the error messages name too
        preview.setVerticalHeaderLabels([str(table.first_line + r)
                                         for r in range(preview.rowCount())])
        for r, row in enumerate(table.rows[:PREVIEW_ROWS]):
            for c, cell in enumerate(row[:PREVIEW_COLUMNS]):
                preview.setItem(r, c, QTableWidgetItem(cell))
        preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        preview.setMaximumHeight(200)
        self.inputs = QListWidget()
        self.inputs.setToolTip("The columns that feed the input neurons, in order: as many as "
                               "the network has inputs")
        n_in = len(net.inputs)
        # which columns are ticked, kept as they change: reading 20,000 items back cost more
        # than all the rest of a change
        self._ticked = np.zeros(len(table.columns), bool)
        for k, name in enumerate(table.columns):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, k)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            self._ticked[k] = k < len(table.columns) - 1 and (n_in == 0 or k < n_in)
            item.setCheckState(Qt.CheckState.Checked if self._ticked[k] else Qt.CheckState.Unchecked)
            self.inputs.addItem(item)
        self.inputs.setMaximumHeight(120)
        self.target = QComboBox()
        self.target.addItems(table.columns)
        self.target.setCurrentIndex(len(table.columns) - 1)
        self.target.setToolTip("The column the network should learn to give")
        self.kind = _combo(KIND_NAMES)
        self.kind.setToolTip("Classes: each different value is an output neuron (one-hot; two "
                             "classes may use one 0/1 output). Numbers: the value itself, for a "
                             "linear output and squared error. Automatic: classes for text or up "
                             "to 10 whole numbers")
        self.test = QDoubleSpinBox()
        self.test.setRange(0.0, 0.9)
        self.test.setSingleStep(0.05)
        self.test.setValue(0.2)
        self.test.setToolTip("Share of the rows kept aside to test on (drawn with the seed)")
        self.normalise = _combo(NORMALISE_NAMES)
        self.normalise.setToolTip("Inputs on similar scales train faster; the scaling is fitted "
                                  "on the training rows only")
        self.build = QCheckBox("Build a matching network")
        self.build.setToolTip("Replace the network with one that fits the data: an input per "
                              "ticked column, named after it; an output per class (softmax, "
                              "cross-entropy) or one linear output for numbers (squared error); "
                              "a sigmoid hidden layer of the size beside. One undo step.")
        self.build.setChecked(len(net.inputs) == 0)
        self.hidden = QSpinBox()
        self.hidden.setRange(0, 1000)
        self.hidden.setValue(8)
        self.hidden.setToolTip("Neurons of the hidden layer (0: none)")
        self.said = QLabel()
        self.said.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Inputs", self.inputs)
        form.addRow("Target", self.target)
        form.addRow("Target is", self.kind)
        form.addRow("Test share", self.test)
        form.addRow("Normalise", self.normalise)
        form.addRow(self.build, self.hidden)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                        QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        more = len(table.columns) - PREVIEW_COLUMNS
        layout.addWidget(QLabel(f"{len(table.rows):,} rows, {len(table.columns):,} columns" +
                                (f" (the first {PREVIEW_COLUMNS} shown)" if more > 0 else "")))
        layout.addWidget(preview)
        layout.addLayout(form)
        layout.addWidget(self.said)
        layout.addWidget(self.buttons)
        self.inputs.itemChanged.connect(self._ticked_or_not)
        for box in (self.target, self.kind, self.normalise):
            box.currentIndexChanged.connect(lambda _k: self.check())
        self.test.valueChanged.connect(lambda _v: self.check())
        self.build.toggled.connect(lambda _on: self.check())
        self.hidden.valueChanged.connect(lambda _v: self.check())
        self.check()
        self.resize(560, 620)  # the preview's columns side by side

    def _ticked_or_not(self, item: QListWidgetItem) -> None:
        self._ticked[item.data(Qt.ItemDataRole.UserRole)] = (
            item.checkState() == Qt.CheckState.Checked)
        self.check()

    def chosen_inputs(self) -> list[str]:
        return [self.table.columns[k] for k in np.flatnonzero(self._ticked).tolist()]

    def check(self) -> dict[str, Any] | None:
        """Checks the data set the choices describe (each column read once): says what it is or
        what is wrong."""
        self.spec, self.outline = None, None
        built = self.build.isChecked()
        self.hidden.setEnabled(built)
        try:
            spec = spec_of(self.table, self.chosen_inputs(), self.target.currentText(),
                           self.kind.currentData(), self.test.value(), self.normalise.currentData())
            fit = outline(self.table, spec, None if built else len(self.net.inputs) or None,
                          None if built else len(self.net.outputs) or 1)
        except DatasetError as e:
            self._say(str(e), problem=True)
            return None
        what = (f"{max(len(fit.classes), 2)} classes" if fit.classes is not None else
                "numbers to fit (a linear output and squared error)")
        outputs = len(fit.classes) if fit.classes is not None else 1
        network = (f" A network {len(spec['inputs'])}-{self.hidden.value()}-{outputs} replaces "
                   "the open one." if built else "")
        self._say(f"{fit.n_train:,} rows to train on, {fit.n_test:,} to test; the target holds "
                  f"{what}.{network.replace('-0-', '-')}", problem=False)
        self.spec, self.outline = spec, fit
        return spec

    def network(self) -> Network:
        """The network that fits the chosen data (Build a matching network)."""
        return for_data(self.spec["inputs"], self.spec["target"], self.outline.classes,
                        self.hidden.value())

    def _say(self, text: str, problem: bool) -> None:
        self.said.setText(text)
        self.said.setStyleSheet(PROBLEM_TEXT if problem else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)


class Reading(QObject):
    """Reads a CSV file, then each of its columns as numbers, a slice at a time between the
    window's events (TICK_S each), with progress and Cancel: the window goes on (100,000 rows
    of 50 columns take seconds), and the column chooser then answers each change at once. No
    thread: a reader thread beside the window's own Python can deadlock it (PySide runs C++
    holding the GIL)."""
    read = Signal(object)  # the Table
    failed = Signal(str)   # why it cannot be imported

    def __init__(self, path: str | Path, parent: QWidget) -> None:
        super().__init__(parent)
        self.path, self.done = Path(path), False
        self.dialog: CsvImport | None = None  # the column chooser, once the file is read
        self._steps = self._work()
        self.progress = QProgressDialog(f"Reading {self.path.name}…", "Cancel", 0, 100, parent)
        self.progress.setWindowTitle("Import CSV data")
        self.progress.setMinimumDuration(400)  # a small file is read before it would show
        self.progress.canceled.connect(lambda: self._end(None))
        self._timer = QTimer(self, interval=0)
        self._timer.timeout.connect(self._step)
        self._timer.start()

    def _work(self) -> Generator[float, None, Table]:
        steps = reading(self.path)
        try:
            while True:
                try:
                    share = next(steps)
                except StopIteration as end:
                    table = end.value
                    break
                yield READ_SHARE * share
        finally:
            steps.close()  # Cancel while reading: the file is closed
        for k, name in enumerate(table.columns):  # what the chooser asks first
            yield READ_SHARE + (1 - READ_SHARE) * k / len(table.columns)
            try:
                table.numbers(name)
                target_kind(table, name)
            except DatasetError:
                pass  # text: a class column, or said when chosen as an input
        return table

    def _step(self) -> None:
        until = time.perf_counter() + TICK_S
        try:
            share = 0.0
            while time.perf_counter() < until:
                share = next(self._steps)
            self.progress.setValue(round(100 * share))
        except StopIteration as end:
            self._end(end.value)
        except DatasetError as e:
            self._end(str(e))

    def _end(self, result: Table | str | None) -> None:
        if self.done:
            return
        self.done = True
        self._timer.stop()
        self._steps.close()
        self.progress.reset()
        self.progress.deleteLater()
        if isinstance(result, Table):
            self.read.emit(result)
        elif result is not None:
            self.failed.emit(result)

