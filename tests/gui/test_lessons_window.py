"""Lessons in the window: Start here lists the bundled course, a student opens a lesson file (as
a double-click does) and is told when its goals are met; a teacher writes one with Save as Lesson;
classroom mode hides controls until the lesson goes."""
import json

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from engine import course, lesson
from gui.app import make_window
from gui.lesson_run import is_done
from tests.gui.drive import choose, click, shortcut, type_into

BUNDLED = course.bundled()


def start_here(window):
    return next(a for a in window.menuBar().actions() if a.text() == "Start &Here").menu()


def test_start_here_lists_the_bundled_course_in_order(window):
    menu = start_here(window)
    menu.aboutToShow.emit()
    titles = [a.text() for a in menu.actions() if a.text()[:1].isdigit()]
    assert titles == [f"{k + 1}. {lesson.load(p).title}" for k, p in enumerate(BUNDLED.lessons)]
    choose(window, "Start Here", titles[1])
    assert window.lesson.isVisible() and "AND" in window.lesson.text.text()
    assert "○ the truth table of AND all correct — now 2/4" in window.lesson.goals.text()
    assert window.truth_table.preset.currentData() == "and"  # the table shows the goal's targets
    window.open_example("xor-2-2-1")  # another network: the lesson goes with its own
    assert not window.lesson.isVisible() and window.docks["Training"].toggleViewAction().isVisible()


def test_a_student_opens_a_lesson_file_and_is_told_when_it_is_done(qtbot, tmp_path, settings):
    path = tmp_path / "and.lesson.json"
    path.write_text((BUNDLED.folder / "02-and.lesson.json").read_text())
    w = make_window([str(path)])  # as a double-click on the file starts the app
    try:
        w.settings = settings
        qtbot.waitExposed(w)
        assert w.lesson.isVisible() and w.doc.path is None
        assert not w.lesson.goals.text().count("Done")
        out = int(w.doc.network.outputs[0])
        click(w, *w.doc.network.pos[w.doc.network.index(out)])
        type_into(w.inspector.bias.spin, "-2")
        qtbot.waitUntil(lambda: "Done!" in w.lesson.goals.text(), timeout=5000)
        assert "✓</b> the truth table of AND all correct — now 4/4" in w.lesson.goals.text()
        assert is_done(settings, path)
        menu = start_here(w)
        w.course_menu.fill()
        assert not any(a.text().startswith("✓ 2.") for a in menu.actions())  # another file
        shortcut(w, "Ctrl+Z")  # undo the bias: the goal is unmet again
        qtbot.waitUntil(lambda: "Done!" not in w.lesson.goals.text(), timeout=5000)
    finally:
        w.doc.undo.setClean()
        w.close()
        w.deleteLater()


def test_hints_come_one_at_a_time(window):
    window.open_lesson(BUNDLED.folder / "02-and.lesson.json")
    hint = window.lesson.hint
    hints = lesson.load(BUNDLED.folder / "02-and.lesson.json").hints
    assert not window.lesson.hints.isVisible() and hint.text() == f"Hint ({len(hints)} left)"
    QTest.mouseClick(hint, Qt.MouseButton.LeftButton)
    assert hints[0] in window.lesson.hints.text() and hints[1] not in window.lesson.hints.text()
    QTest.mouseClick(hint, Qt.MouseButton.LeftButton)
    assert hints[1] in window.lesson.hints.text() and not hint.isEnabled()


def test_classroom_mode_hides_controls_until_the_lesson_closes(window, qtbot):
    window.open_lesson(BUNDLED.folder / "01-threshold.lesson.json")
    training, train = window.docks["Training"], window.training.run_action("train")
    assert training.isHidden() and not training.toggleViewAction().isVisible()
    assert not train.isVisible() and not window.training.buttons["train"].isVisible()
    shortcut(window, "Ctrl+T")  # its shortcut goes with it
    assert window.doc.runs.items == [] and not window.lesson_run.trained
    QTest.mouseClick(window.lesson.close_button, Qt.MouseButton.LeftButton)
    assert not window.lesson.isVisible()
    assert not training.isHidden() and training.toggleViewAction().isVisible() and train.isVisible()


def test_a_teacher_saves_a_lesson_that_a_student_opens(window, qtbot, tmp_path, monkeypatch):
    window.open_example("and")
    dialog = window.save_as_lesson()
    qtbot.waitExposed(dialog)
    QTest.keyClicks(dialog.title, "My AND")
    QTest.keyClicks(dialog.task, "Make it fire for (1, 1) only: <i>w<sub>1</sub></i>")
    QTest.keyClicks(dialog.hints, "Look at the bias")
    assert dialog.table.isChecked() and dialog.gate.currentData() == "and"
    for box in (dialog.untrained, dialog.hide_boxes["training"]):
        QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert dialog.untrained.isChecked() and dialog.hide_boxes["training"].isChecked()
    target = tmp_path / "mine"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    save = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Save")
    QTest.mouseClick(save, Qt.MouseButton.LeftButton)
    written = tmp_path / "mine.lesson.json"
    doc = json.loads(written.read_text())
    assert doc["title"] == "My AND" and doc["hints"] == ["Look at the bias"]
    assert doc["goals"] == [{"kind": "truth_table", "gate": "and"}, {"kind": "without_training"}]
    assert doc["hide"] == ["training"] and doc["network"]["format"] == "neurocanvas"
    window.open_example("xor-2-2-1")
    assert window.open_path(written)
    assert "My AND" in window.lesson.text.text() and window.docks["Training"].isHidden()
    assert window.lesson.goals.text().count("✓") == 2  # the AND example meets both


def test_save_as_lesson_needs_a_title_and_a_goal(window, qtbot):
    window.open_example("xor-2-2-1")
    dialog = window.save_as_lesson()
    dialog.accept()
    assert dialog.isVisible() and "title" in dialog.problem.text()
    QTest.keyClicks(dialog.title, "XOR")
    assert dialog.table.isChecked()  # XOR's truth table, from the network's data set
    QTest.mouseClick(dialog.table, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.table.height() // 2))
    dialog.accept()
    assert dialog.isVisible() and "goal" in dialog.problem.text()
    dialog.reject()


def test_a_bad_lesson_file_leaves_the_open_network_as_it_was(window, tmp_path):
    window.open_example("xor-2-2-1")
    before = window.doc.network.weight.copy()
    bad = tmp_path / "bad.lesson.json"
    bad.write_text(json.dumps({"format": "neurocanvas-lesson", "version": 1, "title": "x",
                               "network": "and", "goals": [{"kind": "bias", "neuron": "ghost",
                                                            "between": [0, 1]}]}))
    assert not window.open_path(bad)
    box = window.findChild(QMessageBox, "error")
    assert "goals[0].neuron" in box.text() and "ghost" in box.text()
    assert (window.doc.network.weight == before).all() and not window.lesson.isVisible()


def test_a_course_folder_is_added_to_start_here(window, tmp_path):
    assert not window.course_menu.open_folder(str(tmp_path))  # no course.json
    assert "course.json" in window.findChild(QMessageBox, "error").text()
    (tmp_path / "one.lesson.json").write_text((BUNDLED.folder / "03-or.lesson.json").read_text())
    (tmp_path / "course.json").write_text(json.dumps(
        {"format": "neurocanvas-course", "version": 1, "title": "Mine",
         "lessons": ["one.lesson.json"]}))
    assert window.course_menu.open_folder(str(tmp_path))
    sub = next(a.menu() for a in start_here(window).actions() if a.text() == "Mine")
    sub.actions()[0].trigger()
    assert "OR" in window.lesson.text.text()


def test_a_network_built_for_the_lesson_keeps_it_open_and_its_data(window, qtbot):
    from engine import goals
    window.open_lesson(BUNDLED.folder / "23-sin.lesson.json")
    dialog = window.new_from_spec()
    qtbot.waitExposed(dialog)
    dialog.spec.selectAll()
    QTest.keyClicks(dialog.spec, "1-16-1")
    dialog.hidden.setCurrentText("tanh")
    dialog.output.setCurrentText("linear")
    QTest.keyClick(dialog.spec, Qt.Key.Key_Return)
    assert window.doc.network.n_neurons == 18
    assert window.lesson.isVisible() and window.doc.settings.get("dataset") == "sin"
    x, y = lesson.data_of(window.doc.settings.all()).test(1)
    want = goals.cost(window.doc.network, x, y, window.doc.settings.get("loss"))
    qtbot.waitUntil(lambda: f"now {want:.4g}" in window.lesson.goals.text(), timeout=10000)
    window.open_example("and")  # a file of its own: the lesson ends
    assert not window.lesson.isVisible()


def test_a_comparison_goal_is_met_by_comparing_in_the_window(window, qtbot):
    window.open_lesson(BUNDLED.folder / "21-compare-activations.lesson.json")
    assert "run Compare… on activation" in window.lesson.goals.text()
    QTest.mouseClick(window.training.buttons["compare"], Qt.MouseButton.LeftButton)
    dialog = window.compare_dialog()
    dialog.setting.setCurrentIndex(dialog.setting.findData("activation"))
    dialog.values.selectAll()
    QTest.keyClicks(dialog.values, "sigmoid,relu")
    type_into(dialog.seeds, "20")
    QTest.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Done!" in window.lesson.goals.text(), timeout=180000)
    assert "relu 12/20" in window.lesson.goals.text() and window.lesson.isVisible()


def test_docks_a_lesson_hid_come_back_with_the_next_start(qtbot, settings):
    from gui.main_window import MainWindow
    first = MainWindow(settings, start_trainer=False)
    first.show()
    first.open_lesson(BUNDLED.folder / "01-threshold.lesson.json")  # hides Training and MNIST
    assert first.docks["Training"].isHidden()
    first.doc.undo.setClean()
    first.close()  # with the lesson still open
    first.deleteLater()
    again = MainWindow(settings, start_trainer=False)
    again.show()
    try:
        assert not again.docks["Training"].isHidden() and not again.docks["MNIST"].isHidden()
    finally:
        again.close()
        again.deleteLater()
