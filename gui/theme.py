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
# what a disabled field or button shows in the dark theme: without it Fusion drew Pause and Stop
# of a stopped run, and Back and Next, exactly as enabled ones
DARK_DISABLED = {
    QPalette.ColorRole.WindowText: QColor(125, 125, 128), QPalette.ColorRole.Text: QColor(125, 125, 128),
    QPalette.ColorRole.ButtonText: QColor(120, 120, 124), QPalette.ColorRole.Button: QColor(45, 45, 48),
    QPalette.ColorRole.Base: QColor(40, 40, 43), QPalette.ColorRole.Light: QColor(45, 45, 48),
}
# Fusion's bevels and a checked tool button's sunken face come from these
DARK_SHADES = {
    QPalette.ColorRole.Light: QColor(80, 80, 84), QPalette.ColorRole.Midlight: QColor(65, 65, 68),
    QPalette.ColorRole.Mid: QColor(38, 38, 40), QPalette.ColorRole.Dark: QColor(25, 25, 27),
    QPalette.ColorRole.Shadow: QColor(10, 10, 10),
}
# a checked toggle (Select, Input neuron, …, Learn One Sample) shows plainly in both themes
CHECKED = ("QToolBar { background: palette(window); border: none; }"
           " QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);"
           " border-radius: 3px; }")
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
        for role, colour in {**DARK, **DARK_SHADES}.items():
            palette.setColor(role, colour)
        for role, colour in DARK_DISABLED.items():
            palette.setColor(QPalette.ColorGroup.Disabled, role, colour)
    app.setPalette(palette)


def contrast(a: QColor, b: QColor) -> float:
    """WCAG's contrast ratio of two colours (1 to 21; text wants 4.5 or more)."""
    def lum(c: QColor) -> float:
        channels = [v / 255 for v in (c.red(), c.green(), c.blue())]
        r, g, b_ = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
