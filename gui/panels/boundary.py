"""For 2-input networks: the output over the input plane as a live heatmap with the data on top,
and one small map per hidden neuron (TensorFlow Playground's best idea). For 1-input networks:
the output as a curve over the input, live, with the data's points (a regression's fit)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel,
                               QVBoxLayout, QWidget)

from engine.datasets.features import FEATURES, raw_count
from engine.datasets.gates import RULES
from engine.datasets.paint import is_painted, points_of
from engine.datasets.registry import load
from engine.datasets.toy import CURVES
from engine.trace import forward, grid
from gui.document import Document
from gui.canvas.neuron_maps import plane_colours, plane_lut
from gui.panels import orient, shown
from gui.panels.paint import PaintTool
from gui.plotting import pg, themed
from gui.training_settings import data_key

RESOLUTION = 64
SMALL_MAPS = 8
SMALL_COLUMNS = 4
TOYS = ("circles", "moons", "spiral", "blobs")
RECENT = 2000  # painted points an item of strokes' holds: adding to it stays cheap
COLOUR_STEPS = 64  # a value's colour on a point: as finely as the eye tells the map's colours
SLICE_NEAR = 0.05  # of a column's spread: a sample this near the fixed values lies on the slice
LINE = (-3.5, 3.5)  # the input's range for a 1-input network: sin's [−π, π] and a margin
CURVE_POINTS = 200


def _image() -> pg.ImageItem:
    item = pg.ImageItem(axisOrder="row-major")
    item.setLookupTable(plane_lut())
    item.setLevels((0.0, 1.0))
    return item


class BoundaryPanel(QWidget):
    sliceChanged = Signal()  # other axes chosen: the canvas's pictures follow

    def __init__(self, doc: Document) -> None:
        super().__init__()
        self.doc, self.dataset, self._shown_points = doc, "xor", None
        self.data_args: dict = {"name": "xor"}  # the data set as registry.load takes it
        self.focus: int | None = None  # a hovered neuron whose own map replaces the output's
        # the map is made when the dock first shows: it starts behind the Plots tab, and a plot
        # costs 25 ms of start-up
        self.plot: pg.PlotWidget | None = None
        self.curve_plot: pg.PlotWidget | None = None
        self.message = QLabel()
        self.message.setWordWrap(True)  # a long line would widen the window past 1280
        self.test_data = QCheckBox("Test data")
        self.test_data.setToolTip("Also the test samples, ringed in black: the network never "
                                  "trained on them")
        self.discrete = QCheckBox("Discretise")
        self.discrete.setToolTip("Each point of the plane in its class's colour (output ≥ 0.5 or "
                                 "not) instead of the output's value")
        for box in (self.test_data, self.discrete):
            box.toggled.connect(lambda _on: self.refresh(again=True))
        self.paint = PaintTool(lambda: doc.settings.get("csv"), self)
        # more than two inputs: the plane is a slice through two of them, the others fixed at
        # their values on the canvas
        self.axes = (0, 1)
        self.across, self.up = QComboBox(), QComboBox()
        self.across.setToolTip("The input that varies across the picture")
        self.up.setToolTip("The input that varies up the picture")
        for box in (self.across, self.up):
            box.activated.connect(self._axes_chosen)
        self.fixed_note = QLabel()
        self.fixed_note.setWordWrap(True)
        self.fixed_note.setToolTip("The other inputs keep the values they have on the canvas: "
                                   "click an input neuron and set its value to move the slice")
        self.slice_row = QWidget()
        rows = QVBoxLayout(self.slice_row)
        rows.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        for widget in (QLabel("Slice through"), self.across, QLabel("and"), self.up):
            row.addWidget(widget)
        row.addStretch(1)
        rows.addLayout(row)
        rows.addWidget(self.fixed_note)
        self.slice_row.hide()
        self._names: list[str] | None = None  # the inputs the combos list
        self._painted: tuple[list, int] | None = None  # the painted rows drawn, and how many
        self._drawn = None  # the plane and axes the maps were drawn over
        self._titles: tuple[str, str, str] | None = None
        doc.replaced.connect(self._new_network)
        options = QHBoxLayout()
        options.addWidget(self.test_data)
        options.addWidget(self.discrete)
        options.addStretch(1)
        options.addWidget(self.paint.button)
        options.addWidget(self.paint.klass)
        options.addWidget(self.paint.value)
        self.small = QGridLayout()
        self.small_maps: list[tuple[pg.PlotWidget, pg.ImageItem]] = []
        # side by side in a wide, low dock; one under another in the dock column (orient)
        self.maps = QHBoxLayout()
        self.maps.addLayout(self.small, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.slice_row)
        layout.addLayout(options)
        layout.addWidget(self.paint.note)
        layout.addLayout(self.maps, 1)
        doc.traceChanged.connect(self.refresh)
        self.refresh()

    def _new_network(self) -> None:
        self.axes, self._names, self._painted = (0, 1), None, None

    def _raw_inputs(self) -> list[int]:
        """The rows of the inputs that read data, in input order."""
        net = self.doc.network
        rows = np.atleast_1d(net.index(net.inputs)) if len(net.inputs) else []
        return [int(r) for r in rows if net.labels[r] not in FEATURES]

    def _slice_controls(self, raw: list[int]) -> None:
        """The axes' choices follow the network's inputs; the note says where the others are."""
        net = self.doc.network
        names = [net.name_of(r) for r in raw]
        if names != self._names:
            self._names = names
            if max(self.axes) >= len(names) or self.axes[0] == self.axes[1]:
                self.axes = (0, 1)
            for box, k in ((self.across, self.axes[0]), (self.up, self.axes[1])):
                box.clear()
                box.addItems(names)
                box.setCurrentIndex(k)
        fixed = self._fixed()
        others = [f"{names[k]} = {fixed[k]:.3g}" for k in range(len(names)) if k not in self.axes]
        self.fixed_note.setText("with " + ", ".join(others[:3]) + (" …" if len(others) > 3 else ""))

    def _axes_chosen(self) -> None:
        across, up = self.across.currentIndex(), self.up.currentIndex()
        if across == up:  # the other box takes the axis this one gave up
            other = self.up if self.sender() is self.across else self.across
            other.setCurrentIndex(self.axes[0] if other is self.up else self.axes[1])
            across, up = self.across.currentIndex(), self.up.currentIndex()
        self.axes = (across, up)
        self.refresh(again=True)
        self.sliceChanged.emit()

    def slice_now(self) -> tuple[tuple[int, int], np.ndarray | None]:
        """The axes and the other inputs' values of the slice drawn; the plane itself for a
        network of two inputs."""
        raw = self._raw_inputs()
        if len(raw) <= 2:
            return (0, 1), None
        if max(self.axes) >= len(raw):
            self.axes = (0, 1)
        return self.axes, self._fixed()

    def _fixed(self) -> np.ndarray:
        net = self.doc.network
        return np.array([self.doc.inputs.get(int(net.ids[r]), 0.0) for r in self._raw_inputs()])

    def focus_neuron(self, nid: int | None) -> None:
        """Shows a hovered hidden or output neuron's own map; None goes back to the output."""
        net = self.doc.network
        keep = nid is not None and nid in net.ids and net.neuron(nid).role != "input"
        self.focus = nid if keep else None
        self.refresh()

    def set_dataset(self, args: dict) -> None:
        """The chosen data set (TrainingSettings.data_args): its points are drawn. On the same
        plane only the points change: a painted stroke redraws no map."""
        self.data_args, self.dataset = args, args["name"]
        if self._drawn is not None and shown(self) and self._drawn == (
                self.doc.settings.plane(self._drawn[1]), self._drawn[1]):
            self._data_points(self.slice_row.isVisible())
        else:
            self.refresh()

    def _data_key(self) -> tuple:
        return data_key(self.data_args)

    def _load(self):
        return load(**self.data_args)

    def _make_plot(self) -> None:
        if self.plot is not None:
            return
        self.plot = pg.PlotWidget()
        themed(self.plot)
        self.plot.setAspectLocked(True)
        self.image = _image()
        self.plot.addItem(self.image)
        # a point in its own class's colour shows by its white ring; a misclassified one stands out
        self.points = self._scatter()
        self.plot.addItem(self.points)
        self.recent: list[pg.ScatterPlotItem] = []  # points strokes painted since all were drawn
        self.test_points = pg.ScatterPlotItem(size=9, pen=pg.mkPen("k", width=1.5))
        self.plot.addItem(self.test_points)
        self.paint.attach(self.plot)
        self.maps.insertWidget(0, self.plot, 3)

    @staticmethod
    def _scatter() -> pg.ScatterPlotItem:
        return pg.ScatterPlotItem(size=9, pen=pg.mkPen("w", width=1.5))

    def _make_curve_plot(self) -> None:
        if self.curve_plot is not None:
            return
        self.curve_plot = pg.PlotWidget()
        themed(self.curve_plot)
        self.curve_plot.showGrid(x=True, y=True, alpha=0.2)
        self.curve_plot.setLabel("bottom", "input x")
        self.curve_points = pg.ScatterPlotItem(size=5, brush=pg.mkBrush(120, 120, 120, 140),
                                               pen=None)
        self.curve = pg.PlotDataItem(pen=pg.mkPen("#dd6b20", width=2.5))
        self.curve_plot.addItem(self.curve_points)
        self.curve_plot.addItem(self.curve)
        self.maps.insertWidget(0, self.curve_plot, 3)

    def refresh(self, again: bool = False) -> None:
        """again: the data points too (an option changed)."""
        if again:
            self._shown_points = None
        net = self.doc.network
        raw = raw_count(self.doc.input_labels())
        ok = raw >= 2 and len(net.outputs) >= 1  # features come from the plane
        line = raw == 1 and len(net.outputs) >= 1
        self.message.setText("" if ok or line else
                             "The decision boundary is drawn for networks with 2 inputs or more "
                             "(a slice through two), a fitted curve for networks with 1.")
        sliced = ok and raw > 2
        self.slice_row.setVisible(sliced)
        self.paint.button.setEnabled(raw == 2)
        self.paint.button.setToolTip(self.paint.tip if raw == 2 else
                                     "Painted points have two inputs: paint for a 2-input network")
        if sliced:
            self._slice_controls(self._raw_inputs())
        if self.plot is not None:
            self.plot.setVisible(ok)
        if self.curve_plot is not None:
            self.curve_plot.setVisible(line)
        for view, _image in self.small_maps:
            view.setVisible(view.isVisible() and ok)
        if line and shown(self):
            self._draw_curve()
        self._drawn = None
        if not ok or not shown(self):
            return
        self._make_plot()
        axes = self.axes if sliced else (0, 1)
        (x0, x1), (y0, y1) = self.doc.settings.plane(axes)
        trace = grid(net, (x0, x1), (y0, y1), RESOLUTION, axes, self._fixed() if sliced else None)
        column, who = self._shown(trace)
        out = trace.a[:, column].reshape(RESOLUTION, RESOLUTION)
        if self.discrete.isChecked():
            out = (out >= 0.5).astype(float)
        over = f"{self.across.currentText()} and {self.up.currentText()}" if sliced else "the inputs"
        titles = (f"{who} over {over}", self.across.currentText() if sliced else "",
                  self.up.currentText() if sliced else "")
        if titles != self._titles:  # a title's HTML laid out again at every snapshot shown
            self._titles = titles
            self.plot.setTitle(titles[0], size="9pt")
            self.plot.setLabel("bottom", titles[1])
            self.plot.setLabel("left", titles[2])
        self.image.setImage(out, autoLevels=False)
        self.image.setRect(x0, y0, x1 - x0, y1 - y0)
        self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self._hidden_maps(trace, (x0, y0, x1 - x0, y1 - y0))
        self._data_points(sliced)
        self._drawn = (((x0, x1), (y0, y1)), axes)

    def _hidden_maps(self, trace, rect: tuple[float, float, float, float]) -> None:
        hidden = np.flatnonzero(self.doc.network.role == 1)[:SMALL_MAPS]
        while len(self.small_maps) < len(hidden):
            view = pg.PlotWidget()
            themed(view)
            view.hideAxis("left")
            view.hideAxis("bottom")
            view.setAspectLocked(True)
            view.setMinimumSize(60, 60)
            image = _image()
            view.addItem(image)
            self.small_maps.append((view, image))
        columns = min(SMALL_COLUMNS, max(len(hidden), 1))  # two maps share a narrow dock's width
        for k, (view, _) in enumerate(self.small_maps):
            if self.small.indexOf(view) < 0 or self.small.getItemPosition(
                    self.small.indexOf(view))[:2] != divmod(k, columns):
                self.small.removeWidget(view)
                self.small.addWidget(view, *divmod(k, columns))
        for k, (view, image) in enumerate(self.small_maps):
            view.setVisible(k < len(hidden))
            if k < len(hidden):
                values = trace.a[:, hidden[k]].reshape(RESOLUTION, RESOLUTION)
                image.setImage(values, autoLevels=False)
                image.setRect(*rect)
                view.setTitle(self.doc.network.labels[hidden[k]] or f"#{int(self.doc.network.ids[hidden[k]])}", size="8pt")

    def _shown(self, trace) -> tuple[int, str]:
        """The column the map or curve shows (the hovered neuron, else the first output) and
        its name."""
        net = self.doc.network
        column = net.index(self.focus) if self.focus in net.ids else int(trace.plan.outputs[0])
        return column, net.labels[column] or f"neuron {int(net.ids[column])}"

    def _draw_curve(self) -> None:
        """The output (or the hovered neuron) over the input, and the data set's points."""
        self._make_curve_plot()
        net = self.doc.network
        xs = np.linspace(*LINE, CURVE_POINTS)
        trace = forward(net, xs[:, None])
        column, who = self._shown(trace)
        self.curve.setData(xs, trace.a[:, column])
        self.curve_plot.setTitle(f"{who} over the input", size="9pt")
        if self._shown_points != ("line", self._data_key()):
            self._shown_points = ("line", self._data_key())
            data = self._load() if self.dataset in CURVES else None
            self.curve_points.setData(*(data.x_train[:, 0], data.y_train[:, 0]) if data else ([], []))

    def _data_points(self, sliced: bool) -> None:
        """The samples on the plane; on a slice, those near it (within SLICE_NEAR of each other
        input's spread from its fixed value)."""
        key = (self._data_key(), self.axes, tuple(self._fixed()) if sliced else None)
        if self._shown_points == key:
            return
        self._shown_points = key
        table = self.data_args.get("table") if self.dataset == "csv" else None
        if self._painted_more(table):
            return
        self._painted = (table["rows"], len(table["rows"])) if is_painted(table) else None
        for item in self.recent:
            self.plot.removeItem(item)
        self.recent = []
        raw = len(self._raw_inputs())
        if self._painted is not None and raw == 2 and not table.get("test"):
            xy, targets = points_of(table)  # its numbers kept: no 10,000 rows of text to read
            self.points.setData(pos=xy, brush=self._brushes(targets))
            self.test_points.setData([])
            return
        data = self._load() if self.dataset in (*TOYS, *RULES, "csv") else None
        if data is None or data.x_train.shape[1] != raw:  # a CSV table of other columns
            self.points.setData([])
            self.test_points.setData([])
            return
        # a regression's points in its value's colour, as the map shows the output
        train, test = ((data.y_train[:, 0], data.y_test[:, 0]) if data.regression else
                       (data.labels_train, data.labels_test))
        for item, x, labels, drawn in ((self.points, data.x_train, train, True),
                                       (self.test_points, data.x_test, test,
                                        self.test_data.isChecked())):
            if not drawn:
                item.setData([])
                continue
            if sliced:
                near = self._near(x, np.concatenate([data.x_train, data.x_test]))
                x, labels = x[near], labels[near]
            item.setData(pos=x[:, list(self.axes)] if sliced else x, brush=self._brushes(labels))

    def _painted_more(self, table: dict | None) -> bool:
        """Adds a stroke's points to a small item of recent ones (a new one each RECENT points):
        drawing all 10,000 again took pyqtgraph 60 to 80 ms, adding to their item 5 ms (its
        arrays made anew), an item a stroke 8 ms more after 40 strokes, and a stroke has 16 in
        all (bench/paint.py)."""
        if self._painted is None or not is_painted(table):
            return False
        rows, n = self._painted
        now = table["rows"]
        if len(now) <= n or now[0] is not rows[0] or now[n - 1] is not rows[n - 1]:
            return False  # not the drawn rows and more: an undo, a removal, another table
        if not self.recent or len(self.recent[-1].data) + len(now) - n > RECENT:
            self.recent.append(self._scatter())
            self.plot.addItem(self.recent[-1])
        xy, targets = points_of(table)
        self.recent[-1].addPoints(pos=xy[n:], brush=self._brushes(targets[n:]))
        self._painted = (now, len(now))
        return True

    def drawn(self) -> np.ndarray:
        """The training samples drawn on the plane, (n, 2), strokes' points included."""
        items = [self.points, *self.recent] if self.plot is not None else []
        return np.concatenate([np.column_stack(i.getData()) for i in items] or [np.zeros((0, 2))])

    def _near(self, x: np.ndarray, every: np.ndarray) -> np.ndarray:
        others = [k for k in range(x.shape[1]) if k not in self.axes]
        spread = np.ptp(every[:, others], axis=0)
        gap = np.abs(x[:, others] - self._fixed()[others])
        return (gap <= SLICE_NEAR * np.where(spread > 0, spread, 1.0)).all(1)

    def _brushes(self, values: np.ndarray) -> list:
        """One brush per colour, shared by its points: a brush of each point's own made
        pyqtgraph draw 10,000 painted points' symbols one by one (cProfile: 0.8 s a stroke)."""
        steps = np.clip(np.round(np.asarray(values, float) * COLOUR_STEPS), 0, COLOUR_STEPS)
        found, which = np.unique(steps.astype(np.int64), return_inverse=True)
        made = [pg.mkBrush(plane_colours().map(k / COLOUR_STEPS, mode="qcolor")) for k in found]
        return [made[k] for k in which.ravel()]

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        orient(self.maps, event.size())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.refresh()
