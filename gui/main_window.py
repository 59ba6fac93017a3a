"""The main window: canvas in the middle, docks around it, menus and shortcuts, files and settings."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QByteArray, QObject, QSettings, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (QApplication, QDialog, QDockWidget, QFileDialog, QLabel, QMainWindow,
                               QMessageBox, QScrollArea, QUndoView, QVBoxLayout, QWidget)

from engine import activations, lesson
from engine.build import from_spec
from engine.digits import input_tile
from engine.errors import EngineError
from engine.datasets import DatasetError
from engine.datasets.export import csv_text
from engine.datasets.editable import editable
from engine.datasets import registry
from engine.network import ROLES, Network
from engine.init import initialise
from engine.settings import fitting
from gui import dialogs, preferences
from gui.canvas.neuron_maps import NeuronMaps
from gui.canvas.tile_saliency import TileSaliency
from gui.canvas.propagation import SPEEDS, Propagation
from gui.document import UNDO_LIMIT, Document, load, size_problem, spec_size
from gui.editor import Editor
from gui.export import export_image, with_extension
from gui.focus import FieldGuard
from gui.compare_dialog import CompareDialog
from gui.lesson_dialog import LessonDialog
from gui.lesson_run import LessonRun
from gui.lessons import LessonBanner, example_path
from gui.recovery import Autosave, keep_private
from gui.runs import Run, RunStart, structure_of
from gui.training_settings import DATA
from gui.menus import build_menus
from gui.panels.boundary import BoundaryPanel
from gui.panels.inspector import Inspector
from gui.panels.layers import LayersPanel
from gui.panels.mnist import MnistPanel
from gui.panels.plots import PlotsPanel
from gui.panels.learning import LearningPanel
from gui.panels.training import TrainingPanel
from gui.panels.surface import SurfacePanel
from gui.panels.map import MapPanel
from gui.panels.truth_table import TruthTable
from gui.plotting import set_dark
from gui.theme import CANVAS, CHECKED, apply_theme
from gui.training_worker import TrainingClient

FILTER = "NeuroCanvas networks and lessons (*.json);;All files (*)"
LESSON_FILTER = "NeuroCanvas lessons (*.lesson.json);;All files (*)"
DOCK_WIDTH = 410  # the dock column's: the canvas keeps two thirds of a 1280×800 window, and six tabs fit
MAX_RECENT = 8


def _scrolling(widget: QWidget, width: int) -> QScrollArea:
    """A long form in a dock that may be made shorter than the form, never narrower: a form
    cut at the right ("Reset we") with a sideways scroll bar was the Training dock at 1280×800."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumWidth(max(width, widget.minimumSizeHint().width() + 2 * area.frameWidth()
                             + area.verticalScrollBar().sizeHint().width()))
    return area


def _softmax_outputs(net: Network) -> bool:
    """The network's outputs are a softmax group (they train with cross-entropy)."""
    outputs = net.act[net.role == ROLES.index("output")]
    return bool(len(outputs)) and bool((outputs == activations.NAMES.index("softmax")).all())


def _stacked(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None, start_trainer: bool = True) -> None:
        super().__init__()
        self.settings = settings or QSettings("NeuroCanvas", "NeuroCanvas")
        self.doc = Document(self)
        self.editor = Editor(self.doc, self)
        self.scene, self.view = self.editor.scene, self.editor.view
        self.propagation = Propagation(self.scene)
        self.neuron_maps = NeuronMaps(self.scene)
        self.tile_saliency = TileSaliency(self.scene)
        self.lesson = LessonBanner()
        self.setCentralWidget(_stacked(self.lesson, self.view))
        self.inspector = Inspector(self.editor)
        self._next_digit = -1
        self._example: str | None = None  # the open network's example, until it has a file
        self.truth_table = TruthTable(self.doc)
        self.history = QUndoView(self.doc.undo)
        self.history.setEmptyLabel("<opened>")
        self.history_note = QLabel(f"Undo keeps the last {UNDO_LIMIT} steps; a training run is "
                                   "one step (a hand edit during it splits it).")
        self.history_note.setWordWrap(True)
        self.client = TrainingClient(self, start=start_trainer)
        self.training = TrainingPanel(self.doc, self.client)
        self.plots = PlotsPanel(self.doc.runs)
        self.boundary = BoundaryPanel(self.doc)
        self.layers = LayersPanel(self.doc)
        self.mnist = MnistPanel(self.doc, lambda: self.training.applying_run, self.client,
                                self.training.job, lambda: self.training.folder.text())
        self.learning = LearningPanel(self.doc, self.scene)
        self.surface = SurfacePanel(self.doc, self.client, self.training.job, lambda: (
            self.scene.selected_ids(), self.scene.selected_connection))
        self.boundary.paint.painted.connect(lambda table, what: self.editor.set_settings(
            {"dataset": "csv", "csv": table}, what, merges=False))
        self.map = MapPanel(self.doc, self.client, self.training.job,
                            lambda: self.training.folder.text())
        self.neuron_maps.slice_of = self.boundary.slice_now
        self.boundary.sliceChanged.connect(self.neuron_maps.redraw)
        self.map.picked.connect(self.feed_sample)
        self.inspector.chain_rule = self.learning.chain_rule_of
        self.learning.shown.connect(self.inspector.refresh)
        self.learning.parametersChosen.connect(self.editor.set_parameters)
        self.docks = {name: self._dock(name, widget) for name, widget in (
            ("Inspector", _scrolling(self.inspector, 280)), ("Training", _scrolling(self.training, 270)),
            ("History", _stacked(self.history, self.history_note)),
            ("Truth table", self.truth_table), ("MNIST", self.mnist), ("Plots", self.plots),
            ("Learn one sample", self.learning), ("Loss surface", self.surface),
            ("Decision boundary", self.boundary), ("Layers", self.layers), ("Map", self.map))}
        self._lay_out_docks()
        # a dock's tab chosen: draw what was skipped while it was behind another
        self.docks["Layers"].visibilityChanged.connect(lambda on: on and self.layers.redraw())
        self.docks["Decision boundary"].visibilityChanged.connect(lambda on: on and self.boundary.refresh())
        self.docks["MNIST"].visibilityChanged.connect(lambda on: on and self.mnist.refresh())
        self.docks["Map"].visibilityChanged.connect(lambda on: on and self.map.refresh())
        self._connect_training()
        self.actions_by_name: dict[str, QAction] = build_menus(self)
        self.lesson_run = LessonRun(self)
        self.view.status.connect(self.statusBar().showMessage)
        self.editor.refused.connect(self.report)
        self.view.hovered.connect(self.boundary.focus_neuron)
        self.doc.titleChanged.connect(self._update_title)
        self.doc.replaced.connect(self._bring_fitting_dock)
        # after the scene has its new items: the digit's class is marked on an output
        self.doc.replaced.connect(lambda: QTimer.singleShot(0, self, self._first_digit))
        self.doc.replaced.connect(self._fit_settings)
        self.field_guard = FieldGuard(self, self.view)  # dies with the window, and the app's
                                                        # filter with it
        QApplication.instance().installEventFilter(self.field_guard)
        self.prefs = preferences.read(self.settings)
        self.autosave = Autosave(self.doc, Path(self.settings.fileName()).parent / "recovery",
                                 self.prefs["autosave_s"])
        self._restore_settings()
        self._fit_settings()  # the empty canvas's: XOR, as a new network's
        self._update_title()
        self.offer_recovery()

    def _connect_training(self) -> None:
        runs = self.doc.runs
        self.training.runStarted.connect(lambda name: runs.begin(name, self._network_title()))
        self.training.runStarted.connect(lambda _name: self.layers.new_run())
        self.training.runStarted.connect(self._remember_start)
        self.plots.rewindAsked.connect(self.rewind)
        self.training.parametersChosen.connect(self.editor.set_parameters)
        self.training.runEnded.connect(runs.end)
        self.training.runRefused.connect(runs.drop)
        self.training.compareAsked.connect(self.compare_dialog)
        self.training.tableAsked.connect(self.data_table_dialog)
        self.plots.exported.connect(lambda path: self.statusBar().showMessage(f"Exported {path}", 4000))
        self.doc.replaced.connect(lambda: runs.open_network(self._network_title(), self._history()))
        self.training.runningChanged.connect(self._running_changed)
        self.training.animate.connect(lambda: self.propagation.running() or self.propagation.play())
        self.client.snapshot.connect(lambda snap: runs.add_losses(snap["losses"]))
        self.client.snapshot.connect(self.layers.show_snapshot)
        self.client.epochsEnded.connect(runs.add_epochs)
        self.client.epochsEnded.connect(self.mnist.add_epochs)
        self.mnist.digitPicked.connect(self.feed_test_digit)
        self.mnist.digitDrawn.connect(lambda pixels: self.feed_digit(pixels, None))
        self.client.failed.connect(lambda text: self.show_error("Training stopped", text))
        self.client.finished.connect(
            lambda reason: reason in ("done", "stopped") or self.show_error("Training stopped", reason))
        self.training.folder.setText(self.settings.value("mnist_folder", "", type=str))
        self.training.check_folder()
        self.training.folder.editingFinished.connect(
            lambda: self.settings.setValue("mnist_folder", self.training.folder.text()))
        self.training.settingsChosen.connect(self.editor.set_settings)
        self.training.featureChosen.connect(self.editor.set_feature)
        self.doc.settings.changed.connect(
            lambda keys: bool(set(DATA) & set(keys)) and self._dataset_chosen())
        # the truth table's preset and the data set are one choice
        self.truth_table.presetChosen.connect(
            lambda key: key == self.doc.settings.get("dataset") or
            self.editor.set_settings({"dataset": key}))

    def _remember_start(self) -> None:
        start = self.training.started_from
        if start is not None and self.doc.runs.items:
            self.doc.runs.remember_start(self.doc.runs.items[-1],
                                         RunStart(*start, structure_of(self.doc.network)))

    def rewind(self, run: Run | None) -> bool:
        """Plots ▸ Rewind: the run's start weights and settings back (one undo step), and a
        new run from them: the same initial weights and shuffles, as the run had."""
        why = None
        if run is None:
            why = "Train a run first: there is none to rewind."
        elif self.client.busy:
            why = "A run is training: stop it first."
        elif run.start is None:
            why = (f"{run.name} cannot be made again: it continued an earlier run, trained "
                   "another network, or is older than the last five runs.")
        elif run.start.structure != structure_of(self.doc.network):
            why = (f"The network's neurons or connections changed since {run.name}: its "
                   "initial weights no longer fit.")
        if why:
            self.show_error("Cannot rewind", why)
            return False
        self.doc.undo.beginMacro(f"Rewind to {run.name.split(':')[0]}")
        self.editor.set_parameters("Initial weights", run.start.weights, run.start.biases)
        self.editor.set_settings({k: v for k, v in run.start.settings.items()
                                  if k != "comparison"})
        self.doc.undo.endMacro()
        self.training.train()
        return True

    def _dataset_chosen(self) -> None:
        """The views that show data follow the data set: boundary points, truth-table targets."""
        name = self.doc.settings.get("dataset")
        self.boundary.set_dataset(self.doc.settings.data_args())
        self.map.set_dataset(self.doc.settings.data_args())
        self.truth_table.use_preset(name)

    def _fit_settings(self) -> None:
        """A new or opened network gets its saved settings, the rest what fits its shape:
        nothing leaks from the network open before it."""
        net = self.doc.network
        self.doc.settings.fit({**fitting(len(net.inputs), len(net.outputs), _softmax_outputs(net)),
                               "device": self.prefs["device"]})
        self._dataset_chosen()  # the same data set as before still fits the new network's views

    def _bring_fitting_dock(self) -> None:
        """A network brings the docks its lesson needs to the front: an MNIST network its dock
        and the training settings, one that gradient descent can train the settings and plots,
        one of step neurons (tuned by hand: steps have no gradient) the inspector and table."""
        net = self.doc.network
        computed = net.act[net.role != ROLES.index("input")]
        trains = bool((computed != activations.NAMES.index("step")).any())
        if input_tile(net) is not None:
            below = "MNIST"
        elif trains:
            below = "Plots"
        else:
            below = "Truth table"
        self.docks[below].raise_()
        self.docks["Training" if trains or below == "MNIST" else "Inspector"].raise_()

    def _first_digit(self) -> None:
        """A network with a 28×28 input layer opens with a test digit on it, not a blank grid."""
        if input_tile(self.doc.network) is not None and not self.doc.inputs:
            self.feed_test_digit(0)

    def _history(self) -> dict | None:
        """The epochs that trained the open network as its file says, if it still holds them."""
        state = self.doc.network.resume
        return state.history if state is not None and state.fits(self.doc.network) else None

    def _network_title(self) -> str:
        """The open network in a few words: its file (or example) and its layers' sizes."""
        net = self.doc.network
        sizes = "-".join(str(len(layer.neurons)) for layer in net.layers) if net.layers else \
            f"{net.n_neurons} neurons"
        name = self._example if self._example and self.doc.path is None else self.doc.name
        return f"{name} ({sizes})"

    def _running_changed(self, running: bool) -> None:
        # the History dock jumps through the stack: a run ends first, so no jumps meanwhile
        self.history.setEnabled(not running)
        # Undo during a run stops it and takes back its training, even on an empty stack
        self.actions_by_name["undo"].setEnabled(running or self.doc.undo.canUndo())

    def _dock(self, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(name, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def _lay_out_docks(self) -> None:
        """Two tabbed groups in one column, so the canvas keeps most of a laptop's screen: what
        a neuron computes or how to train it above, what the network does below."""
        docks = self.docks
        self.splitDockWidget(docks["Inspector"], docks["Truth table"], Qt.Orientation.Vertical)
        for above, name in (("Inspector", "Training"), ("Inspector", "History"),
                            ("Inspector", "Learn one sample"), ("Inspector", "Loss surface"),
                            ("Truth table", "MNIST"),
                            ("Truth table", "Plots"), ("Truth table", "Decision boundary"),
                            ("Truth table", "Layers"), ("Truth table", "Map")):
            self.tabifyDockWidget(docks[above], docks[name])
        docks["Decision boundary"].setWindowTitle("Boundary")  # five tabs fit the column
        docks["Learn one sample"].setWindowTitle("Learn")
        docks["Loss surface"].setWindowTitle("Surface")
        docks["Inspector"].raise_()
        docks["Truth table"].raise_()

    def _update_title(self) -> None:
        self.setWindowModified(self.doc.modified)
        self.setWindowTitle(f"{self.doc.name}[*] — NeuroCanvas")

    def show_error(self, title: str, text: str) -> QMessageBox:
        """A window-modal message that does not block the event loop."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("error")
        box.open()
        return box

    def report(self, problem: str | None) -> None:
        if problem:
            self.statusBar().showMessage(problem, 8000)

    # ---- files ---------------------------------------------------------------------------------
    def offer_recovery(self) -> QMessageBox | None:
        """The last session ended with unsaved changes (a crash): offer them back."""
        about = self.autosave.pending()
        if about is None:
            return None
        when = time.strftime("%H:%M on %d %b", time.localtime(about.get("time", 0)))
        box = QMessageBox(QMessageBox.Icon.Question, "Restore unsaved work?",
                          f"NeuroCanvas closed without saving “{about.get('name')}”. Its changes "
                          f"were autosaved at {when}. Restore them?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("recovery")
        box.button(QMessageBox.StandardButton.Yes).setText("Restore")
        box.button(QMessageBox.StandardButton.No).setText("Discard")
        box.finished.connect(lambda answer: self._recover(about, answer == QMessageBox.StandardButton.Yes))
        box.open()
        return box

    def _recover(self, about: dict, restore: bool) -> None:
        if not restore:
            self.autosave.discard(about["window"])
            return
        try:
            net = load(self.autosave.network_of(about["window"]))
        except EngineError as e:
            self.show_error("Cannot restore the autosaved network", str(e))
            return
        self.autosave.discard(about["window"])  # this window autosaves it from now on
        self._example = None
        self.doc.replace(net, Path(about["path"]) if about.get("path") else None)
        self.doc.undo.resetClean()  # unsaved, as it was: Save writes it back to its file
        self.view.fit()
        self.statusBar().showMessage("Restored the autosaved changes; save them to keep them.", 8000)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current network (saved, discarded, or unmodified)."""
        if not self.doc.modified:
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to {self.doc.name}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard |
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new(self) -> None:
        if self.maybe_save():
            self._example = None
            self.lesson_run.keep_through_replace()
            self.doc.replace(Network())

    def new_from_spec(self) -> QDialog | None:
        """A new document holding a layered network (Xavier weights, seed 0)."""
        if not self.maybe_save():
            return None
        dialog = dialogs.SpecDialog(self, "New network from spec")
        dialog.accepted.connect(lambda: self._new_spec(dialog.spec.text(), dialog.hidden.currentText(),
                                                       dialog.output.currentText()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _new_spec(self, spec: str, hidden: str, output: str) -> None:
        try:
            problem = size_problem(*spec_size(spec))
            if problem:  # before building it: that takes minutes
                raise EngineError(problem)
            net = from_spec(spec, hidden, output)
        except EngineError as e:
            self.show_error("Cannot make the network", str(e))
            return
        initialise(net, "xavier", seed=0)
        self._example = None
        self.lesson_run.keep_through_replace()
        self.doc.replace(net)
        self.view.fit()

    def open_path(self, path: str | Path, as_example: bool = False) -> bool:
        """Opens a file (a network, or a lesson); a bad one shows why and leaves the open
        network as it was."""
        if not as_example and lesson.is_lesson(path):
            if self.open_lesson(path):
                self._add_recent(str(path))
                return True
            return False
        try:
            net = load(path)
        except EngineError as e:
            self.show_error("Cannot open the file", str(e))
            return False
        self._example = f"example {Path(path).stem}" if as_example else None
        self.doc.replace(net, None if as_example else Path(path))
        if not as_example:
            self._add_recent(str(path))
        self.view.fit()
        return True

    def open_dialog(self) -> None:
        if self.maybe_save():
            path, _ = QFileDialog.getOpenFileName(self, "Open network", self._folder(), FILTER)
            if path:
                self.open_path(path)

    def feed_digit(self, pixels: np.ndarray, truth: int | None) -> bool:
        """A digit's 784 pixels on the 28×28 input layer; the output of its class (if known)
        marked. False, with a hint in the status bar, where the network has no such layer."""
        tile = input_tile(self.doc.network)
        if tile is None:
            self.statusBar().showMessage("A digit needs a 28×28 input layer, as the MNIST "
                                         "examples have (Examples ▸ MNIST).", 8000)
            return False
        self.doc.set_inputs(tile.neurons, pixels)
        outputs = self.doc.trace.plan.outputs
        known = truth is not None and truth < len(outputs)
        self.scene.mark_truth(int(self.doc.network.ids[outputs[truth]]) if known else None)
        return True

    def feed_sample(self, x: np.ndarray) -> None:
        """A sample's inputs (clicked on the Map) on the input neurons, in the data's order."""
        if input_tile(self.doc.network) is not None:
            self.feed_digit(x, None)
            return
        net = self.doc.network
        self.doc.set_inputs(net.ids[self.doc.plan().inputs].tolist(), x)

    def feed_test_digit(self, k: int | None = None) -> None:
        """Test digit k (else the next) of the bundled MNIST subset on the input layer."""
        digits = self.mnist.digits()
        k = (self._next_digit + 1 if k is None else k) % len(digits.x_test)
        truth = int(digits.labels_test[k])
        if self.feed_digit(digits.x_test[k], truth):
            self._next_digit = k
            answer = int(self.doc.trace.predicted()[0])
            share = float(self.doc.trace.outputs[0, answer])
            self.statusBar().showMessage(
                f"Test digit {k + 1}: a {truth}; the network answers {self.mnist.labels()[answer]} "
                f"({100 * share:.0f}%). F5 plays its forward pass.")

    def learn_one_sample(self, on: bool) -> None:
        """The Learn one sample mode: its dock in front, the sample on the inputs."""
        if on:
            self.docks["Learn one sample"].show()
            self.docks["Learn one sample"].raise_()
        self.learning.set_active(on)

    def start_lesson(self, path: str | Path) -> bool:
        """Start here ▸ a lesson: asks to save the open network first."""
        return self.maybe_save() and self.open_lesson(path)

    def open_lesson(self, path: str | Path) -> bool:
        """A lesson file: its network with its settings, its task and goals over the canvas. A
        bad file shows why and leaves the open network as it was."""
        try:
            chosen = lesson.load(path)
        except EngineError as e:
            self.show_error("Cannot open the lesson", str(e))
            return False
        self._example = f"lesson {Path(path).name.removesuffix(lesson.SUFFIX)}"
        self.doc.replace(chosen.network)  # unsaved: Save asks where the student's work goes
        self.view.fit()
        self.lesson_run.start(chosen)
        return True

    def open_example(self, stem: str) -> bool:
        return self.maybe_save() and self.open_path(example_path(stem), as_example=True)

    def save(self) -> bool:
        return self.save_as() if self.doc.path is None else self._save_to(self.doc.path)

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save network", self._suggested(".json"), FILTER)
        return bool(path) and self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        self.doc.network.training = self.doc.settings.all()  # every setting the dock shows
        try:
            self.doc.save(path)
        except (OSError, EngineError) as e:
            self.show_error("Cannot save", str(e))
            return False
        self._add_recent(str(path))
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def compare_dialog(self) -> CompareDialog:
        """Training ▸ Compare…: one per window, for the open network only."""
        dialog = self.findChild(CompareDialog)
        if dialog is None:
            dialog = CompareDialog(self, self)
            dialog.finished.connect(dialog.deleteLater)
            self.doc.replaced.connect(dialog.reject)
        dialog.show()
        dialog.raise_()
        return dialog

    def save_as_lesson(self) -> LessonDialog:
        """File ▸ Save as Lesson…: the open network and its settings, with a task and goals."""
        dialog = LessonDialog(self, self.doc.network, self.doc.settings.all())
        dialog.accepted.connect(lambda: self._write_lesson(dialog.lesson()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _write_lesson(self, chosen: lesson.Lesson) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save lesson", self._suggested(lesson.SUFFIX),
                                              LESSON_FILTER)
        if not path:
            return False
        if not path.endswith(lesson.SUFFIX):
            path = path.removesuffix(".json") + lesson.SUFFIX
        try:
            lesson.save(chosen, path)
            lesson.load(path)  # what a student will open: read back with a student's checks
        except (OSError, EngineError) as e:
            self.show_error("Cannot save the lesson", str(e))
            return False
        self.statusBar().showMessage(f"Saved the lesson {path}: {len(chosen.goals)} goals", 8000)
        return True

    def export_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(self, "Export image", self._suggested(".png"),
                                                   "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            path = with_extension(path, chosen)
            problem = export_image(self.scene, path)
            if problem:
                self.show_error("Cannot export the picture", problem)
            else:
                self.statusBar().showMessage(f"Exported {path}", 4000)

    def export_data_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the data set", self._suggested(".csv"),
                                              "CSV table (*.csv)")
        if path:
            self.export_data(path)

    def export_data(self, path: str | Path) -> bool:
        """The chosen data set's samples as CSV; full MNIST, too big for a table, is refused."""
        args = self.doc.settings.data_args()
        try:
            if args["name"] == "mnist":
                raise DatasetError("full MNIST is 70,000 images: export the bundled subset, or "
                                   "use the original files")
            text = csv_text(registry.load(**args))
            Path(path).write_text(text, encoding="utf-8")
        except (OSError, EngineError) as e:
            self.show_error("Cannot export the data set", str(e))
            return False
        self.statusBar().showMessage(f"Exported {text.count(chr(10)) - 1:,} samples to {path}", 6000)
        return True

    def data_table_dialog(self) -> QDialog | None:
        """The chosen data set as rows to edit; OK makes them the network's data, one undo step.
        Returns the dialog, or None where the data set is no table (MNIST) and a message said why."""
        from gui.data_table import DataTable  # noqa: PLC0415 (a dialog, made when asked for)
        try:
            spec = editable(self.doc.settings.data_args())
        except EngineError as e:
            self.show_error("Cannot show the data set as a table", str(e))
            return None
        dialog = DataTable(spec, self)
        dialog.accepted.connect(lambda: dialog.spec and self.editor.set_settings(
            {"csv": dialog.spec, "dataset": "csv"}, "Edit the data set's rows", merges=False))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def import_csv_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import CSV data", self._folder(),
                                              "CSV table (*.csv *.tsv *.txt);;Any file (*)")
        if path:
            self.import_csv(path)

    def import_csv(self, path: str | Path) -> QObject:
        """Reads the file a slice at a time between events (the window goes on), then opens the
        column chooser; its OK sets the network's data set as one undo step. A file that cannot be
        read says why and changes nothing. Returns the reading; its dialog, once open."""
        from gui.csv_import import CsvImport, Reading  # noqa: PLC0415
        reading = Reading(path, self)
        reading.failed.connect(lambda why: self.show_error("Cannot import the CSV file", why))

        def chooser(table: object) -> None:
            reading.dialog = dialog = CsvImport(table, self.doc.network, self)
            dialog.accepted.connect(lambda: self._imported(dialog))
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()
        reading.read.connect(chooser)
        return reading

    def _imported(self, dialog: QDialog) -> None:
        """The data, and with Build a matching network a network for it, as one undo step."""
        data = {"csv": dialog.spec, "dataset": "csv"}
        if not dialog.build.isChecked():
            if _softmax_outputs(self.doc.network) and self.doc.settings.get("loss") == "mse":
                data["loss"] = "ce"  # the loss follows the outputs
            self.editor.set_settings(data)
            return
        built = dialog.network()
        values = {**fitting(len(built.inputs), len(built.outputs), _softmax_outputs(built)), **data,
                  "optimizer": "adam", "lr": 0.01, "batch_size": 32, "epochs": 200, "init": "keep"}
        self.editor.replace_network(built, f"Import {dialog.table.name} with a network", values)
        self.view.fit()

    def export_model_dialog(self, suffix: str) -> None:
        """File ▸ Export PyTorch Module (.py) or ONNX (.onnx): the extension typed wins, one
        added where none was typed; ONNX is written by a process of its own (it needs torch)."""
        what = {".py": "PyTorch module (*.py)", ".onnx": "ONNX model (*.onnx)"}[suffix]
        path, _ = QFileDialog.getSaveFileName(self, "Export " + what.split(" (")[0],
                                              self._suggested(suffix), what)
        if not path:
            return
        path = path if Path(path).suffix else path + suffix
        from engine import export  # noqa: PLC0415 (not on the way to the first paint)
        from gui.model_export import OnnxExport  # noqa: PLC0415
        problem = export.refusal(path)
        if problem:
            self.show_error("Cannot export the network", problem)
        elif path.lower().endswith(".onnx"):
            OnnxExport(self.doc.network, path, self).done.connect(self._model_exported)
        else:
            try:
                export.write(self.doc.network, path, self._network_title())
            except (OSError, EngineError) as e:
                problem = str(e)
            self._model_exported(path, problem or "")

    def _model_exported(self, path: str, problem: str) -> None:
        if not problem:
            self.statusBar().showMessage(f"Exported {path}", 6000)
        elif problem != "cancelled":
            self.show_error("Cannot export the network", problem)

    def _folder(self) -> str:
        """The open file's folder, else the user's documents folder."""
        if self.doc.path:
            return str(self.doc.path.parent)
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return documents if documents and Path(documents).is_dir() else str(Path.home())

    def _suggested(self, suffix: str) -> str:
        """Where a save dialog starts: the folder, and the file's (or example's) name."""
        stem = self.doc.path.stem if self.doc.path else (
            self._example.removeprefix("example ") if self._example else "network")
        return str(Path(self._folder()) / f"{stem}{suffix}")

    # ---- settings ------------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _add_recent(self, path: str) -> None:
        recent = [path] + [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent", recent[:MAX_RECENT])
        self.refresh_recent_menu()

    def refresh_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for path in self.recent_files():
            menu.addAction(Path(path).name, lambda p=path: self.maybe_save() and self.open_path(p))
        menu.setEnabled(bool(self.recent_files()))

    def preferences_dialog(self) -> preferences.PreferencesDialog:
        dialog = preferences.PreferencesDialog(self.prefs, self)
        dialog.accepted.connect(lambda: self.set_preferences(dialog.values()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def set_preference(self, key: str, value: object) -> None:
        self.set_preferences({**self.prefs, key: value})

    def set_preferences(self, values: dict) -> None:
        """Applies the preferences and keeps them for the next session; the View menu shows
        the same ones."""
        changed = {k: v for k, v in values.items() if self.prefs.get(k) != v}
        self.prefs = dict(values)
        for key, value in values.items():
            self.settings.setValue(key, value)
        self._apply_look(values)
        self.autosave.set_interval(values["autosave_s"])
        if "device" in changed:  # for a network whose file names no device
            self.doc.settings.fit({**self.doc.settings.fitted, "device": values["device"]})

    def _apply_look(self, values: dict) -> None:
        apply_theme(QApplication.instance(), values["dark"])
        set_dark(values["dark"], self)
        self.toolbar.setStyleSheet("")  # its palette() colours are read when it is set
        self.toolbar.setStyleSheet(CHECKED)
        self.view.setBackgroundBrush(CANVAS[values["dark"]])
        self.scene.edges.set_show_labels(values["show_weights"])
        self.propagation.ms_per_level = SPEEDS[values["animation"]]
        self.neuron_maps.set_enabled(values["neuron_maps"])
        self.tile_saliency.set_enabled(values["tile_saliency"])
        for key in ("dark", "show_weights", "neuron_maps", "tile_saliency",
                    "speed " + values["animation"]):
            self.actions_by_name[key].setChecked(values.get(key, True))

    def _restore_settings(self) -> None:
        # the minimum size as the dock column makes it: before a first layout it is the docks'
        # heights added up (760), and a restored 1280×569 window came back 760 tall
        self.layout().activate()
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self.settings.value("state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        else:  # the first start: the dock column's width, its two groups 2 : 3
            self.resizeDocks([self.docks["Inspector"]], [DOCK_WIDTH], Qt.Orientation.Horizontal)
            self.resizeDocks([self.docks["Inspector"], self.docks["Truth table"]], [2, 3],
                             Qt.Orientation.Vertical)
        self._apply_look(self.prefs)
        self.refresh_recent_menu()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.lesson_run.stop()  # the docks a lesson hid come back with the next start
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("state", self.saveState())
        keep_private(self.settings)
        self.autosave.discard()  # closed on purpose: nothing to recover next time
        self.client.shutdown()
        self.map.stop()
        event.accept()

