"""A network of more than two inputs gets its decision boundary as a slice: two chosen inputs
across and up, the others fixed at their values on the canvas; the picture is the network's own
output there, and the samples drawn are those on the slice."""
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from engine.trace import forward, grid
from gui.canvas.neuron_maps import REDRAW_MS, SIZE, picture, plane_lut
from gui.panels.boundary import RESOLUTION


def _shown(panel) -> np.ndarray:
    return np.asarray(panel.image.image)


def test_the_cheese_festivals_three_inputs_are_sliced_two_at_a_time(qtbot, window):
    window.open_example("cheese-festival")
    window.docks["Decision boundary"].raise_()
    panel = window.boundary
    qtbot.waitUntil(lambda: panel.plot is not None and panel.plot.isVisible())
    net = window.doc.network
    assert panel.slice_row.isVisible() and panel.across.count() == 3 and panel.axes == (0, 1)
    assert "= 0" in panel.fixed_note.text() and not panel.paint.button.isEnabled()
    (x0, x1), (y0, y1) = window.doc.settings.plane()
    corner = forward(net, np.array([[x0, y0, 0.0]])).a[0, net.index(net.outputs[0])]
    assert np.isclose(_shown(panel)[0, 0], corner)  # row 0 is the bottom: (x0, y0)
    assert len(panel.points.data) == 4  # the rows with the third input 0

    third = int(net.inputs[2])
    window.doc.set_input(third, 1.0)  # the slice moves with the canvas's value
    corner = forward(net, np.array([[x0, y0, 1.0]])).a[0, net.index(net.outputs[0])]
    assert np.isclose(_shown(panel)[0, 0], corner) and "= 1" in panel.fixed_note.text()
    on_slice = np.column_stack(panel.points.getData())
    assert len(on_slice) == 4 and {tuple(p) for p in on_slice} == {(0, 0), (0, 1), (1, 0), (1, 1)}

    panel.up.setFocus()
    QTest.keyClick(panel.up, Qt.Key.Key_Down)  # up the picture: the third input
    assert panel.axes == (0, 2) and panel.up.currentIndex() == 2
    window.doc.set_input(int(net.inputs[1]), 1.0)
    expected = grid(net, (x0, x1), (y0, y1), RESOLUTION, (0, 2), np.array([0.0, 1.0, 1.0]))
    out = expected.a[:, net.index(net.outputs[0])].reshape(RESOLUTION, RESOLUTION)
    assert np.allclose(_shown(panel), out)
    assert panel.plot.getPlotItem().getAxis("left").labelText == panel.up.currentText()
    qtbot.wait(REDRAW_MS * 3)  # the canvas's pictures: the output's over the same slice
    small = grid(net, (x0, x1), (y0, y1), SIZE, (0, 2), np.array([0.0, 1.0, 1.0]))
    column = net.index(net.outputs[0])
    drawn = window.scene.neurons[int(net.outputs[0])].picture
    assert drawn is not None and drawn == picture(small.a[:, column], plane_lut())

    QTest.keyClick(panel.up, Qt.Key.Key_Up)
    QTest.keyClick(panel.up, Qt.Key.Key_Up)  # onto the axis across: across takes the other
    assert panel.axes[0] != panel.axes[1]

    window.doc.undo.setClean()
    window.open_example("xor-2-2-1")  # two inputs: the whole plane, no slice, axes forgotten
    assert not panel.slice_row.isVisible() and panel.axes == (0, 1)
    assert panel.paint.button.isEnabled()
