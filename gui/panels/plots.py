"""Live plots (pyqtgraph) of the document's runs (gui/runs.py): loss per step (smoothed) and per
epoch, train, test and validation accuracy. Runs are kept, so a second run overlays the first; each can be
renamed, hidden or removed. The run list is the legend: runs are listed under the network they
trained, a shown run in its curves' colour, a hidden one grey."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QHBoxLayout, QListWidget, QListWidgetItem,
                               QMessageBox, QPushButton, QVBoxLayout, QWidget)

from gui.panels import orient
from gui.plotting import pg, themed
from gui.runs import Run, Runs, run_csv

SUMMARY = " — "  # between a run's name and its result in the list
MAX_MARKERS = 200  # epoch losses are marked while there are few enough to tell apart
# the plots redraw at most this often: at 30 snapshots a second their axes took a fifth of the
# machine's time during an XOR run, time the trainer shares; at 10 a second, 8% of a core while
# MNIST trained (py-spy: AxisItem.paint, each draw moving the loss plot's range)
DRAW_HZ = 5
# a run's curves are first drawn this long after it starts: one that ends sooner (XOR's 500
# epochs take 0.1 s) is drawn once, at its end, not five times while the trainer runs beside
FIRST_DRAW_MS = 300
HIDDEN = QColor(160, 160, 160)
AFTER_FIRST_PAINT_MS = 100
RUN = Qt.ItemDataRole.UserRole  # a run's item holds its Run; a network's heading holds None


class PlotsPanel(QWidget):
    exported = Signal(str)  # the file a run was written to
    rewindAsked = Signal(object)  # the run to make again (or None: there is none)

    def __init__(self, runs: Runs) -> None:
        super().__init__()
        self.model = runs
        self.curves: dict[Run, list[pg.PlotDataItem]] = {}
        self.items: dict[Run, QListWidgetItem] = {}
        self._stale: list[Run] = []  # runs with numbers not drawn yet
        self._heading: QListWidgetItem | None = None  # the open network's, at its first run
        self._draw_timer = QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.setInterval(1000 // DRAW_HZ)
        self._draw_timer.timeout.connect(self._draw)
        self._plots: tuple[pg.PlotWidget, pg.PlotWidget] | None = None  # made when needed
        self._spare: list[pg.PlotDataItem] | None = None  # the next run's curves
        self.log = QCheckBox("Log scale")
        self.log.setToolTip("Show the loss on a logarithmic scale: late, small improvements show")
        self.log.toggled.connect(lambda on: self.loss_plot.setLogMode(y=on))
        self.list = QListWidget()
        # a run's name and result in full, scrolled sideways, not cut at the dock's edge
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.setMaximumHeight(80)
        self.list.setMinimumHeight(30)
        self.list.setToolTip("Runs under the network they trained. Tick to show a run; "
                             "double-click to rename it")
        self.list.itemChanged.connect(self._item_changed)
        self.remove = remove = QPushButton("Remove run")
        remove.clicked.connect(self.remove_selected)
        self.rewind = QPushButton("Rewind")
        self.rewind.setToolTip("Train again from the selected run's initial weights, with its "
                               "settings (one undo step): change one setting first to see what "
                               "it alone does")
        self.rewind.clicked.connect(lambda: self.rewindAsked.emit(self.selected_run()))
        self.export = QPushButton("Export CSV…")
        self.export.setToolTip("Save the selected run's epochs (loss; train, test and validation accuracy) "
                               "as a CSV file, for a spreadsheet or a report")
        self.export.clicked.connect(self.export_selected)
        row = QHBoxLayout()
        row.addWidget(self.log)
        row.addStretch(1)
        row.addWidget(self.rewind)
        row.addWidget(self.export)
        row.addWidget(remove)
        layout = QVBoxLayout(self)
        self._row = QHBoxLayout()
        layout.addLayout(self._row, 1)
        layout.addLayout(row)
        layout.addWidget(self.list)
        runs.added.connect(self._added)
        runs.grew.connect(self._later)
        runs.changed.connect(self._changed)
        runs.removed.connect(self._removed)
        runs.networkChanged.connect(self._new_network)

    @property
    def runs(self) -> list[Run]:
        return self.model.items

    @property
    def loss_plot(self) -> pg.PlotWidget:
        return self._made()[0]

    @property
    def acc_plot(self) -> pg.PlotWidget:
        return self._made()[1]

    def _made(self) -> tuple[pg.PlotWidget, pg.PlotWidget]:
        """The two plots, made on first use or just after the window's first paint: 33 ms that
        a start-up no longer waits for (bench/startup.py)."""
        if self._plots is None:
            loss, acc = pg.PlotWidget(title="Loss"), pg.PlotWidget(title="Accuracy per epoch")
            loss.setLabel("bottom", "step (dots: each epoch's loss)")
            acc.setLabel("bottom", "epoch (train —, test --, valid ··)")
            acc.setYRange(0, 1)
            for plot, stretch in ((loss, 1), (acc, 1)):
                plot.setMinimumHeight(60)  # the dock may be made short
                themed(plot)
                plot.showGrid(x=True, y=True, alpha=0.2)
                self._row.addWidget(plot, stretch)
            loss.setLogMode(y=self.log.isChecked())
            self._plots = (loss, acc)
            self._make_spare()
        return self._plots

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        orient(self._row, event.size())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._plots is None:
            QTimer.singleShot(AFTER_FIRST_PAINT_MS, self._made)

    def _added(self, run: Run) -> None:
        if run.network is not None and (self._heading is None or
                                        self._heading.text() != run.network):
            self._heading = QListWidgetItem(run.network)
            font = self._heading.font()
            font.setBold(True)
            self._heading.setFont(font)
            self._heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(self._heading)
        self.items[run] = item = QListWidgetItem(run.name)  # in its curves' colour: the list is
        item.setForeground(QColor(run.colour))             # the legend, no box over a curve
        item.setData(RUN, run)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
        item.setCheckState(Qt.CheckState.Checked)
        self.list.addItem(item)
        self.list.scrollToItem(item)
        self._draw_timer.start(FIRST_DRAW_MS)

    def _later(self, run: Run) -> None:
        if run not in self._stale:
            self._stale.append(run)
        if not self._draw_timer.isActive():
            self._draw_timer.start()

    def _draw(self) -> None:
        self._draw_timer.setInterval(1000 // DRAW_HZ)
        for run in self._stale:
            if run in self.runs:
                self._draw_run(run)
        self._stale = []

    def _make_spare(self) -> None:
        """Five empty curves for the next run, made while no run trains: making them at a
        run's first draw took 6 ms, which an XOR run's end waited for (its first draw), and
        just after it 3.3 ms of the window's 28 ms during a 0.1 s XOR run."""
        if self._spare is None:
            # a line is drawn from at most a few points per pixel of the part in view, and the
            # loss per step (30,000 points after 8 s of MNIST at batch 32) with a thin pen, drawn
            # as one path: segment by segment with a wide pen, it was a third of the window's
            # time while it trained (py-spy)
            fast = {"autoDownsample": True, "downsampleMethod": "peak", "clipToView": True}
            self._spare = [self.loss_plot.plot(**fast),
                           self.loss_plot.plot(pen=None, symbol="o", symbolSize=5),
                           *(self.acc_plot.plot(**fast) for _ in range(3))]

    def _curves(self, run: Run) -> list[pg.PlotDataItem]:
        """A run's five curves, in its colour: the spare ones, taken at its first draw (an XOR
        run ends before it); the next spare set is made when a run ends."""
        if run not in self.curves:
            self._make_spare()
            curves, self._spare = self._spare, None
            curves[0].setPen(pg.mkPen(run.colour, width=1))
            curves[1].setSymbolBrush(run.colour)
            for curve, style in zip(curves[2:], (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine,
                                                 Qt.PenStyle.DotLine)):
                curve.setPen(pg.mkPen(run.colour, width=1.5, style=style))
            for curve in curves:
                curve.setVisible(run.shown)
            self.curves[run] = curves
        return self.curves[run]

    def _draw_run(self, run: Run) -> None:
        curves = self._curves(run)
        curves[0].setData(run.steps, run.smooth)
        if run is self.runs[-1]:
            self._show_rate(run)
        drawn = curves[2].xData
        if not run.epochs["epoch"] or drawn is not None and len(drawn) == len(run.epochs["epoch"]):
            return  # the epochs' curves change once an epoch: not their plot's repaint
        steps_per_epoch = run.steps[-1] / run.epochs["epoch"][-1] if run.steps else 1
        if len(run.epochs["epoch"]) <= MAX_MARKERS:
            curves[1].setData(np.array(run.epochs["epoch"]) * steps_per_epoch, run.epochs["loss"])
        else:
            curves[1].setData([], [])
        curves[2].setData(run.epochs["epoch"], run.epochs["train_accuracy"])
        curves[3].setData(run.epochs["epoch"], run.epochs["test_accuracy"])
        curves[4].setData(run.epochs["epoch"], run.epochs["validation_accuracy"])

    def _show_rate(self, run: Run) -> None:
        """A scheduled rate, as it stands, in the loss plot's title."""
        scheduled = len(set(run.rates)) > 1
        title = f"Loss (η now {run.rates[-1]:.3g})" if scheduled else "Loss"
        if self.loss_plot.getPlotItem().titleLabel.text != title:
            self.loss_plot.setTitle(title)
            themed(self.loss_plot)

    def _changed(self, run: Run) -> None:
        """The model says: the run's name and result in the list, its curves shown or not."""
        if run.summary:
            self._draw()
            QTimer.singleShot(0, self, self._make_spare)
        item = self.items[run]
        text = run.name + (SUMMARY + run.summary if run.summary else "")
        check = Qt.CheckState.Checked if run.shown else Qt.CheckState.Unchecked
        if item.text() != text or item.checkState() != check:
            item.setText(text)
            item.setToolTip(text)
            item.setCheckState(check)  # _item_changed follows with the curves and the colour

    def _new_network(self) -> None:
        """Another network: its runs go under a heading of their own, and the axes fit them."""
        self._heading = None
        for plot in self._plots or ():  # plots not made yet start with fitting axes
            # a range of one point (one epoch) keeps the old scale: start it from a small one
            plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            plot.enableAutoRange()
        if self._plots is not None:  # the last network's rate is not this one's
            self.loss_plot.setTitle("Loss")
            themed(self.loss_plot)

    def _item_changed(self, item: QListWidgetItem) -> None:
        """Renamed or ticked in the list: the model hears it; the curves and colour follow."""
        run = item.data(RUN)
        if run is None:
            return
        shown = item.checkState() == Qt.CheckState.Checked
        self.model.set(run, name=item.text().split(SUMMARY)[0], shown=shown)
        for curve in self.curves.get(run, ()):
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
            self.model.remove(item.data(RUN))

    def _removed(self, run: Run) -> None:
        for k, curve in enumerate(self.curves.pop(run, ())):  # two loss, then accuracy curves
            (self.loss_plot if k < 2 else self.acc_plot).removeItem(curve)
        row = self.list.row(self.items.pop(run))
        self.list.takeItem(row)
        heading = self.list.item(row - 1) if row > 0 else None
        below = self.list.item(row) if row < self.list.count() else None
        if heading is not None and heading.data(RUN) is None and (below is None or below.data(RUN) is None):
            if heading is self._heading:  # its network's next run heads it again
                self._heading = None
            self.list.takeItem(row - 1)  # a heading with no runs left under it
