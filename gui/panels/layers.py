"""Per layer, live: a histogram of the weights, the gradient magnitude over the run, and the share
of dead ReLUs, with the course's warning once it passes 20% (and louder past 40%)."""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui.document import Document
from gui.panels import orient, shown
from gui.plotting import pg, themed
from gui.runs import COLOURS
from gui.theme import PROBLEM_TEXT

BINS = 30
DEAD_WARN, DEAD_ALARM = 0.2, 0.4


def dead_relu_warning(dead: list[float | None]) -> str:
    """The course's rule of thumb, in words, for the layers past it."""
    lines = []
    for k, share in enumerate(dead, 1):
        if share is not None and share > DEAD_WARN:
            how = "far too many" if share > DEAD_ALARM else "many"
            lines.append(f"Layer {k}: {share:.0%} of its ReLUs are dead ({how}): lower the learning "
                         "rate, or try leaky ReLU.")
    return "\n".join(lines)


class LayersPanel(QWidget):
    def __init__(self, doc: Document) -> None:
        super().__init__()
        self.doc = doc
        # made when the dock first shows: a plot costs 25 ms of start-up, and the dock starts
        # behind the Plots tab
        self.histogram: pg.PlotWidget | None = None
        self.gradients: pg.PlotWidget | None = None
        self.dead = QLabel("Dead ReLUs: —")
        self.dead.setToolTip("A ReLU that outputs 0 for every sample gets no gradient and stops "
                             "learning. More than 20–40% dead in a layer is a warning sign.")
        self.warning = QLabel()
        self.warning.setStyleSheet(PROBLEM_TEXT)
        self.warning.setWordWrap(True)
        self._row = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self._row, 1)
        self.key = QLabel()
        layout.addWidget(self.key)
        layout.addWidget(self.dead)
        layout.addWidget(self.warning)
        self.history: list[tuple[int, list[float]]] = []
        self.latest: dict | None = None
        self._hist_curves: list[pg.PlotDataItem] = []
        self._grad_curves: list[pg.PlotDataItem] = []
        doc.structureChanged.connect(self.clear)

    def new_run(self) -> None:
        """A run's gradient curve is its own: joined to the last run's, a new run's step 1
        drew a line back from that run's end."""
        self.history = []

    def _make_plots(self) -> None:
        if self.histogram is not None:
            return
        self.histogram = pg.PlotWidget(title="Weights per layer")
        self.gradients = pg.PlotWidget(title="Mean |∂C/∂w| per layer")
        self.gradients.setLogMode(y=True)
        self.gradients.setLabel("bottom", "step")
        for plot in (self.histogram, self.gradients):
            themed(plot)
            plot.setMinimumHeight(60)
            self._row.addWidget(plot)

    def clear(self) -> None:
        self.history, self.latest = [], None
        for plot in (self.histogram, self.gradients):
            if plot is not None:
                plot.clear()
                # an empty plot keeps its range: the next network's start from a small one
                plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
                plot.enableAutoRange()
        self._hist_curves, self._grad_curves = [], []

    def _curves(self, n: int) -> None:
        while len(self._hist_curves) < n:
            k = len(self._hist_curves)
            pen = pg.mkPen(COLOURS[k % len(COLOURS)], width=1.5)
            self._hist_curves.append(self.histogram.plot(stepMode="center", pen=pen))
            self._grad_curves.append(self.gradients.plot(pen=pen))
        # the key beside the plots, not a legend box over their curves
        self.key.setText("Layers: " + "  ".join(
            f'<span style="color:{COLOURS[k % len(COLOURS)]}">■ layer {k + 1}</span>' for k in range(n)))

    def show_snapshot(self, snap: dict) -> None:
        if "gradient" not in snap:  # the trainer sends these a few times a second only
            return
        self.history.append((snap["step"], snap["gradient"]))
        self.latest = snap
        if shown(self):  # behind another tab: keep the history, draw when shown
            self._draw(snap)

    def redraw(self) -> None:
        """The dock came to the front (its tab was chosen)."""
        if shown(self):
            self._make_plots()
            if self.latest is not None:
                self._draw(self.latest)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        orient(self._row, event.size())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.redraw()

    def _draw(self, snap: dict) -> None:
        self._make_plots()
        plan = self.doc.plan()
        self._curves(len(plan.levels))
        for lv, curve in zip(plan.levels, self._hist_curves):
            counts, edges = np.histogram(snap["weights"][lv.conns], bins=BINS)
            curve.setData(edges, counts)
        steps = [s for s, _ in self.history]
        for k, curve in enumerate(self._grad_curves[:len(plan.levels)]):
            curve.setData(steps, [max(g[k], 1e-12) for _, g in self.history])
        shares = ["—" if d is None else f"{d:.0%}" for d in snap["dead_relu"]]
        self.dead.setText("Dead ReLUs per layer: " + ", ".join(shares))
        self.warning.setText(dead_relu_warning(snap["dead_relu"]))
