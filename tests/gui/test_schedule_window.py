"""A learning-rate schedule chosen in the Training dock with the keys: each epoch of the run
trains at the schedule's rate, the loss plot says the rate as it stands, the file keeps it, and
another network's plot does not show it."""
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from engine import io, schedules
from tests.gui.drive import type_into


def test_a_step_schedule_runs_in_the_window_and_is_kept(trained_window, qtbot, tmp_path,
                                                         monkeypatch):
    w = trained_window
    w.open_example("xor-2-2-1")
    w.docks["Training"].raise_()
    panel = w.training
    assert not panel.decay.isEnabled()  # constant: no γ to set
    panel.schedule.setFocus()
    QTest.keyClick(panel.schedule, Qt.Key.Key_Down)  # Constant to Step
    assert w.doc.settings.get("schedule") == "step" and panel.decay.isEnabled()
    assert not panel.lr_min.isEnabled()
    type_into(panel.decay, "0.5")
    type_into(panel.decay_every, "2")
    type_into(panel.epochs, "6")
    lr = w.doc.settings.get("lr")
    QTest.mouseClick(panel.buttons["train"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not w.client.busy and w.doc.runs.items
                    and len(w.doc.runs.items[-1].rates) == 6, timeout=60000)
    assert w.doc.runs.items[-1].rates == [schedules.rate("step", lr, t, 0.5, 2, 0.0)
                                          for t in range(6)]
    qtbot.waitUntil(lambda: "η now" in w.plots.loss_plot.getPlotItem().titleLabel.text)
    assert f"{lr / 4:.3g}" in w.plots.loss_plot.getPlotItem().titleLabel.text

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "scheduled.json"), ""))
    assert w.save_as()
    kept = io.load(tmp_path / "scheduled.json").training
    assert (kept["schedule"], kept["decay"], kept["decay_every"]) == ("step", 0.5, 2)
    w.open_example("and")
    assert w.plots.loss_plot.getPlotItem().titleLabel.text == "Loss"
    assert w.doc.settings.get("schedule") == "constant"
