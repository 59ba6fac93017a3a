"""Connections at MNIST scale: bundles of pictures instead of a wall of lines, every weight a
pixel that can be clicked, and all of one neuron's connections when it is hovered or selected."""
import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtTest import QTest

from gui.canvas.edges_item import STRONGEST
from gui.canvas.style import POSITIVE
from gui.commands import SetWeight
from tests.gui.drive import at, click


def picture_pixel(window, k, r, c):
    """Scene point at the middle of pixel (r, c) of hidden neuron k's picture."""
    bundle = window.scene.edges.bundles[0]
    x, y, w, h = bundle.rects[k]
    return x + (c + 0.5) * w / 28, y + (r + 0.5) * h / 28


def test_mnist_layers_are_bundles_with_only_their_strongest_lines(window):
    window.open_example("mnist-784-32-10")
    edges, net = window.scene.edges, window.doc.network
    assert [b.shape for b in edges.bundles] == [(28, 28), (1, 32)]  # a tile, then a column
    blocks = [np.arange(len(net.weight))[b.conns] for b in edges.bundles]
    assert [len(b) for b in blocks] == [784 * 32, 32 * 10]
    assert np.array_equal(np.concatenate(blocks), np.arange(len(net.weight)))  # nothing left over
    first = blocks[0]
    drawn = np.intersect1d(edges._drawn, first)
    assert len(drawn) == STRONGEST  # of 25,088
    assert np.abs(net.weight[drawn]).min() >= np.sort(np.abs(net.weight[first]))[-STRONGEST]


def test_a_click_on_a_picture_pixel_selects_that_weight_and_an_edit_recolours_it(window, qtbot):
    window.open_example("mnist-784-32-10")
    net, view = window.doc.network, window.view
    tile, hidden = net.layers[0].neurons, net.layers[1].neurons
    view.resetTransform()
    view.zoom(6.0)
    x, y = picture_pixel(window, 3, 10, 17)
    view.centerOn(QPointF(x, y))
    click(window, x, y)
    pair = (tile[10 * 28 + 17], hidden[3])
    assert window.scene.selected_connection == pair
    assert window.inspector.connection_title.text() == f"Connection neuron {pair[0]} → neuron {pair[1]}"
    window.doc.push(SetWeight(net, *pair, 40.0))  # the largest of its picture: full blue
    qtbot.waitUntil(lambda: view.viewport().grab().toImage().pixelColor(at(window, x, y)) == POSITIVE)


def test_hovering_or_selecting_a_neuron_draws_all_its_connections(window, qtbot):
    window.open_example("mnist-784-32-10")
    net, view, edges = window.doc.network, window.view, window.scene.edges
    hidden = net.layers[1].neurons[7]
    row = net.index(hidden)
    mine = np.flatnonzero((net.dst == hidden) | (net.src == hidden))
    assert len(mine) == 784 + 10 and not np.isin(mine, edges._drawn).all()
    hx, hy = net.pos[row]
    view.centerOn(QPointF(hx, hy))
    QTest.mouseMove(view.viewport(), at(window, hx, hy))
    qtbot.waitUntil(lambda: edges.focus == row)
    assert np.array_equal(np.sort(edges._focus_conns), mine)
    QTest.mouseMove(view.viewport(), at(window, hx + 55, hy + 33))  # off it: nothing in focus
    qtbot.waitUntil(lambda: edges.focus is None)
    output = int(net.outputs[2])
    click(window, *net.pos[net.index(output)])  # selected: in focus until deselected
    qtbot.waitUntil(lambda: edges.focus == net.index(output))
    assert len(edges._focus_conns) == 32
    QTest.mouseMove(view.viewport(), at(window, hx + 55, hy + 33))
    window.scene.clearSelection()
    qtbot.waitUntil(lambda: edges.focus is None)
