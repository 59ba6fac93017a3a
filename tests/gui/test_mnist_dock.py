"""The MNIST dock: test digits with answers, the test accuracy, the confusion matrix, the hidden
neurons' pictures and the draw pad, on the bundled subset."""
import re

import numpy as np
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtTest import QTest

from engine import course
from engine.datasets.mnist import load_subset
from engine.digits import centred
from engine.trace import confusion, forward
from gui.commands import SetBias, SetWeight
from tests.gui.drive import click
from tests.gui.test_live_training import press
from tests.paths import MNIST, full_mnist


def matrix_texts(panel):
    return [[panel.matrix.item(r, c).text() for c in range(11)] for r in range(10)]


def tile_values(window):
    return np.array([window.doc.inputs.get(n, 0.0) for n in window.doc.network.layers[0].neurons])


def tile_on_screen(window):
    """The input tile as the canvas shows it, pixels read back from the view."""
    ids = window.doc.network.layers[0].neurons
    pos = window.doc.network.pos[window.doc.network.index(ids)]
    (x0, y0), (x1, y1) = pos.min(0), pos.max(0)
    area = window.view.mapFromScene(QRectF(x0, y0, x1 - x0, y1 - y0)).boundingRect()
    return window.view.viewport().grab(area).toImage()


def draw_a_one(qtbot, pad):
    """A vertical stroke through real mouse events."""
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(100, 25))
    for y in range(35, 175, 10):
        QTest.mouseMove(pad, QPoint(98 - (y - 25) // 30, y))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(95, 170))


def test_one_epoch_from_the_train_button_fills_the_dock_and_the_window(qtbot, trained_window):
    w, panel = trained_window, trained_window.mnist
    w.open_example("xor-2-2-1")
    w.doc.settings.update({"epochs": 300})  # more steps and epochs than the MNIST run below
    with qtbot.waitSignal(w.client.finished, timeout=30000):
        press(w, "train")
    w.doc.undo.setClean()
    w.open_example("mnist-784-32-10")  # its file carries the settings: the bundled subset, ce
    assert not panel.visibleRegion().isEmpty()  # an MNIST network brings its dock forward
    qtbot.waitUntil(lambda: panel.accuracy.text() != "–")
    grid_before, matrix_before = panel.grid.grab().toImage(), matrix_texts(panel)
    captions_before = list(panel.grid.captions)
    w.doc.settings.update({"epochs": 1})
    epochs = []
    w.client.epochsEnded.connect(epochs.extend)
    with qtbot.waitSignal(w.client.finished, timeout=120000):
        press(w, "train")
    assert [w.plots.list.item(k).text()[:26] for k in range(w.plots.list.count())] == [
        "example xor-2-2-1 (2-2-1)", "run 1: XOR, adam lr 0.1 — ",
        "example mnist-784-32-10 (7", "run 2: MNIST subset (bundl"]  # runs under their network
    for text in (w.training.status.text(), w.plots.items[w.plots.runs[1]].text()):
        assert float(re.search(r"test accuracy ([0-9.]+)%", text).group(1)) > 80, text
    # the large number and the matrix are the epoch's, over the run's 1,000 test digits
    qtbot.waitUntil(lambda: panel.accuracy.text() == f"{100 * epochs[-1]['test_accuracy']:.1f}%")
    counts = np.array([[int(t) for t in row[:10]] for row in matrix_texts(panel)])
    assert counts.sum() == 1000 and np.trace(counts) / 1000 == epochs[-1]["test_accuracy"]
    assert matrix_texts(panel) != matrix_before
    qtbot.waitUntil(lambda: panel.grid.captions != captions_before)
    assert panel.grid.grab().toImage() != grid_before
    # the plots rescale to the MNIST run: one epoch, 157 steps, not the XOR run's 300
    qtbot.waitUntil(lambda: w.plots.acc_plot.getViewBox().viewRange()[0][1] < 10)
    assert w.plots.loss_plot.getViewBox().viewRange()[0][1] < 250

    # a clicked digit goes onto the input tile, its class marked
    digits = load_subset()
    tile_before = tile_on_screen(w)
    QTest.mouseClick(panel.grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     panel.grid.digit_rect(5).center())
    assert np.array_equal(tile_values(w), digits.x_test[5])
    qtbot.waitUntil(lambda: tile_on_screen(w) != tile_before)  # its pixels repainted, not cached
    assert w.statusBar().currentMessage().startswith(f"Test digit 6: a {digits.labels_test[5]}")

    # a hidden neuron selected on the canvas shows its weights as a 28×28 picture
    hidden = w.doc.network.layers[1].neurons[3]
    click(w, *w.doc.network.pos[w.doc.network.index(hidden)])
    assert w.scene.selected_ids() == [hidden]
    assert w.inspector.picture_view.isVisible() and w.inspector.picture.image.shape == (28, 28)

    # a "1" drawn on the pad with the mouse is read at once
    panel.tabs.setCurrentIndex(3)
    draw_a_one(qtbot, panel.pad)
    qtbot.waitUntil(lambda: panel.answer.text().startswith("It reads"))
    drawn = centred(panel.pad.ink()).ravel()
    assert drawn.any() and np.array_equal(tile_values(w), drawn)
    said = int(w.doc.trace.predicted()[0])
    assert panel.answer.text().startswith(f"It reads <b>{said}</b>")
    assert said == 1  # a trained network reads a plain vertical stroke as a one


def test_an_mnist_network_opens_with_a_test_digit_on_its_input_tile(qtbot, window):
    digits = load_subset()
    window.open_example("mnist-784-32-10")
    assert window.doc.inputs == {}
    blank = tile_on_screen(window)
    qtbot.waitUntil(lambda: np.array_equal(tile_values(window), digits.x_test[0]))
    qtbot.waitUntil(lambda: tile_on_screen(window) != blank)
    said = window.statusBar().currentMessage()
    assert said.startswith(f"Test digit 1: a {digits.labels_test[0]}")
    window.open_example("xor-2-2-1")  # no 28×28 layer: its inputs stay at 0
    qtbot.wait(50)
    assert window.doc.inputs == {}


def test_the_dock_works_out_the_matrix_of_the_network_as_it_is_and_follows_edits(qtbot, window):
    panel = window.mnist
    window.docks["MNIST"].raise_()
    assert panel.stack.currentIndex() == 0 and "28×28 input layer" in panel.stack.currentWidget().text()
    window.open_example("mnist-784-15-10")
    net, digits = window.doc.network, load_subset()
    qtbot.waitUntil(lambda: panel.accuracy.text() != "–")
    expected = confusion(digits.labels_test, forward(net, digits.x_test).predicted(), 10)
    assert np.array_equal(np.array([[int(t) for t in row[:10]] for row in matrix_texts(panel)]),
                          expected)
    assert panel.accuracy.text() == f"{100 * np.trace(expected) / 1000:.1f}%"
    assert "as it is, on the 1,000 bundled test digits" in panel.accuracy_note.text()
    wrong = (forward(net, digits.x_test[:40]).predicted() != digits.labels_test[:40]).tolist()
    assert panel.grid.wrong == wrong
    # output "3" made to win every time: every row answers 3, one digit in ten is right
    window.doc.push(SetBias(net, [int(net.outputs[3])], 1000.0))
    qtbot.waitUntil(lambda: all(row[3] == "100" and row[10] == ("100%" if r == 3 else "0%")
                                for r, row in enumerate(matrix_texts(panel))))
    assert panel.accuracy.text() == "10.0%"
    assert set(panel.grid.captions) == {"3 100%"}
    assert panel.grid.wrong == (digits.labels_test[:40] != 3).tolist()


def test_the_weights_tab_shows_every_hidden_neurons_picture_and_follows_an_edit(qtbot, window):
    window.open_example("mnist-784-15-10")
    panel, net = window.mnist, window.doc.network
    panel.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: panel.weights is not None and panel.weights.image is not None)
    image = panel.weights.image.copy()
    assert image.shape == (4 * 29 - 1, 4 * 29 - 1)  # 15 pictures, 4 a row, 1-pixel gaps
    assert "15 neurons" in panel.weights_view.getPlotItem().titleLabel.text
    pixel, hidden = net.layers[0].neurons[28 * 14 + 9], net.layers[1].neurons[5]  # row 14, col 9
    window.doc.push(SetWeight(net, pixel, hidden, 50.0))  # far above the others: 1 on its scale
    qtbot.waitUntil(lambda: not np.array_equal(panel.weights.image, image))
    row, col = divmod(5, 4)
    assert panel.weights.image[row * 29 + 14, col * 29 + 9] == 1.0
    changed = np.argwhere(panel.weights.image != image)
    assert {(r // 29, c // 29) for r, c in changed} == {(row, col)}  # only that neuron's picture


def test_the_full_mnist_folder_is_checked_where_it_is_chosen(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QToolButton

    from tests.engine.test_datasets import fake_mnist
    from tests.gui.test_draw_perceptron import choose
    t = window.training
    choose(t.dataset, "MNIST full (folder below)")
    assert t.folder_note.text() == "Choose the folder that holds full MNIST (… beside the field)."
    empty = tmp_path / "empty"
    empty.mkdir()
    t.folder.setFocus()
    QTest.keyClicks(t.folder, str(empty))
    QTest.keyClick(t.folder, Qt.Key.Key_Return)
    assert "train-images-idx3-ubyte" in t.folder_note.text() and "missing" in t.folder_note.text()
    assert "border" in t.folder.styleSheet()  # the field is marked
    good = tmp_path / "good"
    good.mkdir()
    fake_mnist(good)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(good))
    browse = next(b for b in t.findChildren(QToolButton) if b.text() == "…")
    QTest.mouseClick(browse, Qt.MouseButton.LeftButton)
    assert t.folder.text() == str(good) and t.folder_note.text() == "Full MNIST: 6 training and 4 test digits."
    assert t.folder.styleSheet() == "" and window.settings.value("mnist_folder") == str(good)
    (good / "t10k-images-idx3-ubyte.gz").write_bytes(b"not gzip at all")
    press(window, "train")  # checked again: refused before any run starts
    assert t.status.text().startswith("Cannot train on full MNIST: ")
    assert "t10k-images-idx3-ubyte.gz: cannot be read" in t.status.text()
    assert not window.client.busy and t.buttons["train"].isEnabled()
    window.client.loading.emit(0.4)  # what the trainer says while it reads a big folder
    assert t.progress.value() == 40 and t.status.text() == "Reading the data: 40%…"


def test_a_pixel_deleted_from_the_tile_leaves_a_network_that_saves_and_opens(qtbot, window,
                                                                              tmp_path):
    from engine import io
    from tests.gui.drive import shortcut
    window.open_example("mnist-784-32-10")
    window.docks["MNIST"].raise_()
    qtbot.waitUntil(lambda: window.mnist.accuracy.text() != "–")
    net = window.doc.network
    pixel = net.layers[0].neurons[14 * 28 + 14]
    x, y = net.pos[net.index(pixel)]
    window.view.zoom(6)  # a pixel several screen pixels wide
    window.view.centerOn(x, y)
    click(window, x, y)
    assert window.scene.selected_ids() == [pixel]
    shortcut(window, "Delete")  # an uncaught shape error in the MNIST dock before
    assert window.doc.network.n_neurons == 826 - 1
    assert window.doc.network.layers[0].shape is None
    qtbot.waitUntil(lambda: window.mnist.stack.currentIndex() == 0)  # "needs a 28×28 layer"
    target = tmp_path / "less-a-pixel.json"
    window.doc.save(target)
    assert io.load(target).n_neurons == 825  # it opens again (the shape said 784 before)
    shortcut(window, "Ctrl+Z")
    assert window.doc.network.layers[0].shape == (28, 28)
    qtbot.waitUntil(lambda: window.mnist.stack.currentIndex() == 1)


def test_the_mistakes_page_pages_every_wrong_digit_and_filters_by_a_confused_pair(qtbot, window):
    panel = window.mnist
    window.docks["MNIST"].raise_()
    trained = course.bundled().folder / "22-mnist.solution.json"  # 784-32-10, Xavier weights
    assert window.open_path(str(trained))  # its mistakes spread over many pairs
    panel.tabs.setCurrentWidget(panel.mistakes)
    page = panel.mistakes
    net, digits = window.doc.network, load_subset()
    said = forward(net, digits.x_test).predicted()
    wrong = np.flatnonzero(said != digits.labels_test)
    qtbot.waitUntil(lambda: len(page.shown_ids) == len(wrong))
    assert np.array_equal(page.shown_ids, wrong)
    assert f"{len(wrong):,} of 1,000 test digits answered wrong" in page.summary.text()
    assert page.where.text() == f"page 1 of {-(-len(wrong) // 40)}"
    assert page.grid.captions[0] == f"{digits.labels_test[wrong[0]]} → {said[wrong[0]]}"
    QTest.mouseClick(page.on, Qt.MouseButton.LeftButton)
    assert page.where.text().startswith("page 2") and len(page.grid.images) == min(40, len(wrong) - 40)

    matrix = confusion(digits.labels_test, said, 10)
    np.fill_diagonal(matrix, 0)
    true, answer = np.unravel_index(matrix.argmax(), matrix.shape)
    pair = page.pairs.item(1)  # the most confused pair, under "All mistakes"
    assert pair.text() == f"{true} read as {answer}: {matrix.max()}"
    rect = page.pairs.visualItemRect(pair)
    QTest.mouseClick(page.pairs.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(page.shown_ids) == matrix.max()
    assert page.where.text() == f"page 1 of {-(-matrix.max() // 40)}"
    assert all(c == f"{true} → {answer}" for c in page.grid.captions)

    first = page.grid.digit_rect(0).center()
    QTest.mouseClick(page.grid, Qt.MouseButton.LeftButton, pos=first)
    assert np.array_equal(tile_values(window), digits.x_test[page.shown_ids[0]])

    window.open_example("xor-2-2-1")  # another network: its page has no digits of the last
    assert len(page.shown_ids) == 0 and page.pairs.count() == 0


@full_mnist
def test_with_full_mnist_chosen_every_one_of_its_test_digits_answered_wrong_is_paged(qtbot,
                                                                                       window):
    from engine.datasets.mnist import load_test
    panel = window.mnist
    window.docks["MNIST"].raise_()
    assert window.open_path(str(course.bundled().folder / "22-mnist.solution.json"))
    window.training.folder.setText(str(MNIST))
    window.editor.set_settings({"dataset": "mnist"})
    panel.tabs.setCurrentWidget(panel.mistakes)
    page = panel.mistakes
    test = load_test(MNIST)
    said = forward(window.doc.network, test.x_test).predicted()
    wrong = np.flatnonzero(said != test.labels_test)
    qtbot.waitUntil(lambda: len(page.shown_ids) == len(wrong), timeout=60000)
    assert np.array_equal(page.shown_ids, wrong) and len(wrong) > 100
    assert f"{len(wrong):,} of 10,000 test digits answered wrong" in page.summary.text()
    assert "10,000 test digits of full MNIST" in panel.accuracy_note.text()
    window.editor.set_settings({"dataset": "mnist-subset"})  # back to the bundled thousand
    qtbot.waitUntil(lambda: "of 1,000 test digits" in page.summary.text(), timeout=60000)


def test_the_draw_page_shows_what_the_answer_rests_on_as_the_user_draws(qtbot, window):
    from engine.backprop import saliency
    from engine.digits import input_tile

    panel = window.mnist
    window.docks["MNIST"].raise_()
    window.open_example("mnist-784-32-10")
    panel.tabs.setCurrentIndex(3)
    view = panel.saliency
    first = load_subset().x_test[0]  # put on the tile as the network opens
    qtbot.waitUntil(lambda: np.array_equal(tile_values(window), first))
    qtbot.waitUntil(lambda: view.values is not None)

    def expected():
        net, trace = window.doc.network, window.doc.trace
        answer = int(trace.predicted()[0])
        grad, times_input = saliency(net, trace.a[0][trace.plan.inputs], answer)
        pixels = net.index(input_tile(net).neurons)
        return grad[pixels], times_input[pixels], answer

    before = view.gradient.pixmap().toImage()
    draw_a_one(qtbot, panel.pad)
    qtbot.waitUntil(lambda: panel.answer.text().startswith("It reads"))
    assert np.array_equal(tile_values(window), centred(panel.pad.ink()).ravel())
    grad, times_input, answer = expected()
    qtbot.waitUntil(lambda: np.array_equal(view.values[0], grad))
    assert np.array_equal(view.values[1], times_input) and np.abs(grad).max() > 0
    assert f"<b>{panel.labels()[answer]}</b>" in view.title.text()
    assert view.gradient.pixmap().toImage() != before  # the picture changed with the drawing
    window.open_example("xor-2-2-1")
    qtbot.waitUntil(lambda: view.values is None or not panel.fits())


@full_mnist
def test_at_a_million_connections_the_trainer_answers_full_mnists_test_digits(qtbot,
                                                                              trained_window,
                                                                              tmp_path):
    from engine.build import from_spec
    from engine.datasets.mnist import load_test
    from engine.init import initialise
    from engine.io import save
    net = from_spec("784-1000-1000-10", "relu", "softmax")
    initialise(net, "he", 0)
    save(net, tmp_path / "big.json")
    w = trained_window
    panel = w.mnist
    w.docks["MNIST"].raise_()
    assert w.open_path(tmp_path / "big.json")
    w.training.folder.setText(str(MNIST))
    w.editor.set_settings({"dataset": "mnist"})
    panel.tabs.setCurrentWidget(panel.mistakes)
    page = panel.mistakes
    qtbot.waitUntil(lambda: "of 10,000 test digits" in page.summary.text(), timeout=120000)
    assert not panel._evaluating.isActive()  # the window answered none of them itself
    test = load_test(MNIST)
    said = np.concatenate([forward(w.doc.network, test.x_test[k:k + 500]).predicted()
                           for k in range(0, 10_000, 500)])
    wrong = np.flatnonzero(said != test.labels_test)
    assert np.array_equal(page.shown_ids, wrong)
    matrix = confusion(test.labels_test, said, 10)
    assert panel.accuracy.text() == f"{100 * np.trace(matrix) / 10_000:.1f}%"
