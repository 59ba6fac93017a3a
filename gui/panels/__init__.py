"""The docks' contents. A dock behind another tab still says isVisible(); `shown` tells the truth,
so O(connections) work (histograms, decision maps) runs only for what the user can see."""
from PySide6.QtWidgets import QWidget


def shown(widget: QWidget) -> bool:
    return widget.isVisible() and not widget.visibleRegion().isEmpty()
