"""Every hidden and output neuron of a 2-input network pictures its activation over the input
plane inside its circle (TensorFlow Playground's best idea), following every change of the
weights, live while training; with more than two inputs, over the Boundary dock's slice. Small networks only: past MAX_NEURONS the pictures are too small
to read and the canvas shows activations as before."""
from __future__ import annotations

from functools import cache
from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QImage

from engine.datasets.features import raw_count
from engine.network import INPUT
from engine.trace import grid
from gui.canvas.scene import NetworkScene
from gui.plotting import pg

SIZE = 24          # pixels a side: the circle shows about this many
MAX_NEURONS = 200
REDRAW_MS = 50     # at most 20 redraws a second, however often the weights change


@cache
def plane_colours() -> pg.ColorMap:
    """Blue ↔ red through white, 0 ↔ 1 around 0.5: every map over the input plane, on the canvas
    and in the Decision boundary dock; read from pyqtgraph's files when first drawn (6 ms of
    start-up)."""
    return pg.colormap.get("CET-D1")


@cache
def plane_lut() -> np.ndarray:
    """plane_colours as 256 RGB rows, for images of values in [0, 1]."""
    return plane_colours().getLookupTable(0.0, 1.0, 256)[:, :3]


def picture(values: np.ndarray, lut: np.ndarray) -> QImage:
    """A SIZE×SIZE image of values in [0, 1] (0.5 white), bottom row first as the plane's y."""
    index = np.clip(np.nan_to_num(values) * 255, 0, 255).astype(np.uint8).reshape(SIZE, SIZE)[::-1]
    rgb = lut[index]
    argb = (0xFF000000 | (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8)
            | rgb[..., 2].astype(np.uint32))
    argb = np.ascontiguousarray(argb)
    return QImage(argb.data, SIZE, SIZE, 4 * SIZE, QImage.Format.Format_RGB32).copy()


class NeuronMaps(QObject):
    def __init__(self, scene: NetworkScene) -> None:
        super().__init__(scene)
        self.scene, self.doc = scene, scene.doc
        self.enabled = True
        # more than two inputs: the plane the Boundary dock slices through (its axes, and the
        # other inputs' values); the plain plane until a window says otherwise
        self.slice_of: Callable[[], tuple[tuple[int, int], np.ndarray | None]] = \
            lambda: ((0, 1), None)
        self._timer = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self.doc.traceChanged.connect(self._later)
        self.doc.settings.changed.connect(lambda keys: "dataset" in keys and self._later())

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.redraw()

    def applies(self) -> bool:
        net = self.doc.network
        return (self.enabled and 0 < net.n_neurons <= MAX_NEURONS and
                raw_count(self.doc.input_labels()) >= 2)

    def _later(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def redraw(self) -> None:
        net = self.doc.network
        if not self.applies():
            for item in self.scene.neurons.values():
                item.set_picture(None)
            return
        axes, fixed = self.slice_of()
        trace = grid(net, *self.doc.settings.plane(axes), SIZE, axes, fixed)
        for i, nid in enumerate(net.ids.tolist()):
            item = self.scene.neurons.get(nid)
            if item is not None:
                item.set_picture(None if net.role[i] == INPUT else picture(trace.a[:, i], plane_lut()))
