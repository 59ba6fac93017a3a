"""Training from the window: the course's XOR run, live, and what it leaves behind."""
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from engine.trace import truth_table
from gui.panels.plots import HIDDEN
from tests.gui.drive import shortcut, type_into
from tests.gui.test_draw_perceptron import choose


def press(window, name):
    QTest.mouseClick(window.training.buttons[name], Qt.MouseButton.LeftButton)


def test_xor_2_2_1_trains_to_four_of_four_animated(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")  # its file carries the settings: XOR, MSE, Adam lr 0.1, full batch
    t = w.training
    assert (t.dataset.currentData(), t.loss.currentData(), t.optimizer.currentData(),
            t.lr.value(), t.batch.value(), t.epochs.value()) == ("xor", "mse", "adam", 0.1, 0, 500)
    t.animate_every.setValue(100)  # live animation on: the forward pass plays during the run
    w.propagation.ms_per_level = 100
    played = []
    w.propagation.levelReached.connect(played.append)
    start = w.doc.network.weight.copy()
    with qtbot.waitSignal(w.client.finished, timeout=60000):  # how long is bench/'s business
        press(w, "train")
    y = truth_table(w.doc.network).outputs[:, 0]
    assert ((y >= 0.5) == [0, 1, 1, 0]).all()
    assert w.propagation.running() or played  # the animation started while it trained
    if w.propagation.running():
        qtbot.waitSignal(w.propagation.finished, timeout=10000).wait()
    assert played and played == [1, 2] * (len(played) // 2)  # whole passes, level by level
    run = w.plots.runs[-1]
    assert len(run.epochs["epoch"]) == 500 and len(run.losses) == 500  # ≥ 1 point per epoch
    assert run.epochs["train_accuracy"][-1] == 1.0
    assert w.doc.undo.undoText() == "Training run"
    shortcut(w, "Ctrl+Z")  # a run is one undo step
    assert np.array_equal(w.doc.network.weight, start)


def test_a_second_run_overlays_the_first_and_nan_stops_with_a_reason(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")
    w.doc.settings.update({"epochs": 20})
    with qtbot.waitSignal(w.client.finished, timeout=10000):
        press(w, "train")
    good = w.doc.network.weight.copy()
    choose(w.training.optimizer, "SGD")
    type_into(w.training.lr, "90")
    w.doc.settings.update({"epochs": 5000})
    w.doc.network.set_activation(int(w.doc.network.outputs[0]), "linear")
    choose(w.training.init, "Normal(mean, std)")
    type_into(w.training.init_std, "50")
    with qtbot.waitSignal(w.client.finished, timeout=10000) as done:
        press(w, "train")
    assert "became NaN" in done.args[0] or "became infinite" in done.args[0]
    assert "learning rate 90" in w.training.status.text()
    assert np.isfinite(w.doc.network.weight).all()
    assert len(w.plots.runs) == 2 and w.plots.list.count() == 3  # under one network's heading
    assert w.plots.list.item(0).text() == "example xor-2-2-1 (2-2-1)"
    assert not np.array_equal(good, w.doc.network.weight)


def test_refused_settings_come_back_as_a_message(qtbot, trained_window):
    w = trained_window
    w.open_example("and")  # step neurons cannot be trained
    with qtbot.waitSignal(w.client.failed, timeout=10000):
        press(w, "train")
    assert "step activation" in w.training.status.text()
    assert w.training.buttons["train"].isEnabled()
    assert w.plots.runs == [] and w.plots.list.count() == 0  # a refused run is not listed


def test_a_finished_run_reports_its_accuracies_and_time_and_another_network_gets_fresh_axes(
        qtbot, trained_window):
    import re
    w = trained_window
    w.open_example("xor-2-2-1")
    w.doc.settings.update({"epochs": 300})
    epochs = []
    w.client.epochsEnded.connect(epochs.extend)
    with qtbot.waitSignal(w.client.finished, timeout=30000):
        press(w, "train")
    last = epochs[-1]
    said = f"train accuracy {100 * last['train_accuracy']:.1f}%, test accuracy " \
           f"{100 * last['test_accuracy']:.1f}%, 300 epochs in "
    assert w.training.status.text().startswith(f"Done: {said}")
    run = w.plots.items[w.plots.runs[0]]
    assert re.fullmatch(rf"run 1: .* — {re.escape(said)}[0-9.]+ s", run.text())
    # the run list, in the curves' colours, is the legend: no legend box covers a curve
    assert run.foreground().color().name() == w.plots.runs[0].colour
    assert all(plot.getPlotItem().legend is None for plot in (w.plots.loss_plot, w.plots.acc_plot))
    w.doc.undo.setClean()  # nothing to ask about on opening the next one
    w.open_example("mnist-784-32-10")  # the XOR run leaves the view and the legend
    assert run.checkState() == Qt.CheckState.Unchecked and run.foreground().color() == HIDDEN
    assert not any(curve.isVisible() for curve in w.plots.curves[w.plots.runs[0]])
    assert w.plots.runs[0].name.startswith("run 1: XOR")


def test_reset_weights_is_one_undo_step(window):
    window.open_example("xor-2-2-1")
    before = window.doc.network.weight.copy()
    choose(window.training.init, "He")
    press(window, "reset")
    assert not np.array_equal(before, window.doc.network.weight)
    shortcut(window, "Ctrl+Z")
    assert np.array_equal(before, window.doc.network.weight)


def test_decision_boundary_follows_the_weights(window):
    window.open_example("xor-hand-tuned")
    window.docks["Decision boundary"].raise_()
    image = window.boundary.image.image
    assert image.shape == (64, 64) and set(np.unique(image)) == {0.0, 1.0}
    window.doc.network.set_bias(4, 5.0)  # the output now always fires
    assert window.boundary.image.image.min() == 1.0
    assert len([v for v, _ in window.boundary.small_maps if v.isVisible()]) == 2
    # the maps beside each other in the low, wide dock: readable sizes (were 90 and 30 px)

    def pixels(view, image):  # the map's height on the screen
        return image.boundingRect().height() * image.transform().m22() / view.getViewBox().viewPixelSize()[1]

    assert pixels(window.boundary.plot, window.boundary.image) >= 130
    assert all(pixels(v, image) >= 100 for v, image in window.boundary.small_maps)


def test_layers_panel_shows_histograms_gradients_and_dead_relus(qtbot, trained_window):
    w = trained_window
    w.open_example("xor-2-2-1")
    net = w.doc.network
    for nid in net.layers[1].neurons:
        net.set_activation(nid, "relu")
    net.set_biases(net.bias - np.where(net.role == 1, 50.0, 0.0))  # both hidden ReLUs dead
    w.doc.settings.update({"epochs": 50})
    w.docks["Layers"].raise_()
    from gui.panels import shown
    qtbot.waitUntil(lambda: shown(w.layers))  # drawn only while its tab is in front
    with qtbot.waitSignal(w.client.finished, timeout=10000):
        press(w, "train")
    assert w.layers.dead.text() == "Dead ReLUs per layer: 100%, —"
    assert "Layer 1: 100% of its ReLUs are dead (far too many)" in w.layers.warning.text()
    x, counts = w.layers._hist_curves[0].getData()
    assert counts.sum() == 4  # the four input → hidden weights
    assert len(w.layers.history) >= 1
    # the colour key is text under the plots: no legend box covers a curve
    assert w.layers.histogram.getPlotItem().legend is None and w.layers.gradients.getPlotItem().legend is None
    assert "■ layer 1" in w.layers.key.text() and "■ layer 2" in w.layers.key.text()


def test_the_layers_dock_skips_work_behind_another_tab_and_draws_when_chosen(qtbot, window):
    window.open_example("xor-2-2-1")
    window.docks["Plots"].raise_()
    snap = {"step": 1, "weights": window.doc.network.weight, "gradient": [0.1, 0.2],
            "dead_relu": [0.5, None]}
    window.layers.show_snapshot(snap)
    assert window.layers.dead.text() == "Dead ReLUs: —"  # not drawn: the Plots tab is in front
    window.docks["Layers"].raise_()
    qtbot.waitUntil(lambda: window.layers.dead.text() == "Dead ReLUs per layer: 50%, —")


def test_dead_relu_warning_thresholds():
    from gui.panels.layers import dead_relu_warning
    assert dead_relu_warning([0.1, None]) == ""
    assert "(many)" in dead_relu_warning([0.3]) and "far too many" in dead_relu_warning([0.5])


def test_hovering_a_hidden_neuron_shows_its_own_map(window):
    from tests.gui.test_window import hover
    window.open_example("xor-hand-tuned")
    window.docks["Decision boundary"].raise_()
    output_map = window.boundary.image.image.copy()
    hover(window, *window.doc.network.pos[2])  # the OR neuron
    assert window.boundary.focus == 2 and "OR over the inputs" in window.boundary.plot.plotItem.titleLabel.text
    or_map = window.boundary.image.image
    assert not np.array_equal(or_map, output_map) and or_map[-1, -1] == 1.0 and or_map[0, 0] == 0.0
    hover(window, 110, -60)  # between neurons: back to the output
    assert window.boundary.focus is None


def test_a_hand_edit_during_a_run_is_trained_from(qtbot, trained_window):
    from gui.commands import SetWeight
    w = trained_window
    w.open_example("xor-2-2-1")
    w.doc.settings.update({"epochs": 100000})
    w.doc.settings.update({"lr": 0.001})
    snaps = []
    w.client.snapshot.connect(snaps.append)
    press(w, "train")
    qtbot.waitUntil(lambda: len(snaps) > 0, timeout=10000)
    press(w, "pause")
    qtbot.wait(200)
    net = w.doc.network
    w.doc.push(SetWeight(net, 0, 2, 7.5))  # by hand, while the run is paused
    press(w, "step")
    qtbot.waitUntil(lambda: abs(net.weight_of(0, 2) - 7.5) < 0.01 and snaps[-1]["weights"][0] != 7.5,
                    timeout=5000)  # one small Adam step away from the edited value
    with qtbot.waitSignal(w.client.finished, timeout=5000):
        press(w, "stop")


def test_runs_can_be_renamed_hidden_removed_and_shown_on_a_log_scale(qtbot, window):
    from PySide6.QtCore import Qt as QtNs
    plots = window.plots
    for name in ("sigmoid", "relu"):
        plots.model.begin(name)
        plots.model.add_losses([(1, 1.0), (2, 0.5)])
        plots.model.add_epochs([{"epoch": 1, "loss": 0.75, "train_accuracy": 0.5, "test_accuracy": None}])
    item = plots.items[plots.runs[0]]
    item.setText("XOR sigmoid")
    item.setCheckState(QtNs.CheckState.Unchecked)  # before the first draw makes the curves
    qtbot.waitUntil(lambda: len(plots.curves) == 2)
    assert plots.runs[0].name == "XOR sigmoid" and not plots.curves[plots.runs[0]][0].isVisible()
    assert plots.curves[plots.runs[1]][0].isVisible()
    assert plots.runs[0].smooth == [1.0, 0.95]  # the smoothed curve starts at the first loss
    plots.list.setCurrentItem(item)
    QTest.mouseClick(plots.remove, Qt.MouseButton.LeftButton)
    assert [r.name for r in plots.runs] == ["relu"] and plots.list.count() == 1
    QTest.mouseClick(plots.log, Qt.MouseButton.LeftButton)
    assert plots.loss_plot.getPlotItem().ctrl.logYCheck.isChecked()


def test_the_plots_draw_a_burst_of_numbers_once(qtbot, window, monkeypatch):
    """Snapshots come 30 times a second: the plots take them all and redraw at most DRAW_HZ
    times a second (their axes were a fifth of the machine's time during an XOR run)."""
    plots, drawn = window.plots, []
    monkeypatch.setattr(plots, "_draw_run", lambda run: drawn.append(run))
    plots.model.begin("burst")
    for step in range(1, 31):
        plots.model.add_losses([(step, 1.0 / step)])
        plots.model.add_epochs([{"epoch": step, "loss": 1.0 / step, "train_accuracy": 0.5,
                           "test_accuracy": None}])
    qtbot.waitUntil(lambda: len(drawn) > 0)
    qtbot.wait(250)
    assert drawn == plots.runs[-1:] and len(plots.runs[-1].steps) == 30


def test_runs_are_listed_under_their_network_and_a_heading_goes_with_its_last_run(window):
    plots = window.plots

    def texts():
        return [plots.list.item(k).text() for k in range(plots.list.count())]

    plots.model.open_network("a.json (2-2-1)")
    plots.model.begin("first")
    plots.model.open_network("b.json (784-32-10)")  # no run yet: no heading yet
    assert texts() == ["a.json (2-2-1)", "first"]
    assert plots.items[plots.runs[0]].foreground().color() == HIDDEN  # hidden: out of the legend
    plots.model.begin("second")
    assert texts() == ["a.json (2-2-1)", "first", "b.json (784-32-10)", "second"]
    plots.list.setCurrentItem(plots.items[plots.runs[1]])
    QTest.mouseClick(plots.remove, Qt.MouseButton.LeftButton)
    assert texts() == ["a.json (2-2-1)", "first"]
    plots.model.begin("third")  # still network b: it gets its heading back
    assert texts() == ["a.json (2-2-1)", "first", "b.json (784-32-10)", "third"]
    plots.list.setCurrentItem(plots.list.item(0))  # a heading is no run: nothing to remove
    QTest.mouseClick(plots.remove, Qt.MouseButton.LeftButton)
    assert len(plots.runs) == 2
    plots.items[plots.runs[0]].setCheckState(Qt.CheckState.Checked)  # ticked again: back in colour
    assert plots.items[plots.runs[0]].foreground().color().name() == plots.runs[0].colour


def test_a_number_field_says_why_it_refuses_a_key(window):
    """lr 1000 became 100 and letters vanished, without a word (issue 9)."""
    t = window.training
    type_into(t.lr, "1000")
    assert t.lr.value() == 100.0  # Qt keeps the field in its range...
    assert t.refusals.label.isVisible()  # ...and now says so, beside the marked field
    assert t.refusals.label.text() == ("Learning rate takes a number from 1e-05 to 100: “1000” "
                                       "is out of range.")
    assert "border" in t.lr.styleSheet()
    type_into(t.epochs, "2x")
    assert t.refusals.label.text() == "Epochs takes a number from 1 to 100000: “2x” is not a number."
    assert "border" in t.epochs.styleSheet() and t.lr.styleSheet() == ""  # one field marked
    type_into(t.epochs, "20")
    assert not t.refusals.label.isVisible() and t.epochs.styleSheet() == "" and t.epochs.value() == 20


def test_a_run_exports_its_epochs_as_csv(window, tmp_path, monkeypatch):
    import csv

    from PySide6.QtWidgets import QFileDialog
    plots = window.plots
    plots.model.begin("xor")
    plots.model.add_epochs([{"epoch": 1, "loss": 0.25, "train_accuracy": 0.5, "test_accuracy": None},
                      {"epoch": 2, "loss": 0.125, "train_accuracy": 0.75, "test_accuracy": 1.0}])
    plots.model.begin("later")
    plots.list.setCurrentItem(plots.items[plots.runs[0]])  # the chosen run, not the last
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "run"), ""))
    QTest.mouseClick(plots.export, Qt.MouseButton.LeftButton)
    rows = list(csv.reader((tmp_path / "run.csv").read_text().splitlines()))
    assert rows == [["epoch", "loss", "train_accuracy", "test_accuracy"],
                    ["1", "0.25", "0.5", ""], ["2", "0.125", "0.75", "1.0"]]
    assert window.statusBar().currentMessage() == f"Exported {tmp_path / 'run.csv'}"
