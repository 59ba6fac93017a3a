"""Edits while a run goes on: each is a defined undo step, a snapshot of an old shape is never
applied, and undoing everything returns the opened file bit for bit."""
import numpy as np

from engine import io
from gui.main_window import example_path
from tests.gui.drive import click, shortcut, type_into, use_tool
from tests.gui.test_editing import wheel
from tests.gui.test_live_training import press


def start_long_run(qtbot, w):
    w.open_example("xor-2-2-1")
    type_into(w.training.epochs, "100000")  # an edit of the network's settings: one undo step
    snaps = []
    w.client.snapshot.connect(snaps.append)
    start = w.doc.network.weight.copy()
    press(w, "train")
    qtbot.waitUntil(lambda: len(snaps) > 1 and not np.array_equal(w.doc.network.weight, start),
                    timeout=20000)
    return snaps


def undo_all(w):
    while w.doc.undo.canUndo():
        shortcut(w, "Ctrl+Z")


def history(w):
    return [w.doc.undo.text(i) for i in range(w.doc.undo.count())]


def as_opened():
    return io.dumps(io.load(example_path("xor-2-2-1")))


def test_adding_a_neuron_mid_run_stops_it_first_and_undo_is_safe(qtbot, trained_window):
    w = trained_window
    snaps = start_long_run(qtbot, w)
    use_tool(w, "hidden")
    click(w, 330, -150)
    net = w.doc.network
    assert net.n_neurons == 6 and not w.client.busy
    assert w.training.buttons["train"].isEnabled() and w.history.isEnabled()
    assert history(w) == ["Set epochs", "Training run", "Add hidden neuron"]
    weights, seen = net.weight.copy(), len(snaps)
    qtbot.wait(300)  # whatever the stopped run still sends is dropped
    assert len(snaps) == seen and np.array_equal(net.weight, weights)
    undo_all(w)
    assert io.dumps(net) == as_opened()


def test_a_hand_edit_mid_run_is_its_own_step_and_undo_all_returns_the_file(qtbot, trained_window):
    w = trained_window
    snaps = start_long_run(qtbot, w)
    assert not w.history.isEnabled()  # no jumps through the stack while the run writes on it
    for _ in range(3):  # one wheel gesture over the connection 0 → 2
        wheel(w, 110, -30, 1)
    seen = len(snaps)
    qtbot.waitUntil(lambda: len(snaps) > seen + 1, timeout=10000)
    with qtbot.waitSignal(w.client.finished, timeout=10000):
        press(w, "stop")
    assert history(w) == ["Set epochs", "Training run", "Set weight 0→2", "Training run"]
    undo_all(w)
    assert io.dumps(w.doc.network) == as_opened()


def test_a_hand_edit_mid_run_sends_the_trainer_only_what_it_changed(qtbot, trained_window):
    from gui.commands import SetBias, SetWeight
    w = trained_window
    start_long_run(qtbot, w)
    sent, send = [], w.client.send
    w.client.send = lambda *message: (sent.append(message), send(*message))
    net = w.doc.network
    w.doc.push(SetWeight(net, 0, 2, 2.5))
    w.doc.push(SetBias(net, [4], -1.5))
    edits = [m for m in sent if m[0].startswith("set_")]
    assert [m[0] for m in edits] == ["set_some", "set_some"]
    (_, conns, weights, no_neurons, _), (_, no_conns, _, neurons, biases) = edits
    assert conns.tolist() == [net.connection_index(0, 2)] and weights.tolist() == [2.5]
    assert len(no_neurons) == len(no_conns) == 0
    assert neurons.tolist() == [net.index(4)] and biases.tolist() == [-1.5]
    del w.client.send
    with qtbot.waitSignal(w.client.finished, timeout=10000):
        press(w, "stop")


def test_undo_mid_run_stops_the_run_and_takes_back_its_training(qtbot, trained_window):
    w = trained_window
    start_long_run(qtbot, w)
    shortcut(w, "Ctrl+Z")
    assert not w.client.busy and w.doc.undo.index() == 1  # the run is taken back, not the epochs
    qtbot.wait(300)
    shortcut(w, "Ctrl+Z")
    assert io.dumps(w.doc.network) == as_opened()
    shortcut(w, "Ctrl+Shift+Z")
    shortcut(w, "Ctrl+Shift+Z")  # the run's numbers come back as they were when it stopped
    assert history(w) == ["Set epochs", "Training run"] and w.doc.undo.index() == 2


def test_opening_another_network_mid_run_drops_the_old_runs_snapshots(qtbot, trained_window):
    w = trained_window
    snaps = start_long_run(qtbot, w)
    w.doc.undo.setClean()  # nothing to ask about: the question is not what this test is about
    w.open_example("and")
    seen = len(snaps)
    qtbot.wait(300)
    assert len(snaps) == seen and not w.client.busy and w.doc.undo.count() == 0
    assert io.dumps(w.doc.network) == io.dumps(io.load(example_path("and")))
