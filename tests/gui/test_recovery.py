"""Autosave, and the changes offered back after a crash."""
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from engine import io
from gui.commands import SetBias
from gui.main_window import MainWindow, example_path


def edited_window(settings, path):
    w = MainWindow(settings, start_trainer=False)
    w.open_path(path)
    net = w.doc.network
    w.doc.push(SetBias(net, [int(net.outputs[0])], 3.25))
    return w


def answer(window, button):
    box = window.findChild(QMessageBox, "recovery")
    assert box is not None and box.isVisible() and "without saving “mine.json”" in box.text()
    QTest.mouseClick(box.button(button), Qt.MouseButton.LeftButton)


def test_a_crash_leaves_the_changes_autosaved_and_the_next_start_restores_them(
        qtbot, settings, tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(example_path("xor-2-2-1").read_text())
    settings.setValue("autosave_s", 1)
    crashed = edited_window(settings, path)
    autosave = crashed.autosave
    qtbot.waitUntil(lambda: autosave.network_file.is_file(), timeout=5000)  # within a second
    edited = io.dumps(crashed.doc.network)
    assert io.dumps(io.load(autosave.network_file)) == edited
    crashed.deleteLater()  # no closeEvent: as if the process had died

    again = MainWindow(settings, start_trainer=False)  # the next start
    answer(again, QMessageBox.StandardButton.Yes)
    assert io.dumps(again.doc.network) == edited and again.doc.path == path
    assert again.doc.modified and again.windowTitle() == "mine.json[*] — NeuroCanvas"
    again.save()  # saved: nothing left to recover
    assert not autosave.network_file.exists() and io.dumps(io.load(path)) != ""
    again.close()


def test_discarding_the_recovery_or_closing_cleanly_leaves_nothing_behind(qtbot, settings, tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(example_path("xor-2-2-1").read_text())
    crashed = edited_window(settings, path)
    crashed.autosave.write()
    crashed.deleteLater()
    again = MainWindow(settings, start_trainer=False)
    answer(again, QMessageBox.StandardButton.No)
    assert not again.autosave.network_file.exists() and not again.doc.modified
    assert np.array_equal(again.doc.network.bias, np.zeros(0))  # the empty canvas it started with
    again.close()
    closed = edited_window(settings, path)
    closed.autosave.write()
    closed.doc.undo.setClean()  # nothing to ask about on closing
    assert not closed.autosave.network_file.exists()  # clean again: no recovery to keep
    closed.doc.push(SetBias(closed.doc.network, [int(closed.doc.network.outputs[0])], 1.0))
    closed.autosave.write()
    closed.doc.undo.setClean()
    closed.close()
    assert not closed.autosave.network_file.exists()
    fresh = MainWindow(settings, start_trainer=False)
    assert fresh.findChild(QMessageBox, "recovery") is None
    fresh.close()
