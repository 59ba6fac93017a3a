"""The − and + above each hidden layer: a neuron fewer or more, its connections following, one
undo step each."""
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from engine.build import from_spec
from engine.init import initialise
from engine.trace import truth_table
from tests.gui.drive import shortcut


def press(w, layer, delta):
    item = w.scene.layer_buttons[layer]
    centre = item.mapToScene(item._button(delta).center())
    QTest.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=w.view.mapFromScene(centre))


def test_plus_and_minus_grow_and_shrink_a_hidden_layer(qtbot, window):
    w = window
    net = from_spec("2-3-2-1", "tanh", "sigmoid")
    initialise(net, "xavier", seed=0)
    w.doc.replace(net)
    w.view.fit()
    assert sorted(w.scene.layer_buttons) == ["hidden 1", "hidden 2"]  # not the inputs, outputs
    before = truth_table(net).outputs.copy()
    press(w, "hidden 1", +1)
    layer = next(lay for lay in net.layers if lay.name == "hidden 1")
    new = layer.neurons[-1]
    assert len(layer.neurons) == 4 and w.doc.undo.undoText() == "Add a neuron to hidden 1"
    assert sorted(net.src[net.dst == new].tolist()) == sorted(net.ids[net.role == 0].tolist())
    assert len(net.dst[net.src == new]) == 2  # to each neuron of the next layer
    assert net.neuron(new).activation == "tanh" and new in w.scene.neurons
    assert w.scene.layer_buttons["hidden 1"].size == 4
    press(w, "hidden 2", -1)
    assert len(next(lay for lay in net.layers if lay.name == "hidden 2").neurons) == 1
    press(w, "hidden 2", -1)  # the last neuron of a layer stays
    assert w.doc.undo.undoText() == "Remove a neuron from hidden 2"
    assert len(next(lay for lay in net.layers if lay.name == "hidden 2").neurons) == 1
    shortcut(w, "Ctrl+Z")
    shortcut(w, "Ctrl+Z")
    assert net.n_neurons == 8 and np.array_equal(truth_table(net).outputs, before)
    shortcut(w, "Ctrl+Shift+Z")
    assert len(next(lay for lay in net.layers if lay.name == "hidden 1").neurons) == 4
