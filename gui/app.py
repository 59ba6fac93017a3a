"""Starting the window: `neurocanvas [net.json]`."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from gui.edit_ops import release_clipboard
from gui.main_window import MainWindow


def make_window(argv: list[str]) -> MainWindow:
    """The main window, shown, with the file named on the command line open."""
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("NeuroCanvas")
    app.setOrganizationName("NeuroCanvas")
    app.aboutToQuit.connect(release_clipboard)
    window = MainWindow()
    window.show()
    files = [a for a in argv if not a.startswith("-")]
    if files:
        window.open_path(files[0])
    return window


def run(argv: list[str]) -> int:
    window = make_window(argv)
    return QApplication.instance().exec() if window else 1
