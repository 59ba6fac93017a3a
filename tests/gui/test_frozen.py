"""Freeze a neuron by hand in the Inspector: a lock on the canvas, one undo step, and training
leaves its bias and incoming weights exactly as set while the rest learns."""
import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest

from tests.gui.drive import at, click, shortcut, type_into
from tests.gui.test_live_training import press


def _pixels_around(window, nid):
    net = window.doc.network
    x, y = net.pos[net.index(nid)]
    centre = at(window, x, y)
    return window.view.viewport().grab(QRect(centre.x() - 40, centre.y() - 40, 80, 80)).toImage()


def test_a_frozen_hidden_neuron_keeps_its_numbers_through_a_run(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")
    net = w.doc.network
    h = int(net.ids[net.role == 1][0])
    x, y = net.pos[net.index(h)]
    click(w, x, y)
    before_picture = _pixels_around(w, h)
    QTest.mouseClick(w.inspector.frozen, Qt.MouseButton.LeftButton,
                     pos=w.inspector.frozen.rect().center())
    assert w.doc.undo.undoText() == "Freeze neuron" and w.scene.neurons[h].frozen
    qtbot.waitUntil(lambda: _pixels_around(w, h) != before_picture)  # the lock is drawn
    into = net.dst == h
    kept_w, kept_b = net.weight[into].copy(), float(net.bias[net.index(h)])
    others = net.weight[~into].copy()
    type_into(w.training.epochs, "200")
    with qtbot.waitSignal(w.client.finished, timeout=30000):
        press(w, "train")
    assert np.array_equal(net.weight[into], kept_w) and net.bias[net.index(h)] == kept_b
    assert not np.array_equal(net.weight[~into], others)  # the rest learned
    shortcut(w, "Ctrl+Z")  # the run
    shortcut(w, "Ctrl+Z")  # the epochs
    shortcut(w, "Ctrl+Z")  # the freeze
    assert not net.frozen_biases and not len(net.frozen_weights) and not w.inspector.frozen.isChecked()


def test_a_connection_can_be_frozen_alone(window, qtbot):
    window.open_example("xor-2-2-1")
    net = window.doc.network
    pair = (int(net.src[0]), int(net.dst[0]))
    window.scene.select_connection(pair)
    box = window.inspector.weight_frozen
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert np.flatnonzero(net.frozen_masks()[0]).tolist() == [net.connection_index(*pair)]
    assert not net.frozen_biases
    assert window.doc.undo.undoText() == "Freeze connection" and box.isChecked()
