"""File ▸ Import CSV Data: choose the columns in the dialog; the data set is the network's (one
undo step, saved with it) and trains in the trainer process."""
import json

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPushButton, QTableWidget

from engine import io
from engine.build import from_spec
from engine.datasets.table import make_dataset
from engine.init import initialise
from gui.panels.boundary import SLICE_NEAR


def ring_csv(path, n=160):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (n, 3))
    rows = [f"{a:.4f},{b:.4f},{c:.4f},{'in' if a * a + b * b < 0.5 else 'out'}" for a, b, c in x]
    path.write_text("a,b,noise,where\n" + "\n".join(rows) + "\n")
    return path


def ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def imported(qtbot, w, path):
    """The column chooser once the file is read in the background, or None."""
    reading = w.import_csv(path)
    qtbot.waitUntil(lambda: reading.done, timeout=60000)
    return reading.dialog


def test_choose_columns_then_train_on_them(qtbot, trained_window, tmp_path):
    w = trained_window
    net = from_spec("2-8-1", "tanh", "sigmoid")
    initialise(net, "xavier", seed=0)
    w.doc.replace(net)
    dialog = imported(qtbot, w, ring_csv(tmp_path / "ring.csv"))
    assert dialog.chosen_inputs() == ["a", "b"] and dialog.target.currentText() == "where"
    assert dialog.said.text() == ("128 rows to train on, 32 to test; the target holds 2 classes.")
    noise = dialog.inputs.item(2)
    rect = dialog.inputs.visualItemRect(noise)
    qtbot.mouseClick(dialog.inputs.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.left() + 8, rect.center().y()))  # its check box
    assert dialog.chosen_inputs() == ["a", "b", "noise"]
    assert "3 input columns chosen, but the network has 2 input neurons" in dialog.said.text()
    assert not ok(dialog).isEnabled()
    noise.setCheckState(Qt.CheckState.Unchecked)
    assert ok(dialog).isEnabled()
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    assert w.doc.settings.get("dataset") == "csv" and w.training.dataset.currentData() == "csv"
    assert w.doc.undo.text(w.doc.undo.count() - 1) == "Set CSV data, data set"
    w.doc.settings.update({"optimizer": "adam", "lr": 0.05, "epochs": 150})
    epochs = []
    w.client.epochsEnded.connect(epochs.extend)
    with qtbot.waitSignal(w.client.finished, timeout=60000):
        qtbot.mouseClick(w.training.buttons["train"], Qt.MouseButton.LeftButton)
    assert epochs[-1]["test_accuracy"] >= 0.8
    w.doc.save(tmp_path / "ring.json")
    saved = json.loads((tmp_path / "ring.json").read_text())
    assert saved["training"]["csv"]["inputs"] == ["a", "b"] and len(saved["training"]["csv"]["rows"]) == 160
    assert io.load(tmp_path / "ring.json").training["dataset"] == "csv"


def test_a_bad_file_is_a_dialog_and_changes_nothing(qtbot, window, tmp_path):
    w = window
    w.open_example("xor-2-2-1")
    before = dict(w.doc.settings.values)
    path = tmp_path / "bad.csv"
    path.write_text("a,b,c\n1,2,3\n4,5\n")
    assert imported(qtbot, w, path) is None
    box = w.findChild(QMessageBox, "error")
    qtbot.waitUntil(box.isVisible)
    assert box.text() == "bad.csv: row 3 has 2 cells; the header has 3"
    assert w.doc.settings.values == before and not w.doc.modified


def test_build_a_matching_network_from_the_import_dialog(qtbot, window, tmp_path):
    w = window
    assert w.doc.network.n_neurons == 0
    dialog = imported(qtbot, w, ring_csv(tmp_path / "ring.csv"))
    assert dialog.build.isChecked()  # an empty canvas: a network is built for the data
    assert dialog.chosen_inputs() == ["a", "b", "noise"]
    assert "A network 3-8-2 replaces the open one." in dialog.said.text()
    dialog.hidden.setFocus()
    dialog.hidden.selectAll()
    QTest.keyClicks(dialog.hidden, "5")
    assert "A network 3-5-2 replaces the open one." in dialog.said.text()
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    net = w.doc.network
    assert [len(layer.neurons) for layer in net.layers] == [3, 5, 2]
    assert [net.name_of(i) for i in net.index(net.inputs)] == ["a", "b", "noise"]
    outputs = net.index(net.outputs)
    assert [net.name_of(i) for i in outputs] == ["in", "out"]
    assert {net.neuron(int(n)).activation for n in net.outputs} == {"softmax"}
    assert w.doc.settings.get("loss") == "ce" and w.doc.settings.get("dataset") == "csv"
    assert w.doc.undo.count() == 1 and w._network_title() == "Untitled (3-5-2)"
    heads = [w.truth_table.table.horizontalHeaderItem(c).text() for c in range(3)]
    assert heads == ["a", "b", "noise"]  # the data's names where the numbers are shown
    w.docks["Decision boundary"].raise_()  # three inputs: a slice through a and b, noise at 0
    panel = w.boundary
    qtbot.waitUntil(lambda: panel.plot is not None and panel.plot.isVisible())
    assert panel.slice_row.isVisible() and panel.across.currentText() == "a"
    assert panel.up.currentText() == "b" and "noise = 0" in panel.fixed_note.text()
    data = make_dataset(w.doc.settings.get("csv"))
    noise = np.concatenate([data.x_train, data.x_test])[:, 2]
    near = np.abs(data.x_train[:, 2]) <= SLICE_NEAR * np.ptp(noise)
    assert 0 < len(panel.points.data) == near.sum() < len(data.x_train)
    w.doc.undo_step()
    assert w.doc.network.n_neurons == 0 and w.doc.settings.get("dataset") != "csv"
    w.doc.undo_step(back=False)
    assert [len(layer.neurons) for layer in w.doc.network.layers] == [3, 5, 2]


def test_the_preview_numbers_rows_as_the_messages_do(qtbot, window, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,y\n1,2,0\n3,4,1\n5,x,0\n")
    dialog = imported(qtbot, window, path)
    table = dialog.findChild(QTableWidget)
    assert [table.verticalHeaderItem(r).text() for r in range(3)] == ["2", "3", "4"]
    assert "row 4" in dialog.said.text()


def test_data_imported_into_softmax_outputs_trains_with_cross_entropy(qtbot, window, tmp_path):
    net = from_spec("2-4-2", "sigmoid", "softmax")
    window.doc.replace(net)
    window.doc.settings.update({"loss": "mse"})
    dialog = imported(qtbot, window, ring_csv(tmp_path / "ring.csv"))
    assert not dialog.build.isChecked() and dialog.chosen_inputs() == ["a", "b"]
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    assert window.doc.settings.get("loss") == "ce" and window.doc.undo.count() == 1


def wide_csv(path, rows=300, columns=30):
    x = np.random.default_rng(1).normal(size=(rows, columns)).round(4)
    head = ",".join(f"c{k}" for k in range(columns)) + ",kind\n"
    body = "".join(",".join(map(str, r)) + f",{'ab'[int(r[0] > 0)]}\n" for r in x)
    path.write_text(head + body)
    return path


def test_each_column_is_read_once_whatever_the_choices(qtbot, window, tmp_path, monkeypatch):
    from engine.datasets.table import Table
    reads, read = [], Table._numbers
    monkeypatch.setattr(Table, "_numbers", lambda self, name: (reads.append(name), read(self, name))[1])
    dialog = imported(qtbot, window, wide_csv(tmp_path / "wide.csv"))
    assert sorted(reads) == sorted({f"c{k}" for k in range(30)} | {"kind"})  # in the background
    dialog.inputs.item(3).setCheckState(Qt.CheckState.Unchecked)
    dialog.test.setFocus()
    dialog.test.selectAll()
    QTest.keyClicks(dialog.test, "0.5")
    dialog.normalise.setCurrentIndex(1)
    dialog.target.setCurrentIndex(0)  # c0: numbers, and an input too
    assert "cannot be an input and the target" in dialog.said.text()
    dialog.inputs.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert "150 rows to train on, 150 to test; the target holds numbers" in dialog.said.text()
    assert len(reads) == 31  # no column read again


def test_cancel_while_reading_imports_nothing_and_says_nothing(qtbot, window, tmp_path):
    path = wide_csv(tmp_path / "long.csv", rows=99_000, columns=40)  # 27 MB: seconds to read
    window.open_example("xor-2-2-1")
    reading = window.import_csv(path)
    qtbot.waitUntil(reading.progress.isVisible, timeout=30000)  # after 400 ms, as it says
    qtbot.waitUntil(lambda: reading.progress.value() > 0, timeout=30000)
    cancel = reading.progress.findChild(QPushButton)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reading.done, timeout=60000)
    assert reading.dialog is None and window.findChild(QMessageBox, "error") is None
    assert not window.doc.modified
