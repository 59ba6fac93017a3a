"""Export the canvas as a PNG picture or an SVG drawing."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsScene

MARGIN = 20.0
PNG_SCALE = 2.0  # pixels per canvas unit, for a sharp picture


FORMATS = (".png", ".svg")


def with_extension(path: str, chosen_filter: str) -> str:
    """A name typed without an extension gets the one of the chosen file type."""
    return path if Path(path).suffix else path + (".svg" if "svg" in chosen_filter.lower() else ".png")


def export_image(scene: QGraphicsScene, path: str) -> str | None:
    """Writes the whole network; returns why it failed, or None."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        return (f"{Path(path).name}: NeuroCanvas writes pictures as .png or .svg, not "
                f"{suffix or 'a file without an extension'}")
    rect = scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    if suffix == ".svg":
        svg = QSvgGenerator()
        svg.setFileName(path)
        svg.setSize(QSize(round(rect.width()), round(rect.height())))
        svg.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        svg.setTitle("NeuroCanvas network")
        painter = QPainter(svg)
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
        return None
    image = QImage(QSize(round(rect.width() * PNG_SCALE), round(rect.height() * PNG_SCALE)),
                   QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    writer = QImageWriter(path, b"png")
    return None if writer.write(image) else f"could not write {path}: {writer.errorString()}"
