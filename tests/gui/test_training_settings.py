"""The training settings are a model of the document's: the dock shows it and asks the editor to
change it, each change one undo step that marks the file modified and is saved with it."""
import json

import numpy as np

from PySide6.QtCore import Qt

from engine import io
from gui.main_window import example_path
from tests.gui.drive import shortcut, type_into


def history(w):
    return [w.doc.undo.text(i) for i in range(w.doc.undo.count())]


def test_a_typed_setting_is_one_undo_step_and_undo_shows_the_old_value(window):
    window.open_example("xor-2-2-1")
    lr = window.training.lr
    type_into(lr, "0.35")  # four keystrokes, one step
    assert history(window) == ["Set learning rate"] and window.doc.modified
    assert window.doc.settings.get("lr") == 0.35 and window.training.config()["lr"] == 0.35
    type_into(window.training.epochs, "40")
    assert history(window) == ["Set learning rate", "Set epochs"]
    shortcut(window, "Ctrl+Z")
    shortcut(window, "Ctrl+Z")
    assert lr.value() == 0.1 and window.training.epochs.value() == 500  # the file's
    assert not window.doc.modified and window.doc.settings.values == io.load(
        example_path("xor-2-2-1")).training
    shortcut(window, "Ctrl+Shift+Z")
    assert lr.value() == 0.35 and window.windowTitle().startswith("Untitled[*]")


def test_choosing_from_a_list_is_a_step_too(window, qtbot):
    window.open_example("xor-2-2-1")
    box = window.training.optimizer
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Up)  # from Adam to SGD with momentum
    assert window.doc.settings.get("optimizer") == "momentum"
    assert history(window) == ["Set optimiser"]


def test_opening_changes_nothing_and_fitted_settings_fill_the_rest(window):
    window.open_example("and")  # its file names only its data set
    assert io.dumps(window.doc.network) == io.dumps(io.load(example_path("and")))
    assert window.doc.settings.values == {"dataset": "and"}
    assert window.training.config()["loss"] == "mse" and window.training.config()["epochs"] == 500
    assert not window.doc.modified


def test_the_autosave_carries_a_changed_setting(window, tmp_path):
    window.open_example("xor-2-2-1")
    type_into(window.training.batch, "2")
    window.autosave.write()
    saved = json.loads(window.autosave.network_file.read_text())
    assert saved["training"]["batch_size"] == 2


def test_a_setting_changed_mid_run_keeps_it_going_and_reaches_the_trainer(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")
    type_into(w.training.epochs, "100000")
    snaps = []
    w.client.snapshot.connect(snaps.append)
    w.training.buttons["train"].click()
    qtbot.waitUntil(lambda: len(snaps) > 2, timeout=20000)
    type_into(w.training.lr, "3")
    seen = len(snaps)
    qtbot.waitUntil(lambda: len(snaps) > seen + 2, timeout=10000)
    assert w.client.busy and history(w)[:2] == ["Set epochs", "Set learning rate"]
    with qtbot.waitSignal(w.client.finished, timeout=10000):
        w.training.buttons["stop"].click()
    assert history(w) == ["Set epochs", "Set learning rate", "Training run"]


def test_reset_weights_with_nielsens_init_draws_the_biases_too(window, qtbot):
    from tests.gui.test_draw_perceptron import choose
    window.open_example("xor-2-2-1")
    choose(window.training.init, "Nielsen: N(0, 1/√n_in), biases N(0, 1)")
    qtbot.mouseClick(window.training.buttons["reset"], Qt.MouseButton.LeftButton)
    net = window.doc.network
    assert history(window) == ["Set weight init", "Reset weights"]
    assert (net.bias[net.role != 0] != 0).all() and (net.bias[net.role == 0] == 0).all()


def test_validation_and_early_stopping_from_the_dock(qtbot, trained_window):
    """Typed into the dock: a plateaued run (η tiny) ends at its patience, says so, and its
    validation accuracy is plotted and exported."""
    from gui.runs import run_csv
    w = trained_window
    w.open_example("xor-2-2-1")
    w.doc.settings.update({"dataset": "moons"})
    w.doc.undo.setClean()
    for box, text in ((w.training.lr, "0.00001"), (w.training.validation, "0.2"),
                      (w.training.patience, "3"), (w.training.epochs, "200")):
        type_into(box, text)
    assert history(w)[-3:] == ["Set validation share", "Set patience", "Set epochs"]
    with qtbot.waitSignal(w.client.finished, timeout=30000):
        w.training.buttons["train"].click()
    run = w.plots.runs[-1]
    assert run.epochs["epoch"] == [1, 2, 3, 4, 5]
    assert "early stopping: the validation loss improved by less than tol" in w.training.status.text()
    validation = w.plots.curves[run][4]
    qtbot.waitUntil(lambda: validation.getData()[0] is not None and len(validation.getData()[0]) == 5)
    assert 0 < min(run.epochs["validation_accuracy"]) <= 1
    assert run_csv(run).splitlines()[0].endswith("validation_loss,validation_accuracy")


def test_bias_init_from_the_dock_reaches_reset_weights(window, qtbot):
    from tests.gui.test_draw_perceptron import choose
    window.open_example("xor-2-2-1")
    choose(window.training.bias_init, "Constant b")
    type_into(window.training.bias_value, "-1.5")
    qtbot.mouseClick(window.training.buttons["reset"], Qt.MouseButton.LeftButton)
    net = window.doc.network
    assert (net.bias[net.role != 0] == -1.5).all()
    assert history(window)[-1] == "Reset weights"


def test_the_playground_data_controls(qtbot, trained_window):
    """Samples, noise, test share and Regenerate: the boundary's points and the trainer's data
    follow them, each change one undo step; rows a data set does not use are hidden."""
    from engine.datasets.registry import load
    from tests.gui.test_draw_perceptron import choose
    w = trained_window
    w.open_example("xor-2-2-1")
    assert not w.training.samples.isVisible()  # XOR's four corners have none
    choose(w.training.dataset, "Moons")
    assert w.training.samples.isVisible() and w.training.regenerate.isVisible()
    type_into(w.training.samples, "200")
    type_into(w.training.noise, "0.3")
    type_into(w.training.test_share, "0.5")
    w.docks["Decision boundary"].raise_()
    qtbot.waitUntil(lambda: w.boundary.plot is not None and len(w.boundary.points.data) == 100)
    first = w.boundary.points.data["x"].copy()
    expected = load("moons", samples=200, noise=0.3, seed=0, test_share=0.5).x_train[:, 0]
    assert np.allclose(first, expected)
    qtbot.mouseClick(w.training.regenerate, Qt.MouseButton.LeftButton)
    assert history(w)[-1] == "Set data (regenerated)" and w.doc.settings.get("data_seed") == 1
    qtbot.waitUntil(lambda: not np.array_equal(w.boundary.points.data["x"], first))
    w.doc.settings.update({"epochs": 2})
    epochs = []
    w.client.epochsEnded.connect(epochs.extend)
    with qtbot.waitSignal(w.client.finished, timeout=30000):
        w.training.buttons["train"].click()
    assert (epochs[-1]["test_accuracy"] * 100) % 1 == 0  # of 100 test points
    shortcut(w, "Ctrl+Z")  # the run
    shortcut(w, "Ctrl+Z")  # regenerate
    assert w.doc.settings.get("data_seed") == 0
