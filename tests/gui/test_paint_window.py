"""Painting data on the Boundary dock with the mouse: a click adds a point of the chosen class,
a drag sprays a stroke that is one undo step, a right-click removes the nearest point; the
points are the network's data set, drawn on the plane and kept in its file."""
import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from engine.datasets.paint import points_of
from engine.datasets.table import make_dataset
from gui.main_window import DOCK_WIDTH
from gui.plotting import pg
from tests.gui.drive import shortcut


def at(panel, x: float, y: float) -> QPoint:
    scene = panel.plot.getPlotItem().vb.mapViewToScene(QPointF(x, y))
    return panel.plot.mapFromScene(scene)


def painting(qtbot, window):
    """XOR's network with the Boundary dock in front and Paint pressed: the dock and its tool."""
    window.open_example("xor-2-2-1")
    window.docks["Decision boundary"].raise_()
    panel = window.boundary
    qtbot.waitUntil(lambda: panel.plot is not None and panel.plot.isVisible())
    QTest.mouseClick(panel.paint.button, Qt.MouseButton.LeftButton)
    return panel, panel.paint


def test_painting_makes_the_data_set_one_stroke_one_undo_step(qtbot, window):
    panel, paint = painting(qtbot, window)
    view = panel.plot.viewport()
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=at(panel, 0.5, 0.5))
    assert "Choose the class" in paint.note.text() and window.doc.settings.get("dataset") == "xor"

    for _ in range(2):  # from no class to class 0, then class 1
        QTest.keyClick(paint.klass, Qt.Key.Key_Down)
    assert paint.klass.currentData() == 1
    steps = window.doc.undo.count()
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=at(panel, 0.5, 0.5))
    xy, classes = points_of(window.doc.settings.get("csv"))
    assert window.doc.settings.get("dataset") == "csv" and classes.tolist() == [1]
    assert np.allclose(xy[0], (0.5, 0.5), atol=0.05) and window.doc.undo.count() == steps + 1

    QTest.keyClick(paint.klass, Qt.Key.Key_Up)  # class 0
    QTest.mousePress(view, Qt.MouseButton.LeftButton, pos=at(panel, -1.0, -1.0))
    for k in range(1, 11):
        QTest.mouseMove(view, at(panel, -1.0 + 0.2 * k, -1.0))
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, pos=at(panel, 1.0, -1.0))
    xy, classes = points_of(window.doc.settings.get("csv"))
    assert len(xy) > 10 and set(classes[1:].tolist()) == {0}
    assert np.abs(xy[1:, 1] + 1.0).max() < 0.3 and window.doc.undo.count() == steps + 2
    data = make_dataset(window.doc.settings.get("csv"))  # what the trainer reads, shuffled
    rows = lambda a: a[np.lexsort((a[:, 1], a[:, 0]))]  # noqa: E731
    assert np.allclose(rows(data.x_train), rows(xy), atol=1e-6) and data.n_classes == 2
    assert np.allclose(sorted(map(tuple, panel.drawn())), sorted(map(tuple, xy)))  # drawn

    shortcut(window, "Ctrl+Z")  # the whole stroke goes at once
    assert len(points_of(window.doc.settings.get("csv"))[0]) == 1

    QTest.mouseClick(view, Qt.MouseButton.RightButton, pos=at(panel, 0.5, 0.5))
    assert "keeps its last point" in paint.note.text()
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=at(panel, -0.5, 0.5))
    QTest.mouseClick(view, Qt.MouseButton.RightButton, pos=at(panel, 0.5, 0.5))
    xy, classes = points_of(window.doc.settings.get("csv"))
    assert len(xy) == 1 and classes.tolist() == [0] and np.allclose(xy[0], (-0.5, 0.5), atol=0.05)


def test_the_data_set_exports_as_csv_from_the_file_menu(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from tests.gui.drive import choose
    window.open_example("xor-2-2-1")
    target = tmp_path / "xor.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    choose(window, "File", "Export Data Set as CSV…")
    assert target.read_text().splitlines() == [
        "x1,x2,class,split", "0.0,0.0,0,train", "0.0,1.0,1,train", "1.0,0.0,1,train",
        "1.0,1.0,0,train", "0.0,0.0,0,test", "0.0,1.0,1,test", "1.0,0.0,1,test", "1.0,1.0,0,test"]
    window.editor.set_settings({"dataset": "mnist"})
    shown = []
    monkeypatch.setattr(window, "show_error", lambda title, text: shown.append(text))
    assert not window.export_data(tmp_path / "mnist.csv") and "70,000" in shown[0]
    assert not (tmp_path / "mnist.csv").exists()


def test_painting_values_makes_a_regression_drawn_in_the_values_colours(qtbot, window):
    from tests.gui.drive import type_into
    panel, paint = painting(qtbot, window)
    paint.klass.setFocus()
    for _ in range(11):  # past the ten classes: a value
        QTest.keyClick(paint.klass, Qt.Key.Key_Down)
    assert paint.klass.currentData() == "value" and paint.value.isVisible()
    QApplication.processEvents()  # the dock column keeps its width with the value's box shown
    assert window.docks["Decision boundary"].width() <= DOCK_WIDTH + 20
    type_into(paint.value, "0.8")
    view = panel.plot.viewport()
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=at(panel, 0.5, 0.5))
    type_into(paint.value, "0.2")
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=at(panel, -0.5, 0.5))
    table = window.doc.settings.get("csv")
    xy, values = points_of(table)
    assert values.tolist() == [0.8, 0.2] and window.doc.undo.undoText() == "Paint 1 point of value 0.2"
    data = make_dataset(table)
    assert data.regression and np.allclose(sorted(data.y_train[:, 0]), [0.2, 0.8])
    scatters = [item for item in panel.plot.getPlotItem().items
                if isinstance(item, pg.ScatterPlotItem) and len(item.data)
                and item not in (panel.test_points, paint.shown)]
    colours = {brush.color().name() for item in scatters for brush in item.data["brush"]}
    assert len(panel.drawn()) == 2 and len(colours) == 2  # each value its own colour

    QTest.keyClick(paint.klass, Qt.Key.Key_Up)  # class 9: painting classes starts a new table
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=at(panel, 0.0, 0.0))
    assert points_of(window.doc.settings.get("csv"))[1].tolist() == [9]
    shortcut(window, "Ctrl+Z")  # and undo brings the values back
    assert points_of(window.doc.settings.get("csv"))[1].tolist() == [0.8, 0.2]
    assert len(panel.drawn()) == 2
