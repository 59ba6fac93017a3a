"""The Map dock: a hidden layer's activations over the test samples by PCA, as engine.projection
gives them, following edits; a click on a point puts its sample on the inputs; another network
maps afresh or says why it cannot."""
import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from engine import course
from engine.datasets.mnist import load_subset, load_test
from engine.projection import hidden_levels, pca, plane_grid
from engine.trace import forward
from gui.commands import SetWeight
from tests.paths import MNIST as MNIST_FOLDER, full_mnist

MNIST = course.bundled().folder / "22-mnist.solution.json"  # 784-32-10, Xavier weights


def on_screen(panel, xy) -> QPointF:
    """Where a point of the map is drawn, in the plot's viewport."""
    scene = panel.plot.getPlotItem().vb.mapViewToScene(QPointF(*xy))
    return panel.plot.mapFromScene(scene)


def test_the_map_is_pca_of_the_hidden_layer_and_a_click_feeds_its_digit(qtbot, window):
    assert window.open_path(str(MNIST))
    window.docks["Map"].raise_()
    panel = window.map
    qtbot.waitUntil(lambda: panel.projection is not None and not panel._working.isActive()
                    and not panel._settle.isActive(), timeout=20000)  # drawn, none under way
    net, digits = window.doc.network, load_subset()
    hidden = hidden_levels(net)[0]
    expected = pca(forward(net, digits.x_test).a[:, hidden])
    assert np.allclose(panel.projection.coords, expected.coords)
    assert np.array_equal(panel.classes, digits.labels_test)

    k = 123
    qtbot.wait(100)  # the view fits its range to the points as it paints them
    assert panel.sample.pixmap().isNull()
    at = on_screen(panel, panel.projection.coords[k])
    for step in (QPoint(2, 2), at + QPoint(3, 0), at):  # in, then onto the point
        QTest.mouseMove(panel.plot.viewport(), step)
        qtbot.wait(20)
    qtbot.waitUntil(lambda: not panel.sample.pixmap().isNull())  # the digit under the mouse
    QTest.mouseClick(panel.plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=on_screen(panel, panel.projection.coords[k]))
    tile = np.array([window.doc.inputs.get(n, 0.0) for n in net.layers[0].neurons])
    picked = [j for j in range(len(digits.x_test)) if np.array_equal(tile, digits.x_test[j])]
    near = np.linalg.norm(panel.projection.coords - panel.projection.coords[k], axis=1)
    assert picked and near[picked[0]] < 0.02  # the digit under the mouse (or one on top of it)

    before = panel.projection.coords.copy()
    centre = net.layers[0].neurons[14 * 28 + 14]  # a pixel most digits ink
    window.doc.push(SetWeight(net, centre, int(net.ids[hidden[0]]), 25.0))
    qtbot.waitUntil(lambda: not np.allclose(panel.projection.coords, before), timeout=20000)


def test_another_network_maps_afresh_or_says_why_not(qtbot, window):
    window.open_example("xor-2-2-1")
    window.docks["Map"].raise_()
    panel = window.map
    qtbot.waitUntil(lambda: panel.projection is not None and len(panel.classes) > 0)
    assert panel.layer.count() == 1 and "(2 neurons)" in panel.layer.currentText()
    net = window.doc.network  # a plane network: its grid, bent by the hidden layer
    lines = plane_grid(*window.doc.settings.plane())
    assert len(panel.grid) == len(lines) == 22
    hidden = hidden_levels(net)[0]
    for drawn, line in zip(panel.grid, lines):
        x, y = drawn.getData()
        expected = panel.projection.place(forward(net, line).a[:, hidden])
        assert np.allclose(np.column_stack([x, y]), expected)
    window.open_example("and")  # one neuron: no hidden layer
    assert panel.projection is None and not len(panel.points.data)  # the last map is gone
    window.docks["Map"].raise_()
    qtbot.waitUntil(lambda: "has none" in panel.note.text())
    assert panel.layer.count() == 0


def test_t_sne_is_drawn_from_its_own_process_or_says_what_to_install(qtbot, window, monkeypatch):
    pytest.importorskip("sklearn")
    from engine.projection import TSNE_MISSING, tsne
    window.open_example("xor-2-2-1")
    window.docks["Map"].raise_()
    panel = window.map
    qtbot.waitUntil(lambda: panel.projection is not None and len(panel.classes) > 0)
    pca_drawn = np.column_stack(panel.points.getData())
    monkeypatch.setattr("gui.panels.map.tsne_available", lambda: False)
    panel.method.setFocus()
    QTest.keyClick(panel.method, Qt.Key.Key_Down)  # t-SNE, but scikit-learn is "missing"
    assert panel.method.currentData() == "pca" and panel.note.text() == TSNE_MISSING
    assert np.array_equal(np.column_stack(panel.points.getData()), pca_drawn)  # the map stays

    monkeypatch.undo()
    QTest.keyClick(panel.method, Qt.Key.Key_Down)
    assert panel.method.currentData() == "tsne"
    qtbot.waitUntil(lambda: "5 samples or more; there are 4" in panel.note.text(), timeout=60000)
    window.editor.set_settings({"dataset": "moons"})  # XOR's four, then 100 test samples
    qtbot.waitUntil(lambda: "near points" in panel.note.text(), timeout=60000)
    net = window.doc.network
    data = panel.data()
    expected = tsne(forward(net, data.x_test).a[:, hidden_levels(net)[0]], 0)
    assert np.allclose(np.column_stack(panel.points.getData()), expected, atol=1e-6)
    assert panel.grid == []  # t-SNE places no other points: no bent grid

    window.doc.undo.setClean()
    window.open_example("mnist-784-15-10")  # the next network is mapped afresh, by t-SNE
    window.docks["Map"].raise_()  # opening MNIST put its own dock in front
    qtbot.waitUntil(lambda: "near points" in panel.note.text() and
                    len(panel.points.data) == len(load_subset().x_test), timeout=60000)


def test_a_million_connections_are_mapped_by_the_trainer_process(trained_window, qtbot, tmp_path):
    from engine.build import from_spec
    from engine.init import initialise
    from engine.io import save
    net = from_spec("784-1000-1000-10", "relu", "softmax")
    initialise(net, "he", 0)
    save(net, tmp_path / "big.json")
    w = trained_window
    assert w.open_path(tmp_path / "big.json")
    w.editor.set_settings({"dataset": "mnist-subset"})
    w.docks["Map"].raise_()
    panel = w.map
    assert panel.far()
    qtbot.waitUntil(lambda: "mapped by the trainer process" in panel.note.text(), timeout=120000)
    net, digits = w.doc.network, load_subset()
    assert not panel._working.isActive()  # the window did no forward pass of its own
    expected = pca(np.concatenate([forward(net, digits.x_test[k:k + 100]).a[:, hidden_levels(net)[0]]
                                   for k in range(0, 1000, 100)]))
    scale = np.abs(expected.coords).max()
    assert np.allclose(panel.projection.coords, expected.coords, atol=1e-4 * scale)
    assert np.array_equal(panel.classes, digits.labels_test)

    panel.layer.setFocus()
    QTest.keyClick(panel.layer, Qt.Key.Key_Down)  # the second hidden level, asked anew
    second = hidden_levels(net)[1]
    qtbot.waitUntil(lambda: panel.asking.request > 1 and panel.asking.asked is None,
                    timeout=120000)
    qtbot.waitUntil(lambda: not np.allclose(panel.projection.coords[:, 0], expected.coords[:, 0],
                                            atol=1e-4 * scale), timeout=120000)
    assert len(second) == 1000


@full_mnist
def test_full_mnists_ten_thousand_test_digits_are_mapped(trained_window, qtbot):
    w = trained_window
    w.open_example("mnist-784-32-10")
    w.training.folder.setText(str(MNIST_FOLDER))
    w.editor.set_settings({"dataset": "mnist"})
    w.docks["Map"].raise_()
    panel = w.map
    qtbot.waitUntil(lambda: "mapped by the trainer process" in panel.note.text(), timeout=120000)
    assert len(panel.projection.coords) == len(panel.classes) == 10_000
    test = load_test(MNIST_FOLDER)
    assert np.array_equal(panel.classes, test.labels_test)
    net = w.doc.network
    expected = pca(forward(net, test.x_test).a[:, hidden_levels(net)[0]])
    assert np.allclose(panel.projection.coords, expected.coords, atol=1e-4 * np.abs(expected.coords).max())
    k = 4321
    qtbot.wait(100)  # the view fits its range to the points as it paints them
    QTest.mouseClick(panel.plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=on_screen(panel, panel.projection.coords[k]))
    tile = np.array([w.doc.inputs.get(n, 0.0) for n in net.layers[0].neurons])
    picked = np.flatnonzero((test.x_test == tile).all(1))  # a digit of full MNIST's test set
    assert len(picked)  # the digit under the pointer: one whose point (6 px) covers it
    gap = on_screen(panel, panel.projection.coords[picked[0]]) - on_screen(panel, panel.projection.coords[k])
    assert np.hypot(gap.x(), gap.y()) <= 6
