"""The forward-propagation animation, level by level."""
from PySide6.QtCore import QPointF

from tests.gui.drive import click, shortcut


def reveals(window):
    return {nid: item.reveal for nid, item in window.scene.neurons.items()}


def test_step_by_level_shows_z_then_a(window):
    window.open_example("xor-hand-tuned")
    for nid in (0, 1):
        click(window, *window.doc.network.pos[nid])  # inputs 1, 1
    prop = window.propagation
    shortcut(window, "F6")  # the hidden level is done; pulses wait at the inputs for the output
    assert reveals(window) == {0: None, 1: None, 2: None, 3: None, 4: "blank"}
    assert window.scene.neurons[3].a == 1.0  # AND fired
    assert len(prop.pulses.points) == 2
    assert prop.pulses.points[0].tolist() == window.scene.edges.segments([4])[0][0].tolist()
    prop._show_at(1.7)  # the output's z shows before its a
    assert reveals(window)[4] == "z" and window.scene.neurons[4].z == 1 - 2 - 1
    shortcut(window, "F6")
    assert reveals(window)[4] is None and window.scene.neurons[4].a == 0.0
    assert len(prop.pulses.points) == 0


def test_play_runs_to_the_end(qtbot, window):
    window.open_example("xor-2-2-1")
    prop = window.propagation
    prop.ms_per_level = 60
    levels = []
    prop.levelReached.connect(levels.append)
    with qtbot.waitSignal(prop.finished, timeout=3000):
        shortcut(window, "F5")
    assert levels[-1] == 2 and all(r is None for r in reveals(window).values())
    assert len(prop.pulses.points) == 0
