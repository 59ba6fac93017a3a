"""The loss surface: the cost over a slice through the network's numbers θ, at θ + α·d₁ + β·d₂,
as a contour image (one direction: a curve), with the path the training steps took down it.
The trainer process computes it (engine.worker.surface_of); the window asks and draws."""
from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
                               QPushButton, QSpinBox, QToolButton, QVBoxLayout, QWidget)

from gui.document import Document
from gui.plotting import pg, themed
from gui.theme import PROBLEM_TEXT
from gui.training_worker import TrainingClient

MAX_LISTED = 100  # past this many weights and biases, the directions are random ones only
CONTOURS = 8
# grid points per side by the network's connections: each point is a forward pass over 1,000
# samples, and at 784-1000-1000-10 one takes ~0.1 s on 2 cores (41² of them: 3 minutes)
POINTS_BY_SIZE = ((100_000, 41), (500_000, 21), (None, 11))
RANDOM, CURVE = "random", "curve"


def _weight(net, pair: tuple[int, int]) -> tuple[str, str]:
    s, d = pair
    return f"w {net.name_of(net.index(s))}→{net.name_of(net.index(d))}", f"#{s}:#{d}"


def _exists(net, name: str) -> bool:
    """Whether the weight ("#s:#d") or bias ("#id") a direction names is in the network."""
    if ":" in name:
        s, d = (int(part[1:]) for part in name.split(":"))
        return net.connection_index(s, d) is not None
    nid = int(name[1:])
    return nid in net.ids and net.neuron(nid).role != "input"


def _numbers(doc: Document) -> list[tuple[str, str]]:
    """(what the user reads, what the trainer reads) for each weight and bias, where few."""
    net = doc.network
    computed = [k for k in range(net.n_neurons) if net.role[k] != 0]
    if net.n_connections + len(computed) > MAX_LISTED:
        return []
    ids = net.ids.tolist()
    at = {nid: k for k, nid in enumerate(ids)}
    weights = [(f"w {net.name_of(at[s])}→{net.name_of(at[d])}", f"#{s}:#{d}")
               for s, d in zip(net.src.tolist(), net.dst.tolist())]
    return weights + [(f"b {net.name_of(k)}", f"#{ids[k]}") for k in computed]


class SurfacePanel(QWidget):
    def __init__(self, doc: Document, client: TrainingClient, job: Callable[[], dict | None],
                 selection: Callable[[], tuple[list[int], tuple[int, int] | None]]) -> None:
        """selection: the canvas's selected neurons and connection, for a direction along one
        of them."""
        super().__init__()
        self.doc, self.client, self.job, self.selection = doc, client, job, selection
        self.picked: dict[str, str] = {}  # directions taken from the canvas: name → text
        self.request = 0  # the last asked for: an older answer is dropped
        self.shown: dict | None = None
        self.along = [QComboBox(), QComboBox()]
        for box, which in zip(self.along, ("α", "β")):
            box.setToolTip(f"The direction d of {which}: one weight or bias (a network of one or "
                           "two numbers is then drawn whole), or a random direction with each "
                           "neuron's incoming weights scaled to their own norm (Li et al. 2018)")
        self.span = QDoubleSpinBox()
        self.span.setRange(0.01, 100.0)
        self.span.setValue(1.0)
        self.span.setToolTip("How far the slice reaches either side of the network's numbers, "
                             "in steps of d; widened where the last run's path goes further")
        self.points = QSpinBox()
        self.points.setRange(3, 101)
        self.points.setSingleStep(2)
        self.points.setValue(41)
        self.points.setToolTip("Grid points per side (odd: the network's own numbers lie in the "
                               "middle); each costs a forward pass over 1,000 training samples")
        self.compute_button = QPushButton("&Compute")
        self.compute_button.setToolTip("The cost C at every point of the grid, computed by the "
                                       "trainer process (a run pauses meanwhile)")
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        for k, which in enumerate(("α", "β")):
            pick = QToolButton()
            pick.setText("Selected")
            pick.setToolTip(f"{which} along the weight of the connection selected on the canvas, "
                            "or the bias of the selected neuron: any one number of a big network")
            pick.clicked.connect(lambda _on=False, k=k: self.pick(k))
            row = QHBoxLayout()
            row.addWidget(self.along[k], 1)
            row.addWidget(pick)
            form.addRow(f"{which} along:", row)
        sizes = QHBoxLayout()
        sizes.addWidget(QLabel("Span:"))
        sizes.addWidget(self.span)
        sizes.addWidget(QLabel("Points:"))
        sizes.addWidget(self.points)
        sizes.addWidget(self.compute_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(sizes)
        layout.addWidget(self.status)
        self.plot: pg.PlotWidget | None = None  # made when first drawn: pyqtgraph is lazy
        self._plot_slot = layout
        self.compute_button.clicked.connect(self.compute)
        self.points.editingFinished.connect(self._odd)
        client.surface.connect(self._answered)
        client.finished.connect(self._run_ended)
        doc.replaced.connect(self._reset)
        doc.structureChanged.connect(self._fill)
        self._reset()

    # ---- choosing --------------------------------------------------------------------------------
    def _fill(self) -> None:
        """The directions this network offers, keeping the chosen ones where they remain."""
        numbers = _numbers(self.doc)
        net = self.doc.network
        self.picked = {name: text for name, text in self.picked.items() if _exists(net, name)}
        listed = {name for _, name in numbers}
        numbers += [(text, name) for name, text in self.picked.items() if name not in listed]
        kept = [box.currentData() for box in self.along]
        for k, box in enumerate(self.along):
            box.blockSignals(True)
            box.clear()
            box.addItem("Random direction", RANDOM)
            if k == 1:
                box.addItem("None (a curve over α)", CURVE)
            for text, name in numbers:
                box.addItem(text, name)
            box.blockSignals(False)
        whole = [name for _, name in numbers] if 0 < len(numbers) <= 2 else []
        for k, box in enumerate(self.along):
            wanted = kept[k] if box.findData(kept[k]) > 0 else (whole[k] if k < len(whole) else
                                                                CURVE if whole else RANDOM)
            box.setCurrentIndex(max(box.findData(wanted), 0))

    def pick(self, k: int) -> bool:
        """Direction k along the selected connection's weight, or the selected neuron's bias;
        False (and why) where neither is selected."""
        ids, pair = self.selection()
        net = self.doc.network
        if pair is not None:
            text, name = _weight(net, pair)
        elif len(ids) == 1 and net.neuron(ids[0]).role != "input":
            text, name = f"b {net.name_of(net.index(ids[0]))}", f"#{ids[0]}"
        else:
            self.status.setStyleSheet(PROBLEM_TEXT)
            self.status.setText("Select one connection (its weight) or one hidden or output "
                                "neuron (its bias) on the canvas first.")
            return False
        box = self.along[k]
        if box.findData(name) < 0:
            self.picked[name] = text
            box.addItem(text, name)
        box.setCurrentIndex(box.findData(name))
        self.status.setStyleSheet("")
        self.status.setText(f"{'αβ'[k]} along {text}.")
        return True

    def _odd(self) -> None:
        if self.points.value() % 2 == 0:
            self.points.setValue(self.points.value() + 1)

    # ---- asking and answering -------------------------------------------------------------------
    def compute(self) -> bool:
        """Asks the trainer for the slice; False (and why) where it cannot be asked."""
        job = self.job()
        if job is None:
            self.status.setText("Choose full MNIST's folder in the Training dock first.")
            return False
        self._odd()
        self.request += 1
        along = [box.currentData() for box in self.along if box.currentData() != CURVE]
        self.client.send("surface", {"request": self.request, "along": along, "seed": 0,
                                     "span": self.span.value(), "points": self.points.value(),
                                     "run": self.client.run, "cover_path": True}, job)
        self.compute_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(f"Computing {self.points.value() ** len(along):,} costs…")
        return True

    def _answered(self, reply: dict) -> None:
        if reply.get("request") != self.request:
            return  # asked for a network no longer open, or superseded
        self.compute_button.setEnabled(True)
        if "error" in reply:
            self.status.setStyleSheet(PROBLEM_TEXT)
            self.status.setText(reply["error"])
            return
        self.shown = reply
        self._draw(reply)

    def _run_ended(self, _reason: str) -> None:
        """A slice on show follows the run to where it ended."""
        if self.shown is not None and self.isVisible():
            self.compute()

    def _reset(self) -> None:
        self.request += 1
        self.picked = {}
        self.shown = None
        self.compute_button.setEnabled(True)
        self.status.setStyleSheet("")
        self.status.setText("Press Compute for the cost around the network's numbers.")
        if self.plot is not None:
            self.plot.clear()
        n = self.doc.network.n_connections
        self.points.setValue(next(p for most, p in POINTS_BY_SIZE if most is None or n <= most))
        self._fill()

    # ---- drawing ---------------------------------------------------------------------------------
    def _plot(self) -> pg.PlotWidget:
        if self.plot is None:
            self.plot = themed(pg.PlotWidget())
            self.plot.setMinimumHeight(200)
            self._plot_slot.addWidget(self.plot, 1)
            self.plot.show()  # at once: a layout shows a new child of a shown widget only later
        self.plot.clear()
        return self.plot

    def _draw(self, reply: dict) -> None:
        plot = self._plot()
        alphas, loss = np.asarray(reply["alphas"]), np.asarray(reply["loss"], dtype=float)
        path = np.asarray(reply["path"], dtype=float).reshape(-1, len(reply["along"]))
        finite = np.isfinite(loss)
        shown = np.where(finite, loss, np.nanmax(np.where(finite, loss, np.nan)))
        if reply["betas"] is None:
            plot.plot(alphas, shown, pen=pg.mkPen((40, 110, 200), width=2))
            if len(path):
                plot.plot(path[:, 0], np.interp(path[:, 0], alphas, shown), pen=None,
                          symbol="o", symbolSize=6, symbolBrush=(230, 120, 30))
            plot.plot([0.0], [reply["centre"]], pen=None, symbol="x", symbolSize=12,
                      symbolBrush=(200, 30, 30), symbolPen=(200, 30, 30))
        else:
            betas = np.asarray(reply["betas"])
            self._contours(plot, alphas, betas, shown)
            if len(path):
                plot.plot(path[:, 0], path[:, 1], pen=pg.mkPen((255, 255, 255), width=1.5),
                          symbol="o", symbolSize=4, symbolBrush=(230, 120, 30))
            plot.plot([0.0], [0.0], pen=None, symbol="x", symbolSize=12,
                      symbolPen=pg.mkPen((220, 30, 30), width=2))
        kept = f"; the path: {len(path)} kept steps" if len(path) else ""
        reach = float(alphas[-1])
        if reach > self.span.value():
            kept += f", span widened to {reach:.3g} to take it in"
        axes = "α across, C up" if reply["betas"] is None else "α across, β up; colours: log₁₀ C"
        self.status.setText(f"C = {reply['centre']:.6g} at the network's numbers (×){kept}. "
                            f"{axes}.")

    @staticmethod
    def _contours(plot: pg.PlotWidget, alphas: np.ndarray, betas: np.ndarray,
                  loss: np.ndarray) -> None:
        """log₁₀ C as an image with contour lines: costs far apart in size stay apart."""
        shown = np.log10(np.maximum(loss, 1e-12))
        image = pg.ImageItem(shown.T, axisOrder="row-major")  # rows: β, columns: α
        image.setColorMap(pg.colormap.get("viridis"))
        da, db = alphas[1] - alphas[0], betas[1] - betas[0]
        image.setRect(QRectF(alphas[0] - da / 2, betas[0] - db / 2, da * len(alphas),
                             db * len(betas)))
        plot.addItem(image)
        low, high = float(shown.min()), float(shown.max())
        for level in np.linspace(low, high, CONTOURS + 2)[1:-1] if high > low else []:
            line = pg.IsocurveItem(data=shown.T, level=level, pen=pg.mkPen((255, 255, 255, 110)),
                                   axisOrder="row-major")
            line.setParentItem(image)
        plot.getPlotItem().setRange(xRange=(alphas[0], alphas[-1]), yRange=(betas[0], betas[-1]),
                                    padding=0)
