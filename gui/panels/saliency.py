"""What an answer rests on: for the digit on the input tile, ∂a_k/∂x of the answer k and gradient
× input as 28×28 pictures, blue where more ink would raise a_k, orange where it would lower it
(engine.backprop.saliency)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from engine.backprop import saliency
from engine.digits import SIDE, input_tile
from gui.document import Document
from gui.panels.pictures import diverging

SCALE = 3


def picture(values: np.ndarray) -> QPixmap:
    """28×28 values centred on 0 (white), as far each way as the largest."""
    reach = float(np.abs(values).max()) or 1.0
    index = np.clip((values / reach + 1) * 127.5, 0, 255).astype(np.uint8).reshape(SIDE, SIDE)
    rgb = diverging().getLookupTable(nPts=256)[index][..., :3].astype(np.uint8)
    image = QImage(np.ascontiguousarray(rgb).tobytes(), SIDE, SIDE, 3 * SIDE,
                   QImage.Format.Format_RGB888)
    return QPixmap.fromImage(image.copy()).scaled(SIDE * SCALE, SIDE * SCALE)


_last: list = [None, None]  # the forward pass last worked out, and what it gave


def tile_saliency(doc: Document) -> tuple[int, np.ndarray, np.ndarray] | None:
    """The answer k, ∂a_k/∂x and gradient × input over the input tile, for the document's
    forward pass; None where there is no tile. Worked out once per forward pass however many
    views show it: a back propagation costs 30 ms at 784-1000-1000-10."""
    net, trace = doc.network, doc.trace
    if _last[0] is not trace:
        tile = input_tile(net)
        found = None
        if tile is not None and trace is not None and len(trace.plan.outputs):
            answer = int(trace.predicted()[0])
            grad, times_input = saliency(net, trace.a[0][trace.plan.inputs], answer, trace.plan)
            pixels = np.atleast_1d(net.index(tile.neurons))
            found = (answer, grad[pixels], times_input[pixels])
        _last[:] = trace, found
    return _last[1]


class SaliencyView(QWidget):
    def __init__(self, doc: Document) -> None:
        super().__init__()
        self.doc = doc
        self.title = QLabel()
        self.gradient, self.times_input = QLabel(), QLabel()
        self.gradient.setToolTip("∂a_k/∂x: how the answer's output a_k changes with each pixel. "
                                 "Blue: more ink there would raise it; orange: lower it.")
        self.times_input.setToolTip("Gradient × input: the pixels' ink weighted by that slope — "
                                    "where the ink that is there pushes the answer up or down.")
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title, 0, 0, 1, 2)
        for column, (label, text) in enumerate(((self.gradient, "∂a_k/∂x"),
                                                (self.times_input, "gradient × input"))):
            layout.addWidget(label, 1, column)
            caption = QLabel(text)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(caption, 2, column)
        self.values: tuple[np.ndarray, np.ndarray] | None = None
        self._of = None  # the forward pass the pictures show: an edit makes a new one

    def refresh(self, labels: list[str]) -> None:
        """For the digit now on the input tile (nothing where the network has none); once per
        forward pass, however many signals ask."""
        trace = self.doc.trace
        if trace is self._of:
            return
        self._of = trace
        found = tile_saliency(self.doc)
        if found is None:
            self.values = None
            self.title.setText("")
            self.gradient.clear()
            self.times_input.clear()
            return
        answer, *values = found
        self.values = tuple(values)
        self.title.setText(f"What the answer <b>{labels[answer]}</b> rests on:")
        self.gradient.setPixmap(picture(self.values[0]))
        self.times_input.setPixmap(picture(self.values[1]))
