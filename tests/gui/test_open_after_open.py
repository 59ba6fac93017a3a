"""A view belongs to one document: opening a network after another draws the new one as its file
says, and nothing of the old one is left to be saved into it."""
import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from engine import io
from gui.lessons import EXAMPLES, example_path
from tests.gui.drive import choose, click, drag, shortcut, use_tool

STEMS = list(EXAMPLES.values())


def _every_ordered_pair(stems: list[str]) -> list[str]:
    """An order of opening in which every example follows every example (itself too) once: an
    Euler circuit of the complete directed graph, by Hierholzer's walk."""
    left = {s: list(stems) for s in stems}
    stack, walk = [stems[0]], []
    while stack:
        here = stack[-1]
        if left[here]:
            stack.append(left[here].pop())
        else:
            walk.append(stack.pop())
    return walk[::-1]


def _drawn_as_filed(window, stem: str) -> None:
    net, scene = window.doc.network, window.scene
    filed = io.load(example_path(stem))
    np.testing.assert_array_equal(net.pos, filed.pos)
    items = ~net.unit_rows()  # a convolution's units are pixels of its layer's tiles
    assert sorted(scene.neurons) == sorted(net.ids[items].tolist())
    drawn = np.array([[scene.neurons[n].x(), scene.neurons[n].y()] for n in net.ids[items].tolist()])
    np.testing.assert_array_equal(drawn.reshape(-1, 2), net.pos[items].reshape(-1, 2))
    convs = net.conv_layers()
    assert sorted(scene.maps) == sorted(layer.name for layer, _ in convs)
    for layer, _ in convs:  # each stack of tiles at its first unit
        item = scene.maps[layer.name]
        assert (item.x(), item.y()) == tuple(net.pos[net.index(layer.neurons[0])])
    assert not window.doc.modified and window.doc.undo.count() == 0


def _empty_spot(window) -> tuple[float, float]:
    pos = window.doc.network.pos
    return (float(pos[:, 0].max()) + 300, float(pos[:, 1].min()) - 300) if len(pos) else (0, 0)


def _touch_nothing(window) -> None:
    """A click, a drag and a rubber band on empty canvas: none of them is an edit."""
    window.view.fit()
    x, y = _empty_spot(window)
    window.view.centerOn(x, y)
    click(window, x, y)
    drag(window, (x, y), (x + 40, y + 40))
    drag(window, (x - 60, y - 60), (x + 60, y + 60))
    assert window.doc.undo.count() == 0 and not window.doc.modified


def test_every_example_after_every_example_is_drawn_as_its_file_says(window):
    order = _every_ordered_pair(STEMS)
    assert len(order) == len(STEMS) ** 2 + 1
    for stem in order:
        assert window.open_example(stem)
        _drawn_as_filed(window, stem)
        _touch_nothing(window)


@pytest.mark.parametrize("title", list(EXAMPLES))
def test_an_example_after_a_hand_built_network(window, monkeypatch, title):
    use_tool(window, "input")
    for k in range(3):  # ids 0, 1, 2 at spots no example uses
        click(window, 37 + 90 * k, -411 + 50 * k)
    use_tool(window, "select")
    assert window.doc.network.n_neurons == 3 and window.doc.modified
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    choose(window, "Examples", title)
    _drawn_as_filed(window, EXAMPLES[title])
    _touch_nothing(window)


def test_a_forward_pass_playing_when_another_network_opens_stops(qtbot, window):
    window.open_example("mnist-784-32-10")
    shortcut(window, "F5")
    assert window.propagation.running()
    window.open_example("xor-hand-tuned")  # XOR's items never get MNIST's levels
    assert not window.propagation.running() and len(window.propagation.pulses.points) == 0
    qtbot.wait(200)
    _drawn_as_filed(window, "xor-hand-tuned")
