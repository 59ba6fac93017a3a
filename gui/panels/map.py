"""The Map dock: a hidden layer's activations over the test samples, projected to 2-D by PCA
(engine.projection), each point in its class's colour. Samples the layer sees alike lie close;
as the network learns, the classes pull apart. Hover a point to see its sample, click it to put
it on the inputs. Worked out a chunk at a time, between the window's other work; by the trainer
process where that would cost the window too much (full MNIST's 10,000 test digits, a network of
a million connections); t-SNE (with scikit-learn installed) in a process of its own."""
from __future__ import annotations

import multiprocessing
import time
from multiprocessing.connection import Connection
from typing import Callable

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from engine.datasets import Dataset
from engine.datasets.features import arrange, fit_inputs, labels_of
from engine.datasets.mnist import load_test
from engine.datasets.registry import load
from engine.errors import EngineError
from engine.projection import (TSNE_MISSING, Projection, activations_of, hidden_levels, pca,
                               plane_grid, tsne_available, tsne_beside)
from engine.trace import forward
from gui.document import Document
from gui.panels import shown
from gui.panels.chunked import Chunked
from gui.panels.digits import digit_image
from gui.plotting import pg, themed
from gui.runs import COLOURS
from gui.theme import PROBLEM_TEXT
from gui.training_settings import data_key
from gui.trainer_ask import TrainerAsk
from gui.training_worker import TrainingClient

CHUNK_WORK = 20e6  # multiply-adds a chunk: ~10-30 ms here
SHARE = 0.1        # of the time, at most, the map takes while the weights keep changing
# past this many multiply-adds a map (1,000 samples through 784-1000-1000-10: 1.8 G, 2 s of the
# window's time) the trainer process maps, at most this share of its time
FAR_WORK = 1e9
FAR_SHARE = 0.03
SETTLE_MS = 150
METHODS = {"pca": "PCA", "tsne": "t-SNE"}


class MapPanel(QWidget):
    picked = Signal(object)  # a test sample's inputs, clicked on the map

    def __init__(self, doc: Document, client: TrainingClient, job: Callable[..., dict | None],
                 folder: Callable[[], str]) -> None:
        """client and job: the trainer process, and what it is to map (the Training dock's);
        folder: full MNIST's, as the Training dock has it."""
        super().__init__()
        self.doc, self.folder = doc, folder
        self.asking = TrainerAsk(client, job, "map", client.map, self._changed, self)
        self.data_args: dict = {"name": "xor"}
        self._data: tuple[tuple, Dataset] | None = None
        self.projection: Projection | None = None
        self.classes = np.zeros(0, np.int64)
        self.layer = QComboBox()
        self.layer.setToolTip("The hidden level whose activations are mapped")
        self.method = QComboBox()
        for key, text in METHODS.items():
            self.method.addItem(text, key)
        self.method.setToolTip("PCA: the two directions along which the activations vary most, "
                               "live. t-SNE: near points are samples the layer sees alike (the "
                               "distances between clusters mean little); seconds a map, in a "
                               "process of its own. It needs scikit-learn (pip install "
                               "'neurocanvas[maps]')")
        # a t-SNE out: its process, the pipe it answers on, and when it was asked
        self._pending: tuple[multiprocessing.Process, Connection, float] | None = None
        self._stale = False  # the t-SNE out is of a map no longer shown
        self._queued: np.ndarray | None = None  # activations waiting for the t-SNE out
        self._waiting = QTimer(self, interval=100)
        self._waiting.timeout.connect(self._tsne_done)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.sample = QLabel()
        self.sample.setFixedSize(56, 56)
        self.sample.setToolTip("The sample under the mouse")
        top = QHBoxLayout()
        top.addWidget(QLabel("Layer:"))
        top.addWidget(self.layer, 1)
        top.addWidget(self.method)
        top.addWidget(self.sample)
        # made when the dock first shows: pyqtgraph is not imported before the window's first
        # paint (bench/startup.py)
        self.plot: pg.PlotWidget | None = None
        self.points = None
        self.grid: list = []  # the input plane's grid, bent by the layer
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.note)
        self._cost = 0.0
        self._working = Chunked(self, self._show)
        doc.structureChanged.connect(self._working.stop)  # its plan is the last structure's
        self._settle = QTimer(self, singleShot=True)
        self._settle.timeout.connect(self.refresh)
        self.layer.currentIndexChanged.connect(lambda _i: self.refresh())
        self.method.activated.connect(self._method_chosen)
        self.asking.answered.connect(self._far_answered)
        for signal in (doc.structureChanged, doc.neuronsChanged, doc.weightsChanged,
                       doc.biasesChanged):
            signal.connect(self._changed)
        doc.structureChanged.connect(self._fill)
        doc.replaced.connect(self._new_network)
        doc.replaced.connect(self._fill)
        self._fill()

    def _new_network(self) -> None:
        """Nothing of the last network stays, nor the wait its maps' cost set."""
        self._say("")
        self._cost = 0.0
        self._settle.stop()
        self.asking.forget()  # a map the trainer still works on is of the last network

    def set_dataset(self, args: dict) -> None:
        self.data_args = args
        self._changed()

    # ---- what to map ---------------------------------------------------------------------------
    def _fill(self) -> None:
        levels = hidden_levels(self.doc.network, self.doc.plan())
        kept = self.layer.currentIndex()
        self.layer.blockSignals(True)
        self.layer.clear()
        for k, neurons in enumerate(levels):
            self.layer.addItem(f"Hidden level {k + 1} ({len(neurons):,} neurons)")
        self.layer.setCurrentIndex(kept if 0 <= kept < len(levels) else 0)
        self.layer.blockSignals(False)
        self._changed()

    def data(self) -> Dataset:
        """The test samples mapped: the chosen data set's, as the network reads it (full MNIST's
        10,000 test digits alone, from the Training dock's folder)."""
        args = {**self.data_args}
        key = data_key(args)
        if self._data is None or self._data[0] != key:
            found = (load_test(self.folder().strip() or None) if args.get("name") == "mnist" else
                     load(**{k: v for k, v in args.items() if k != "data_dir"}))
            self._data = (key, found)
        return fit_inputs(self._data[1], labels_of(self.doc.network))

    def far(self) -> bool:
        """Whether the trainer process maps: full MNIST, or a network too big for the window."""
        return (self.data_args.get("name") == "mnist" or
                self.doc.plan().work * 1000 > FAR_WORK)

    # ---- working it out ------------------------------------------------------------------------
    def _changed(self) -> None:
        if not self._settle.isActive():
            share = FAR_SHARE if self.far() else SHARE
            self._settle.start(max(SETTLE_MS, round(1000 * self._cost / share)))

    def _make_plot(self) -> None:
        if self.plot is not None:
            return
        self.plot = themed(pg.PlotWidget())
        self.plot.setToolTip("Each test sample's activations in the layer, on the two directions "
                             "along which they vary most (PCA). Hover: the sample; click: put it "
                             "on the inputs.")
        self.points = pg.ScatterPlotItem(size=6, pen=None, hoverable=True)
        self.points.sigClicked.connect(self._clicked)
        self.points.sigHovered.connect(self._hovered)
        self.plot.addItem(self.points)
        self.layout_.addWidget(self.plot, 1)

    def refresh(self) -> None:
        """Starts a new map of the network as it is (nothing while the dock is hidden)."""
        if not shown(self):
            return
        self._make_plot()
        levels = hidden_levels(self.doc.network, self.doc.plan())
        if not levels:
            return self._say("The map shows a hidden layer: this network has none.")
        try:
            data = self.data()
        except EngineError as e:
            return self._say(f"No samples to map: {e}")
        if data.x_test.shape[1] != len(self.doc.plan().inputs) or not len(data.x_test):
            return self._say("The data set's samples do not fit this network's inputs.")
        net = self.doc.network
        neurons = levels[min(self.layer.currentIndex(), len(levels) - 1)]
        self._samples, self._neurons = data, neurons
        if self.far() and self.method.currentData() == "pca":
            return self._ask_far()
        chunk = max(16 if self.doc.plan().work < 1e6 else 1,
                    int(CHUNK_WORK / max(self.doc.plan().work, 1)))
        self._started = time.perf_counter()
        self._working.start(activations_of(net, data.x_test, neurons, self.doc.plan(), chunk))

    def _say(self, text: str) -> None:
        self._working.stop()
        self._stale, self._queued = self._pending is not None, None  # of what was shown
        self.projection = None
        if self.plot is not None:
            self.points.setData([])
            self._clear_grid()
        self.note.setText(text)

    def _method_chosen(self) -> None:
        if self.method.currentData() == "tsne" and not tsne_available():
            self.method.setCurrentIndex(self.method.findData("pca"))
            self.refresh()
            self.note.setText(TSNE_MISSING)  # after refresh: the map stays, the reason shows
            self.note.setStyleSheet(PROBLEM_TEXT)
            return
        self.refresh()

    def _show(self, a: np.ndarray) -> None:
        self._cost = time.perf_counter() - self._started
        self.note.setStyleSheet("")
        self._clear_grid()
        if self.method.currentData() == "tsne":
            self._tsne(a)
            return
        self.projection = pca(a)
        self._draw(self.projection.coords)
        self._show_grid()
        first, second = (100 * self.projection.explained).round(0)
        bent = " Lines: the input plane's grid, as the layer bends it." if self.grid else ""
        self.note.setText(f"{len(a):,} test samples; the two directions hold {first:.0f}% and "
                          f"{second:.0f}% of the layer's variance. Colours: the true class.{bent}")

    def _draw(self, coords: np.ndarray) -> None:
        """One brush per class, shared by its points: a brush of each point's own made
        pyqtgraph draw 10,000 digits' symbols one by one."""
        self.classes = np.asarray(self._samples.labels_test)[:len(coords)]
        made = [pg.mkBrush(colour) for colour in COLOURS]
        brushes = [made[c % len(made)] for c in self.classes.tolist()]
        self.points.setData(pos=coords, brush=brushes, data=np.arange(len(coords)))

    # ---- the trainer's map -----------------------------------------------------------------------
    def _ask_far(self) -> None:
        """Asks the trainer process for the map (one at a time: a change while one is out asks
        again when it is back)."""
        if not self.asking.ask({"level": self.layer.currentIndex()}):
            return self._say("Choose full MNIST's folder in the Training dock first.")
        if self.projection is None:
            self.note.setText(f"Mapping {len(self._samples.x_test):,} test samples in the trainer "
                              "process…")

    def _far_answered(self, reply: dict) -> None:
        if "error" in reply:
            return self._say(reply["error"])
        self._cost = reply["seconds"]  # the trainer's: a run waits meanwhile
        coords = np.asarray(reply["coords"])
        self.projection = Projection(coords, np.zeros((2, 0)), np.zeros(0),
                                     np.asarray(reply["explained"]))
        self._clear_grid()
        self._draw(coords)
        first, second = (100 * self.projection.explained).round(0)
        self.note.setText(f"{len(coords):,} test samples, mapped by the trainer process; the two "
                          f"directions hold {first:.0f}% and {second:.0f}% of the layer's "
                          "variance. Colours: the true class.")

    # ---- t-SNE, beside the window ------------------------------------------------------------
    def _tsne(self, a: np.ndarray) -> None:
        """Hands the activations to a spawned process (the window's Qt never forks), one map at
        a time: the newest activations wait for the one out."""
        if self._pending is not None:
            self._queued = a
            return
        context = multiprocessing.get_context("spawn")
        mine, theirs = context.Pipe(duplex=False)
        process = context.Process(target=tsne_beside, args=(theirs, a), daemon=True)
        process.start()
        theirs.close()
        self._pending = (process, mine, time.perf_counter())
        self._waiting.start()
        self.note.setText(f"t-SNE of {len(a):,} test samples, in a process of its own…")

    def _tsne_done(self) -> None:
        if self._pending is None or not self._pending[1].poll():
            return
        process, conn, asked = self._pending
        try:
            coords, why = conn.recv()
        except EOFError:  # it died: out of memory, killed
            coords, why = None, f"t-SNE stopped (exit code {process.exitcode}); PCA still works"
        conn.close()
        process.join()
        self._waiting.stop()
        self._pending = None
        # the window's share is not spent on it, but a core is: asked again as rarely as PCA's
        self._cost = max(self._cost, time.perf_counter() - asked)
        stale, queued, self._stale, self._queued = self._stale, self._queued, False, None
        if self.method.currentData() != "tsne":
            return
        if queued is not None:
            self._tsne(queued)
            return
        if stale:
            return
        if why:
            self.note.setText(why)
            self.note.setStyleSheet(PROBLEM_TEXT)
            return
        self.projection = None  # no directions to place other points on
        self._draw(coords)
        self.note.setText(f"t-SNE of {len(coords):,} test samples: near points are samples the "
                          "layer sees alike; the distances between clusters mean little. "
                          "Colours: the true class.")

    def stop(self) -> None:
        """The window closes: a t-SNE still at work is not waited for."""
        self._waiting.stop()
        if self._pending is not None:
            process, conn, _ = self._pending
            process.terminate()
            process.join()
            conn.close()
            self._pending = None

    def _clear_grid(self) -> None:
        for line in self.grid:
            self.plot.removeItem(line)
        self.grid = []

    def _show_grid(self) -> None:
        """For a network that reads the plane: its grid lines, through the layer, on the map."""
        self._clear_grid()
        if not self.doc.reads_plane():
            return
        net, plan = self.doc.network, self.doc.plan()
        lines = plane_grid(*self.doc.settings.plane())
        xy = arrange(np.concatenate(lines), self.doc.input_labels())
        placed = self.projection.place(forward(net, xy, plan).a[:, self._neurons])
        pen = pg.mkPen((128, 128, 128, 150), width=1)
        for k in range(len(lines)):
            line = pg.PlotDataItem(placed[k * len(lines[0]):(k + 1) * len(lines[0])], pen=pen)
            line.setZValue(-1)  # under the samples
            self.plot.addItem(line)
            self.grid.append(line)

    # ---- the mouse -----------------------------------------------------------------------------
    def _hovered(self, _item, points, _event) -> None:
        if not len(points) or self._data is None:
            self.sample.clear()
            return
        k = int(points[0].data())
        x = self._samples.x_test[k]
        if self._samples.image_shape is not None:
            self.sample.setPixmap(QPixmap.fromImage(digit_image(x)).scaled(56, 56))
        self.sample.setToolTip(f"Test sample {k + 1}: class {self.classes[k]}")

    def _clicked(self, _item, points, _event) -> None:
        if len(points):
            self.picked.emit(self._samples.x_test[int(points[0].data())])
