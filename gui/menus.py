"""Menus, toolbar and shortcuts of the main window; every action has a tooltip."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

from gui import dialogs, edit_ops
from gui.canvas.propagation import SPEEDS
from gui.lessons import LESSONS

if TYPE_CHECKING:
    from gui.main_window import MainWindow

Key = QKeySequence.StandardKey


def _add(menu: QMenu, text: str, slot: Callable, shortcut: QKeySequence | Key | str | None = None,
         tip: str = "") -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(tip or text)
    action.setStatusTip(tip or text)
    return action


def _file_menu(w: MainWindow, bar) -> None:
    m = bar.addMenu("&File")
    _add(m, "&New", w.new, Key.New, "Start an empty network")
    _add(m, "&Open…", w.open_dialog, Key.Open, "Open a network file (.json)")
    w.recent_menu = m.addMenu("Open &Recent")
    m.addSeparator()
    _add(m, "&Save", w.save, Key.Save, "Save the network")
    _add(m, "Save &As…", w.save_as, Key.SaveAs, "Save the network under a new name")
    _add(m, "&Export Image…", w.export_dialog, "Ctrl+E", "Save the canvas as PNG or SVG")
    _add(m, "Export PyTorch &Module…", lambda: w.export_model_dialog(".py"), None,
         "Write the network as a .py file with an nn.Module holding its weights, which any "
         "PyTorch script can run or train further")
    _add(m, "Export O&NNX…", lambda: w.export_model_dialog(".onnx"), None,
         "Write the network as an ONNX model (float32, any batch size), for other frameworks "
         "and runtimes")
    m.addSeparator()
    _add(m, "&Quit", w.close, Key.Quit, "Close NeuroCanvas")


def _edit_menu(w: MainWindow, bar) -> dict[str, QAction]:
    m = bar.addMenu("&Edit")
    undo, redo = w.doc.undo.createUndoAction(w, "&Undo"), w.doc.undo.createRedoAction(w, "&Redo")
    for action, back in ((undo, True), (redo, False)):  # through the document: a run ends first
        action.triggered.disconnect()
        action.triggered.connect(lambda _checked=False, b=back: w.doc.undo_step(b))
    undo.setShortcut(QKeySequence(Key.Undo))
    # the platform's Redo keys, then Ctrl+Shift+Z and Ctrl+Y where they are not among them: on
    # X11 Key.Redo is Ctrl+Shift+Z itself, and a key given twice is "ambiguous" and does nothing
    keys = [*QKeySequence.keyBindings(Key.Redo), QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
    redo.setShortcuts([k for n, k in enumerate(keys) if k not in keys[:n]])
    m.addActions([undo, redo])
    m.addSeparator()
    for text, name, key, tip in (("Cu&t", "cut", Key.Cut, "Cut the selected neurons"),
                                 ("&Copy", "copy_selection", Key.Copy,
                                  "Copy the selected neurons with the connections among them"),
                                 ("&Paste", "paste", Key.Paste, "Paste copied neurons"),
                                 ("&Duplicate", "duplicate", "Ctrl+D", "Copy and paste in one go"),
                                 ("De&lete", "delete_selection", Key.Delete,
                                  "Delete the selection and its connections")):
        _add(m, text, lambda n=name: w.run_edit(n), key, tip)
    m.addSeparator()
    _add(m, "Select &All", w.select_all, Key.SelectAll, "Select every neuron")
    m.addSeparator()
    prefs = _add(m, "Pre&ferences…", w.preferences_dialog, None,
                 "Theme, default device, autosave, animation speed, weight numbers")
    # the platform's key (macOS: Cmd+,); X11 and Windows have none, so Ctrl+, as many apps do
    prefs.setShortcuts(QKeySequence.keyBindings(Key.Preferences) or [QKeySequence("Ctrl+,")])
    prefs.setMenuRole(QAction.MenuRole.PreferencesRole)  # the application menu on macOS
    return {"undo": undo, "redo": redo}


def _insert_menu(w: MainWindow, bar, toolbar) -> dict[str, QAction]:
    m = bar.addMenu("&Insert")
    group = QActionGroup(w)
    tools = {}
    for text, tool, key, tip in (
            ("&Select", None, "S", "Select, move and connect (drag from a neuron's right handle)"),
            ("&Input neuron", "input", "I", "Click on the canvas to place input neurons"),
            ("&Hidden neuron", "hidden", "H", "Click on the canvas to place hidden neurons"),
            ("&Output neuron", "output", "O", "Click on the canvas to place output neurons")):
        action = _add(m, text, lambda t=tool: setattr(w.view, "tool", t), key, tip)
        action.setCheckable(True)
        group.addAction(action)
        toolbar.addAction(action)
        tools[f"tool_{tool or 'select'}"] = action
    tools["tool_select"].setChecked(True)
    m.addSeparator()
    _add(m, "&Dense layer…", lambda: _layer(w), "Ctrl+L",
         "Add a layer fed by the selected neurons (or by the last layer)")
    _add(m, "Network from &spec…", lambda: _spec(w), "Ctrl+Shift+N",
         "Add a layered network such as 2-2-1 or 784-32-10")
    return tools


def _layer(w: MainWindow) -> None:
    d = dialogs.LayerDialog(w)
    if d.exec() == QDialog.DialogCode.Accepted:
        w.report(edit_ops.insert_layer(w.scene, d.size.value(), d.role.currentText(),
                                       d.activation.currentText()))


def _spec(w: MainWindow) -> None:
    d = dialogs.SpecDialog(w)
    if d.exec() == QDialog.DialogCode.Accepted:
        w.report(edit_ops.insert_spec(w.scene, d.spec.text(), d.hidden.currentText(),
                                      d.output.currentText()))
        w.view.fit()


def _view_menu(w: MainWindow, bar) -> dict[str, QAction]:
    m = bar.addMenu("&View")
    _add(m, "Zoom &In", lambda: w.view.zoom(1.25), Key.ZoomIn, "Zoom in (or scroll the wheel)")
    _add(m, "Zoom &Out", lambda: w.view.zoom(0.8), Key.ZoomOut, "Zoom out")
    _add(m, "&Fit to Window", w.view.fit, "Ctrl+0", "Show the whole network")
    m.addSeparator()
    weights = _add(m, "Show &Weights", lambda: w.set_preference("show_weights", weights.isChecked()),
                   "Ctrl+Shift+W", "Write every weight on its connection")
    weights.setCheckable(True)
    dark = _add(m, "&Dark Theme", lambda: w.set_preference("dark", dark.isChecked()), None,
                "Dark or light")
    dark.setCheckable(True)
    m.addSeparator()
    _add(m, "&Play Forward Pass", w.propagation.play, "F5",
         "Watch the current inputs travel through the network, level by level")
    _add(m, "Step One &Level", w.propagation.step_level, "F6",
         "Move the forward pass on by one level")
    _add(m, "Feed a &Test Digit", w.feed_test_digit, "F7",
         "Put the next MNIST test digit (bundled subset) on the 28×28 input layer and see what "
         "the network answers; F5 then plays it through")
    speed = m.addMenu("Animation &Speed")
    group = QActionGroup(w)
    found = {"show_weights": weights, "dark": dark}
    for name, ms in SPEEDS.items():
        action = _add(speed, name, lambda n=name: w.set_preference("animation", n), None,
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
    _add(m, "&Concepts", lambda: QMessageBox.information(w, "Concepts", dialogs.CONCEPTS),
         Key.HelpContents, "What a neuron computes, bias, activations, XOR")
    _add(m, "&Keyboard Shortcuts", lambda: QMessageBox.information(w, "Shortcuts", _shortcuts(w)),
         None, "Every shortcut in one list")
    _add(m, "&About NeuroCanvas", lambda: QMessageBox.about(w, "About NeuroCanvas", dialogs.ABOUT))


def _shortcuts(w: MainWindow) -> str:
    rows = [f"<tr><td>{a.text().replace('&', '')}</td><td><b>{a.shortcut().toString()}</b></td></tr>"
            for a in w.findChildren(QAction) if not a.shortcut().isEmpty()]
    return "<table>" + "".join(sorted(set(rows))) + "</table>"


def build_menus(w: MainWindow) -> dict[str, QAction]:
    bar, toolbar = w.menuBar(), w.addToolBar("Tools")
    toolbar.setObjectName("Tools")
    w.toolbar = toolbar
    _file_menu(w, bar)
    found = _edit_menu(w, bar)
    found |= _insert_menu(w, bar, toolbar)
    lessons = bar.addMenu("Start &Here")
    for k, (title, _stem, task) in enumerate(LESSONS):
        _add(lessons, title, lambda n=k: w.start_lesson(n), None, task)
    examples = bar.addMenu("E&xamples")
    from gui.main_window import EXAMPLES  # noqa: PLC0415 (the window module imports this one)
    for text, stem in EXAMPLES.items():
        _add(examples, text, lambda s=stem: w.open_example(s), None, f"Open the {text} example")
    found |= _view_menu(w, bar)
    _help_menu(w, bar)
    return found
