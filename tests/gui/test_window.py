"""The rest of the window: hover text, multi-selection, insert dialogs, pan, rubber band, start-up."""
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from gui import app as gui_app
from gui.main_window import MainWindow
from tests.gui.drive import at, click, drag, shortcut, type_into
from tests.gui.test_draw_perceptron import choose


def hover(window, x, y):
    """Moves in from elsewhere: a move onto the spot where the cursor already is is no move."""
    QTest.mouseMove(window.view.viewport(), at(window, x + 30, y + 30))
    QTest.mouseMove(window.view.viewport(), at(window, x, y))


def test_hovering_shows_z_and_a_or_the_weight(window):
    window.open_example("and")
    hover(window, 220, 0)
    assert window.statusBar().currentMessage() == "AND: z = −2, a = 0"
    hover(window, 110, -22)
    assert window.statusBar().currentMessage() == "0 → 2: w = 1"


def test_ctrl_click_selects_several_and_edits_apply_to_all(window):
    window.open_example("xor-hand-tuned")
    net = window.doc.network
    click(window, *net.pos[net.index(2)])
    click(window, *net.pos[net.index(3)], Qt.KeyboardModifier.ControlModifier)
    assert window.scene.selected_ids() == [2, 3]
    assert window.inspector.title.text() == "2 neurons (edits apply to all)"
    choose(window.inspector.activation, "relu")
    type_into(window.inspector.bias.spin, "0.5")
    assert [net.neuron(n).activation for n in (2, 3)] == ["relu", "relu"]
    assert [net.neuron(n).bias for n in (2, 3)] == [0.5, 0.5]


def test_rubber_band_selects_what_it_covers(window):
    window.open_example("xor-hand-tuned")
    drag(window, (-60, -120), (60, 120))
    assert window.scene.selected_ids() == [0, 1]


def test_softmax_on_a_hidden_neuron_is_refused_in_the_inspector(window):
    window.open_example("xor-hand-tuned")
    net = window.doc.network
    click(window, *net.pos[net.index(2)])
    combo = window.inspector.activation
    combo.setCurrentText("softmax")  # as if picked from the popup
    combo.activated.emit(combo.currentIndex())
    assert "softmax works across the output neurons" in window.inspector.problem.text()
    assert net.neuron(2).activation == "step" and window.inspector.activation.currentText() == "step"


def answer_dialog(fill):
    """Fills and accepts the next modal dialog once it is up."""
    def run():
        # the modal dialog itself: walking every top-level widget met wrappers of widgets that
        # earlier tests' windows had deleted (a segfault under xcb)
        shown = QApplication.activeModalWidget()
        if not isinstance(shown, QDialog) or not shown.isVisible():
            QTimer.singleShot(10, run)
            return
        fill(shown)
        shown.accept()
    QTimer.singleShot(0, run)


def test_insert_network_from_spec_and_a_dense_layer(window):
    answer_dialog(lambda d: (d.spec.setText("3-4-2"), d.output.setCurrentText("softmax")))
    shortcut(window, "Ctrl+Shift+N")
    net = window.doc.network
    assert net.n_neurons == 9 and net.n_connections == 3 * 4 + 4 * 2
    assert net.neuron(int(net.outputs[0])).activation == "softmax"
    window.scene.clearSelection()
    for nid in net.ids[3:7].tolist():  # the hidden layer feeds the new one
        window.scene.neurons[nid].setSelected(True)
    answer_dialog(lambda d: d.size.setValue(5))
    shortcut(window, "Ctrl+L")
    assert net.n_neurons == 14 and net.n_connections == 20 + 4 * 5, window.statusBar().currentMessage()
    shortcut(window, "Ctrl+Z")
    assert net.n_neurons == 9


def test_a_bad_spec_is_answered_in_the_dialog_which_stays_open(window):
    from PySide6.QtWidgets import QDialogButtonBox
    seen = []

    def fill_and_press_ok():
        d = QApplication.activeModalWidget()
        if not isinstance(d, QDialog) or not d.isVisible():
            QTimer.singleShot(10, fill_and_press_ok)
            return
        ok = d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        d.spec.setFocus()
        QTest.keyClick(d.spec, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(d.spec, "2-x-1")
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen.append((d.isVisible(), d.problem.text(), d.spec.styleSheet()))
        QTest.keyClick(d.spec, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(d.spec, "2-3-1")
        seen.append(d.problem.isVisible())  # typing clears the complaint
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_and_press_ok)
    shortcut(window, "Ctrl+Shift+N")
    (still_open, problem, style), cleared = seen
    assert still_open and "'2-x-1' is not a layer spec" in problem and "border" in style
    assert not cleared
    assert [len(layer.neurons) for layer in window.doc.network.layers] == [2, 3, 1]


def test_middle_drag_pans(window):
    window.open_example("mnist-784-15-10")
    window.view.zoom(8)
    window.view.centerOn(0, 0)
    bar = window.view.horizontalScrollBar()
    before = bar.value()
    vp = window.view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(60, 60))
    QTest.mouseMove(vp, QPoint(30, 60))
    QTest.mouseRelease(vp, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(30, 60))
    assert bar.value() == before + 30


def test_help_menu_texts(window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append((title, text)))
    shortcut(window, "F1")
    assert shown[0][0] == "Concepts" and "b = −threshold" in shown[0][1]


def test_command_line_file_opens_in_the_window(qapp, monkeypatch, tmp_path):
    monkeypatch.setattr(gui_app, "MainWindow", lambda: _window(tmp_path))
    window = gui_app.make_window(["resources/examples/or.json"])
    assert window.doc.name == "or.json" and window.doc.network.neuron(2).bias == -1.0
    window.close()


def _window(tmp_path):
    from gui.main_window import MainWindow
    return MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), start_trainer=False)


def test_the_history_dock_says_how_many_steps_undo_keeps(window):
    from gui.document import UNDO_LIMIT
    assert window.doc.undo.undoLimit() == UNDO_LIMIT
    window.docks["History"].raise_()
    QApplication.processEvents()
    assert window.history_note.isVisible() and f"last {UNDO_LIMIT} steps" in window.history_note.text()


def test_a_long_formula_is_shown_whole_in_the_inspector(window, qtbot):
    window.open_example("mnist-784-32-10")
    net = window.doc.network
    hidden = int(net.ids[net.role == 1][0])
    click(window, *net.pos[net.index(hidden)])
    label = window.inspector.formula
    assert label.text().startswith("z = Σ of 784 terms")
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.heightForWidth(label.width()) > 3 * label.fontMetrics().height()  # it wraps


def test_no_key_is_given_to_two_actions_or_twice_to_one(window):
    """Qt drops a shortcut it finds twice ("Ambiguous shortcut overload"): Redo was given
    Ctrl+Shift+Z and the platform's Redo, which is the same key on X11, and did nothing there."""
    from PySide6.QtGui import QAction
    keys = [key.toString() for action in window.findChildren(QAction) for key in action.shortcuts()
            if not key.isEmpty()]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    from PySide6.QtGui import QKeySequence
    redo = [k.toString() for k in window.actions_by_name["redo"].shortcuts()]
    platform = [k.toString() for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]
    assert set(platform) <= set(redo) and "Ctrl+Shift+Z" in redo and "Ctrl+Y" in redo


def test_the_training_dock_fits_at_1280_by_800(window):
    """Cut at the right ("Rain", "Ste", "Reset we") with a sideways scroll bar, it was. The dock
    scrolls up and down in its column; its Train, Pause and Stop are on the toolbar too."""
    assert window.size().toTuple() == (1280, 800)
    window.docks["Training"].raise_()
    area = window.docks["Training"].widget()
    for name, button in window.training.buttons.items():
        area.ensureWidgetVisible(button)
        seen = button.visibleRegion().boundingRect()
        assert seen.width() == button.width() and seen.height() == button.height(), name
    for combo in (window.training.loss, window.training.device):
        area.ensureWidgetVisible(combo)
        assert combo.visibleRegion().boundingRect().width() == combo.width()
    toolbar = [a.objectName() for a in window.toolbar.actions()]
    assert {"run_train", "run_pause", "run_stop"} <= set(toolbar)


def test_the_first_paint_waits_for_neither_the_plots_nor_the_trainer(qtbot, settings):
    """bench/startup.py: the plots (33 ms) are made, and the trainer process (torch's import on
    one of two cores) starts, just after the window's first paint."""
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.show()
    assert w.plots._plots is None and w.client.process is None
    qtbot.waitUntil(lambda: w.plots._plots is not None and w.client.process is not None)
    # a widget put into a shown layout is shown one event-loop turn later (Qt queues it)
    qtbot.waitUntil(w.plots.loss_plot.isVisible)
    w.client.shutdown()
