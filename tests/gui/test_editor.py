"""The editor alone (no window): the canvas asks, the editor makes one undo step of each edit."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from gui.commands import new_drag_token
from gui.document import Document
from gui.editor import Editor
from tests.gui.drive import at


@pytest.fixture
def editor(qtbot):
    doc = Document()
    e = Editor(doc)
    frame = QMainWindow()  # the canvas where the app has it (a top-level view warns on release)
    frame.setCentralWidget(e.view)
    qtbot.addWidget(frame)
    frame.resize(600, 400)
    frame.show()
    qtbot.waitExposed(frame)
    yield e


def test_clicks_on_the_canvas_become_one_undo_step_each(editor, qtbot):
    for role, x in (("input", -100), ("output", 100)):
        editor.view.tool = role
        qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=at(editor, x, 0))
    net = editor.doc.network
    assert list(net.role) == [0, 2] and editor.doc.undo.count() == 2
    assert np.allclose(net.pos, [[-100, 0], [100, 0]], atol=1)


def test_a_refused_connection_says_why_and_leaves_no_step(editor, qtbot):
    a = editor.doc.network.add_neuron("input")
    b = editor.doc.network.add_neuron("input", position=(100.0, 0.0))
    with qtbot.waitSignal(editor.refused) as said:
        editor.view.linking.emit(a, b)
    assert said.args[0].startswith("Not connected:") and "input" in said.args[0]
    assert editor.doc.network.n_connections == 0 and editor.doc.undo.count() == 0


def test_a_wheel_gesture_on_a_connection_is_one_step(editor):
    net = editor.doc.network
    a, b = net.add_neuron("input"), net.add_neuron("output", position=(100.0, 0.0))
    editor.connect_neurons(a, b)
    token = new_drag_token()
    for value in (1.1, 1.2, 1.3):
        editor.view.nudged.emit((a, b), value, token)
    assert net.weight_of(a, b) == 1.3 and editor.doc.undo.count() == 2
    editor.doc.undo_step()
    assert net.weight_of(a, b) == 1.0
