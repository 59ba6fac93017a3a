"""Renders resources/icons/neurocanvas.svg into the PNG sizes desktops ask for:
`python -m resources.make_icons` (offscreen Qt is enough)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).parent / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (Qt needs one)
    svg = QSvgRenderer(str(HERE / "neurocanvas.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        svg.render(painter)
        painter.end()
        image.save(str(HERE / f"neurocanvas-{size}.png"))


if __name__ == "__main__":
    main()
