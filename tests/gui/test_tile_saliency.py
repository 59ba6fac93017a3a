"""Beside the canvas's 28×28 input tile: what the answer rests on, ∂a_k/∂x and gradient × input
of the answer k as the engine works them out, under the tile, following the digit fed (F7),
switched off from the View menu, and gone for a network without a tile."""
import numpy as np
from PySide6.QtWidgets import QApplication

from engine.backprop import saliency
from engine.digits import input_tile
from tests.gui.drive import choose, shortcut
from tests.gui.test_mnist_dock import tile_values


def expected(window):
    net, trace = window.doc.network, window.doc.trace
    grad, times_input = saliency(net, trace.a[0][trace.plan.inputs], int(trace.predicted()[0]))
    pixels = net.index(input_tile(net).neurons)
    return grad[pixels], times_input[pixels]


def test_the_tiles_saliency_follows_the_digit_and_goes_with_the_tile(qtbot, window):
    shown = window.tile_saliency
    window.open_example("mnist-784-32-10")
    qtbot.waitUntil(lambda: shown.values is not None)
    grad, times_input = expected(window)
    assert np.array_equal(shown.values[0], grad) and np.array_equal(shown.values[1], times_input)
    net = window.doc.network
    bottom = net.pos[net.index(input_tile(net).neurons)][:, 1].max()
    window.view.fit()
    seen = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    for item in shown.pictures:  # under the tile, in the fitted view
        assert item.isVisible() and item.sceneBoundingRect().top() > bottom
        assert seen.contains(item.sceneBoundingRect()) and not item.pixmap().isNull()
    before = shown.values[0].copy()
    first = tile_values(window).copy()

    shortcut(window, "F7")  # the next test digit
    qtbot.waitUntil(lambda: not np.array_equal(tile_values(window), first))
    qtbot.waitUntil(lambda: not np.array_equal(shown.values[0], before))
    assert np.array_equal(shown.values[0], expected(window)[0])

    choose(window, "View", "Saliency Beside the Digit")  # off, and kept so
    assert not any(item.isVisible() for item in shown.pictures)
    assert window.prefs["tile_saliency"] is False
    choose(window, "View", "Saliency Beside the Digit")
    assert all(item.isVisible() for item in shown.pictures)

    window.open_example("xor-2-2-1")  # no tile: nothing beside it
    qtbot.waitUntil(lambda: shown.values is None)
    assert not any(item.isVisible() for item in (*shown.pictures, *shown.captions))
    QApplication.processEvents()
