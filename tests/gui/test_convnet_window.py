"""A convolutional network in the window: made from the spec dialog, its feature maps as tiles
that follow the digit on the inputs, its kernels beside them following the weights, trained
from the Train button; and the next network opened leaves none of it behind."""
import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from engine import activations
from engine.build import from_spec
from engine.trace import forward
from gui.canvas.maps_item import MapsItem
from tests.gui.drive import choose, shortcut
from tests.gui.test_live_training import press

SPEC = "28x28-conv4k3-pool2-conv6k3-pool2-10"


def new_from_spec(qtbot, window, spec: str) -> None:
    """File ▸ New from Spec…, the spec typed into it, OK clicked."""
    def fill_and_press_ok():
        d = QApplication.activeModalWidget()
        if not isinstance(d, QDialog) or not d.isVisible() or QApplication.focusWidget() is None:
            QTimer.singleShot(10, fill_and_press_ok)
            return
        d.spec.setFocus()
        QTest.keyClick(d.spec, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(d.spec, spec)
        for box, name in ((d.hidden, "relu"), (d.output, "softmax")):
            box.setFocus()
            QTest.keyClicks(box, name)  # a closed combo box picks the item typed
        QTest.mouseClick(d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_and_press_ok)
    choose(window, "File", "New from Spec…")
    qtbot.waitUntil(lambda: len(window.doc.network.layers) == 6)


def picture(item: MapsItem) -> bytes:
    return item._tiles.tobytes()


def test_a_convnet_shows_its_maps_and_kernels_and_trains_from_the_train_button(qtbot,
                                                                              trained_window):
    w = trained_window
    new_from_spec(qtbot, w, SPEC)
    net = w.doc.network
    assert activations.NAMES[net.act[net.index(net.layers[1].neurons[0])]] == "relu"
    assert [layer.name for layer in net.layers] == ["input", "conv 1", "pool 1", "conv 2",
                                                   "pool 2", "output"]
    maps = w.scene.maps
    assert sorted(maps) == ["conv 1", "conv 2", "pool 1", "pool 2"]
    units = [n for layer in net.layers[1:5] for n in layer.neurons]
    assert not set(units) & set(w.scene.neurons)  # pixels of tiles, never an item each
    # the tiles are the trace's activations: map 2 of conv 1, for the digit on the inputs
    qtbot.waitUntil(lambda: w.doc.inputs != {})
    a = w.doc.trace.a[0, net.index(net.layers[1].neurons)].reshape(4, 26, 26)
    tiles = maps["conv 1"]._tiles.reshape(4, 26, 26) & 0xFF
    lo, hi = min(a.min(), 0.0), max(a.max(), 0.0)  # 0 black, as a ReLU's silence
    assert np.abs(tiles - np.round((a - lo) / (hi - lo) * 255)).max() <= 1
    kernels_before = maps["conv 2"]._kernels.copy()
    assert kernels_before.shape == (6 * 3, 4 * 4 - 1)  # 6 maps' 3×3 kernels over 4 channels
    tiles_before = picture(maps["pool 2"])

    w.doc.settings.update({"epochs": 1, "optimizer": "adam", "lr": 0.001, "batch_size": 32,
                           "init": "he"})
    with qtbot.waitSignal(w.client.finished, timeout=120000):
        press(w, "train")
    qtbot.waitUntil(lambda: not np.array_equal(maps["conv 2"]._kernels, kernels_before))
    assert picture(maps["pool 2"]) != tiles_before  # new weights, new maps for the digit
    run = w.plots.runs[-1]
    assert run.epochs["test_accuracy"][-1] > 0.5  # from 10% untrained, on the bundled subset
    x = np.array([w.doc.inputs.get(n, 0.0) for n in net.layers[0].neurons])
    assert np.allclose(w.doc.trace.outputs[0], forward(net, x).outputs[0])

    w.doc.undo.setClean()
    w.open_example("xor-2-2-1")  # another network: no tile of the last one stays
    assert w.scene.maps == {} and not [i for i in w.scene.items() if isinstance(i, MapsItem)]
    shortcut(w, "Ctrl+Z") if w.doc.undo.canUndo() else None
    assert len(w.scene.neurons) == w.doc.network.n_neurons


def test_a_convnet_too_big_for_the_window_is_still_one_it_draws():
    """The window's limit counts the neurons it draws one by one: the Keras tiny convnet's
    36,394 units are pixels of its maps."""
    from gui.document import size_problem, spec_size
    neurons, connections = spec_size("28x28-conv32k3-pool2-conv64k3-pool2-10")
    assert (neurons, connections) == (794, 34_720)
    assert size_problem(neurons, connections) is None
    assert from_spec("28x28-conv32k3-pool2-conv64k3-pool2-10").n_neurons == 37_178


def test_learn_one_sample_shows_delta_maps_on_the_tiles_and_applies_one_update(qtbot, window):
    from engine.backprop import backprop
    from gui.canvas.maps_item import signed_maps
    from tests.gui.test_learning import next_step
    w = window
    w.open_example("mnist-conv8-conv16")
    net, maps = w.doc.network, w.scene.maps
    shortcut(w, "F8")
    assert w.learning.stages == ["forward", "cost"] + [f"backward {k}" for k in range(5)] + \
        ["update"]
    grey = {name: item._tiles.copy() for name, item in maps.items()}
    for _ in range(3):  # the outputs' δ, then pool 2's: its tiles turn to δ, conv 2's not yet
        next_step(qtbot, w)
    x, found = w.doc.input_vector(), w.learning.found
    expected = backprop(net, x, found.target, "ce")
    pool = net.index(net.layers[4].neurons)
    assert np.allclose(found.delta[pool], expected.delta[pool], atol=1e-12)
    assert np.array_equal(maps["pool 2"]._tiles, signed_maps(found.delta[pool].reshape(16, 5, 5)))
    assert np.array_equal(maps["conv 2"]._tiles, grey["conv 2"])
    assert "feature maps, on their tiles" in w.learning.text.text()
    while w.learning.buttons["next"].isEnabled():
        next_step(qtbot, w)
    before = net.weight.copy()
    qtbot.mouseClick(w.learning.buttons["apply"], Qt.MouseButton.LeftButton)
    assert np.allclose(net.weight, before - 0.001 * expected.grad_w)
    shortcut(w, "F8")  # off: the tiles show activations again
    assert all(item._deltas is None for item in maps.values())
