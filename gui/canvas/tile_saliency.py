"""Beside the 28×28 input tile on the canvas: what the answer rests on, ∂a_k/∂x of the answer k
and gradient × input (engine.backprop.saliency), two pictures side by side under the tile,
following the digit as it is fed or drawn. A back propagation costs 30 ms at 1.79 M
connections, so while a run changes the weights it is redrawn at most a share of the time."""
from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsSimpleTextItem

from engine.digits import input_tile
from gui.canvas.neuron_item import fitting
from gui.canvas.scene import NetworkScene
from gui.canvas.style import OUTLINE
from gui.panels.saliency import picture, tile_saliency

SHARE = 0.1         # of the window's time, at most, while the weights keep changing
SOON_MS = 30        # a burst of edits (a stroke on the pad) is one redraw
CAPTIONS = ("∂a_k/∂x", "gradient × input")


class TileSaliency(QObject):
    def __init__(self, scene: NetworkScene) -> None:
        super().__init__(scene)
        self.scene, self.doc = scene, scene.doc
        self.enabled = True
        self.values: tuple[np.ndarray, np.ndarray] | None = None
        self.pictures = [QGraphicsPixmapItem() for _ in CAPTIONS]
        self.captions = [QGraphicsSimpleTextItem(text) for text in CAPTIONS]
        for item, text in zip(self.pictures, CAPTIONS):
            item.setToolTip(f"{text} for the network's answer: blue where more ink would raise "
                            "its output, orange where it would lower it")
        for item in (*self.pictures, *self.captions):
            item.setZValue(-1)
            item.hide()
            scene.addItem(item)
        self._of = None  # the forward pass drawn
        self._cost = 0.0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.redraw)
        self.doc.traceChanged.connect(self._later)

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.redraw()

    def _later(self) -> None:
        if not self._timer.isActive():
            self._timer.start(max(SOON_MS, round(1000 * self._cost / SHARE)))

    def redraw(self) -> None:
        trace = self.doc.trace
        found = tile_saliency(self.doc) if self.enabled else None
        if found is None:
            self.values, self._of = None, None
            for item in (*self.pictures, *self.captions):
                item.hide()
            return
        if trace is self._of:
            return
        started = time.perf_counter()
        self._of = trace
        self.values = tuple(found[1:])
        net = self.doc.network
        self._place(net.pos[np.atleast_1d(net.index(input_tile(net).neurons))])
        self._cost = time.perf_counter() - started

    def _place(self, at: np.ndarray) -> None:
        """Side by side under the tile, each half its width: in view wherever the tile is."""
        left, (right, bottom) = at[:, 0].min(), at.max(0)
        gap = (right - left) / 27  # a pixel's pitch
        side = (right - left + gap) / 2 - gap
        for k, (item, caption, values) in enumerate(zip(self.pictures, self.captions, self.values)):
            pixmap = picture(values)
            item.setPixmap(pixmap)
            item.setScale(side / pixmap.width())
            x = left - gap / 2 + k * (side + 2 * gap)
            caption.setBrush(OUTLINE)  # as the canvas's own words, in either theme
            caption.setFont(fitting(caption.font(), max(CAPTIONS, key=len), side, largest=2 * gap))
            caption.setPos(x, bottom + 2 * gap)
            item.setPos(x, bottom + 2 * gap + caption.boundingRect().height())
            item.show()
            caption.show()
