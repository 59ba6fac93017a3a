"""MNIST readable at first sight in a laptop's 1280×800 window, zoom from the keyboard about the
middle, Fit, and a network of 1000-neuron layers laid out side by side."""
import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtTest import QTest

from engine import io
from engine.build import PIXEL, from_spec
from gui.canvas.neuron_item import TEXT_BELOW_PX
from gui.canvas.style import RADIUS
from tests.gui.drive import shortcut


def _zoom(window) -> float:
    return window.view.transform().m11()


def _visible(window) -> QRectF:
    return window.view.mapToScene(window.view.viewport().rect()).boundingRect()


def test_mnist_opens_readable_in_a_1280_by_800_window(qtbot, window):
    assert (window.width(), window.height()) == (1280, 800)
    window.open_example("mnist-784-32-10")
    view = window.view.viewport()
    assert view.width() * view.height() >= 0.5 * 1280 * 800  # the canvas is the largest thing
    zoom = _zoom(window)
    assert 28 * PIXEL * zoom >= 112  # the digit on the input tile
    # each output's label, bar and percentage are drawn, in text at least 9 pixels tall
    assert 2 * RADIUS * zoom >= TEXT_BELOW_PX
    font_px = 9 * view.logicalDpiY() / 72 * zoom
    assert font_px >= 9
    net, seen = window.doc.network, _visible(window)
    for nid in net.outputs.tolist():
        assert seen.contains(window.scene.neurons[nid].sceneBoundingRect())
    qtbot.waitUntil(lambda: sum(window.scene.neurons[n].predicted for n in net.outputs.tolist()) == 1)
    assert window.docks["MNIST"].widget().visibleRegion().isEmpty() is False


def test_keyboard_zoom_keeps_the_middle_and_fit_shows_everything(window):
    window.open_example("xor-2-2-1")
    view = window.view
    corner = view.viewport().rect().topLeft() + QPoint(5, 5)
    QTest.mouseMove(view.viewport(), corner)  # the wheel would zoom about here; keys do not
    middle = view.mapToScene(view.viewport().rect().center())
    shortcut(window, "Ctrl++")
    shortcut(window, "Ctrl++")
    after = view.mapToScene(view.viewport().rect().center())
    assert _zoom(window) > 1.5 and (after - middle).manhattanLength() < 3 / _zoom(window)
    shortcut(window, "Ctrl+0")
    seen = _visible(window)
    for item in window.scene.neurons.values():  # with its bias above and its label below
        assert seen.contains(item.sceneBoundingRect())


def test_784_1000_1000_10_fits_with_its_four_layers_side_by_side(window, tmp_path):
    net = from_spec("784-1000-1000-10", "relu", "softmax")
    io.save(net, tmp_path / "big.json")
    assert window.open_path(tmp_path / "big.json")
    seen, zoom = _visible(window), _zoom(window)
    spans = []
    for layer in window.doc.network.layers:
        pos = window.doc.network.pos[np.atleast_1d(window.doc.network.index(layer.neurons))]
        lo, hi = pos.min(0), pos.max(0)
        assert seen.contains(QPointF(*lo)) and seen.contains(QPointF(*hi))
        spans.append((lo[0], hi[0]))
        assert (hi - lo).max() * zoom >= 80  # a block on screen, not a thin strip
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))  # left to right, no overlap
