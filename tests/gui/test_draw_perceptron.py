"""The course's first lesson with the mouse and keyboard only: draw a perceptron from an empty
canvas, hand-tune it in the inspector, and read its truth table."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.drive import click, connect, type_into, use_tool

INPUTS = [(0.0, -60.0), (0.0, 60.0)]
OUTPUT = (220.0, 0.0)


def draw_perceptron(window):
    use_tool(window, "input")
    for x, y in INPUTS:
        click(window, x, y)
    use_tool(window, "output")
    click(window, *OUTPUT)
    use_tool(window, "select")
    i1, i2, out = window.doc.network.ids.tolist()
    connect(window, i1, out)
    connect(window, i2, out)
    return i1, i2, out


def set_weight_by_clicking(window, source, target, text):
    net = window.doc.network
    (sx, sy), (tx, ty) = net.pos[net.index(source)], net.pos[net.index(target)]
    click(window, (sx + tx) / 2, (sy + ty) / 2)
    assert window.scene.selected_connection == (source, target)
    type_into(window.inspector.weight.spin, text)


def select_neuron(window, nid):
    net = window.doc.network
    click(window, *net.pos[net.index(nid)])
    assert window.scene.selected_ids() == [nid]


def choose(combo, text):
    """Arrow keys on the focused combo box, as a keyboard user would pick an item."""
    combo.setFocus()
    steps = combo.findText(text) - combo.currentIndex()
    for _ in range(abs(steps)):
        QTest.keyClick(combo, Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up)
    assert combo.currentText() == text


@pytest.mark.parametrize("bias, preset, expected", [("-2", "AND", [0, 0, 0, 1]),
                                                    ("-1", "OR", [0, 1, 1, 1])])
def test_draw_and_tune_a_perceptron(window, bias, preset, expected):
    i1, i2, out = draw_perceptron(window)
    net = window.doc.network
    assert [net.neuron(n).role for n in (i1, i2, out)] == ["input", "input", "output"]
    for source, text in ((i1, "0.5"), (i1, "1"), (i2, "1")):
        set_weight_by_clicking(window, source, out, text)
    assert (net.weight_of(i1, out), net.weight_of(i2, out)) == (1.0, 1.0)
    select_neuron(window, out)
    choose(window.inspector.activation, "step")
    type_into(window.inspector.bias.spin, bias)
    assert net.neuron(out).activation == "step" and net.neuron(out).bias == float(bias)
    assert window.inspector.threshold.text() == bias.replace("-", "")
    choose(window.truth_table.preset, preset)
    table = window.truth_table.table
    y_column = 3
    assert [float(table.item(r, y_column).text()) for r in range(4)] == expected
    assert window.truth_table.score == (4, 4)
    assert window.truth_table.summary.text() == "4/4 correct"


def test_inspector_shows_the_formula_live(window):
    i1, i2, out = draw_perceptron(window)
    select_neuron(window, out)
    choose(window.inspector.activation, "step")
    type_into(window.inspector.bias.spin, "-2")
    click(window, *INPUTS[0])  # a click on an input toggles it to 1
    select_neuron(window, out)
    assert window.inspector.formula.text() == "z = 1·1 + 0·1 + (−2) = −1\na = step(−1) = 0"
