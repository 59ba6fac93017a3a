"""Learn one sample (F8): back propagation step by step on the canvas, with the engine's numbers,
and its update as one undo step."""
import numpy as np
from PySide6.QtCore import Qt

from engine.backprop import backprop
from engine.explain import number
from tests.gui.drive import click, shortcut


def next_step(qtbot, w):
    qtbot.mouseClick(w.learning.buttons["next"], Qt.MouseButton.LeftButton)


def canvas(w):
    return w.view.grab().toImage()


def test_forward_cost_backward_and_update_on_xor(qtbot, window):
    w = window
    w.open_example("xor-2-2-1")
    net = w.doc.network
    shortcut(w, "F8")
    assert w.actions_by_name["learn"].isChecked() and w.learning.isVisible()
    assert [w.learning.sample.itemText(k) for k in range(4)] == [
        "x = (0, 0) → y = (0)", "x = (0, 1) → y = (1)", "x = (1, 0) → y = (1)", "x = (1, 1) → y = (0)"]
    w.learning.sample.setCurrentIndex(3)
    w.learning.sample.activated.emit(3)
    assert w.doc.input_vector().tolist() == [1.0, 1.0]  # the sample is on the inputs
    found = backprop(net, [1, 1], [0], "mse")
    assert w.learning.stages == ["forward", "cost", "backward 0", "backward 1", "update"]
    out = int(net.index(int(net.outputs[0])))
    trace = found.trace  # the forward pass: each computed neuron's z and a beside it
    assert f"z = {number(trace.z[0, out])}, a = {number(trace.a[0, out])}" in w.learning.overlay.labels
    before = canvas(w)
    next_step(qtbot, w)
    a = trace.a[0, out]  # the numbers put into the formula
    assert (f"C = ½ Σ_j (y_j − a_j)² = ½ [(0 − {number(a)})²] = {number(found.cost)}"
            in w.learning.text.text())
    next_step(qtbot, w)  # the output's δ, and ∂C/∂w on the lines into it
    slope = a * (1 - a)  # sigmoid's h'(z)
    assert (f"δ = ∂C/∂a ⊙ h'(z) = {number(a)} · {number(slope)} = {number(found.delta[out])}"
            in w.learning.text.text())
    assert f"δ = {number(found.delta[out])}" in w.learning.overlay.labels
    assert canvas(w) != before
    into_out = np.flatnonzero(net.dst == net.outputs[0])
    assert {number(g) for g in found.grad_w[into_out]} <= set(w.learning.overlay.labels)
    next_step(qtbot, w)
    hidden = np.flatnonzero(net.role == 1)
    assert {f"δ = {number(found.delta[i])}" for i in hidden} <= set(w.learning.overlay.labels)
    assert len(w.learning.overlay.labels) == 6 + 3  # every connection's gradient, every δ
    next_step(qtbot, w)
    assert w.learning.buttons["apply"].isEnabled()
    # XOR's file trains with Adam: the step shown is plain SGD's, and it says so
    assert "This is plain gradient descent (SGD) on one sample: Train uses Adam" in \
        w.learning.text.text()
    lr, start = w.doc.settings.get("lr"), net.weight.copy()
    qtbot.mouseClick(w.learning.buttons["apply"], Qt.MouseButton.LeftButton)
    assert w.doc.undo.text(w.doc.undo.count() - 1) == "Learn one sample"
    assert np.array_equal(net.weight, start - lr * found.grad_w)
    assert "The cost of this sample went from" in w.learning.text.text()
    assert backprop(net, [1, 1], [0], "mse").cost < found.cost
    shortcut(w, "Ctrl+Z")
    assert np.array_equal(net.weight, start)  # as before the update


def test_the_inspector_shows_the_chain_rule_of_the_clicked_neuron(qtbot, window):
    w = window
    w.open_example("xor-2-2-1")
    shortcut(w, "F8")
    net = w.doc.network
    hidden = int(net.ids[net.role == 1][0])
    click(w, *net.pos[net.index(hidden)])
    assert w.scene.selected_ids() == [hidden]
    found = backprop(net, [0, 0], [0], "mse")
    text = w.inspector.chain.text()
    assert text.startswith("Back propagation:\nδ = h'(z) · Σ_k w_jk δ_k = ")
    assert text.endswith(f"∂C/∂b = δ = {number(found.delta[net.index(hidden)])}")
    shortcut(w, "F8")  # off: the overlay and the chain rule go
    assert not w.learning.overlay.isVisible() and w.inspector.chain.text() == ""


def test_a_data_set_that_does_not_fit_is_said_not_crashed(qtbot, window):
    w = window
    w.open_example("xor-2-2-1")
    w.doc.settings.update({"dataset": "mnist-subset"})
    shortcut(w, "F8")
    assert "mnist-subset has 784 inputs; this network has 2" in w.learning.text.text()
    assert not any(b.isEnabled() for b in w.learning.buttons.values())
    w.doc.settings.update({"dataset": "and"})  # choosing one that fits brings it back
    assert w.learning.sample.count() == 4 and w.learning.buttons["next"].isEnabled()


def test_the_and_perceptron_shows_that_a_step_passes_no_gradient(qtbot, window):
    w = window
    w.open_example("and")  # a step neuron: its slope is 0, so nothing flows back
    shortcut(w, "F8")
    for _ in range(3):
        next_step(qtbot, w)
    assert w.learning.stages[w.learning.stage] == "update"
    assert "δ = 0" in w.learning.overlay.labels
    assert w.learning.text.text().splitlines()[-1].startswith("Nothing changes: every gradient "
                                                              "is 0 (a step's slope is 0")


def test_an_mnist_sample_shows_its_class_and_the_cost_with_its_numbers(qtbot, window):
    from engine.datasets.mnist import load_subset
    w = window
    w.open_example("mnist-784-32-10")
    shortcut(w, "F8")
    digits = load_subset()
    first = int(digits.labels_train[0])
    assert w.learning.sample.itemText(0) == f"sample 1: y = one-hot {first}"
    w.learning.sample.setCurrentIndex(0)
    w.learning.sample.activated.emit(0)
    assert f"the target is y = one-hot {first}." in w.learning.text.text()
    net = w.doc.network
    found = backprop(net, digits.x_train[0], np.eye(10)[first], "ce")
    a = found.trace.outputs[0, first]
    next_step(qtbot, w)
    assert (f"C = −Σ_j y_j ln a_j = −ln a_{first} = −ln {number(a)} = {number(found.cost)}"
            in w.learning.text.text())
    assert abs(-np.log(a) - found.cost) < 1e-9  # the numbers put in make the cost


def test_delta_takes_the_place_of_the_bias_label_and_gives_it_back(qtbot, window):
    from gui.canvas.style import RADIUS
    w = window
    w.open_example("xor-2-2-1")
    shortcut(w, "F8")
    w.learning.sample.setCurrentIndex(3)
    w.learning.sample.activated.emit(3)
    next_step(qtbot, w)
    next_step(qtbot, w)  # the outputs' δ: written where their b stood, b not drawn under it
    net, items = w.doc.network, w.scene.neurons
    computed = [int(n) for n in net.ids[net.role != 0]]
    assert not any(items[n].bias_shown for n in computed)
    notes = [(p, t) for p, t, centred in w.learning.overlay._labels if centred]
    out = net.pos[net.index(int(net.outputs[0]))]
    assert any(t.startswith("δ = ") and abs(p.x() - out[0]) < 1 and p.y() < out[1] - RADIUS
               for p, t in notes)
    shortcut(w, "F8")  # Learn one sample off: the biases are written again
    assert all(items[n].bias_shown for n in computed)


def test_z_during_the_forward_pass_fits_inside_the_circle(window):
    from PySide6.QtGui import QFontMetricsF
    from engine.explain import number
    from gui.canvas.neuron_item import Z_WIDTH, fitting
    from gui.canvas.style import RADIUS
    assert Z_WIDTH <= 2 * (RADIUS ** 2 - 8 ** 2) ** 0.5  # the chord at the number's line
    font = window.view.font()
    for z in (-123456.78, -123.46, 0.5, -0.0012345, 1e-7, 98765.4):
        text = number(round(z, 2))
        assert QFontMetricsF(fitting(font, text, Z_WIDTH)).horizontalAdvance(text) <= Z_WIDTH + 0.5
