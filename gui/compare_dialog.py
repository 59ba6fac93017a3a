"""Training ▸ Compare…: one setting at several values (and seeds) trained at once, every run's
loss overlaid in one colour per value, and the results table, which exports as CSV and is kept in
the network's file (one undo step)."""
from __future__ import annotations

import csv
import io as text_io

from PySide6.QtWidgets import (QComboBox, QDialog, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QHeaderView, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from engine import compare
from engine.errors import EngineError
from gui.comparison import ComparisonRun
from gui.plotting import pg, themed
from gui.runs import COLOURS
from gui.theme import PROBLEM_TEXT

SETTINGS = {"lr": "Learning rate", "activation": "Hidden activation", "optimizer": "Optimiser",
            "loss": "Loss", "batch_size": "Batch size", "momentum": "Momentum α",
            "l1": "L1 λ", "l2": "L2 λ", "dropout": "Dropout", "init": "Initial weights",
            "hidden": "Hidden layer size", "regularization": "Regularisation"}
DEFAULTS = {"activation": "sigmoid,tanh,relu", "optimizer": "sgd,momentum,adam", "loss": "mse,l1",
            "batch_size": "0,10,1", "momentum": "0,0.5,0.9", "l1": "0,0.001,0.01",
            "l2": "0,0.001,0.01", "dropout": "0,0.2,0.5", "init": "xavier,he,normal",
            "hidden": "2,4,8", "regularization": "none,l1:0.001,l2:0.01,dropout:0.2"}
COLUMNS = ("Value", "Runs", "Final loss", "Train acc.", "Test acc.", "Epochs\nto reach",
           "Solved", "Seconds")


def _pair(p: tuple[float, float] | None, runs: int) -> str:
    if p is None:
        return "–"
    return f"{p[0]:.4g} ± {p[1]:.2g}" if runs > 1 else f"{p[0]:.4g}"


class CompareDialog(QDialog):
    def __init__(self, parent: QWidget, window) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare")
        self.window = window
        self.setting = QComboBox()
        for key, text in SETTINGS.items():
            self.setting.addItem(text, key)
        self.values = QLineEdit()
        self.values.setToolTip("The values to compare, joined by commas")
        self.seeds = QSpinBox()
        self.seeds.setRange(1, 100)
        self.seeds.setToolTip("Runs per value, seeds 0, 1, …: each seed's initial weights and "
                              "shuffles are the same for every value")
        self.reach = QDoubleSpinBox()
        self.reach.setRange(0, 1e6)
        self.reach.setDecimals(4)
        self.reach.setValue(1.0)
        self.reach.setToolTip("Count the epochs until the test accuracy reaches this (for a "
                              "regression: until the test loss falls to it)")
        form = QFormLayout()
        form.addRow("&Setting:", self.setting)
        form.addRow("&Values:", self.values)
        form.addRow("S&eeds:", self.seeds)
        form.addRow("&Reach:", self.reach)
        self.same_starts = QLabel("Weight init is <i>keep</i>: every seed starts from the "
                                  "network's own weights and differs only in its shuffles and "
                                  "dropout. Choose a scheme under Weight init to draw each "
                                  "seed's.")
        self.same_starts.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_TEXT)
        self.run_button, self.stop_button = QPushButton("&Run"), QPushButton("S&top")
        self.export_button = QPushButton("&Export CSV…")
        self.progress = QProgressBar()
        self.plot = themed(pg.PlotWidget(title="Loss per epoch"))
        self.plot.addLegend(offset=(-10, 10))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(60)
        self.table.verticalHeader().hide()
        buttons = QHBoxLayout()
        for button in (self.run_button, self.stop_button, self.export_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.same_starts)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.table, 1)
        self.runs = ComparisonRun(self)
        self.results: list[dict] = []
        self.curves: dict[int, object] = {}
        self.points: dict[int, tuple[list, list]] = {}
        self.chosen: tuple[str, list, list[int]] | None = None
        self.setting.currentIndexChanged.connect(self._suggest)
        self.seeds.valueChanged.connect(self._show_same_starts)
        window.doc.settings.changed.connect(self._show_same_starts)
        self.run_button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.runs.stop)
        self.stop_button.clicked.connect(self._ended)
        self.export_button.clicked.connect(self.export_dialog)
        self.runs.epoch.connect(self._epoch)
        self.runs.finished.connect(self._finished)
        self.runs.failed.connect(lambda k, why: self.problem.setText(f"A run failed: {why}"))
        self.runs.failed.connect(lambda *_: self._count())
        self.runs.done.connect(self._ended)
        self.runs.done.connect(self._keep)
        self._suggest()
        self._show_same_starts()
        self._ended()
        self.resize(860, 640)

    def _show_same_starts(self, *_) -> None:
        keep = self.window.doc.settings.get("init") == "keep"
        self.same_starts.setVisible(keep and self.seeds.value() > 1)

    def _suggest(self) -> None:
        key = self.setting.currentData()
        lr = float(self.window.doc.settings.get("lr"))
        self.values.setText(DEFAULTS.get(key, f"{lr / 10:g},{lr:g},{min(lr * 10, 100):g}"))

    def run(self) -> bool:
        """Checks the request, then starts every run; a bad one says why and starts nothing."""
        doc = self.window.doc
        try:
            name = self.setting.currentData()
            _, values = compare.parse_vary(f"{name}={self.values.text()}")
            seeds = list(range(self.seeds.value()))
            found = compare.variants(doc.network, doc.settings.all(), name, values, seeds)
            self.runs.start(found)
        except EngineError as e:
            self.problem.setText(str(e))
            return False
        self.chosen, self.results = (name, values, seeds), []
        self.problem.setText("")
        self.plot.clear()
        self.curves, self.points = {}, {}
        self.progress.setRange(0, len(found))
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._show_table()
        return True

    def _colour(self, value: object) -> str:
        return COLOURS[self.chosen[1].index(value) % len(COLOURS)]

    def _epoch(self, k: int, numbers: dict) -> None:
        variant = self.runs.variants[k]
        if k not in self.curves:
            first = all(self.runs.variants[j].value != variant.value for j in self.curves)
            self.curves[k] = self.plot.plot([], [], pen=pg.mkPen(self._colour(variant.value)),
                                            name=str(variant.value) if first else None)
            self.points[k] = ([], [])
        xs, ys = self.points[k]
        xs.append(numbers["epoch"])
        ys.append(numbers["loss"])
        self.curves[k].setData(xs, ys)

    def _finished(self, k: int, result: dict) -> None:
        self.results.append(result)
        self._count()
        self._show_table()

    def _count(self) -> None:
        self.progress.setValue(self.progress.value() + 1)

    def rows(self) -> list[compare.Row]:
        if self.chosen is None:
            return []
        return compare.table(self.results, self.chosen[1], self.reach.value())

    def _show_table(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (str(row.value), str(row.runs), _pair(row.final_loss, row.runs),
                     _pair(row.train_accuracy, row.runs), _pair(row.test_accuracy, row.runs),
                     "–" if row.epochs_to_target is None else f"{row.epochs_to_target:.3g}",
                     f"{row.solved}/{row.runs}", f"{row.seconds:.2f}")
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _ended(self) -> None:
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.export_button.setEnabled(bool(self.results))

    def _keep(self) -> None:
        """The finished table, kept in the network's file: one undo step."""
        if self.chosen is None or not self.results:
            return
        name, values, seeds = self.chosen
        record = compare.kept(name, values, seeds, self.reach.value(), self.rows())
        if self.window.doc.settings.get("comparison") != record:
            self.window.editor.set_settings({"comparison": record})

    def csv_text(self) -> str:
        out = text_io.StringIO()
        writer = csv.writer(out)
        writer.writerow(compare.CSV_HEAD)
        writer.writerows(compare.csv_rows(self.rows()))
        return out.getvalue()

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the table", "comparison.csv",
                                              "CSV (*.csv)")
        if not path:
            return
        try:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(self.csv_text())
        except OSError as e:
            self.problem.setText(f"Cannot write {path}: {e.strerror}")

    def done(self, result: int) -> None:
        """Closed (or its network replaced): its runs end with it."""
        self.runs.stop()
        super().done(result)
