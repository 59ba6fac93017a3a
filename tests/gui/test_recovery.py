"""Autosave, and the changes offered back after a crash."""
import subprocess
import sys

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from engine import io
from gui.commands import SetBias
from gui.main_window import MainWindow, example_path


def edited_window(settings, path, bias=3.25):
    w = MainWindow(settings, start_trainer=False)
    w.open_path(path)
    net = w.doc.network
    w.doc.push(SetBias(net, [int(net.outputs[0])], bias))
    return w


def autosaved(settings, tmp_path, name="mine.json", bias=3.25):
    """A window with a file opened, edited and autosaved; and the file."""
    path = tmp_path / name
    path.write_text(example_path("xor-2-2-1").read_text())
    w = edited_window(settings, path, bias)
    w.autosave.write()
    return w, path


def close(*windows):
    for w in windows:
        w.doc.undo.setClean()
        w.close()


def crash(window):
    """Gone without closeEvent, as if its process had died."""
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


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
    crash(crashed)

    again = MainWindow(settings, start_trainer=False)  # the next start
    answer(again, QMessageBox.StandardButton.Yes)
    assert io.dumps(again.doc.network) == edited and again.doc.path == path
    assert again.doc.modified and again.windowTitle() == "mine.json[*] — NeuroCanvas"
    again.save()  # saved: nothing left to recover
    assert not autosave.network_file.exists() and io.dumps(io.load(path)) != ""
    again.close()


def test_discarding_the_recovery_or_closing_cleanly_leaves_nothing_behind(qtbot, settings, tmp_path):
    crashed, path = autosaved(settings, tmp_path)
    crash(crashed)
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


def test_two_open_windows_keep_their_own_recovery_and_only_a_crashed_ones_is_offered(
        qtbot, settings, tmp_path):
    first, path = autosaved(settings, tmp_path)
    second, _ = autosaved(settings, tmp_path, "other.json", -1.5)
    assert first.autosave.network_file != second.autosave.network_file
    assert io.load(first.autosave.network_file).bias.max() == 3.25
    assert io.load(second.autosave.network_file).bias.min() == -1.5
    third = MainWindow(settings, start_trainer=False)  # both are open: nothing to offer
    assert third.findChild(QMessageBox, "recovery") is None
    third.close()
    crash(first)
    fourth = MainWindow(settings, start_trainer=False)
    answer(fourth, QMessageBox.StandardButton.Yes)
    assert fourth.doc.path == path and fourth.doc.network.bias.max() == 3.25
    assert io.load(second.autosave.network_file).bias.min() == -1.5  # the open one's untouched
    close(second, fourth)


def test_a_recovery_left_by_a_process_that_ended_is_offered(qtbot, settings, tmp_path):
    crashed, _ = autosaved(settings, tmp_path)
    folder = crashed.autosave.folder
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True).stdout.strip()  # a pid that is gone
    for end in (".json", ".about.json"):
        (folder / f"{crashed.autosave.name}{end}").rename(folder / f"{ended}-1{end}")
    again = MainWindow(settings, start_trainer=False)
    answer(again, QMessageBox.StandardButton.No)
    assert not list(folder.glob(f"{ended}-1*"))
    close(crashed, again)
