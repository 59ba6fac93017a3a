"""Compare… in the window: its runs' results table equals `neurocanvas-cli compare` of the same
variants, number for number; the table is kept in the file as one undo step and exports as CSV."""
import csv
import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from engine import io
from engine.cli import main
from tests.gui.drive import shortcut, type_into


def open_compare(window, qtbot):
    window.open_example("xor-2-2-1")
    QTest.mouseClick(window.training.buttons["compare"], Qt.MouseButton.LeftButton)
    dialog = window.compare_dialog()
    qtbot.waitExposed(dialog)
    return dialog


def test_compare_runs_the_variants_as_the_cli_does(window, qtbot, tmp_path, capsys, monkeypatch):
    dialog = open_compare(window, qtbot)
    window.doc.undo.setClean()
    dialog.values.selectAll()
    QTest.keyClicks(dialog.values, "0.05,0.5")
    type_into(dialog.seeds, "2")
    QTest.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert not dialog.problem.text()
    qtbot.waitUntil(lambda: not dialog.runs.running and dialog.progress.value() == 4,
                    timeout=120000)
    assert len(dialog.curves) == 4 and dialog.table.rowCount() == 2
    kept = window.doc.settings.get("comparison")
    assert kept["vary"] == "lr" and kept["values"] == [0.05, 0.5] and kept["seeds"] == [0, 1]

    net = window.doc.network.copy()
    settings = window.doc.settings.all()
    io.save(net, tmp_path / "xor.json")
    argv = ["--dataset", "xor", "--optimizer", settings["optimizer"], "--epochs",
            str(settings["epochs"]), "--batch-size", str(settings["batch_size"]), "--loss",
            settings["loss"], "--init", settings["init"], "--reach", "1.0"]
    assert main(["compare", str(tmp_path / "xor.json"), "--vary", "lr=0.05,0.5", "--seeds", "0-1",
                 *argv]) == 0
    headless = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    for mine, theirs in zip(kept["rows"], headless):
        for key in ("value", "runs", "final_loss", "train_accuracy", "test_accuracy",
                    "epochs_to_target", "reached", "solved"):
            assert mine[key] == theirs[key], key

    target = tmp_path / "table.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    rows = list(csv.reader(target.read_text().splitlines()))
    assert rows[0][0] == "value" and [r[0] for r in rows[1:]] == ["0.05", "0.5"]

    shortcut(window, "Ctrl+Z")  # the comparison was one undo step
    assert window.doc.settings.get("comparison") is None


def test_a_bad_comparison_says_why_and_starts_nothing(window, qtbot):
    dialog = open_compare(window, qtbot)
    for text, why in (("0.1", "two values or more"), ("0.1,abc", "is not a number"),
                      (",".join(str(k / 1000) for k in range(1, 1001)), "1,000 values")):
        dialog.values.selectAll()
        QTest.keyClicks(dialog.values, text)
        QTest.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
        assert why in dialog.problem.text() and not dialog.runs.running
    QTest.keyClicks(dialog.setting, "Regu")
    assert dialog.values.text() == "none,l1:0.001,l2:0.01,dropout:0.2"
    dialog.values.selectAll()
    QTest.keyClicks(dialog.values, "none,l3:0.1")
    QTest.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert "as l2:0.01" in dialog.problem.text() and not dialog.runs.running


def test_seeds_of_a_kept_start_are_said_to_start_alike(window, qtbot):
    dialog = open_compare(window, qtbot)
    assert window.doc.settings.get("init") == "keep"
    assert not dialog.same_starts.isVisible()
    type_into(dialog.seeds, "3")
    assert dialog.same_starts.isVisible()
    window.editor.set_settings({"init": "xavier"})
    assert not dialog.same_starts.isVisible()


def test_opening_another_network_ends_the_comparison(window, qtbot):
    dialog = open_compare(window, qtbot)
    QTest.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.runs.running
    window.open_example("and")
    assert not dialog.isVisible() and not dialog.runs.running
