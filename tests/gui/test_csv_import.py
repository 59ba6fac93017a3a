"""File ▸ Import CSV Data: choose the columns in the dialog; the data set is the network's (one
undo step, saved with it) and trains in the trainer process."""
import json

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from engine import io
from engine.build import from_spec
from engine.init import initialise


def ring_csv(path, n=160):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (n, 3))
    rows = [f"{a:.4f},{b:.4f},{c:.4f},{'in' if a * a + b * b < 0.5 else 'out'}" for a, b, c in x]
    path.write_text("a,b,noise,where\n" + "\n".join(rows) + "\n")
    return path


def ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_choose_columns_then_train_on_them(qtbot, trained_window, tmp_path):
    w = trained_window
    net = from_spec("2-8-1", "tanh", "sigmoid")
    initialise(net, "xavier", seed=0)
    w.doc.replace(net)
    dialog = w.import_csv(ring_csv(tmp_path / "ring.csv"))
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
    assert w.import_csv(path) is None
    box = w.findChild(QMessageBox, "error")
    qtbot.waitUntil(box.isVisible)
    assert box.text() == "bad.csv: row 3 has 2 cells; the header has 3"
    assert w.doc.settings.values == before and not w.doc.modified
