"""Two digit widgets of the MNIST dock: a grid of test digits with the network's answers, and a
pad to draw a digit on."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


WRONG = QColor(192, 57, 43)
# captions in shades that keep 4.5:1 on the light theme's grey and on the dark theme's
RIGHT_ON_LIGHT = QColor(34, 110, 72)
WRONG_ON_DARK, PREDICTED_ON_DARK = QColor(255, 138, 128), QColor(104, 211, 145)


def caption_colours(background: QColor) -> tuple[QColor, QColor]:
    """A wrong answer's and a right answer's caption colour on this background."""
    return ((WRONG, RIGHT_ON_LIGHT) if background.lightness() > 128 else
            (WRONG_ON_DARK, PREDICTED_ON_DARK))


def digit_image(pixels: np.ndarray) -> QImage:
    """A 28×28 digit (ink in [0, 1]) as dark ink on white paper."""
    paper = (255 - np.clip(pixels, 0, 1).reshape(28, 28) * 255).astype(np.uint8)
    return QImage(paper.tobytes(), 28, 28, 28, QImage.Format.Format_Grayscale8).copy()


class DigitGrid(QWidget):
    """Digits in rows as wide as the widget, each with the answer and its confidence under it;
    wrong answers in red with a red frame. A click picks a digit."""
    picked = Signal(int)
    SCALE, CAPTION, PAD = 2, 15, 6

    def __init__(self) -> None:
        super().__init__()
        self.images: list[QImage] = []
        self.captions: list[str] = []
        self.wrong: list[bool] = []
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    @property
    def cell(self) -> QSize:
        side = 28 * self.SCALE
        return QSize(side + self.PAD, side + self.CAPTION + self.PAD)

    def columns(self) -> int:
        return max(1, self.width() // self.cell.width())

    def set_digits(self, pixels: np.ndarray) -> None:
        self.images = [digit_image(p) for p in pixels]
        self.captions, self.wrong = [""] * len(self.images), [False] * len(self.images)
        self._fit_height()
        self.update()

    def set_answers(self, captions: list[str], wrong: list[bool]) -> None:
        self.captions, self.wrong = captions, wrong
        self.update()

    def digit_rect(self, k: int) -> QRect:
        """Where digit k is drawn, its caption below it."""
        row, column = divmod(k, self.columns())
        side = 28 * self.SCALE
        return QRect(column * self.cell.width() + self.PAD // 2, row * self.cell.height() + self.PAD // 2,
                     side, side)

    def _fit_height(self) -> None:
        rows = -(-len(self.images) // self.columns())
        self.setFixedHeight(rows * self.cell.height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(6 * self.cell.width(), self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_height()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        font = painter.font()
        font.setPointSizeF(8.5)
        painter.setFont(font)
        wrong, right = caption_colours(self.palette().color(self.backgroundRole()))
        for k, image in enumerate(self.images):
            rect = self.digit_rect(k)
            painter.drawImage(rect, image)
            caption = QRect(rect.left() - 2, rect.bottom() + 1, rect.width() + 4, self.CAPTION)
            painter.setPen(wrong if self.wrong[k] else right)
            if self.wrong[k]:
                painter.drawRect(rect.adjusted(-1, -1, 0, 0))
            painter.drawText(caption, Qt.AlignmentFlag.AlignCenter, self.captions[k])
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        for k in range(len(self.images)):
            if self.digit_rect(k).contains(event.position().toPoint()):
                self.picked.emit(k)
                return


class DrawPad(QWidget):
    """Paper to draw a digit on with the mouse; says what was drawn as an ink array."""
    drawn = Signal(object)  # (rows, columns) ink in [0, 1]
    SIDE, PEN = 196, 15     # MNIST's strokes are ~2-3 px of 20: this pen at a digit ~140 px tall

    def __init__(self) -> None:
        super().__init__()
        self.paper = QImage(self.SIDE, self.SIDE, QImage.Format.Format_Grayscale8)
        self.paper.fill(255)
        self._last: QPointF | None = None
        self.setFixedSize(self.SIDE, self.SIDE)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def ink(self) -> np.ndarray:
        bits = np.frombuffer(self.paper.constBits(), np.uint8)
        rows = bits.reshape(self.SIDE, self.paper.bytesPerLine())[:, :self.SIDE]
        return 1.0 - rows / 255.0

    def clear(self) -> None:
        self.paper.fill(255)
        self.update()
        self.drawn.emit(self.ink())

    def _stroke(self, to: QPointF) -> None:
        painter = QPainter(self.paper)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(Qt.GlobalColor.black, self.PEN, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        painter.drawLine(self._last or to, to)
        painter.end()
        self._last = to
        self.update()
        self.drawn.emit(self.ink())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._last = None
            self._stroke(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._stroke(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._last = None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.drawImage(QPoint(0, 0), self.paper)
        painter.setPen(QColor(160, 160, 160))
        painter.drawRect(0, 0, self.SIDE - 1, self.SIDE - 1)
        painter.end()
