"""The docks' contents. A dock behind another tab still says isVisible(); `shown` tells the truth,
so O(connections) work (histograms, decision maps) runs only for what the user can see."""
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QBoxLayout, QWidget


def shown(widget: QWidget) -> bool:
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def orient(layout: QBoxLayout, size: QSize) -> None:
    """Plots side by side in a wide dock, one under another in a tall one (the dock column)."""
    wide = size.width() >= 1.5 * size.height()
    direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
    if layout.direction() != direction:
        layout.setDirection(direction)
