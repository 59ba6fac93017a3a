"""What a selected feature-map unit reads, and what a selected kernel weight stands for, drawn
over the tiles: a unit's window on the layer below with a line from each of its units; a kernel
weight's connections, one line each from the input it reads to the unit of its map."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from engine.build import PIXEL
from engine.network import Network
from engine.receptive import field, shared
from gui.canvas.style import SELECTED
from gui.plotting import pg

LINE = QColor(SELECTED.red(), SELECTED.green(), SELECTED.blue(), 90)


class FieldItem(QGraphicsPathItem):
    def __init__(self) -> None:
        super().__init__()
        self.setZValue(3)  # over the tiles and the lines
        self.setPen(QPen(SELECTED, 0))
        self.lines = QGraphicsPathItem(self)
        self.lines.setPen(QPen(LINE, 0))
        self.count = 0  # connections drawn: the window's, or those the weight stands for

    def show_unit(self, net: Network, nid: int | None) -> None:
        """A unit's pixel and its window, each of the window's units joined to it."""
        found = None if nid is None else field(net, nid)
        if found is None:
            self.clear()
            return
        here = net.pos[net.index(nid)]
        at = net.pos[net.index(found.sources)]
        self._draw([here], at, np.tile(here, (len(at), 1)))

    def show_weight(self, net: Network, conn: int | None) -> None:
        """Every connection a kernel weight stands for: its map's units, each joined to the
        input it reads through that weight."""
        found = None if conn is None else shared(net, conn)
        if found is None:
            self.clear()
            return
        _, units, inputs = found
        self._draw([], net.pos[net.index(inputs)], net.pos[net.index(units)])

    def clear(self) -> None:
        self.setPath(QPainterPath())
        self.lines.setPath(QPainterPath())
        self.count = 0

    def _draw(self, marked: list, start: np.ndarray, end: np.ndarray) -> None:
        outline = QPainterPath()
        for x, y in [*marked, *start.tolist()]:  # each unit's pixel, framed
            outline.addRect(QRectF(x - PIXEL / 2, y - PIXEL / 2, PIXEL, PIXEL))
        self.setPath(outline)
        xs = np.column_stack([start[:, 0], end[:, 0]]).ravel()
        ys = np.column_stack([start[:, 1], end[:, 1]]).ravel()
        self.lines.setPath(pg.arrayToQPath(xs, ys, connect="pairs"))
        self.count = len(start)
