"""Starting the window: `neurocanvas [net.json]`."""
from __future__ import annotations

import sys
import traceback
from importlib import resources
from types import TracebackType

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from gui.edit_ops import release_clipboard
from gui.main_window import MainWindow


def make_window(argv: list[str]) -> MainWindow:
    """The main window, shown, with the file named on the command line open."""
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("NeuroCanvas")
    app.setOrganizationName("NeuroCanvas")
    app.setDesktopFileName("neurocanvas")  # the menu entry --install-desktop writes
    app.setWindowIcon(QIcon(str(resources.files("resources") / "icons" / "neurocanvas-256.png")))
    app.aboutToQuit.connect(release_clipboard)
    window = MainWindow()
    install_error_dialog(window)
    window.show()
    files = [a for a in argv if not a.startswith("-")]
    if files:
        window.open_path(files[0])
    return window


def install_error_dialog(window: MainWindow) -> None:
    """The last resort: an exception nobody caught reaches the user as a dialog, not only as a
    traceback on a console they may not have; the window and its network stay open."""
    def show(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        traceback.print_exception(kind, error, tb)
        window.show_error("Something went wrong",
                          f"NeuroCanvas met an error it did not expect:\n\n{kind.__name__}: {error}"
                          "\n\nYour network is still open. Save it under a new name to be safe; "
                          "the details are printed on the console.")
    sys.excepthook = show


def run(argv: list[str]) -> int:
    window = make_window(argv)
    return QApplication.instance().exec() if window else 1
