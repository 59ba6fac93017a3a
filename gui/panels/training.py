"""The Training dock: settings, Train / Pause / Step / Epoch / Stop / Reset, and progress.

The run happens in the trainer process; its snapshots are shown on the canvas as they come.
Undo model: a run is one undo step ("Training run", its weights before and after). A hand edit of
a weight or bias during the run first ends that step with the numbers trained so far, then lands
as its own step, and the run goes on into a new "Training run" step; consecutive steps of one
slider or wheel gesture stay one step while no training step comes between them. Any other edit,
and undo or redo, ends the run's step and stops the run before it lands. So every step's
"before" is exactly the state under it, and undoing them all returns the network as it was
opened. A change of a training setting is a step of its own that changes no number, so a run
goes on through it.
"""
from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGridLayout,
                               QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QSpinBox,
                               QToolButton, QVBoxLayout, QWidget)

from engine import io, settings
from engine.datasets import DatasetError
from engine.datasets.features import FEATURES
from engine.datasets.mnist import check_folder
from engine.datasets.paint import is_painted
from engine.datasets.toy import CURVES, MAKERS
from engine.init import initialise
from gui.commands import SetParameters
from gui.document import Document
from gui.panels.refusals import Refusals
from gui.theme import PROBLEM_TEXT, mark
from gui.training_worker import TrainingClient

TOYS = (*MAKERS, *CURVES)  # drawn at random: samples, noise and the split are the user's
DATASETS = {"xor": "XOR", "and": "AND", "or": "OR", "nand": "NAND", "cheese": "Cheese festival",
            "circles": "Circles", "moons": "Moons", "spiral": "Spiral", "blobs": "Gaussian blobs",
            "sin": "sin x (regression)", "csv": "Imported CSV (File ▸ Import)",
            "mnist-subset": "MNIST subset (bundled)", "mnist": "MNIST full (folder below)"}
LOSSES = {"mse": "Squared error 1/(2n) Σ‖y−a‖²", "l1": "Absolute error", "bce": "Binary cross-entropy",
          "ce": "Categorical cross-entropy"}
# the share of a core that showing snapshots may take: the trainer shares the machine
SHOW_SHARE = 0.3
# the progress bar and its line a second: each new value repaints the bar at once
TELL_HZ = 5
OPTIMIZERS = {"sgd": "SGD", "momentum": "SGD with momentum α", "adam": "Adam"}
INITS = {"keep": "Keep my weights", "xavier": "Xavier", "he": "He", "uniform": "Uniform",
         "normal": "Normal(mean, std)", "nielsen": "Nielsen: N(0, 1/√n_in), biases N(0, 1)"}
TIPS = {
    "lr": "How far each step moves the weights against the gradient. Too high: the loss jumps "
          "or becomes NaN; too low: it crawls. Changes apply at the next mini-batch.",
    "batch": "Samples per gradient step. 0 means the whole set: plain gradient descent.",
    "momentum": "α: the share of the last step carried into the next (SGD with momentum).",
    "l1": "L1 regularisation λ: adds λ Σ|w| to the cost, pushing weights to exactly 0.",
    "l2": "L2 regularisation λ: adds λ Σ w² to the cost, keeping weights small.",
    "dropout": "While training, each hidden neuron is switched off with this probability.",
    "seed": "The same seed gives the same shuffles, initial weights and validation split: "
            "runs you can repeat.",
    "bias_init": "The biases a new weight init starts from (b = −threshold): as the weight init "
                 "says (0; N(0, 1) for Nielsen's), all 0, all b, or random N(0, 1).",
    "bias_value": "The bias every computed neuron starts with, for a constant bias init.",
    "validation": "Share of the training data held out: each epoch's validation loss and "
                  "accuracy show how well the network does on samples it never trained on. "
                  "Early stopping then watches the validation loss.",
    "patience": "Early stopping, as scikit-learn's n_iter_no_change, but on the validation loss "
                "where there is a split (scikit-learn watches validation accuracy): the run ends "
                "once more than this many epochs in a row improved the loss by less than tol. "
                "0: never.",
    "tol": "The least improvement of the loss (validation, else training) that counts as one.",
    "schedule": "The learning rate of each epoch t (from 0), as torch.optim.lr_scheduler steps it "
                "once an epoch: big steps first, small ones to settle. Step: η·γ^⌊t/n⌋; "
                "exponential: η·γ^t; 1/t: η/(1 + γ·t); cosine: from η down to η_min over n "
                "epochs. Continue goes on with it.",
    "decay": "γ: step's and exponential's factor (0 to 1), 1/t's k in η/(1 + k·t)",
    "decay_every": "n: step's epochs between two steps, cosine's epochs from η down to η_min",
    "lr_min": "η_min: where cosine ends, at or below the learning rate",
    "samples": "How many points a 2-D data set (or sin) has, training and test together.",
    "noise": "How far each point is scattered from its shape: more noise, harder to separate.",
    "test_share": "The share of the points kept aside to test on: never trained on.",
}
SCHEDULES = {"constant": "Constant", "step": "Step", "exponential": "Exponential",
             "inverse": "1/t", "cosine": "Cosine"}
BIAS_INITS = {"scheme": "As init", "zeros": "Zeros", "constant": "Constant b",
              "random": "Random N(0, 1)"}


def progress_text(snap: dict, paused: bool = False) -> str:
    """A run's progress in words; a word joiner keeps "samples/s" on one line."""
    where = f"epoch {snap['epoch']}, step {snap['step']} of {snap['total']}"
    if paused:
        return f"Paused at {where}."
    return (f"{where[0].upper()}{where[1:]}, {snap['samples_per_s']:,.0f} samples/\u2060s, "
            f"about {snap['seconds_left']:.0f} s left")


def _spin(name: str, value: float, decimals: int = 4, step: float = 0.01,
          tip: str = "") -> QDoubleSpinBox | QSpinBox:
    """A spin box over the setting's range from engine.settings, so every valid file fits it."""
    limit = settings.NUMBERS[name]
    box = QSpinBox() if limit.whole else QDoubleSpinBox()
    if not limit.whole:
        box.setDecimals(decimals)
        box.setSingleStep(step)
    box.setRange(limit.low, limit.high)
    box.setValue(value)
    box.setToolTip(tip)
    return box


def _row(first: QWidget, label: str, second: QWidget) -> QHBoxLayout:
    """Two settings that belong together on one line, so the dock fits 1280×800."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(first, 1)
    if label:
        row.addWidget(QLabel(label))
    row.addWidget(second, 1)
    return row


PACES = {0: "Full speed", 1000: "Fast: 1000 steps/s", 200: "Watch: 200 steps/s",
         50: "Slow: 50 steps/s", 10: "Slow motion: 10 steps/s", 2: "Step by step: 2 steps/s"}


def _combo(items: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for key, text in items.items():
        box.addItem(text, key)
        box.setItemData(box.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
    # as wide as the dock allows, not as its longest item: the dock fits 1280×800 (issue 9)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(8)
    return box


class TrainingPanel(QWidget):
    runStarted = Signal(str)   # the run's name
    runEnded = Signal(str)     # how it ended: its last accuracies and time, in words
    compareAsked = Signal()    # Compare… pressed
    tableAsked = Signal()      # Table… pressed: the data set as rows
    runRefused = Signal()      # it ended before its first step: nothing to list
    animate = Signal()         # time to play the forward pass of the current sample
    runningChanged = Signal(bool)
    parametersChosen = Signal(str, object, object)  # an edit asked for: its name, weights, biases
    settingsChosen = Signal(dict)  # settings the user set here, for the editor to make a step of
    featureChosen = Signal(str, bool)  # a feature input (x₁², …) to add or remove

    def __init__(self, doc: Document, client: TrainingClient) -> None:
        super().__init__()
        self.doc, self.client = doc, client
        self.before: tuple[np.ndarray, np.ndarray] | None = None
        self._applying, self._runs, self._started, self._animated = False, 0, 0.0, 0
        self._told = 0.0  # when the progress was last shown
        self._ready = "The trainer is starting…"  # what the status says before a run
        self._last_epoch: dict = {}  # the current run's latest epoch metrics
        self._stepped = False        # the current run has sent a snapshot
        self._rebase = False  # the next hand edit starts the run's next undo step
        self._trained = False  # numbers of the run landed since the undo step began
        self._shared = False   # before is held by a recorded step too: never change it in place
        self._pending: tuple[np.ndarray, np.ndarray] | None = None  # numbers not shown yet
        self._show_timer = QTimer(self)  # runs from a show until the next may come
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._show_pending)
        self._showing = False  # the widgets are being set from the model: no user's choice
        self._actions: dict[str, QAction] = {}  # the toolbar's, mirroring the buttons
        self._build_form()
        self._build_buttons()
        client.snapshot.connect(self._on_snapshot)
        client.finished.connect(self._on_finished)
        client.failed.connect(self._on_finished)  # the reason is shown either way
        client.note.connect(self.status.setText)
        client.stateReady.connect(self._keep_state)
        client.loading.connect(self._on_loading)
        client.epochsEnded.connect(lambda epochs: self._last_epoch.update(epochs[-1]))
        client.ready.connect(self._on_ready)
        doc.weightsChanged.connect(lambda pairs: self._hand_edit(pairs=pairs))
        doc.biasesChanged.connect(lambda ids: self._hand_edit(ids=ids))
        doc.structureChanged.connect(self._structure_changed)
        doc.structureChanged.connect(self._show_features)
        doc.neuronsChanged.connect(lambda _ids: self._show_features())
        doc.editing.connect(self._before_edit)
        doc.replaced.connect(self._opened)
        doc.replaced.connect(lambda: self._show(tuple(self._boxes)))
        doc.settings.changed.connect(self._show)
        self._show(tuple(self._boxes))
        self._show_features()
        self._set_running(False)

    def _build_form(self) -> None:
        self.dataset, self.loss = _combo(DATASETS), _combo(LOSSES)
        self.optimizer, self.init = _combo(OPTIMIZERS), _combo(INITS)
        self.device = _combo({"auto": "Auto (GPU if there is one)", "cpu": "CPU"})
        self.pace = _combo(PACES)
        self.pace.setToolTip("How fast the window trains: full speed, or slow enough to watch "
                             "the loss fall and the boundary bend (steps a second). Saved with "
                             "the network; the command line always trains at full speed.")
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("folder with the four MNIST .gz files")
        self.folder.setToolTip("Full MNIST: a folder holding train-images-idx3-ubyte, "
                               "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
                               "t10k-labels-idx1-ubyte (.gz or not), or torchvision's MNIST/raw")
        self.folder.editingFinished.connect(self.check_folder)
        browse = QToolButton()
        browse.setText("…")
        browse.setToolTip("Browse: choose the folder that holds full MNIST")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.folder_note = QLabel()
        self.folder_note.setWordWrap(True)
        self.lr = _spin("lr", 0.1, 5, 0.01, TIPS["lr"])
        self.schedule = _combo(SCHEDULES)
        self.schedule.setToolTip(TIPS["schedule"])
        self.decay = _spin("decay", 0.5, 4, 0.05, TIPS["decay"])
        self.decay_every = _spin("decay_every", 10, tip=TIPS["decay_every"])
        self.lr_min = _spin("lr_min", 0.0, 5, 0.001, TIPS["lr_min"])
        self.momentum = _spin("momentum", 0.9, 3, 0.05, TIPS["momentum"])
        self.batch = _spin("batch_size", 0, tip=TIPS["batch"])
        self.epochs = _spin("epochs", 500)
        self.l1, self.l2 = _spin("l1", 0, 5, 0.0001, TIPS["l1"]), _spin("l2", 0, 5, 0.0001, TIPS["l2"])
        self.dropout = _spin("dropout", 0, 2, 0.05, TIPS["dropout"])
        self.init_mean, self.init_std = _spin("init_mean", 0.0), _spin("init_std", 0.05)
        self.bias_init = _combo(BIAS_INITS)
        self.bias_init.setToolTip(TIPS["bias_init"])
        self.bias_value = _spin("bias_value", 0.0, 3, 0.1, TIPS["bias_value"])
        self.validation = _spin("validation", 0.0, 2, 0.05, TIPS["validation"])
        self.patience = _spin("patience", 0, tip=TIPS["patience"])
        self.tol = _spin("tol", 1e-4, 5, 0.0001, TIPS["tol"])
        self.seed = _spin("seed", 0, tip=TIPS["seed"])
        self.samples = _spin("samples", 500, tip=TIPS["samples"])
        self.noise = _spin("noise", 0.1, 2, 0.05, TIPS["noise"])
        self.test_share = _spin("test_share", 0.2, 2, 0.05, TIPS["test_share"])
        self.regenerate = QPushButton("Regenerate")
        self.regenerate.setToolTip("New random points with the same samples, noise and split "
                                   "(one undo step)")
        self.regenerate.clicked.connect(lambda: self.settingsChosen.emit(
            {"data_seed": self.doc.settings.get("data_seed") + 1}))
        self.table = QToolButton()
        self.table.setText("Table…")
        self.table.setToolTip("See the data set as rows and edit them: change a cell, type a new "
                              "row, delete rows (Ctrl+Shift+D)")
        self.table.clicked.connect(self.tableAsked.emit)
        self.features = {}
        features_row = QHBoxLayout()
        features_row.setContentsMargins(0, 0, 0, 0)
        for name in FEATURES:
            button = QToolButton()
            button.setText(name)
            button.setCheckable(True)
            button.setToolTip(f"An input neuron computing {name} from x₁ and x₂ (TensorFlow "
                              "Playground's feature inputs): a line in a new input can be a "
                              "circle in the plane. One undo step")
            button.clicked.connect(lambda on, n=name: self.featureChosen.emit(n, on))
            features_row.addWidget(button)
            self.features[name] = button
        features_row.addStretch(1)
        self.features_row = features_row
        self.animate_every = QSpinBox()
        self.animate_every.setRange(0, 100000)
        self.animate_every.setToolTip("While training, play the forward pass of the sample on the "
                                      "canvas every this many steps (0: never)")
        self.samples_row = _row(self.samples, "noise", self.noise)
        self.share_row = _row(self.test_share, "", self.regenerate)
        self.folder_row = folder_row
        form = QFormLayout()
        self.refusals = Refusals(QLabel())
        dataset_row = QHBoxLayout()
        dataset_row.setContentsMargins(0, 0, 0, 0)
        dataset_row.addWidget(self.dataset, 1)
        dataset_row.addWidget(self.table)
        for text, widget in (("Dataset", dataset_row), ("MNIST folder", folder_row),
                             ("", self.folder_note),
                             ("Samples", self.samples_row), ("Test share", self.share_row),
                             ("Features", self.features_row),
                             ("Loss", self.loss), ("Optimiser", self.optimizer),
                             ("Momentum α", self.momentum), ("Learning rate", self.lr),
                             ("Schedule", _row(self.schedule, "γ", self.decay)),
                             ("Decay every", _row(self.decay_every, "η_min", self.lr_min)),
                             ("Batch size", self.batch), ("Epochs", self.epochs),
                             ("L1 λ", _row(self.l1, "L2 λ", self.l2)), ("Dropout", self.dropout),
                             ("Weight init", self.init),
                             ("Init mean", _row(self.init_mean, "std", self.init_std)),
                             ("Bias init", _row(self.bias_init, "b", self.bias_value)),
                             ("Validation", _row(self.validation, "seed", self.seed)),
                             ("Early stop", _row(self.patience, "tol", self.tol)),
                             ("Device", self.device), ("Speed", self.pace),
                             ("Animate every", self.animate_every)):
            form.addRow(text, widget)
        self.form = form
        for text, box in (("Momentum α", self.momentum), ("Learning rate", self.lr),
                          ("γ", self.decay), ("Decay every", self.decay_every),
                          ("η_min", self.lr_min),
                          ("Batch size", self.batch), ("Epochs", self.epochs), ("L1 λ", self.l1),
                          ("L2 λ", self.l2), ("Dropout", self.dropout),
                          ("Init mean", self.init_mean), ("Init std", self.init_std),
                          ("Bias b", self.bias_value), ("Validation", self.validation),
                          ("Patience", self.patience), ("tol", self.tol), ("Seed", self.seed),
                          ("Samples", self.samples), ("Noise", self.noise),
                          ("Test share", self.test_share),
                          ("Animate every", self.animate_every)):
            self.refusals.watch(box, text)
        form.addRow(self.refusals.label)
        self._boxes = {"dataset": self.dataset, "loss": self.loss, "optimizer": self.optimizer,
                       "lr": self.lr, "momentum": self.momentum, "batch_size": self.batch,
                       "schedule": self.schedule, "decay": self.decay,
                       "decay_every": self.decay_every, "lr_min": self.lr_min,
                       "epochs": self.epochs, "l1": self.l1, "l2": self.l2,
                       "dropout": self.dropout, "init": self.init, "init_mean": self.init_mean,
                       "init_std": self.init_std, "bias_init": self.bias_init,
                       "bias_value": self.bias_value, "validation": self.validation,
                       "patience": self.patience, "tol": self.tol, "seed": self.seed,
                       "samples": self.samples, "noise": self.noise,
                       "test_share": self.test_share,
                       "device": self.device, "pace": self.pace}
        for key, box in self._boxes.items():
            chosen = box.currentIndexChanged if isinstance(box, QComboBox) else box.valueChanged
            chosen.connect(lambda _value, k=key: self._chosen(k))
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(form)

    def _build_buttons(self) -> None:
        grid = QGridLayout()
        self.buttons = {}
        for k, (name, text, tip) in enumerate((
                ("train", "Train", "Train with these settings (one undo step)"),
                ("continue", "Continue", "Go on where the last run ended, as if it had never "
                 "stopped: its epoch count, the optimiser's momentum or Adam's moments, and the "
                 "same shuffles. Saved with the file; any edit since then means a new run"),
                ("pause", "Pause", "Pause between mini-batches; press again to resume"),
                ("step", "Step", "Train one mini-batch"), ("epoch", "Epoch", "Train to the end of the epoch"),
                ("stop", "Stop", "End the run, keeping its weights"),
                ("reset", "Reset weights", "New initial weights from 'Weight init' (one undo step)"),
                ("compare", "Compare…", "Train one setting at several values side by side, each "
                 "from the same initial weights, and compare their curves and results"))):
            button = QPushButton(text)
            button.setToolTip(tip)
            grid.addWidget(button, k // 3, k % 3)
            self.buttons[name] = button
        self.buttons["train"].clicked.connect(self.train)
        self.buttons["continue"].clicked.connect(lambda: self.train(go_on=True))
        self.buttons["pause"].clicked.connect(self._pause_or_resume)
        self.buttons["step"].clicked.connect(lambda: self._command("step"))
        self.buttons["epoch"].clicked.connect(lambda: self._command("epoch"))
        self.buttons["stop"].clicked.connect(lambda: self.client.send("stop"))
        self.buttons["reset"].clicked.connect(self.reset_weights)
        self.buttons["compare"].clicked.connect(self.compareAsked.emit)
        self.progress = QProgressBar()
        self.status = QLabel("The trainer is starting…")
        self.status.setWordWrap(True)
        self.layout_.addLayout(grid)
        self.layout_.addWidget(self.progress)
        self.layout_.addWidget(self.status)
        self.layout_.addStretch(1)

    # ---- full MNIST ----------------------------------------------------------------------------
    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder with full MNIST", self.folder.text())
        if folder:
            self.folder.setText(folder)
            self.folder.editingFinished.emit()  # as if typed: saved, then checked

    def check_folder(self) -> bool:
        """Reads the four files' headers: says beside the field what the folder holds, or what
        is wrong with which file (the field turns red). True when it holds MNIST."""
        folder = self.folder.text().strip()
        problem, holds = None, ""
        if folder:
            try:
                holds = check_folder(folder)
            except DatasetError as e:
                problem = str(e)
        elif self.doc.settings.get("dataset") == "mnist":
            problem = "Choose the folder that holds full MNIST (… beside the field)."
        mark(self.folder, problem is not None)
        self.folder_note.setStyleSheet(PROBLEM_TEXT if problem else "color: #2f855a")
        self.folder_note.setText(problem or (f"Full MNIST: {holds}." if holds else ""))
        self.form.setRowVisible(self.folder_note, bool(problem or holds) and
                                self.doc.settings.get("dataset") == "mnist")
        return problem is None

    def _on_loading(self, share: float) -> None:
        self.progress.setValue(round(100 * share))
        self.status.setText(f"Reading the data: {100 * share:.0f}%…")

    # ---- settings: the document's model; the widgets show it and ask for changes -------------
    def config(self) -> dict:
        """What Train sends: every setting but the data set, from the model."""
        return {key: self.doc.settings.get(key) for key in settings.DEFAULTS}

    def _chosen(self, key: str) -> None:
        if self._showing:
            return
        box = self._boxes[key]
        value = box.currentData() if isinstance(box, QComboBox) else box.value()
        if value != self.doc.settings.get(key):
            self.settingsChosen.emit({key: value})

    def _show(self, keys: tuple) -> None:
        """The model changed (an edit, its undo, another network): the widgets follow, and a run
        takes a new learning rate or λ at its next mini-batch."""
        self._showing = True
        try:
            for key in keys:  # a widget that shows the value already is left alone: the
                box, value = self._boxes.get(key), self.doc.settings.get(key)  # user may be typing
                if box is self.pace and box.findData(value) < 0:  # a pace the file chose
                    box.addItem(f"{value} steps/s", value)
                if isinstance(box, QComboBox) and box.findData(value) >= 0:
                    box.setCurrentIndex(box.findData(value))
                elif box is not None and isinstance(value, (int, float)) and box.value() != value:
                    box.setValue(value)
        finally:
            self._showing = False
        self._applicable()
        get = self.doc.settings.get
        if "lr" in keys:
            self._live("set_lr", get("lr"))
        if "l1" in keys or "l2" in keys:
            self._live("set_regularisation", get("l1"), get("l2"))
        if "pace" in keys:
            self._live("set_pace", get("pace"))
        if "csv" in keys or "dataset" in keys:  # another network brings its own table, or none
            self._name_own_data()
        if "dataset" in keys:
            self.check_folder()
            name = self.doc.settings.get("dataset")
            # only the rows the data set uses: the dock fits 1280×800
            for row, used in ((self.samples_row, name in TOYS), (self.share_row, name in TOYS),
                              (self.folder_row, name == "mnist")):
                self.form.setRowVisible(row, used)

    def _name_own_data(self) -> None:
        """The "csv" item names the network's own table: painted points, an edited table or a
        file."""
        spec = self.doc.settings.get("csv")
        text = ("Painted points" if is_painted(spec) else f"Your table: {spec['name']}"
                if isinstance(spec, dict) and isinstance(spec.get("name"), str) else DATASETS["csv"])
        self.dataset.setItemText(self.dataset.findData("csv"), text)

    def _applicable(self) -> None:
        """A setting the others make unused is disabled, its tooltip saying why."""
        get = self.doc.settings.get
        for box, used, why in (
                (self.momentum, get("optimizer") == "momentum",
                 "Used only by the optimiser SGD with momentum."),
                (self.init_mean, get("init") == "normal", "Used only by the weight init Normal."),
                (self.init_std, get("init") == "normal", "Used only by the weight init Normal."),
                (self.bias_value, get("bias_init") == "constant",
                 "Used only by the bias init Constant."),
                (self.tol, get("patience") > 0, "Used only with early stopping (patience above 0)."),
                (self.decay, get("schedule") in ("step", "exponential", "inverse"),
                 "Used only by the schedules step, exponential and 1/t."),
                (self.decay_every, get("schedule") in ("step", "cosine"),
                 "Used only by the schedules step and cosine."),
                (self.lr_min, get("schedule") == "cosine", "Used only by the schedule cosine.")):
            tip = box.property("tip")
            if tip is None:
                box.setProperty("tip", tip := box.toolTip())
            box.setEnabled(used)
            box.setToolTip(tip if used else f"{why}\n\n{tip}")

    def _show_features(self) -> None:
        """Which feature inputs the network has; offered where two inputs read the plane."""
        labels = self.doc.input_labels()
        self.form.setRowVisible(self.features_row, self.doc.reads_plane())
        for name, button in self.features.items():
            button.setChecked(name in labels)

    def _on_ready(self, info: dict) -> None:
        if "cuda" in info["devices"] and self.device.findData("cuda") < 0:
            self.device.addItem("CUDA GPU", "cuda")
        self._ready = f"Ready (PyTorch {info['torch']}, devices: {', '.join(info['devices'])})."
        self.status.setText(self._ready)

    # ---- running -------------------------------------------------------------------------------
    def _keep_state(self, state: object) -> None:
        self.doc.network.resume = state

    def train(self, go_on: bool = False) -> None:
        """A new run, or with go_on the last one continued (where it still fits)."""
        if self.client.busy:
            return
        net = self.doc.network
        config = self.config()
        if go_on:
            state = net.resume
            why = ("no run has ended on this network yet" if state is None else
                   state.why_not(net, config["optimizer"], "float32"))
            if why:
                self.status.setText(f"Cannot continue: {why}. Press Train for a new run.")
                return
            config["resume"] = True
        self.before, self._trained, self._shared = (net.weight.copy(), net.bias.copy()), False, False
        # what Rewind needs to make this run again: a continued run has no start of its own
        self.started_from = None if go_on else (*self.before, self.doc.settings.all())
        job = self.job(config, with_resume=go_on)
        if job is None:
            return
        dataset = job["dataset"]
        self.client.start(job)
        self._runs += 1
        self._started, self._last_epoch, self._stepped = time.perf_counter(), {}, False
        self.progress.setValue(0)
        self.status.setText("Training…")
        self._set_running(True)
        went_on = f", from epoch {net.resume.epoch + 1}" if go_on else ""
        self.runStarted.emit(f"run {self._runs}: {DATASETS.get(dataset['name'], dataset['name'])}, "
                             f"{config['optimizer']} lr {config['lr']:g}{went_on}")

    def job(self, config: dict | None = None, with_resume: bool = False,
            network: bool = True) -> dict | None:
        """The open network, its settings and data set as the trainer takes them; None, and
        why in the status line, where full MNIST's folder is missing. network=False: without
        the network, for a request a running trainer answers from its own (at 1.79 M
        connections the network's JSON costs the window a third of a second)."""
        dataset = self.doc.settings.data_args()
        if dataset["name"] == "mnist":
            if not self.check_folder():
                self.status.setText(f"Cannot train on full MNIST: {self.folder_note.text()}")
                return None
            dataset["data_dir"] = self.folder.text().strip()
        return {"network": io.to_dict(self.doc.network, with_resume=with_resume) if network else None,
                "config": self.config() if config is None else config, "dataset": dataset}

    def _command(self, kind: str) -> None:
        self.client.send(kind)
        self.buttons["pause"].setText("Resume")
        self._mirror()

    def _pause_or_resume(self) -> None:
        paused = self.buttons["pause"].text() == "Resume"
        self.client.send("resume" if paused else "pause")
        self.buttons["pause"].setText("Pause" if paused else "Resume")
        self._mirror()

    def make_actions(self, parent: QObject) -> list[QAction]:
        """Train, Pause and Stop for the toolbar: the same buttons, reachable while the dock is
        behind another tab."""
        for name, key in (("train", "Ctrl+T"), ("pause", "Ctrl+Shift+P"), ("stop", "Ctrl+Shift+T")):
            button = self.buttons[name]
            action = QAction(button.text(), parent)
            action.setObjectName(f"run_{name}")
            action.setShortcut(QKeySequence(key))
            action.setToolTip(f"{button.toolTip()} ({key})")
            action.triggered.connect(button.click)
            self._actions[name] = action
        self._mirror()
        return list(self._actions.values())

    def run_action(self, name: str) -> QAction:
        """The toolbar's Train, Pause or Stop."""
        return self._actions[name]

    def _mirror(self) -> None:
        for name, action in self._actions.items():
            action.setEnabled(self.buttons[name].isEnabled())
            action.setText(self.buttons[name].text())

    def _live(self, kind: str, *args: float) -> None:
        if self.client.busy:
            self.client.send(kind, *args)

    def _set_running(self, running: bool) -> None:
        self.runningChanged.emit(running)
        self.buttons["train"].setEnabled(not running)
        self.buttons["continue"].setEnabled(not running)
        self.buttons["reset"].setEnabled(not running)
        for name in ("pause", "step", "epoch", "stop"):
            self.buttons[name].setEnabled(running)
        self.buttons["pause"].setText("Pause")
        self._mirror()

    def _on_snapshot(self, snap: dict) -> None:
        self._stepped = True
        net = self.doc.network
        if self.before is None or (len(snap["weights"]), len(snap["biases"])) != (
                net.n_connections, net.n_neurons):
            return  # never apply numbers of another shape (the run is being stopped)
        self._pending, self._rebase = (snap["weights"], snap["biases"]), False
        if not self._show_timer.isActive():  # else what comes meanwhile waits for it
            self._show_pending()
        every = self.animate_every.value()
        if every and snap["step"] // every != self._animated:
            self._animated = snap["step"] // every
            self.animate.emit()
        now = time.perf_counter()
        paused = self.buttons["pause"].text() == "Resume"  # paused, or stepping by hand
        if paused or now - self._told >= 1 / TELL_HZ:  # where it stands: said at once
            self._told = now
            self.progress.setValue(round(100 * snap["step"] / max(snap["total"], 1)))
            self.status.setText(progress_text(snap, paused))

    def _on_finished(self, reason: str) -> None:
        self._set_running(False)
        self._close_step()
        self.before = None
        if reason == "done":
            self.progress.setValue(100)
        summary = self._summary()
        self.status.setText({"done": f"Done: {summary}.", "stopped": f"Stopped: {summary}."}.get(
            reason, f"Stopped: {reason}"))
        if self._stepped or reason in ("done", "stopped"):
            self.runEnded.emit(summary)
        else:
            self.runRefused.emit()

    def _summary(self) -> str:
        """The finished run in words: its last epoch's accuracies, its epochs and its time."""
        last, seconds = self._last_epoch, time.perf_counter() - self._started
        parts = [f"{name} accuracy {100 * last[key]:.1f}%" for name, key in (
            ("train", "train_accuracy"), ("test", "test_accuracy")) if last.get(key) is not None]
        epochs = last.get("epoch", 0)
        if last.get("test_loss") is not None:  # a regression: no accuracy
            parts.append(f"test loss {last['test_loss']:.4g}")
        if last.get("validation_accuracy") is not None:
            parts.append(f"validation accuracy {100 * last['validation_accuracy']:.1f}%")
        said = ", ".join(parts + [f"{epochs} epoch{'s' * (epochs != 1)} in {seconds:.1f} s"])
        return f"{said} ({last['early_stop']})" if last.get("early_stop") else said

    @property
    def applying_run(self) -> bool:
        """True while a run's numbers land on the network: no user edit."""
        return self._applying

    def _show_pending(self) -> None:
        if self._pending is not None and self.before is not None:
            started = time.perf_counter()
            self._show_timer.start(1000)  # until the cost is known
            self._applying = True
            self.doc.network.set_trained(*self._pending)
            self._applying, self._trained = False, True
            # a zero timer runs after the repaints the show asked for: its whole cost
            QTimer.singleShot(0, self, lambda: self._show_timer.start(
                round(1000 * (time.perf_counter() - started) * (1 - SHOW_SHARE) / SHOW_SHARE)))
        self._pending = None

    def _close_step(self) -> None:
        """Records the numbers trained since the step began as one "Training run" undo step."""
        self._show_pending()
        if self.before is None or not self._trained:
            return  # before holds the numbers as they are: a hand edit costs no copy of them
        net = self.doc.network
        now = (net.weight.copy(), net.bias.copy())  # the step's end and the next one's start
        self._shared = not (np.array_equal(self.before[0], now[0]) and
                            np.array_equal(self.before[1], now[1]))
        if self._shared:
            self._applying = True  # its redo puts in place what is already there
            self.doc.record(SetParameters(net, "Training run", self.before, now, in_place=True))
            self._applying = False
        self.before, self._trained = now, False

    def _before_edit(self, command: object) -> None:
        if self.before is None or getattr(command, "numbers_kept", False):
            return
        if command is not None and getattr(command, "keeps_run", False):
            # the numbers trained so far land first: a gesture's next step then never merges
            # into its last one across them, and the run's next step starts after the edit
            self._close_step()
            self._rebase = True
            return
        self._close_step()
        self._abandon()
        self.status.setText("The run stopped: that edit changes what the network computes. "
                            "Press Train to go on from here.")

    def _opened(self) -> None:
        """Another network: a run of the old one stops, and nothing of it is said."""
        self._abandon()
        self._last_epoch, self._stepped = {}, False
        self.progress.setValue(0)
        self.status.setText(self._ready)

    def _abandon(self) -> None:
        if self.before is None and not self.client.busy:
            return
        self.client.abandon()
        self.before, self._pending = None, None
        self._set_running(False)

    def _hand_edit(self, pairs: tuple | None = None, ids: tuple | None = None) -> None:
        """A weight or bias edited by hand during a run: training goes on from the new numbers.
        Only those go to the trainer (an empty tuple means all)."""
        if self.before is None or self._applying:
            return
        net, every = self.doc.network, pairs == () or ids == ()
        conns = net.connection_indices(pairs or ())
        neurons = np.atleast_1d(net.index(list(ids or ()))).astype(np.int64)
        if self._rebase:  # the run's next undo step starts from the edited numbers
            if every or self._shared:
                self.before, self._shared = (net.weight.copy(), net.bias.copy()), False
            else:
                self.before[0][conns], self.before[1][neurons] = net.weight[conns], net.bias[neurons]
            self._rebase = False
        if every:
            self.client.send("set_weights", net.weight.copy(), net.bias.copy())
        else:
            self.client.send("set_some", conns, net.weight[conns], neurons, net.bias[neurons])

    def _structure_changed(self) -> None:
        """An edit that came past the undo stack (a script): its shape is not the run's."""
        if self.before is not None:
            self._abandon()
            self.status.setText("The network changed shape, so the run stopped.")

    def reset_weights(self) -> None:
        """Fresh weights by the chosen scheme, for the editor to make one undo step of."""
        net = self.doc.network
        fresh = net.copy()
        get = self.doc.settings.get
        scheme = get("init")
        initialise(fresh, "xavier" if scheme == "keep" else scheme, get("seed"), get("init_mean"),
                   get("init_std"), biases=get("bias_init"), bias_value=get("bias_value"))
        self.parametersChosen.emit("Reset weights", fresh.weight, fresh.bias)
