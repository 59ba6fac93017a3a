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


def _right_click(window, x, y):
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu
    vp = window.view.viewport()
    pos = at(window, x, y)
    QApplication.sendEvent(vp, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, vp.mapToGlobal(pos)))
    menus = [m for m in window.view.findChildren(QMenu) if m.isVisible()]
    assert len(menus) == 1
    return menus[0]


def _choose(menu, text):
    action = next(a for a in menu.actions() if a.text() == text)
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def test_the_context_menu_freezes_a_neuron_its_layer_and_a_connection(qtbot, window):
    from engine.build import from_spec
    w = window
    net = from_spec("2-3-1", "sigmoid")
    w.doc.replace(net)
    w.view.fit()
    hidden = [int(i) for i in net.ids[net.role == 1]]
    menu = _right_click(w, *net.pos[net.index(hidden[0])])
    assert [a.text() for a in menu.actions()] == [
        "Freeze Neuron", "Freeze Bias Only", f"Freeze Layer “{net.layers[1].name}”"]
    _choose(menu, "Freeze Bias Only")
    assert net.frozen_biases == {hidden[0]} and not net.frozen_masks()[0].any()
    shortcut(w, "Ctrl+Z")
    assert not net.frozen_biases
    menu = _right_click(w, *net.pos[net.index(hidden[0])])
    _choose(menu, f"Freeze Layer “{net.layers[1].name}”")
    assert net.frozen_biases == set(hidden) and w.doc.undo.undoText() == "Freeze 3 neurons"
    assert net.frozen_masks()[0].sum() == 6  # their incoming weights
    menu = _right_click(w, *net.pos[net.index(hidden[1])])
    assert menu.actions()[0].text() == "Unfreeze Neuron"
    menu.close()
    # a connection from the hidden layer to the output, at its middle
    k = int(np.flatnonzero(net.dst == net.outputs[0])[0])
    mid = (net.pos[net.index(int(net.src[k]))] + net.pos[net.index(int(net.dst[k]))]) / 2
    before = w.view.viewport().grab().toImage()
    _choose(_right_click(w, *mid), "Freeze Connection")
    assert net.weight_frozen(int(net.src[k]), int(net.dst[k]))
    qtbot.waitUntil(lambda: w.view.viewport().grab().toImage() != before)  # its padlock
    assert list(w.scene.edges.frozen) == sorted(np.flatnonzero(net.frozen_masks()[0]).tolist())
