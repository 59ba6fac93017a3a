"""The window's side of bad input: files it will not open, a disk that is full, settings undone
to the byte, and the user's work kept private."""
import os
import stat
from collections import namedtuple

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from engine import io
from engine.network import MAX_LABEL
from tests.engine.helpers import perceptron
from tests.gui.drive import shortcut, type_into


def error_text(window):
    box = window.findChildren(QMessageBox, "error")[-1]
    text = box.text()
    box.accept()
    return text


def test_undoing_every_setting_change_gives_the_opened_file_back_byte_for_byte(window, qtbot,
                                                                               tmp_path):
    path = tmp_path / "plain.json"
    io.save(perceptron([1, 1], -1, "sigmoid"), path)  # a file with no training settings at all
    opened = path.read_bytes()
    assert window.open_path(path)
    panel = window.training
    type_into(panel.lr, "0.7")
    type_into(panel.l2, "0.01")
    type_into(panel.epochs, "30")
    panel.optimizer.setFocus()
    qtbot.keyClick(panel.optimizer, Qt.Key.Key_Down)
    assert window.doc.undo.count() == 4
    for _ in range(4):
        shortcut(window, "Ctrl+Z")
    assert window.doc.network.training == {}
    window.doc.save(tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == opened


def test_a_file_over_the_windows_limit_or_with_a_huge_label_is_refused(window, tmp_path,
                                                                        monkeypatch):
    window.open_example("and")
    before = io.dumps(window.doc.network)
    net = perceptron([1, 1], 0, "sigmoid")
    net.set_label(int(net.outputs[0]), "y" * (MAX_LABEL + 1))
    io.save(net, tmp_path / "label.json")
    assert not window.open_path(tmp_path / "label.json")
    assert "1,001 characters is more than the 1,000 a name may have" in error_text(window)
    monkeypatch.setattr("gui.document.MAX_BYTES", 100)
    io.save(perceptron([1, 1], 0, "sigmoid"), tmp_path / "fat.json")
    assert not window.open_path(tmp_path / "fat.json")
    assert "MB read here" in error_text(window)
    assert io.dumps(window.doc.network) == before
    assert window.inspector.label.maxLength() == MAX_LABEL


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_opening_a_fifo_is_refused_at_once(window, tmp_path):
    os.mkfifo(tmp_path / "pipe.json")
    window.open_example("and")
    assert not window.open_path(tmp_path / "pipe.json")
    assert "not a regular file" in error_text(window)


def test_a_full_disk_is_named_before_the_save_and_the_file_stays(window, tmp_path, monkeypatch):
    window.open_example("and")
    target = tmp_path / "net.json"
    window.doc.save(target)
    on_disk = target.read_bytes()
    type_into(window.training.lr, "0.3")
    monkeypatch.setattr("engine.io.shutil.disk_usage", lambda _: namedtuple(
        "Usage", "total used free")(10 ** 9, 10 ** 9, 10))
    shortcut(window, "Ctrl+S")
    text = error_text(window)
    assert "the disk is full" in text and str(tmp_path) in text and "Unknown error" not in text
    assert target.read_bytes() == on_disk and window.doc.modified


def test_onnx_export_into_a_missing_folder_says_which(window, tmp_path, monkeypatch):
    window.open_example("and")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "gone" / "and.onnx"), ""))
    window.export_model_dialog(".onnx")
    assert f"the folder {tmp_path / 'gone'} does not exist" in error_text(window)


def test_recovery_files_and_settings_are_the_users_alone(qtbot, settings, tmp_path):
    from tests.gui.test_recovery import close, edited_window
    path = tmp_path / "mine.json"
    io.save(perceptron([1, 1], 0, "sigmoid"), path)
    w = edited_window(settings, path)
    w.autosave.write()
    folder = w.autosave.folder
    for item in (folder, folder.parent):
        assert stat.S_IMODE(item.stat().st_mode) == 0o700
    for item in folder.iterdir():
        assert stat.S_IMODE(item.stat().st_mode) == 0o600
    close(w)
    assert stat.S_IMODE(os.stat(settings.fileName()).st_mode) == 0o600


def test_a_test_share_of_0_trains_in_the_window_without_a_test_set(qtbot, trained_window):
    from tests.gui.test_live_training import press
    w = trained_window
    w.open_example("xor-2-2-1")
    w.doc.settings.update({"dataset": "moons", "test_share": 0.0, "samples": 40, "epochs": 20,
                           "pace": 0})
    failures, epochs = [], []
    w.client.failed.connect(failures.append)
    w.client.epochsEnded.connect(epochs.extend)
    with qtbot.waitSignal(w.client.finished, timeout=60000) as done:
        press(w, "train")
    assert done.args == ["done"] and failures == []
    assert len(epochs) == 20 and all(e["test_accuracy"] is None for e in epochs)
    assert epochs[-1]["train_accuracy"] is not None
    assert "Traceback" not in w.training.status.text()
    qtbot.wait(200)  # the plots and the boundary draw the run (pytest-qt fails on a raise)
