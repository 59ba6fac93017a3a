"""The runs model alone, and the Plots dock following it."""
import numpy as np
from PySide6.QtCore import Qt

from gui.panels.plots import PlotsPanel
from gui.plotting import pg
from gui.runs import Runs, run_csv


def test_a_run_collects_its_numbers_and_hides_when_another_network_opens(qtbot):
    runs, seen = Runs(), []
    runs.changed.connect(seen.append)
    runs.open_network("xor.json (2-2-1)")
    run = runs.begin("run 1")
    runs.add_losses([(1, 0.5), (2, 0.25)])
    runs.add_epochs([{"epoch": 1, "loss": 0.375, "train_accuracy": 0.5, "test_accuracy": None}])
    runs.end("train accuracy 50.0%")
    assert run.network == "xor.json (2-2-1)" and run.smooth == [0.5, 0.9 * 0.5 + (1 - 0.9) * 0.25]
    assert np.isnan(run.epochs["test_accuracy"][0]) and run_csv(run).splitlines()[1] == "1,0.375,0.5,"
    runs.open_network("digits.json (784-32-10)")
    assert not run.shown and seen == [run, run]  # ended, then hidden
    second = runs.begin("run 2")
    runs.drop()  # refused before its first step
    assert runs.items == [run] and second.colour != run.colour


def test_the_dock_shows_what_the_model_says_and_tells_it_what_the_user_did(qtbot):
    runs = Runs()
    panel = PlotsPanel(runs)
    qtbot.addWidget(panel)
    run = runs.begin("run 1")
    runs.add_losses([(1, 0.5)])
    runs.end("done")  # draws the run at once
    item = panel.items[run]
    assert item.text() == "run 1 — done" and item.checkState() == Qt.CheckState.Checked
    runs.set(run, name="sigmoid, lr 0.5")
    assert item.text() == "sigmoid, lr 0.5 — done"
    item.setCheckState(Qt.CheckState.Unchecked)  # the user unticks it in the list
    assert not run.shown and not panel.curves[run][0].isVisible()
    runs.remove(run)
    assert panel.list.count() == 0 and run not in panel.curves


def test_each_run_draws_in_its_own_colour_and_style(qtbot):
    """A run's curves come from a spare set made before it: each still takes its run's colour,
    the accuracy curves solid (train), dashed (test) and dotted (validation)."""
    runs = Runs()
    panel = PlotsPanel(runs)
    qtbot.addWidget(panel)
    drawn = []
    for name in ("first", "second"):
        run = runs.begin(name)
        runs.add_losses([(1, 0.5)])
        runs.add_epochs([{"epoch": 1, "loss": 0.5, "train_accuracy": 0.5, "test_accuracy": 0.5}])
        runs.end("done")  # draws it at once
        drawn.append(run)
    for run in drawn:
        curves = panel.curves[run]
        assert {curves[k].opts["pen"].color().name() for k in (0, 2, 3, 4)} == {run.colour}
        assert pg.mkBrush(curves[1].opts["symbolBrush"]).color().name() == run.colour
        assert [curves[k].opts["pen"].style() for k in (2, 3, 4)] == [
            Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine]
    assert drawn[0].colour != drawn[1].colour
    assert not set(map(id, panel.curves[drawn[0]])) & set(map(id, panel.curves[drawn[1]]))


def test_the_next_runs_curves_are_made_when_a_run_ends_not_while_it_trains(qtbot):
    runs = Runs()
    panel = PlotsPanel(runs)
    qtbot.addWidget(panel)
    assert len(panel.loss_plot.listDataItems()) == 2  # a spare loss line and epoch dots
    run = runs.begin("xor")
    runs.add_losses([(1, 0.5)])
    qtbot.waitUntil(lambda: run in panel.curves)  # its first draw took the spare curves
    qtbot.wait(50)
    assert len(panel.loss_plot.listDataItems()) == 2
    runs.end("done")
    qtbot.waitUntil(lambda: len(panel.loss_plot.listDataItems()) == 4)


def test_a_long_run_name_scrolls_sideways_and_says_itself_in_full(qtbot):
    runs = Runs()
    panel = PlotsPanel(runs)
    qtbot.addWidget(panel)
    panel.resize(260, 300)
    panel.show()
    run = runs.begin("run 1: MNIST subset (bundled), adam lr 0.001, from epoch 6")
    runs.end("train accuracy 97.1%, test accuracy 95.0%, 5 epochs in 3.1 s")
    qtbot.waitUntil(lambda: panel.list.horizontalScrollBar().maximum() > 0)
    item = panel.items[run]
    assert item.toolTip() == item.text() and item.text().endswith("in 3.1 s")


def test_the_progress_line_never_breaks_samples_per_second(qtbot):
    from PySide6.QtGui import QFontMetricsF, QTextLayout, QTextOption
    from PySide6.QtWidgets import QLabel
    from gui.panels.training import progress_text
    text = progress_text({"epoch": 3, "step": 1234, "total": 9380, "samples_per_s": 218_000,
                          "seconds_left": 12})
    font = QLabel().font()
    for width in range(120, 420, 3):  # every width a dock might have: no line starts with "s,"
        layout = QTextLayout(text, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.beginLayout()
        starts = []
        while (line := layout.createLine()).isValid():
            line.setLineWidth(width)
            starts.append(text[line.textStart():line.textStart() + 2])
        layout.endLayout()
        assert "s," not in starts, width
    assert QFontMetricsF(font).horizontalAdvance(text) > 120  # it did wrap at the narrow ones
