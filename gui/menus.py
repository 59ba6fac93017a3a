"""The main window's menus and toolbar (the editor makes Edit and Insert); every action has a
tooltip."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from gui import dialogs
from gui.canvas.propagation import SPEEDS
from gui.course_menu import CourseMenu
from gui.lessons import EXAMPLES

if TYPE_CHECKING:
    from gui.main_window import MainWindow

Key = QKeySequence.StandardKey


def add_action(menu: QMenu, text: str, slot: Callable,
               shortcut: QKeySequence | Key | str | None = None, tip: str = "") -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(tip or text)
    action.setStatusTip(tip or text)
    return action


def _file_menu(w: MainWindow, bar) -> None:
    m = bar.addMenu("&File")
    add_action(m, "&New", w.new, Key.New, "Start an empty network")
    add_action(m, "New from S&pec…", w.new_from_spec, None,
               "Start a new layered network such as 2-2-1 or 784-32-10")
    add_action(m, "&Open…", w.open_dialog, Key.Open, "Open a network file (.json)")
    w.recent_menu = m.addMenu("Open &Recent")
    m.addSeparator()
    add_action(m, "&Save", w.save, Key.Save, "Save the network")
    add_action(m, "Save &As…", w.save_as, Key.SaveAs, "Save the network under a new name")
    add_action(m, "Save as &Lesson…", w.save_as_lesson, None,
               "Write the open network, its settings, a task, hints, goals and the controls to "
               "hide as a lesson file, which students open by double-click")
    add_action(m, "&Import CSV Data…", w.import_csv_dialog, None,
               "Train on your own data: choose a CSV file's input and target columns; the data "
               "is kept with the network")
    add_action(m, "Data Set &Table…", w.data_table_dialog, "Ctrl+Shift+D",
               "See the chosen data set as rows and edit them: change a cell, type a new row, "
               "delete rows; the edited table becomes the network's data (one undo step)")
    add_action(m, "Export &Data Set as CSV…", w.export_data_dialog, None,
               "Save the chosen data set's samples (toys and painted points too) as a CSV table: "
               "inputs, class or value, and train or test")
    add_action(m, "&Export Image…", w.export_dialog, "Ctrl+E", "Save the canvas as PNG or SVG")
    add_action(m, "Export PyTorch &Module…", lambda: w.export_model_dialog(".py"), None,
         "Write the network as a .py file with an nn.Module holding its weights, which any "
         "PyTorch script can run or train further")
    add_action(m, "Export O&NNX…", lambda: w.export_model_dialog(".onnx"), None,
         "Write the network as an ONNX model (float32, any batch size), for other frameworks "
         "and runtimes")
    m.addSeparator()
    add_action(m, "&Quit", w.close, Key.Quit, "Close NeuroCanvas")


def _view_menu(w: MainWindow, bar) -> dict[str, QAction]:
    m = bar.addMenu("&View")
    add_action(m, "Zoom &In", lambda: w.view.zoom_centred(1.25), Key.ZoomIn,
               "Zoom in about the middle of the canvas (the wheel zooms about the mouse)")
    add_action(m, "Zoom &Out", lambda: w.view.zoom_centred(0.8), Key.ZoomOut, "Zoom out")
    fit = add_action(m, "&Fit to Window", w.view.fit, "Ctrl+0",
                     "Show the whole network with its labels (Ctrl+0)")
    fit.setIconText("Fit")
    w.toolbar.addAction(fit)
    m.addSeparator()
    weights = add_action(m, "Show &Weights", lambda: w.set_preference("show_weights", weights.isChecked()),
                   "Ctrl+Shift+W", "Write every weight on its connection")
    weights.setCheckable(True)
    maps = add_action(m, "Neuron &Pictures", lambda: w.set_preference("neuron_maps", maps.isChecked()),
                      None, "For 2-input networks: each neuron pictures its activation over the "
                            "input plane, live while training")
    maps.setCheckable(True)
    why = add_action(m, "&Saliency Beside the Digit",
                     lambda: w.set_preference("tile_saliency", why.isChecked()), None,
                     "For a 28×28 input tile: what the answer rests on (∂a_k/∂x and gradient × "
                     "input), as pictures under the tile")
    why.setCheckable(True)
    dark = add_action(m, "&Dark Theme", lambda: w.set_preference("dark", dark.isChecked()), None,
                "Dark or light")
    dark.setCheckable(True)
    m.addSeparator()
    add_action(m, "&Play Forward Pass", w.propagation.play, "F5",
         "Watch the current inputs travel through the network, level by level")
    add_action(m, "Step One &Level", w.propagation.step_level, "F6",
         "Move the forward pass on by one level")
    learn = add_action(m, "&Learn One Sample", lambda: w.learn_one_sample(learn.isChecked()), "F8",
                       "Back propagation step by step for one sample: forward, cost, δ level by "
                       "level from the outputs, ∂C/∂w on every line, then the update")
    learn.setCheckable(True)
    w.toolbar.addSeparator()
    w.toolbar.addAction(learn)
    add_action(m, "Feed a &Test Digit", w.feed_test_digit, "F7",
         "Put the next MNIST test digit (bundled subset) on the 28×28 input layer and see what "
         "the network answers; F5 then plays it through")
    speed = m.addMenu("Animation &Speed")
    group = QActionGroup(w)
    found = {"show_weights": weights, "dark": dark, "learn": learn, "neuron_maps": maps,
             "tile_saliency": why}
    for name, ms in SPEEDS.items():
        action = add_action(speed, name, lambda n=name: w.set_preference("animation", n), None,
                      f"{ms} ms per level")
        action.setCheckable(True)
        group.addAction(action)
        found["speed " + name] = action
    m.addSeparator()
    for dock in w.docks.values():
        m.addAction(dock.toggleViewAction())
    return found


def _help_menu(w: MainWindow, bar) -> None:
    m = bar.addMenu("&Help")
    add_action(m, "&Concepts", lambda: QMessageBox.information(w, "Concepts", dialogs.CONCEPTS),
         Key.HelpContents, "What a neuron computes, bias, activations, XOR")
    add_action(m, "&Keyboard Shortcuts", lambda: QMessageBox.information(w, "Shortcuts", _shortcuts(w)),
         None, "Every shortcut in one list")
    add_action(m, "&About NeuroCanvas", lambda: QMessageBox.about(w, "About NeuroCanvas", dialogs.ABOUT))


def _shortcuts(w: MainWindow) -> str:
    rows = [f"<tr><td>{a.text().replace('&', '')}</td><td><b>{a.shortcut().toString()}</b></td></tr>"
            for a in w.findChildren(QAction) if not a.shortcut().isEmpty()]
    return "<table>" + "".join(sorted(set(rows))) + "</table>"


def _preferences(w: MainWindow) -> QAction:
    prefs = QAction("Pre&ferences…", w)
    prefs.triggered.connect(lambda _checked=False: w.preferences_dialog())
    prefs.setToolTip("Theme, default device, autosave, animation speed, weight numbers")
    prefs.setStatusTip(prefs.toolTip())
    # the platform's key (macOS: Cmd+,); X11 and Windows have none, so Ctrl+, as many apps do
    prefs.setShortcuts(QKeySequence.keyBindings(Key.Preferences) or [QKeySequence("Ctrl+,")])
    prefs.setMenuRole(QAction.MenuRole.PreferencesRole)  # the application menu on macOS
    return prefs


def build_menus(w: MainWindow) -> dict[str, QAction]:
    """The menu bar and the toolbar: the window's menus, and the editor's Edit and Insert."""
    bar, toolbar = w.menuBar(), w.addToolBar("Tools")
    toolbar.setObjectName("Tools")
    w.toolbar = toolbar
    _file_menu(w, bar)
    w.editor.edit_menu(bar, _preferences(w))
    w.editor.insert_menu(bar, toolbar)
    toolbar.addSeparator()
    for action in w.training.make_actions(w):
        toolbar.addAction(action)
    w.course_menu = CourseMenu(w, bar.addMenu("Start &Here"))
    examples = bar.addMenu("E&xamples")
    for text, stem in EXAMPLES.items():
        add_action(examples, text, lambda s=stem: w.open_example(s), None, f"Open the {text} example")
    found = _view_menu(w, bar)
    _help_menu(w, bar)
    return w.editor.actions | found
