"""A convolutional network in the window: made from the spec dialog, its feature maps as tiles
that follow the digit on the inputs, its kernels beside them following the weights, trained
from the Train button; and the next network opened leaves none of it behind."""
import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QDialog, QDialogButtonBox

from engine import activations
from engine.build import PIXEL, from_spec
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


def zoom_on(w, x: float, y: float, scale: float = 4.0) -> None:
    w.view.resetTransform()
    w.view.scale(scale, scale)
    w.view.centerOn(x, y)


def test_a_clicked_unit_shows_its_window_kernel_and_formula_and_a_kernel_weight_its_sharers(
        qtbot, window):
    from engine.explain import neuron_formula
    from tests.gui.drive import click
    w = window
    w.open_example("mnist-conv8-conv16")
    net = w.doc.network
    conv2 = net.layers[3]  # 16 maps of 11×11, reading pool 1's 8 maps of 13×13
    unit = conv2.neurons[2 * 121 + 4 * 11 + 5]  # map 3, row 4, column 5
    x, y = net.pos[net.index(unit)]
    zoom_on(w, x, y)
    click(w, x, y)
    assert w.scene.selected_ids() == [unit] and w.scene.field.count == 8 * 9
    assert w.inspector.formula.text() == "\n".join(neuron_formula(net, w.doc.trace, unit))
    assert "window of pool 1, kernel 3" in w.inspector.formula.text()
    assert w.scene.maps["conv 2"].marked == 2 and w.scene.maps["conv 1"].marked is None
    # a kernel pixel: map 3's kernel, channel 1, its centre
    corner = net.pos[net.index(conv2.neurons[2 * 121])]
    width = 8 * 4 - 1
    kx = corner[0] - PIXEL / 2 - (width + 1) * PIXEL / 2 + 1.5 * PIXEL / 2
    ky = corner[1] - PIXEL / 2 + 1.5 * PIXEL / 2
    zoom_on(w, kx, ky, 8.0)
    click(w, kx, ky)
    pair = w.scene.selected_connection
    k = net.connection_index(*pair)
    assert net.weight[k] == conv_kernels(net, 1)[2, 0, 1, 1]  # map 3, channel 1, row 1, column 1
    assert w.scene.selected_unit is None and w.scene.field.count == 11 * 11  # every unit of map 3
    w.doc.undo.setClean()
    w.open_example("xor-2-2-1")  # nothing of it survives into the next network
    assert w.scene.field.count == 0 and w.scene.selected_unit is None


def conv_kernels(net, k: int) -> np.ndarray:
    """The kernels of the network's k-th convolution, maps × channels × rows × columns."""
    from engine.plan import make_plan
    return [lv for lv in make_plan(net).levels
            if lv.conv is not None and lv.conv[0].kind == "conv"][k].dense(net.weight)


def test_the_forward_pass_fills_each_map_as_its_window_slides_over_the_layer_below(qtbot, window):
    w = window
    w.open_example("mnist-conv8-conv16")
    maps, field = w.scene.maps, w.scene.field
    qtbot.waitUntil(lambda: w.doc.inputs != {})  # the test digit on the inputs
    whole = {name: item._tiles.copy() for name, item in maps.items()}
    shortcut(w, "F6")  # to the end of level 1: conv 1 computed, the rest blank
    assert np.array_equal(maps["conv 1"]._tiles, whole["conv 1"])
    assert (maps["pool 1"]._tiles == 0xFFFFFFFF).all() and (maps["conv 2"]._tiles == 0xFFFFFFFF).all()
    played = []
    w.propagation.ms_per_level = 1000
    w.propagation.levelReached.connect(played.append)
    seen = []

    def look(_value):
        if 1.2 < w.propagation.position < 1.8:  # level 1 + 0.2…0.8: pool 1 under way
            seen.append(((maps["pool 1"]._tiles == 0xFFFFFFFF).mean(), field.count))
    w.propagation.timeline.valueChanged.connect(look)
    with qtbot.waitSignal(w.propagation.finished, timeout=20000):
        shortcut(w, "F5")
    assert seen and all(0 < blank < 1 and count == 4 for blank, count in seen)  # a 2×2 window
    assert all(np.array_equal(item._tiles, whole[name]) for name, item in maps.items())
    assert field.count == 0 and played[:5] == [1, 2, 3, 4, 5]


def fill_dialog(changes, then_ok=True):
    """Once the modal dialog is up and focused: each (widget, text) typed in, then OK."""
    def act():
        d = QApplication.activeModalWidget()
        if not isinstance(d, QDialog) or not d.isVisible() or QApplication.focusWidget() is None:
            QTimer.singleShot(10, act)
            return
        for name, text in changes:
            box = getattr(d, name)
            box.setFocus()
            if isinstance(box, QAbstractSpinBox):  # no Return: that would press OK
                QTest.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            QTest.keyClicks(box, text)  # a closed combo box picks the item typed
        QTest.mouseClick(d.findChild(QDialogButtonBox).button(
            QDialogButtonBox.StandardButton.Ok if then_ok else QDialogButtonBox.StandardButton.Cancel),
            Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, act)


def test_insert_builds_a_convolution_then_pooling_then_a_dense_layer_each_one_undo_step(
        qtbot, window):
    from tests.gui.drive import click
    w = window
    w.open_example("mnist-784-32-10")
    net = w.doc.network
    pixel = net.layers[0].neurons[100]
    zoom_on(w, *net.pos[net.index(pixel)])
    click(w, *net.pos[net.index(pixel)])  # a pixel of the input image: the layer to read
    fill_dialog([("maps", "4"), ("size", "5")])
    shortcut(w, "Ctrl+Shift+L")
    conv = net.layers[-1]
    assert (conv.name, conv.shape, conv.conv.source) == ("conv 1", (4, 24, 24), "input")
    assert w.doc.undo.undoText() == "Add convolution layer" and "conv 1" in w.scene.maps
    kernels = conv_kernels(net, 0)
    assert kernels.shape == (4, 1, 5, 5) and kernels.std() > 0  # He-drawn, not zeros
    unit = conv.neurons[0]
    zoom_on(w, *net.pos[net.index(unit)])
    click(w, *net.pos[net.index(unit)])
    assert w.scene.selected_ids() == [unit]
    fill_dialog([("kind", "max"), ("size", "2")])
    shortcut(w, "Ctrl+Shift+L")
    pool = net.layers[-1]
    assert (pool.name, pool.shape, pool.conv.kind, pool.conv.stride) == ("pool 1", (4, 12, 12),
                                                                          "pool", 2)
    click(w, *net.pos[net.index(pool.neurons[5])])
    fill_dialog([("size", "10")])
    shortcut(w, "Ctrl+L")  # a dense layer from a map's unit: from its whole layer
    dense = net.layers[-1]
    assert len(dense.neurons) == 10 and (np.isin(net.src[np.isin(net.dst, dense.neurons)],
                                                 pool.neurons)).all()
    assert (net.dst == dense.neurons[0]).sum() == 4 * 12 * 12
    x = np.array([w.doc.inputs.get(n, 0.0) for n in net.layers[0].neurons])
    assert np.allclose(w.doc.trace.a[0], forward(net, x).a[0])
    for _ in range(3):
        shortcut(w, "Ctrl+Z")
    assert [layer.name for layer in net.layers] == ["input", "hidden 1", "output"]
    assert w.scene.maps == {}
    # a convolution after a dense layer is refused, with why
    click(w, *net.pos[net.index(net.layers[1].neurons[0])])
    fill_dialog([])
    shortcut(w, "Ctrl+Shift+L")
    assert [layer.name for layer in net.layers] == ["input", "hidden 1", "output"]


def test_a_kernel_of_many_channels_wraps_in_rows_and_each_pixel_selects_its_own_weight(
        qtbot, window):
    from tests.gui.drive import click
    w = window
    new_from_spec(qtbot, w, "28x28-conv12k3-pool2-conv4k3-pool2-10")
    net = w.doc.network
    item = w.scene.maps["conv 2"]  # 4 maps reading 12 channels: rows of 8 and 4
    assert item._kernels.shape == (4 * (2 * 4 - 1), 8 * 4 - 1)
    corner = net.pos[net.index(net.layers[3].neurons[121])] - PIXEL / 2  # map 2's top left
    width = 8 * 4 - 1
    channel, dy, dx = 10, 2, 1  # the second row's third kernel
    kx = corner[0] - (width + 1) * PIXEL / 2 + ((channel - 8) * 4 + dx + 0.5) * PIXEL / 2
    ky = corner[1] + (4 + dy + 0.5) * PIXEL / 2
    zoom_on(w, kx, ky, 10.0)
    click(w, kx, ky)
    k = net.connection_index(*w.scene.selected_connection)
    assert net.weight[k] == conv_kernels(net, 1)[1, channel, dy, dx]


def test_delete_on_a_unit_takes_its_layer_and_what_reads_it_and_select_all_takes_everything(
        qtbot, window):
    from tests.gui.drive import click
    w = window
    w.open_example("mnist-conv8-conv16")
    net = w.doc.network
    start = net.copy()
    unit = net.layers[3].neurons[40]  # conv 2: it goes, and pool 2, which reads it
    zoom_on(w, *net.pos[net.index(unit)])
    click(w, *net.pos[net.index(unit)])
    shortcut(w, "Delete")
    assert [layer.name for layer in net.layers] == ["input", "conv 1", "pool 1", "output"]
    assert sorted(w.scene.maps) == ["conv 1", "pool 1"] and net.n_connections == 8 * 9
    shortcut(w, "Ctrl+Z")
    assert np.array_equal(net.weight, start.weight) and net.layers == start.layers
    w.view.fit()
    shortcut(w, "Ctrl+A")  # every neuron drawn, and the input image: the maps go with it
    shortcut(w, "Delete")
    assert net.n_neurons == 0 and w.scene.maps == {}
    shortcut(w, "Ctrl+Z")
    assert net.n_neurons == start.n_neurons and sorted(w.scene.maps) == sorted(
        layer.name for layer, _ in start.conv_layers())
