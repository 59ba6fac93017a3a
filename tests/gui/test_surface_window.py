"""The Surface dock: the trainer process computes the slice the window draws, number for number
as engine.surface does; after a run it shows the run's path; a second network starts afresh."""
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolButton

from engine import course, surface
from engine.build import from_spec
from engine.io import save
from engine.worker import trainer_of

GD = course.bundled().folder / "14-gd-1d.start.json"


def computed(window, qtbot) -> dict:
    panel = window.surface
    QTest.mouseClick(panel.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.compute_button.isEnabled(), timeout=60000)
    return panel.shown


def test_the_slice_is_the_engines_and_a_run_draws_its_path(trained_window, qtbot):
    w = trained_window
    w.open_path(str(GD))
    w.docks["Loss surface"].raise_()
    panel = w.surface
    assert [box.currentText() for box in panel.along] == ["w #0→#1", "b #1"]  # the whole surface
    panel.points.setValue(9)
    job = w.training.job()
    shown = computed(w, qtbot)
    trainer = trainer_of({**job, "config": {**job["config"], "init": "keep"}})
    mine = surface.compute(trainer, [surface.named(trainer, "#0:#1"), surface.named(trainer, "#1")],
                           1.0, 9)
    assert np.array_equal(np.asarray(shown["loss"]), mine.loss) and shown["path"] == []
    assert shown["centre"] == trainer.data_cost(trainer.train)
    assert panel.plot.isVisible() and "C = " in panel.status.text()

    QTest.mouseClick(w.training.buttons["train"], Qt.MouseButton.LeftButton)
    epochs = w.doc.settings.get("epochs")
    qtbot.waitUntil(lambda: panel.shown is not None and len(panel.shown["path"]) == epochs + 1,
                    timeout=60000)  # computed again as the run ended: full batch, a step an epoch
    assert panel.shown["path"][-1] == [0.0, 0.0] and panel.shown["path"][0] != [0.0, 0.0]
    assert f"{epochs + 1} kept steps" in panel.status.text()


def test_another_network_starts_afresh_and_a_bad_slice_says_why(trained_window, qtbot):
    w = trained_window
    w.open_path(str(GD))
    w.docks["Loss surface"].raise_()
    panel = w.surface
    panel.points.setValue(5)
    assert computed(w, qtbot) is not None
    w.open_example("xor-2-2-1")
    assert panel.shown is None and not panel.plot.listDataItems()
    assert [box.currentData() for box in panel.along] == ["random", "random"]
    assert panel.along[0].count() == 1 + 9  # six weights and three biases offered
    assert panel.points.value() == 41  # the grid this size of network gets
    panel.points.setValue(5)
    shown = computed(w, qtbot)
    assert np.asarray(shown["loss"]).shape == (5, 5) and shown["along"][0] == "random (seed 0)"

    w.open_path(str(GD))
    panel.along[0].setCurrentIndex(panel.along[0].findData("random"))
    panel.along[1].setCurrentIndex(panel.along[1].findData("random"))
    assert computed(w, qtbot) is None
    assert "same line" in panel.status.text()  # one weight has one random direction


def test_a_big_network_gets_a_coarser_grid(window, tmp_path):
    save(from_spec("784-1000-1000-10", "relu", "softmax"), tmp_path / "big.json")
    assert window.open_path(tmp_path / "big.json")
    assert window.surface.points.value() == 11
    assert [box.currentData() for box in window.surface.along] == ["random", "random"]
    assert window.surface.along[0].count() == 1  # 1.79 M numbers are not offered one by one
    window.open_example("xor-2-2-1")
    assert window.surface.points.value() == 41


def test_a_weight_and_a_bias_of_mnist_are_picked_on_the_canvas(trained_window, qtbot):
    from tests.gui.drive import click
    w = trained_window
    w.open_example("mnist-784-32-10")
    w.docks["Loss surface"].raise_()
    panel = w.surface
    assert panel.along[0].count() == 1  # 25,450 numbers are not listed one by one
    QTest.mouseClick(panel.findChildren(QToolButton)[0], Qt.MouseButton.LeftButton)
    assert "Select one connection" in panel.status.text()
    net = w.doc.network
    hidden, output = int(net.layers[1].neurons[3]), int(net.layers[2].neurons[7])
    w.scene.select_connection((hidden, output))
    QTest.mouseClick(panel.findChildren(QToolButton)[0], Qt.MouseButton.LeftButton)
    w.scene.select_connection(None)
    click(w, *net.pos[net.index(output)])  # the neuron, with the mouse: its bias
    assert w.scene.selected_ids() == [output]
    QTest.mouseClick(panel.findChildren(QToolButton)[1], Qt.MouseButton.LeftButton)
    assert [box.currentData() for box in panel.along] == [f"#{hidden}:#{output}", f"#{output}"]
    panel.points.setValue(5)
    shown = computed(w, qtbot)
    job = w.training.job()
    trainer = trainer_of({**job, "config": {**job["config"], "init": "keep"}})
    mine = surface.compute(trainer, [surface.named(trainer, f"#{hidden}:#{output}"),
                                     surface.named(trainer, f"#{output}")], 1.0, 5)
    assert np.allclose(np.asarray(shown["loss"]), mine.loss)
    assert shown["loss"][2][2] == shown["centre"]  # the middle is the network as it is

    w.doc.undo.setClean()
    w.open_example("mnist-784-15-10")  # the picks were the last network's
    assert [box.count() for box in panel.along] == [1, 2] and not panel.picked
