"""Plots ▸ Rewind: a run made again from its initial weights and settings, number for number,
after other runs; refused, with the reason, where its start no longer fits."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.gui.drive import click, shortcut, type_into
from tests.gui.test_continue import run

SETTINGS = {"init": "xavier", "seed": 3, "optimizer": "adam", "lr": 0.1, "epochs": 30,
            "pace": 0}


def test_rewind_makes_a_run_again_from_its_start(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")
    w.doc.settings.update(SETTINGS)
    run(qtbot, w, "train")
    first = w.plots.runs[-1]
    type_into(w.training.lr, "0.5")  # another run, from where the first ended
    run(qtbot, w, "train")
    assert w.plots.runs[-1].epochs["loss"] != first.epochs["loss"]
    w.plots.list.setCurrentItem(w.plots.items[first])
    qtbot.mouseClick(w.plots.rewind, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not w.client.busy and len(w.plots.runs) == 3, timeout=60000)
    qtbot.waitUntil(lambda: len(w.plots.runs[-1].epochs["loss"]) == 30, timeout=60000)
    again = w.plots.runs[-1]
    assert again.epochs["loss"] == first.epochs["loss"]
    assert w.doc.settings.get("lr") == 0.1


def test_rewind_after_a_structural_edit_says_why_it_cannot(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")
    w.doc.settings.update(SETTINGS)
    run(qtbot, w, "train")
    net = w.doc.network
    click(w, *net.pos[2])  # a hidden neuron, deleted with the Delete key
    shortcut(w, "Delete")
    assert w.doc.network.n_neurons == 4
    w.rewind(w.plots.runs[-1])
    box = w.findChild(QMessageBox, "error")
    assert "changed since run" in box.text()
    box.close()
    w.doc.undo.setClean()
    w.open_example("and")  # another network: the runs before cannot be rewound
    assert w.plots.runs[-1].start is None
