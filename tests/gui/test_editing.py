"""Canvas gestures and their undo steps."""
import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSlider

from engine import io
from tests.gui.drive import at, click, connect, drag, shortcut
from tests.gui.test_draw_perceptron import draw_perceptron, select_neuron


def test_undo_all_the_way_back_and_redo_again(window):
    start = io.dumps(window.doc.network)
    i1, i2, out = draw_perceptron(window)
    select_neuron(window, out)
    window.inspector.bias.spin.setFocus()
    from tests.gui.drive import type_into
    type_into(window.inspector.bias.spin, "-2")
    drag(window, (220, 0), (300, 40))  # move the output
    done = io.dumps(window.doc.network)
    steps = window.doc.undo.count()
    assert steps == 7  # 3 neurons, 2 connections, a bias, a move
    for _ in range(steps):
        shortcut(window, "Ctrl+Z")
    assert io.dumps(window.doc.network) == start and not window.doc.modified
    for _ in range(steps):
        shortcut(window, "Ctrl+Shift+Z")
    assert io.dumps(window.doc.network) == done


def test_refused_connection_shows_why(window):
    i1, i2, out = draw_perceptron(window)
    connect(window, i1, i2)
    assert "is an input" in window.statusBar().currentMessage()
    assert window.doc.network.n_connections == 2


def test_a_slider_drag_is_one_undo_step(window):
    i1, i2, out = draw_perceptron(window)
    net = window.doc.network
    click(window, 110, -30)  # the i1 → out connection
    slider = window.inspector.weight.slider
    before = window.doc.undo.count()
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    handle = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                           QStyle.SubControl.SC_SliderHandle, slider).center()
    y = handle.y()
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, handle)
    for x in range(handle.x(), slider.width() - 5, 10):
        QTest.mouseMove(slider, QPoint(x, y))
    QTest.mouseRelease(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(slider.width() - 5, y))
    assert net.weight_of(i1, out) > 2.0
    assert window.doc.undo.count() == before + 1
    shortcut(window, "Ctrl+Z")
    assert net.weight_of(i1, out) == 1.0


def wheel(window, x, y, notches, modifiers=Qt.KeyboardModifier.NoModifier):
    pos = QPointF(at(window, x, y))
    event = QWheelEvent(pos, QPointF(window.view.viewport().mapToGlobal(pos.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, modifiers,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(window.view.viewport(), event)


def test_wheel_over_a_connection_tunes_it_and_elsewhere_zooms(window):
    i1, i2, out = draw_perceptron(window)
    net = window.doc.network
    before = window.doc.undo.count()
    for _ in range(3):
        wheel(window, 110, -30, 1)
    assert np.isclose(net.weight_of(i1, out), 1.3)
    wheel(window, 110, -30, -1, Qt.KeyboardModifier.ShiftModifier)
    assert np.isclose(net.weight_of(i1, out), 1.29)
    assert window.doc.undo.count() == before + 1  # one gesture, one step
    scale = window.view.transform().m11()
    wheel(window, 120, 200, 1)
    assert window.view.transform().m11() > scale


def test_clicking_an_input_toggles_it_and_the_output_follows(window):
    window.open_example("and")
    x1, x2, out = window.doc.network.ids.tolist()
    net = window.doc.network
    for nid in (x1, x2):
        click(window, *net.pos[net.index(nid)])
    assert window.doc.trace.a[0].tolist() == [1.0, 1.0, 1.0]
    assert window.scene.neurons[out].a == 1.0


def test_copy_paste_delete_and_duplicate(window):
    window.open_example("xor-hand-tuned")
    net = window.doc.network
    shortcut(window, "Ctrl+A")
    shortcut(window, "Ctrl+C")
    shortcut(window, "Ctrl+V")
    assert net.n_neurons == 10 and net.n_connections == 12
    assert len(window.scene.selected_ids()) == 5  # the pasted copy is selected
    shortcut(window, "Del")
    assert net.n_neurons == 5 and net.n_connections == 6
    select_neuron(window, 2)
    shortcut(window, "Ctrl+D")
    assert net.n_neurons == 6 and net.n_connections == 6
    shortcut(window, "Ctrl+Z")
    shortcut(window, "Ctrl+Z")
    shortcut(window, "Ctrl+Z")
    assert net.n_neurons == 5


def test_place_hidden_neuron_by_double_click_and_delete_a_connection(window):
    window.open_example("and")
    net = window.doc.network
    QTest.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, at(window, 100, 150))
    assert net.n_neurons == 4 and net.neuron(3).role == "hidden"
    click(window, 110, -22)
    assert window.scene.selected_connection == (0, 2)
    shortcut(window, "Del")
    assert net.n_connections == 1


def test_examples_menu_opens_every_example(window):
    examples = [a for a in window.menuBar().actions() if a.text() == "E&xamples"][0].menu()
    for action in examples.actions():
        action.trigger()
        assert window.doc.network.n_neurons >= 3, action.text()
    # the last, the MNIST convnet: each kernel once, then its dense layer
    assert window.doc.network.n_connections == 8 * 9 + 16 * 8 * 9 + 16 * 5 * 5 * 10


def test_quitting_releases_our_clipboard_data(window):
    from gui.edit_ops import MIME, release_clipboard
    window.open_example("and")
    shortcut(window, "Ctrl+A")
    shortcut(window, "Ctrl+C")
    assert QApplication.clipboard().mimeData().hasFormat(MIME)
    release_clipboard()
    data = QApplication.clipboard().mimeData()
    assert data is None or not data.hasFormat(MIME)


def test_weight_edits_reuse_the_level_plan_and_structure_edits_renew_it(window):
    window.open_example("xor-hand-tuned")
    doc = window.doc
    plan = doc.trace.plan
    doc.network.set_weight(0, 2, 3.0)
    assert doc.trace.plan is plan and doc.trace.z[0, 2] == -1.0  # inputs 0: z = b, new weight used
    doc.set_input(0, 1.0)
    assert doc.trace.z[0, 2] == 3.0 - 1.0
    doc.network.set_activation(2, "sigmoid")
    assert doc.trace.plan is not plan and 0 < doc.trace.a[0, 2] < 1


def test_lines_follow_a_drag_of_several_neurons_and_the_drag_is_one_step(window, qtbot):
    i1, i2, out = draw_perceptron(window)
    net, edges = window.doc.network, window.scene.edges
    (x1, y1), (x2, y2) = net.pos[net.index(i1)], net.pos[net.index(i2)]
    click(window, x1, y1)
    click(window, x2, y2, Qt.KeyboardModifier.ControlModifier)
    steps, vp = window.doc.undo.count(), window.view.viewport()
    a, b = at(window, x1, y1), at(window, x1 + 40, y1 + 80)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for k in range(1, 6):
        QTest.mouseMove(vp, a + (b - a) * k / 5)

    def lines_start_at_the_items() -> bool:
        starts, _ = edges.segments(np.arange(net.n_connections))
        items = [window.scene.neurons[int(s)].pos() for s in net.src]
        return all(abs(s[0] - p.x()) < 1e-9 and abs(s[1] - p.y()) < 1e-9 for s, p in zip(starts, items))
    qtbot.waitUntil(lines_start_at_the_items)  # mid-drag, before the release
    assert window.scene.neurons[i2].pos().y() > y2 + 40
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)
    assert window.doc.undo.count() == steps + 1
    starts, _ = edges.segments(np.arange(net.n_connections))
    assert np.allclose(starts, net.pos[net.index(net.src)]) and net.pos[net.index(i2)][1] > y2 + 40


def test_start_here_opens_each_lesson_with_its_task_over_the_canvas(window):
    from engine import course, lesson
    lessons = [a for a in window.menuBar().actions() if a.text() == "Start &Here"][0].menu()
    entries = [a for a in lessons.actions() if a.text()[:1].isdigit()]
    paths = course.bundled().lessons
    assert len(entries) == len(paths)
    for action, path in zip(entries, paths):
        chosen = lesson.load(path)
        window.doc.undo.setClean()
        action.trigger()
        banner = window.lesson
        assert banner.isVisible() and chosen.title in banner.text.text()
        assert window.doc.name == "Untitled" and window.doc.network.n_neurons >= 2
        assert banner.goals.text().count("<br>") + 1 >= len(chosen.goals)
    assert window.training.optimizer.currentData() == "adam"  # the last lesson's settings
    assert window.doc.network.layers[1].conv is not None  # the last lesson's convnet
    QTest.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    entries[0].trigger()
    window.open_example("or")  # another network: the task goes
    assert not banner.isVisible()
