"""One neuron on the canvas: a circle filled by its activation a, its activation's glyph inside
(or, for a 2-input network, a picture of its activation over the input plane), the bias above
and the label below; a handle on the right edge starts a connection. A neuron of
an image layer (a 28×28 input) is drawn as one pixel of that image instead."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen,
                           QPixmap, QTransform)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from engine.explain import number
from engine.build import PIXEL
from gui.canvas.style import (OUTLINE, PORT, POSITIVE, PREDICTED, RADIUS, SELECTED, SHADES, WHITE,
                              activation_fill, mix, paint_lock)

TEXT_LIGHT_FROM = 0.55  # fill strength past which the glyph turns white
DOT_BELOW_PX = 8        # level of detail (NodeGraphQt's idea): on-screen diameters below which
BAR = 34                # the output bar's full length, inside the bounding rectangle
TEXT_BELOW_PX = 20      # a neuron is a plain dot, or drops its text
ROUND_MAX_PX = 512      # a picture's round pixmap at most this wide (deep zoom scales it up)


Z_WIDTH = 34.0          # a z's number fits this wide: the circle's chord at its line
PIXEL_RECT = QRectF(-PIXEL / 2, -PIXEL / 2, PIXEL, PIXEL)
BODY_RECT = QRectF(-RADIUS - 40, -RADIUS - 18, 2 * RADIUS + 80, 2 * RADIUS + 38)


def fitting(font: QFont, text: str, width: float, largest: float = 7.5) -> QFont:
    """The font at the largest size up to `largest` points in which text is at most width wide."""
    sized = QFont(font)
    sized.setPointSizeF(largest)
    wide = QFontMetricsF(sized).horizontalAdvance(text)
    if wide > width:
        sized.setPointSizeF(largest * width / wide)
    return sized


def looks(values: np.ndarray) -> np.ndarray:
    """What NeuronItem._look tells apart, for many values at once: the fill's palette and shade
    and whether the glyph turns white (inputs also show their number; compare those one by one).
    Values with equal keys look the same, so a snapshot repaints only neurons whose key changed."""
    t = np.abs(values)
    with np.errstate(invalid="ignore"):
        shade = np.where(t < 1, np.floor(np.minimum(t, 1) * (SHADES - 1) + 0.5), SHADES - 1)
    return shade + SHADES * (values >= 0) + 2 * SHADES * (t >= TEXT_LIGHT_FROM)


class NeuronItem(QGraphicsItem):
    def __init__(self, nid: int) -> None:
        super().__init__()
        self.nid = nid
        # no role until the scene sets one, so a new item always gets its looks
        self.role, self.glyph, self.label, self.bias, self.a = "", "", "", 0.0, 0.0
        self.pixel = False
        self.predicted = False  # the largest of the outputs: the network's answer
        self.truth = False      # the class of the sample on the inputs, when it is known
        self.reveal: str | None = None  # animation: "blank" (not reached yet), "z", or None (a)
        self.z = 0.0
        self.frozen = False  # its bias (and incoming weights) are left alone by training
        self.bias_shown = True  # its "b = …" label: another number may take its place
        self.picture: QImage | None = None  # its activation over the input plane (neuron_maps)
        self._round: tuple[tuple[int, int], QPixmap] | None = None  # the picture as drawn
        flags = QGraphicsItem.GraphicsItemFlag
        self.setFlags(flags.ItemIsMovable | flags.ItemIsSelectable | flags.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)

    def set_info(self, role: str, glyph: str, label: str, bias: float, frozen: bool) -> None:
        info = (role, glyph, label, bias, frozen)
        if info != (self.role, self.glyph, self.label, self.bias, self.frozen):
            # the bounding rect depends on `pixel` only: no prepareGeometryChange, which made
            # the scene re-index 2,794 items for every snapshot's new biases
            self.role, self.glyph, self.label, self.bias, self.frozen = info
            self.update()

    def set_picture(self, picture: QImage | None) -> None:
        if picture is not None or self.picture is not None:
            self.picture = picture
            self._round = None
            self.update()

    def set_pixel(self, pixel: bool) -> None:
        if pixel != self.pixel:
            self.prepareGeometryChange()
            self.pixel = pixel
            self.setZValue(0.5 if pixel else 1)
            # a pixel changes with the sample only: pulses and lines over it, repainted 25
            # times a second while the forward pass plays, blit its cached square instead of
            # calling paint for each of 784 (a whole-network repaint of 784-32-10: 8.3 -> 6.7 ms)
            self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache if pixel else
                              QGraphicsItem.CacheMode.NoCache)

    def set_value(self, a: float, z: float | None = None) -> None:
        """Repaints only when what is drawn changes: while a big network trains, most neurons'
        colours stay in the same shade between snapshots (128k repaints in 12 s before)."""
        if a == self.a and (z is None or z == self.z):
            return
        before = self._look()
        self.a = a
        self.z = self.z if z is None else z
        if self._look() != before or self.reveal == "z":
            self.update()

    def set_predicted(self, predicted: bool) -> None:
        if predicted != self.predicted:
            self.predicted = predicted
            self.update()

    def set_bias_shown(self, on: bool) -> None:
        if on != self.bias_shown:
            self.bias_shown = on
            self.update()

    def set_truth(self, truth: bool) -> None:
        if truth != self.truth:
            self.truth = truth
            self.update()

    def keep_value(self, a: float) -> None:
        """A new value that looks the same as the last one (see looks): no repaint."""
        self.a = a

    def _look(self) -> tuple:
        shown = number(self.a) if self.role == "input" else None
        return activation_fill(self.a).rgb(), abs(self.a) >= TEXT_LIGHT_FROM, shown

    def set_reveal(self, reveal: str | None) -> None:
        if reveal != self.reveal:
            self.reveal = reveal
            self.update()

    def has_port(self) -> bool:
        return self.role != "output" and not self.pixel

    def port_center(self) -> QPointF:
        return QPointF(RADIUS, 0.0)

    def on_port(self, local: QPointF) -> bool:
        d = local - self.port_center()
        return self.has_port() and d.x() ** 2 + d.y() ** 2 <= (PORT + 3) ** 2

    def boundingRect(self) -> QRectF:
        return PIXEL_RECT if self.pixel else BODY_RECT  # asked three times a paint: made once

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if self.pixel:
            path.addRect(self.boundingRect())
        else:
            path.addEllipse(QPointF(0, 0), RADIUS + PORT, RADIUS + PORT)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        fill = activation_fill(self.a) if self.reveal is None else WHITE
        if self.pixel:
            painter.fillRect(self.boundingRect(), SELECTED if self.isSelected() else fill)
            return
        body = QRectF(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS)
        on_screen = option.levelOfDetailFromTransform(painter.worldTransform()) * 2 * RADIUS
        if on_screen < DOT_BELOW_PX:  # a few pixels wide: a dot says as much, far faster
            painter.fillRect(body, SELECTED if self.isSelected() else fill)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(SELECTED if self.isSelected() else PREDICTED if self.predicted else OUTLINE,
                   3.0 if self.isSelected() or self.predicted else 1.5)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        if self.role == "input":
            painter.drawRoundedRect(body, 8, 8)
        else:
            if self.picture is not None and self.reveal is None:  # it covers the fill
                self._paint_picture(painter, body)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(body)
            if self.role == "output":
                painter.drawEllipse(body.adjusted(4, 4, -4, -4))
        if self.has_port():
            painter.setBrush(QBrush(mix(WHITE, OUTLINE, 0.3)))
            painter.setPen(QPen(OUTLINE, 1))
            painter.drawEllipse(self.port_center(), PORT, PORT)
        if on_screen < TEXT_BELOW_PX:  # text too small to read
            return
        font = QFont(painter.font())
        font.setPointSizeF(9)
        painter.setFont(font)
        strong = abs(self.a) >= TEXT_LIGHT_FROM and self.reveal is None
        painter.setPen(WHITE if strong else OUTLINE)
        # an output with a short label (a class: "7") shows it inside, its activation beside it
        named = self.role == "output" and 0 < len(self.label) <= 3
        inner = number(self.a) if self.role == "input" else self.label if named else (
            "" if self.picture is not None else self.glyph)  # the picture says more
        if self.reveal == "z":  # two short lines that fit the circle, not one that overflows it
            inner = f"z\n{number(round(self.z, 2))}"
            painter.setFont(fitting(font, inner.split("\n")[1], Z_WIDTH))
        elif self.reveal == "blank":
            inner = ""
        painter.drawText(body, Qt.AlignmentFlag.AlignCenter, inner)
        painter.setFont(font)
        painter.setPen(OUTLINE)
        if self.role != "input" and self.bias_shown:
            painter.drawText(QRectF(-60, -RADIUS - 18, 120, 16), Qt.AlignmentFlag.AlignCenter,
                             f"b = {number(self.bias)}")
        if self.label and not named:
            painter.drawText(QRectF(-60, RADIUS + 2, 120, 16), Qt.AlignmentFlag.AlignCenter, self.label)
        if self.role == "output" and self.reveal is None:
            self._paint_bar(painter)
        if self.frozen:  # at the top left: training leaves this neuron's numbers as set
            paint_lock(painter, -RADIUS - 4, -RADIUS - 6)
        if self.truth:  # a dashed ring around it: what it should answer
            pen = QPen(PREDICTED, 2.0, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), RADIUS + 5, RADIUS + 5)

    def _paint_picture(self, painter: QPainter, body: QRectF) -> None:
        """The picture in the circle, from a round pixmap made once per picture and zoom: a
        clip path and a scaled image at every paint took half of a neuron's paint (py-spy)."""
        scale = painter.worldTransform().m11() * painter.device().devicePixelRatioF()
        side = min(max(1, round(body.width() * scale)), ROUND_MAX_PX)
        key = (self.picture.cacheKey(), side)
        if self._round is None or self._round[0] != key:
            pixmap = QPixmap(side, side)
            pixmap.fill(Qt.GlobalColor.transparent)
            on = QPainter(pixmap)
            on.setRenderHint(QPainter.RenderHint.Antialiasing)
            on.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            brush = QBrush(self.picture)
            brush.setTransform(QTransform.fromScale(side / self.picture.width(),
                                                    side / self.picture.height()))
            on.setPen(Qt.PenStyle.NoPen)
            on.setBrush(brush)
            on.drawEllipse(QRectF(0, 0, side, side))
            on.end()
            self._round = (key, pixmap)
        painter.drawPixmap(body, self._round[1], QRectF(0, 0, side, side))

    def _paint_bar(self, painter: QPainter) -> None:
        """The output's activation as a bar beside it (a probability, for softmax outputs)."""
        share = min(max(self.a, 0.0), 1.0) if np.isfinite(self.a) else 0.0
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(mix(WHITE, OUTLINE, 0.15)))
        painter.drawRect(QRectF(RADIUS + 3, -4, BAR, 8))
        painter.setBrush(QBrush(PREDICTED if self.predicted else POSITIVE))
        painter.drawRect(QRectF(RADIUS + 3, -4, BAR * share, 8))
        painter.setPen(OUTLINE)
        painter.drawText(QRectF(RADIUS + 3, -18, BAR, 13), Qt.AlignmentFlag.AlignCenter,
                         f"{100 * share:.0f}%")

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged and self.scene():
            self.scene().neuron_moved(self)
        return super().itemChange(change, value)
