"""Live plots (pyqtgraph): loss per step (smoothed) and per epoch, train and test accuracy.
Runs are kept, so a second run overlays the first; each can be renamed, hidden or removed. The
run list is the legend: runs are listed under the network they trained, a shown run in its
curves' colour, a hidden one grey."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QHBoxLayout, QListWidget, QListWidgetItem,
                               QMessageBox, QPushButton, QVBoxLayout, QWidget)

SMOOTHING = 0.9  # exponential moving average of the step losses, for a readable curve
SUMMARY = " — "  # between a run's name and its result in the list
MAX_MARKERS = 200  # epoch losses are marked while there are few enough to tell apart
# the plots redraw at most this often: at 30 snapshots a second their axes took a fifth of the
# machine's time during an XOR run, time the trainer shares
DRAW_HZ = 10
COLOURS = ["#2b6cb0", "#dd6b20", "#2f855a", "#9f7aea", "#c53030", "#319795"]
HIDDEN = QColor(160, 160, 160)
RUN = Qt.ItemDataRole.UserRole  # a run's item holds its Run; a network's heading holds None


@dataclass(eq=False)  # a run is itself, whatever numbers another run shares with it
class Run:
    name: str
    colour: str
    steps: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    smooth: list[float] = field(default_factory=list)
    epochs: dict[str, list[float]] = field(default_factory=lambda: {
        "epoch": [], "loss": [], "train_accuracy": [], "test_accuracy": []})
    curves: list[pg.PlotDataItem] = field(default_factory=list)
    item: QListWidgetItem | None = None


def run_csv(run: Run) -> str:
    """A run's epochs as CSV: epoch, loss (the epoch's mean), train and test accuracy (empty
    where there is no test set)."""
    out = io.StringIO()
    table = csv.writer(out, lineterminator="\n")
    keys = ("epoch", "loss", "train_accuracy", "test_accuracy")
    table.writerow(keys)
    for row in zip(*(run.epochs[k] for k in keys)):
        table.writerow(["" if isinstance(v, float) and np.isnan(v) else
                        (int(v) if k == "epoch" else repr(float(v))) for k, v in zip(keys, row)])
    return out.getvalue()


class PlotsPanel(QWidget):
    exported = Signal(str)  # the file a run was written to

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[Run] = []
        self._stale: list[Run] = []  # runs with numbers not drawn yet
        self._network: str | None = None   # the open network, headed in the list at its first run
        self._heading: QListWidgetItem | None = None
        self._draw_timer = QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.setInterval(1000 // DRAW_HZ)
        self._draw_timer.timeout.connect(self._draw)
        self.loss_plot = pg.PlotWidget(title="Loss")
        self.loss_plot.setLabel("bottom", "step (dots: each epoch's loss)")
        self.acc_plot = pg.PlotWidget(title="Accuracy per epoch")
        self.acc_plot.setLabel("bottom", "epoch (solid: train, dashed: test)")
        self.acc_plot.setYRange(0, 1)
        for plot in (self.loss_plot, self.acc_plot):
            plot.setMinimumHeight(60)  # the dock may be made short
            plot.setBackground("w")
            plot.showGrid(x=True, y=True, alpha=0.2)
        self.log = QCheckBox("Log scale")
        self.log.setToolTip("Show the loss on a logarithmic scale: late, small improvements show")
        self.log.toggled.connect(lambda on: self.loss_plot.setLogMode(y=on))
        self.list = QListWidget()
        self.list.setMaximumHeight(80)
        self.list.setMinimumHeight(30)
        self.list.setToolTip("Runs under the network they trained. Tick to show a run; "
                             "double-click to rename it")
        self.list.itemChanged.connect(self._item_changed)
        self.remove = remove = QPushButton("Remove run")
        remove.clicked.connect(self.remove_selected)
        self.export = QPushButton("Export CSV…")
        self.export.setToolTip("Save the selected run's epochs (loss, train and test accuracy) "
                               "as a CSV file, for a spreadsheet or a report")
        self.export.clicked.connect(self.export_selected)
        row = QHBoxLayout()
        row.addWidget(self.log)
        row.addStretch(1)
        row.addWidget(self.export)
        row.addWidget(remove)
        layout = QVBoxLayout(self)
        plots = QHBoxLayout()
        plots.addWidget(self.loss_plot, 3)
        plots.addWidget(self.acc_plot, 2)
        layout.addLayout(plots, 1)
        layout.addLayout(row)
        layout.addWidget(self.list)

    def begin_run(self, name: str) -> None:
        run = Run(name, COLOURS[len(self.runs) % len(COLOURS)])
        pen = pg.mkPen(run.colour, width=1.5)
        run.curves = [self.loss_plot.plot(pen=pen),
                      self.loss_plot.plot(pen=None, symbol="o", symbolSize=5, symbolBrush=run.colour),
                      self.acc_plot.plot(pen=pen),
                      self.acc_plot.plot(pen=pg.mkPen(run.colour, width=1.5, style=Qt.PenStyle.DashLine))]
        self.runs.append(run)
        if self._network is not None and self._heading is None:
            self._heading = QListWidgetItem(self._network)
            font = self._heading.font()
            font.setBold(True)
            self._heading.setFont(font)
            self._heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(self._heading)
        run.item = item = QListWidgetItem(name)  # in its curves' colour: the list is the
        item.setForeground(QColor(run.colour))   # legend, so no legend box covers a curve
        item.setData(RUN, run)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
        item.setCheckState(Qt.CheckState.Checked)
        self.list.addItem(item)
        self.list.scrollToItem(item)

    def add_losses(self, losses: list[tuple[int, float]]) -> None:
        if not self.runs or not losses:
            return
        run = self.runs[-1]
        for step, loss in losses:
            last = run.smooth[-1] if run.smooth else loss
            run.steps.append(step)
            run.losses.append(loss)
            run.smooth.append(SMOOTHING * last + (1 - SMOOTHING) * loss)
        self._later(run)

    def add_epochs(self, epochs: list[dict]) -> None:
        """The epochs since the last call, drawn in one go."""
        if not self.runs or not epochs:
            return
        run = self.runs[-1]
        for metrics in epochs:
            for key in run.epochs:
                run.epochs[key].append(np.nan if metrics.get(key) is None else metrics[key])
        self._later(run)

    def _later(self, run: Run) -> None:
        if run not in self._stale:
            self._stale.append(run)
        if not self._draw_timer.isActive():
            self._draw_timer.start()

    def _draw(self) -> None:
        for run in self._stale:
            if run in self.runs:
                self._draw_run(run)
        self._stale = []

    def _draw_run(self, run: Run) -> None:
        run.curves[0].setData(run.steps, run.smooth)
        if not run.epochs["epoch"]:
            return
        steps_per_epoch = run.steps[-1] / run.epochs["epoch"][-1] if run.steps else 1
        if len(run.epochs["epoch"]) <= MAX_MARKERS:
            run.curves[1].setData(np.array(run.epochs["epoch"]) * steps_per_epoch, run.epochs["loss"])
        else:
            run.curves[1].setData([], [])
        run.curves[2].setData(run.epochs["epoch"], run.epochs["train_accuracy"])
        run.curves[3].setData(run.epochs["epoch"], run.epochs["test_accuracy"])

    def end_run(self, summary: str) -> None:
        """The last run's result beside its name in the list."""
        if self.runs:
            self._draw()
            self.runs[-1].item.setText(f"{self.runs[-1].name}{SUMMARY}{summary}")

    def drop_run(self) -> None:
        """The last run ended before its first step: it has nothing to show."""
        if self.runs:
            self._forget(self.runs[-1])

    def new_network(self, name: str) -> None:
        """Another network: its runs go under a heading of their own, and those of the last
        one are hidden (tick them to compare) so that the axes fit the new runs."""
        self._network, self._heading = name, None
        for run in self.runs:
            run.item.setCheckState(Qt.CheckState.Unchecked)
        for plot in (self.loss_plot, self.acc_plot):
            # a range of one point (one epoch) keeps the old scale: start it from a small one
            plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            plot.enableAutoRange()

    def _item_changed(self, item: QListWidgetItem) -> None:
        run = item.data(RUN)
        if run is None:
            return
        run.name = item.text().split(SUMMARY)[0]
        shown = item.checkState() == Qt.CheckState.Checked
        for curve in run.curves:
            curve.setVisible(shown)
        colour = QColor(run.colour) if shown else HIDDEN
        if item.foreground().color() != colour:  # a hidden run leaves the legend
            item.setForeground(colour)

    def selected_run(self) -> Run | None:
        """The run chosen in the list, else the last one."""
        item = self.list.currentItem()
        run = item.data(RUN) if item is not None else None
        return run or (self.runs[-1] if self.runs else None)

    def export_selected(self) -> None:
        run = self.selected_run()
        if run is None:
            QMessageBox.information(self, "Export CSV", "Train a run first: there is none to export.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export the run as CSV", f"{run.name}.csv",
                                              "CSV table (*.csv)")
        if not path:
            return
        path = path if Path(path).suffix else path + ".csv"
        try:
            Path(path).write_text(run_csv(run), encoding="utf-8")
        except OSError as e:
            QMessageBox.warning(self, "Cannot export", f"Cannot write {path}: {e.strerror}")
            return
        self.exported.emit(path)

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(RUN) is not None:
            self._forget(item.data(RUN))

    def _forget(self, run: Run) -> None:
        self.runs.remove(run)
        for k, curve in enumerate(run.curves):  # two loss curves, then two accuracy curves
            (self.loss_plot if k < 2 else self.acc_plot).removeItem(curve)
        row = self.list.row(run.item)
        self.list.takeItem(row)
        heading = self.list.item(row - 1) if row > 0 else None
        below = self.list.item(row) if row < self.list.count() else None
        if heading is not None and heading.data(RUN) is None and (below is None or below.data(RUN) is None):
            if heading is self._heading:  # its network's next run heads it again
                self._heading = None
            self.list.takeItem(row - 1)  # a heading with no runs left under it
