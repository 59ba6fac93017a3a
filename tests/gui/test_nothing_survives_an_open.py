"""Status, marks and messages made for one network go when another opens or when what they
describe changes: each check opens a second, different network (or changes the first) first."""
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from engine import io
from gui.main_window import example_path
from tests.gui.drive import at, type_into
from tests.gui.test_draw_perceptron import choose, draw_perceptron, select_neuron
from tests.gui.test_mnist_dock import draw_a_one


def press(window, name):
    QTest.mouseClick(window.training.buttons[name], Qt.MouseButton.LeftButton)


def test_a_runs_status_and_heading_belong_to_its_network(qtbot, trained_window):
    w = trained_window
    draw_perceptron(w)  # the untitled network the window starts with
    choose(w.training.dataset, "AND")
    w.doc.settings.update({"epochs": 300})
    w.docks["Layers"].raise_()
    with qtbot.waitSignal(w.client.finished, timeout=30000):
        press(w, "train")
    assert w.training.status.text().startswith("Done:")
    qtbot.waitUntil(lambda: w.layers.gradients.getViewBox().viewRange()[0][1] > 100)
    w.doc.undo.setClean()
    w.open_example("mnist-784-15-10")
    assert "Done" not in w.training.status.text() and w.training.progress.value() == 0
    assert w.layers.gradients.getViewBox().viewRange()[0][1] <= 1  # not the AND run's steps
    w.doc.settings.update({"epochs": 1, "batch": 500})
    with qtbot.waitSignal(w.client.finished, timeout=120000):
        press(w, "train")
    texts = [w.plots.list.item(k).text() for k in range(w.plots.list.count())]
    assert [t.split(" — ")[0][:24] for t in texts] == [
        "Untitled (3 neurons)", "run 1: AND, sgd lr 0.1",
        "example mnist-784-15-10 ", "run 2: MNIST subset (bun"]


def test_the_mnist_folder_message_goes_with_the_mnist_data_set(window, tmp_path):
    window.open_example("xor-2-2-1")
    choose(window.training.dataset, "MNIST full (folder below)")
    note = window.training.folder_note
    assert note.isVisible() and note.text().startswith("Choose the folder")
    window.training.folder.setFocus()
    QTest.keyClicks(window.training.folder, str(tmp_path))  # a folder without MNIST in it
    QTest.keyClick(window.training.folder, Qt.Key.Key_Return)
    assert note.isVisible() and "missing" in note.text()
    choose(window.training.dataset, "Cheese festival")
    assert not note.isVisible()
    window.doc.undo.setClean()
    window.open_example("mnist-784-32-10")
    assert not note.isVisible()


def test_the_hover_text_follows_the_numbers_and_goes_with_the_network(window):
    i1, i2, out = draw_perceptron(window)
    net = window.doc.network
    QTest.mouseMove(window.view.viewport(), at(window, *net.pos[net.index(out)]))
    assert window.statusBar().currentMessage() == f"neuron {out}: z = 0, a = 0.5"
    select_neuron(window, out)
    type_into(window.inspector.bias.spin, "2")
    QTest.mouseMove(window.view.viewport(), at(window, *net.pos[net.index(out)]))  # no move
    assert window.statusBar().currentMessage().startswith(f"neuron {out}: z = 2, a = 0.88")
    window.doc.undo.setClean()
    window.open_example("and")
    assert not window.statusBar().currentMessage().startswith(f"neuron {out}")


def test_the_draw_pads_answer_and_the_true_digits_ring_go_when_the_input_changes(qtbot, window):
    w, panel = window, window.mnist
    w.open_example("mnist-784-32-10")
    qtbot.waitUntil(lambda: any(item.truth for item in w.scene.neurons.values()))  # test digit 1
    panel.tabs.setCurrentIndex(3)
    draw_a_one(qtbot, panel.pad)
    qtbot.waitUntil(lambda: panel.answer.text().startswith("It reads"))
    assert not any(item.truth for item in w.scene.neurons.values())  # a drawing has no class
    QTest.mouseClick(panel.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=panel.tabs.tabBar().tabRect(0).center())
    QTest.mouseClick(panel.grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     panel.grid.digit_rect(3).center())
    assert any(item.truth for item in w.scene.neurons.values())
    assert panel.answer.text() == "Draw a digit." and not panel.pad.ink().any()
    # a pixel clicked on the tile: the digit shown is no longer the test digit
    tile = w.doc.network.layers[0]
    x, y = w.doc.network.pos[w.doc.network.index(tile.neurons[14 * 28 + 14])]
    w.view.centerOn(x, y)
    QTest.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     at(w, x, y))
    assert not any(item.truth for item in w.scene.neurons.values())


def test_a_preset_and_the_data_set_are_one_choice(window):
    window.open_example("xor-2-2-1")
    assert window.doc.settings.get("dataset") == "xor"
    window.docks["Truth table"].raise_()
    choose(window.truth_table.preset, "AND")
    assert window.doc.settings.get("dataset") == "and"  # Train trains what the table checks
    assert window.training.dataset.currentText() == "AND"
    assert window.doc.undo.text(window.doc.undo.count() - 1) == "Set data set"
    choose(window.truth_table.preset, "Custom targets")
    assert "Train learns the AND data set, not these" in window.truth_table.summary.text()
    choose(window.truth_table.preset, "XOR")
    assert window.doc.settings.get("dataset") == "xor"
    table = window.truth_table.table
    table.setFocus()
    table.setCurrentCell(0, 4)  # the first row's target: XOR says 0, typed 1
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = table.findChild(QLineEdit)
    QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(editor, "1")
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    assert window.truth_table.targets[0, 0] == 1
    assert "Train learns the XOR data set, not these" in window.truth_table.summary.text()


def test_a_network_without_outputs_says_what_is_missing(window, tmp_path):
    net = io.load(example_path("and"))  # its file trains on AND: the table fills its targets
    net.remove(net.outputs.tolist())
    path = tmp_path / "no-output.json"
    io.save(net, path)
    assert window.open_path(path)  # an IndexError here was "Something went wrong"
    assert window.truth_table.summary.text() == "A truth table needs 1 to 10 inputs and an output."
    window.docks["Truth table"].raise_()
    choose(window.truth_table.preset, "OR")
    assert "needs 2 inputs and an output; this network has 2 inputs and 0 outputs" in \
        window.truth_table.summary.text()
