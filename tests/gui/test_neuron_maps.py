"""For 2-input networks every hidden and output neuron pictures its activation over the input
plane, and the pictures follow training live."""
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from engine.datasets.registry import extent
from engine.trace import grid
from gui.canvas.neuron_maps import SIZE, plane_lut


def pictures(w):
    return {nid: item.picture for nid, item in w.scene.neurons.items()}


def test_the_pictures_change_while_a_run_trains(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")
    net = w.doc.network
    qtbot.waitUntil(lambda: all(p is not None for nid, p in pictures(w).items()
                                if net.neuron(nid).role != "input"))
    assert all(w.scene.neurons[int(i)].picture is None for i in net.inputs)
    before = {nid: p.copy() for nid, p in pictures(w).items() if p is not None}
    # the picture is the neuron's a over the plane: the bottom-left pixel is a(x_low, y_low)
    hidden = int(net.ids[net.role == 1][0])
    trace = grid(net, *extent("xor"), SIZE)
    a = trace.a[0, net.index(hidden)]
    lut = plane_lut()[int(np.clip(a * 255, 0, 255))]
    assert QColor(before[hidden].pixel(0, SIZE - 1)).getRgb()[:3] == tuple(int(v) for v in lut)
    w.doc.settings.update({"epochs": 600})  # 3 s at the lesson's pace: long enough to be seen
    seen = []
    w.client.snapshot.connect(lambda _s: seen.append(w.scene.neurons[hidden].picture.copy()))
    with qtbot.waitSignal(w.client.finished, timeout=30000):
        qtbot.mouseClick(w.training.buttons["train"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(pictures(w)[nid] != before[nid] for nid in before))
    changes = sum(a != b for a, b in zip(seen, seen[1:]))
    assert changes >= 2, f"{changes} changes over {len(seen)} snapshots"  # live, not at the end


def test_off_in_the_view_menu_and_for_other_networks(qtbot, window):
    w = window
    w.open_example("xor-2-2-1")
    qtbot.waitUntil(lambda: any(p is not None for p in pictures(w).values()))
    w.actions_by_name["neuron_maps"].trigger()
    assert all(p is None for p in pictures(w).values())
    assert w.settings.value("neuron_maps") in (False, "false")
    w.actions_by_name["neuron_maps"].trigger()
    assert any(p is not None for p in pictures(w).values())
    w.open_example("and")  # a perceptron of 2 inputs has them too
    qtbot.waitUntil(lambda: any(p is not None for p in pictures(w).values()))
    w.open_example("cheese-festival")  # 3 inputs: over the Boundary dock's slice
    qtbot.waitUntil(lambda: any(p is not None for p in pictures(w).values()))
    w.open_example("sin-1-16-1")  # 1 input: no plane
    qtbot.wait(100)
    assert all(p is None for p in pictures(w).values())


def test_the_large_map_shows_test_data_and_discretises(qtbot, window):
    from engine.datasets.registry import load
    w = window
    w.open_example("xor-2-2-1")
    w.doc.settings.update({"dataset": "moons"})
    w.docks["Decision boundary"].raise_()
    qtbot.waitUntil(lambda: w.boundary.plot is not None and w.boundary.plot.isVisible())
    assert len(w.boundary.test_points.data) == 0
    qtbot.mouseClick(w.boundary.test_data, Qt.MouseButton.LeftButton)
    assert len(w.boundary.test_points.data) == len(load("moons").x_test) > 0
    assert len(np.unique(w.boundary.image.image)) > 2
    qtbot.mouseClick(w.boundary.discrete, Qt.MouseButton.LeftButton)
    assert set(np.unique(w.boundary.image.image)) <= {0.0, 1.0}
