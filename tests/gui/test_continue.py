"""Continue: a run saved after 10 epochs, reopened and continued for 10 more, ends on the very
numbers of 20 epochs in one go; the file's history is plotted when it opens."""
import numpy as np
from PySide6.QtCore import Qt

from tests.gui.drive import type_into

SETTINGS = {"dataset": "moons", "optimizer": "adam", "lr": 0.05, "batch_size": 16, "dropout": 0.1}


def run(qtbot, w, button):
    with qtbot.waitSignal(w.client.finished, timeout=30000):
        qtbot.mouseClick(w.training.buttons[button], Qt.MouseButton.LeftButton)


def test_ten_saved_reopened_and_continued_equal_twenty(qtbot, trained_window, tmp_path):
    w = trained_window
    w.open_example("xor-2-2-1")
    start = w.doc.network.weight.copy(), w.doc.network.bias.copy()
    w.doc.settings.update({**SETTINGS, "epochs": 20})
    run(qtbot, w, "train")
    twenty = w.doc.network.weight.copy(), w.doc.network.bias.copy()

    w.doc.network.set_trained(*start)
    type_into(w.training.epochs, "10")
    run(qtbot, w, "train")
    qtbot.waitUntil(lambda: w.doc.network.resume is not None)
    w.doc.save(tmp_path / "ten.json")
    assert w.open_path(tmp_path / "ten.json")
    saved = w.plots.runs[-1]
    assert saved.name == "saved: 10 epochs" and saved.epochs["epoch"] == list(range(1, 11))
    run(qtbot, w, "continue")
    net = w.doc.network
    assert np.array_equal(net.weight, twenty[0]) and np.array_equal(net.bias, twenty[1])
    assert w.plots.runs[-1].epochs["epoch"] == list(range(11, 21))
    assert w.plots.runs[-1].name.endswith("from epoch 11")


def test_continue_after_an_edit_says_why_it_cannot(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")
    w.doc.settings.update({**SETTINGS, "epochs": 3})
    qtbot.mouseClick(w.training.buttons["continue"], Qt.MouseButton.LeftButton)
    assert w.training.status.text() == ("Cannot continue: no run has ended on this network yet. "
                                        "Press Train for a new run.")
    run(qtbot, w, "train")
    qtbot.waitUntil(lambda: w.doc.network.resume is not None)
    w.doc.undo.undo()  # the run's weights are gone: its optimiser state no longer fits
    qtbot.mouseClick(w.training.buttons["continue"], Qt.MouseButton.LeftButton)
    assert "the network changed since its last run ended" in w.training.status.text()
    assert not w.client.busy


def test_a_continued_run_counts_its_steps_on_in_the_plots_and_layers(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")
    w.docks["Layers"].raise_()
    w.doc.settings.update({**SETTINGS, "epochs": 6})
    run(qtbot, w, "train")
    first = w.plots.runs[-1]
    qtbot.waitUntil(lambda: w.doc.network.resume is not None)
    w.doc.settings.update({"epochs": 4})
    run(qtbot, w, "continue")
    second = w.plots.runs[-1]
    assert second is not first and first.steps[-1] == 6 * (first.steps[-1] // 6)
    assert second.steps[0] == first.steps[-1] + 1  # on from the last step, not from 0 again
    assert second.steps[-1] == first.steps[-1] // 6 * 10
    steps = [s for s, _ in w.layers.history]
    assert steps and steps == sorted(steps) and steps[0] > first.steps[-1] // 2
    assert w.training.progress.value() == 100
