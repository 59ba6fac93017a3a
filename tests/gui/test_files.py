"""Files through the menus: save, open, a bad file, the title, closing with unsaved changes."""
import json

from PySide6.QtCore import QSaveFile, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from engine import io
from engine.settings import DEFAULTS
from gui import document
from gui.main_window import example_path
from tests.gui.drive import click, shortcut, type_into, use_tool


def test_save_and_open_round_trip_through_the_menus(window, tmp_path, monkeypatch):
    window.open_example("xor-hand-tuned")
    type_into(window.training.lr, "0.25")  # typed in the dock: an edit of the network's settings
    assert window.doc.modified and window.doc.undo.text(0) == "Set learning rate"
    before = json.loads(io.dumps(window.doc.network))
    target = tmp_path / "mine.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    shortcut(window, "Ctrl+S")  # an example has no file yet: Save asks where
    assert target.exists() and window.windowTitle() == "mine.json[*] — NeuroCanvas"
    shortcut(window, "Ctrl+N")
    assert window.doc.network.n_neurons == 0
    shortcut(window, "Ctrl+O")
    after = json.loads(io.dumps(window.doc.network))
    assert {**after, "training": 0} == {**before, "training": 0} and window.doc.path == target
    # the dock's settings are saved with the network: all of them, its data set included
    assert after["training"] == window.doc.settings.all() == {**before["training"], **after["training"]}
    assert set(after["training"]) == {"dataset", *DEFAULTS}
    assert after["training"]["lr"] == 0.25 and after["training"]["dataset"] == "xor"
    assert window.recent_files()[0] == str(target)
    assert [a.text() for a in window.recent_menu.actions()] == ["mine.json"]


def test_a_bad_file_shows_why_and_keeps_the_open_network(window, tmp_path):
    window.open_example("and")
    before = io.dumps(window.doc.network)
    bad = tmp_path / "bad.json"
    doc = json.loads(example_path("or").read_text())
    doc["neurons"][2]["activation"] = "swish"
    bad.write_text(json.dumps(doc))
    assert not window.open_path(bad)
    box = window.findChild(QMessageBox, "error")
    assert box.isVisible() and "neurons[2].activation: 'swish'" in box.text()
    box.accept()
    assert io.dumps(window.doc.network) == before


def test_title_marks_changes_and_closing_asks(window, monkeypatch):
    use_tool(window, "hidden")
    click(window, 0, 0)
    assert window.isWindowModified()
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    window.close()
    assert window.isVisible() and asked == ["Save the changes to Untitled?"]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.close()
    assert not window.isVisible()


def test_failed_save_says_why_and_keeps_the_document_modified(window, tmp_path):
    use_tool(window, "hidden")
    click(window, 0, 0)
    assert not window._save_to(tmp_path / "no-such-folder" / "x.json")
    assert window.findChild(QMessageBox, "error").isVisible() and window.doc.modified


def test_window_state_persists_in_settings(qtbot, window, settings):
    from gui.main_window import MainWindow
    height = window.minimumSizeHint().height() + 10  # the offscreen screen is 800×600: fit in it
    window.resize(window.minimumSizeHint().width(), height)
    window.actions_by_name["dark"].trigger()
    window.close()
    again = MainWindow(settings, start_trainer=False)
    assert again.height() == height and again.actions_by_name["dark"].isChecked()
    again.actions_by_name["dark"].trigger()  # back to light for the other tests
    again.close()


def test_opening_a_file_clears_the_selection(window):
    window.open_example("and")
    window.scene.neurons[2].setSelected(True)
    window.open_example("mnist-784-15-10")
    assert window.scene.selected_ids() == [] and window.inspector.stack.currentIndex() == 0
    assert window.scene.neurons[0].pixel and not window.scene.neurons[784].pixel


def test_mnist_folder_is_remembered(qtbot, window, settings):
    from PySide6.QtTest import QTest
    from gui.main_window import MainWindow
    box = window.training.folder
    box.setFocus()
    QTest.keyClicks(box, "/data/mnist")
    QTest.keyClick(box, Qt.Key.Key_Return)
    again = MainWindow(settings, start_trainer=False)
    assert again.training.folder.text() == "/data/mnist"
    again.close()


class HalfWritingSaveFile(QSaveFile):
    """A disk that fills up half way: write() stores only part of the bytes, as on ENOSPC."""

    def write(self, data):
        return super().write(bytes(data)[:len(data) // 2])


def test_a_short_write_keeps_the_old_file_and_says_so(window, tmp_path, monkeypatch):
    window.open_example("xor-hand-tuned")
    (tmp_path / "files").mkdir()
    target = tmp_path / "files" / "net.json"
    window.doc.save(target)
    on_disk = target.read_bytes()
    use_tool(window, "hidden")
    click(window, 0, 0)
    monkeypatch.setattr(document, "QSaveFile", HalfWritingSaveFile)
    shortcut(window, "Ctrl+S")
    box = window.findChild(QMessageBox, "error")
    assert box.isVisible() and "bytes were written" in box.text()
    box.accept()
    assert target.read_bytes() == on_disk and window.isWindowModified()
    assert [p.name for p in target.parent.iterdir()] == ["net.json"]  # no temporary file left


def test_a_network_too_big_to_draw_is_refused_with_the_reason(window, tmp_path, monkeypatch):
    from engine.build import from_spec
    from gui import document as doc_module
    from gui.edit_ops import insert_spec
    monkeypatch.setattr(doc_module, "MAX_NEURONS", 50)
    window.open_example("xor-2-2-1")
    before = io.dumps(window.doc.network)
    io.save(from_spec("40-30-2"), tmp_path / "big.json")
    assert not window.open_path(tmp_path / "big.json")
    box = window.findChild(QMessageBox, "error")
    assert box.isVisible() and "72 neurons is more than the window draws (50" in box.text()
    box.accept()
    assert insert_spec(window.scene, "30-20-1", "sigmoid", "sigmoid").startswith(
        "that would make 56 neurons")
    assert io.dumps(window.doc.network) == before


def test_specs_past_the_windows_connections_are_refused_before_building(window, tmp_path,
                                                                         monkeypatch):
    from engine.build import from_spec
    from gui.edit_ops import insert_spec
    window.open_example("xor-2-2-1")
    before = io.dumps(window.doc.network)
    for spec in ("3000-3000", "19000-1000"):  # minutes and gigabytes to build, as they were
        window._new_spec(spec, "relu", "sigmoid")
        box = window.findChildren(QMessageBox, "error")[-1]
        assert "connections, more than the window draws (2,000,000)" in box.text()
        box.accept()
        assert "more than the window draws" in insert_spec(window.scene, spec, "relu", "sigmoid")
    assert io.dumps(window.doc.network) == before
    monkeypatch.setattr("gui.document.MAX_CONNECTIONS", 1000)
    io.save(from_spec("40-30-2"), tmp_path / "wide.json")
    assert not window.open_path(tmp_path / "wide.json")
    box = window.findChildren(QMessageBox, "error")[-1]
    assert "1,260 connections is more than the window draws (1,000" in box.text()
    box.accept()
    assert io.dumps(window.doc.network) == before


def test_training_settings_belong_to_the_network_and_the_views_follow_its_data(
        window, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from tests.gui.drive import type_into
    w, t = window, window.training

    def shown():
        return (t.dataset.currentData(), t.loss.currentData(), t.optimizer.currentData(),
                t.batch.value(), t.lr.value())

    w.open_example("mnist-784-32-10")
    assert shown() == ("mnist-subset", "ce", "sgd", 32, 0.5)
    type_into(t.batch, "64")
    assert w.doc.modified  # a changed setting is a change of the network
    w.doc.undo.setClean()  # discarded
    w.open_example("or")  # a 2-input perceptron never inherits the MNIST settings
    assert shown() == ("or", "mse", "sgd", 0, 0.1)
    assert w.boundary.dataset == "or" and w.truth_table.summary.text() == "4/4 correct"
    w.open_example("xor-2-2-1")
    type_into(t.lr, "0.25")
    target = tmp_path / "mine.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    shortcut(w, "Ctrl+S")
    w.open_example("and")
    assert shown() == ("and", "mse", "sgd", 0, 0.1) and w.truth_table.summary.text() == "4/4 correct"
    w.open_path(target)
    assert shown() == ("xor", "mse", "adam", 0, 0.25)  # as saved
    # a target that is no number is refused where it was typed; the old one stays
    table = w.truth_table.table
    column = 2 + 2  # x1, x2, z(y), y(y), target
    before = table.item(1, column).text()
    table.setFocus()
    table.setCurrentCell(1, column)
    QTest.keyClick(table, Qt.Key.Key_X)  # a key on a cell opens its editor with that key
    QTest.keyClick(table.findChild(QLineEdit), Qt.Key.Key_Tab)  # done: on to the next cell
    assert table.item(1, column).text() == before
    assert w.truth_table.summary.text().startswith("“x” is not a target")


def test_save_and_export_onto_a_fifo_are_refused_and_leave_it_a_fifo(window, tmp_path, monkeypatch):
    import os
    import stat
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    window.open_example("and")
    type_into(window.training.lr, "0.3")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(fifo), ""))
    shortcut(window, "Ctrl+S")
    box = window.findChild(QMessageBox, "error")
    assert box.isVisible() and "not a regular file" in box.text()
    box.accept()
    assert stat.S_ISFIFO(fifo.stat().st_mode) and window.doc.modified
    link = tmp_path / "pipe.py"
    link.symlink_to(fifo)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(link), ""))
    window.export_model_dialog(".py")
    assert "not a regular file" in window.findChildren(QMessageBox, "error")[-1].text()
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_the_save_dialog_suggests_a_folder_and_a_name(window, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a[2]) or ("", ""))
    window.open_example("xor-2-2-1")
    shortcut(window, "Ctrl+Shift+S")
    assert asked[-1].endswith("xor-2-2-1.json")
    mine = tmp_path / "mine.json"
    window.doc.save(mine)
    shortcut(window, "Ctrl+Shift+S")
    assert asked[-1] == str(mine)  # beside the open file, under its name


def test_new_from_spec_starts_a_new_network(window):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialog
    from tests.gui.drive import choose
    window.open_example("and")
    choose(window, "File", "New from Spec…")
    dialog = next(d for d in window.findChildren(QDialog) if d.windowTitle() == "New network from spec")
    dialog.spec.setFocus()
    dialog.spec.selectAll()
    QTest.keyClicks(dialog.spec, "3-4-2")
    QTest.keyClick(dialog.spec, Qt.Key.Key_Return)
    assert [len(layer.neurons) for layer in window.doc.network.layers] == [3, 4, 2]
    assert window.doc.network.n_neurons == 9 and window.doc.undo.count() == 0  # a new document
    assert window.windowTitle().startswith("Untitled")
