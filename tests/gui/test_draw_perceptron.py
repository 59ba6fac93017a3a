"""The course's first lesson with the mouse and keyboard only: draw a perceptron from an empty
canvas, hand-tune it in the inspector, and read its truth table."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.drive import click, connect, shortcut, type_into, use_tool

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


def test_neurons_land_where_clicked_on_a_fresh_canvas_and_never_on_another(window):
    """The first neurons used to land away from the click: the scene grew with them and the
    view re-centred. A click beside a neuron, or a double click with a tool, stacked two."""
    from PySide6.QtCore import QPoint
    from tests.gui.drive import RADIUS
    view = window.view.viewport()
    use_tool(window, "input")
    net = window.doc.network
    for k, point in enumerate((QPoint(150, 120), QPoint(420, 300), QPoint(150, 150))):
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        shown_at = window.view.mapFromScene(*net.pos[-1])
        if k < 2:  # where the mouse was
            assert (shown_at - point).manhattanLength() <= 1, (k, shown_at, point)
    assert net.n_neurons == 3  # 30 px below the first: beside it, not on it
    first, last = net.pos[0], net.pos[-1]
    assert last[0] == first[0] and last[1] - first[1] >= 2 * RADIUS  # moved down, clear of it
    use_tool(window, "hidden")
    for send in (QTest.mouseClick, QTest.mouseDClick):  # what a double click sends
        send(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(500, 200))
    assert net.n_neurons == 4  # the double click's first press placed one; the double click no more


def test_the_empty_canvas_says_how_to_begin_until_the_first_neuron(window):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor
    from gui.canvas.view import HINT

    def hint_pixels():
        image = window.view.viewport().grab().toImage()
        return sum(QColor(image.pixel(x, y)) == HINT for x in range(0, image.width(), 2)
                   for y in range(0, image.height(), 2))

    assert window.view.hint_shown() and hint_pixels() > 20
    use_tool(window, "input")
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(40, 40))
    assert not window.view.hint_shown() and hint_pixels() == 0
    shortcut(window, "Ctrl+Z")
    assert window.view.hint_shown() and hint_pixels() > 20  # empty again


def test_the_inspector_says_why_a_number_field_refuses_a_key(window):
    i1, i2, out = draw_perceptron(window)
    select_neuron(window, out)
    type_into(window.inspector.bias.spin, "-1e")
    refusals = window.inspector.refusals
    assert refusals.label.isVisible() and refusals.label.text().startswith("Bias b takes a number")
    assert "“-1e” is not a number" in refusals.label.text()
    assert window.doc.network.neuron(out).bias == -1.0  # what it could take, it took
