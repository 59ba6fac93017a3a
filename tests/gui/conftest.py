import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from gui.edit_ops import release_clipboard
from gui.main_window import MainWindow


@pytest.fixture(scope="session", autouse=True)
def clipboard_released_at_the_end():
    yield
    release_clipboard()  # as the app does on quit


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _close(w):
    w.doc.undo.setClean()  # nothing to ask about on closing
    for box in w.findChildren(QDialog):  # a message left open would block the next test's input
        box.close()
    w.close()
    w.deleteLater()


@pytest.fixture
def trained_window(qtbot, settings):
    """A window with its trainer process up and ready."""
    w = MainWindow(settings)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: w.client.devices is not None, timeout=60000)
    yield w
    _close(w)


@pytest.fixture
def window(qtbot, settings):
    w = MainWindow(settings, start_trainer=False)  # tests that train use trained_window
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    _close(w)
