"""Pause shows where the trainer is, and its rate and time left stand still while paused."""
import numpy as np
from PySide6.QtCore import Qt


def press(w, name):
    from PySide6.QtTest import QTest
    QTest.mouseClick(w.training.buttons[name], Qt.MouseButton.LeftButton)


def test_paused_the_canvas_shows_the_trainers_numbers(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")
    w.doc.settings.update({"epochs": 50_000})
    press(w, "train")
    qtbot.waitUntil(lambda: w.training.status.text().startswith("Epoch"), timeout=20000)
    qtbot.wait(300)
    press(w, "pause")
    qtbot.waitUntil(lambda: w.training.status.text().startswith("Paused at"), timeout=10000)
    qtbot.wait(300)  # anything else the trainer sent as it paused has arrived
    shown = w.doc.network.weight.copy(), w.doc.network.bias.copy()
    said = w.training.status.text()
    run = w.plots.runs[-1]
    assert said.startswith(f"Paused at epoch {run.steps[-1]}, step {run.steps[-1]} of 50000")
    qtbot.wait(1500)
    assert w.training.status.text() == said  # no rate or time left drifting while paused
    with qtbot.waitSignal(w.client.finished, timeout=20000):
        press(w, "stop")  # no step between the pause and the stop: the same numbers
    net = w.doc.network
    assert np.array_equal(net.weight, shown[0]) and np.array_equal(net.bias, shown[1])


def test_the_speed_control_trains_at_a_pace_one_can_watch(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")  # lesson 5's network: at a pace to watch
    assert w.doc.settings.get("pace") == 200 and w.training.pace.currentText().startswith("Watch")
    from tests.gui.test_draw_perceptron import choose
    w.docks["Training"].raise_()
    choose(w.training.pace, "Slow motion: 10 steps/s")
    assert w.doc.undo.text(w.doc.undo.count() - 1) == "Set speed"
    rates = []
    w.client.snapshot.connect(lambda snap: rates.append(snap["samples_per_s"] / 4))  # 4 rows
    press(w, "train")
    qtbot.waitUntil(lambda: len(rates) >= 3, timeout=20000)
    assert max(rates[1:]) <= 10 * 1.1  # steps a second: at most the pace, on any machine
    choose(w.training.pace, "Full speed")  # during the run: it goes on at full speed
    with qtbot.waitSignal(w.client.finished, timeout=30000):
        pass
    assert w.plots.runs[-1].steps[-1] == 500
