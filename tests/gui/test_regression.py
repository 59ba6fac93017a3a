"""A 1-input network fits sin x in the window: the Decision boundary dock draws its output as a
curve over the data, live."""
import numpy as np
from PySide6.QtCore import Qt

from engine.build import from_spec
from engine.datasets.registry import load
from engine.init import initialise
from engine.trace import forward


def test_training_bends_the_curve_onto_sin(qtbot, trained_window):
    w = trained_window
    net = from_spec("1-12-1", "tanh", "linear")
    initialise(net, "xavier", seed=0)
    w.doc.replace(net)
    assert w.doc.settings.get("dataset") == "sin" and w.doc.settings.get("loss") == "mse"
    w.doc.settings.update({"optimizer": "adam", "lr": 0.02, "batch_size": 32, "epochs": 150})
    w.docks["Decision boundary"].raise_()
    qtbot.waitUntil(lambda: w.boundary.curve_plot is not None and w.boundary.curve_plot.isVisible())
    xs, before = w.boundary.curve.getData()
    data = load("sin")
    assert np.array_equal(w.boundary.curve_points.getData()[1], data.y_train[:, 0])
    with qtbot.waitSignal(w.client.finished, timeout=60000):
        qtbot.mouseClick(w.training.buttons["train"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not np.array_equal(w.boundary.curve.getData()[1], before))
    after = w.boundary.curve.getData()[1]
    assert np.allclose(after, forward(w.doc.network, xs[:, None]).outputs[:, 0])
    inside = np.abs(xs) <= np.pi
    assert np.abs(after - np.sin(xs))[inside].max() < 0.2 < np.abs(before - np.sin(xs))[inside].max()
    assert "test loss" in w.training.status.text()
