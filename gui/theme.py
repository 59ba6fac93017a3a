"""Light and dark themes: Qt's Fusion style with a palette."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

DARK = {
    QPalette.ColorRole.Window: QColor(45, 45, 48), QPalette.ColorRole.WindowText: QColor(230, 230, 230),
    QPalette.ColorRole.Base: QColor(30, 30, 32), QPalette.ColorRole.AlternateBase: QColor(45, 45, 48),
    QPalette.ColorRole.Text: QColor(230, 230, 230), QPalette.ColorRole.Button: QColor(55, 55, 58),
    QPalette.ColorRole.ButtonText: QColor(230, 230, 230), QPalette.ColorRole.Highlight: QColor(43, 108, 176),
    QPalette.ColorRole.HighlightedText: QColor(255, 255, 255), QPalette.ColorRole.ToolTipBase: QColor(60, 60, 64),
    QPalette.ColorRole.ToolTipText: QColor(230, 230, 230),
}
CANVAS = {False: QColor(250, 250, 247), True: QColor(205, 208, 212)}
PROBLEM = "#c0392b"                 # what is wrong, and the field it is wrong in
PROBLEM_TEXT = f"color: {PROBLEM}"


def mark(widget: QWidget, wrong: bool) -> None:
    """A red border on a field whose value was refused; none once it is right again."""
    name = widget.metaObject().className()
    widget.setStyleSheet(f"{name} {{ border: 2px solid {PROBLEM}; }}" if wrong else "")


def apply_theme(app: QApplication, dark: bool) -> None:
    # once: setting a style again replaces the style object under every widget, and under a
    # widget waiting for deletion (a closed window's cell editor) that crashed Qt
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    palette = app.style().standardPalette()
    if dark:
        for role, colour in DARK.items():
            palette.setColor(role, colour)
    app.setPalette(palette)
