"""The MNIST dock: test digits with the network's answers, the test accuracy in large type, a
confusion matrix, what each hidden neuron looks for, and a pad to draw a digit on.

During a run the accuracy and the matrix are the trainer's, each epoch, over the run's whole test
set. Otherwise (a network opened, edited, a run undone) the window works them out on the bundled
1,000 test digits, one chunk per event-loop turn, so that a big network never freezes it. The
grid's answers follow the weights live, a few times a second at most.
"""
from __future__ import annotations

import math
import time
from typing import Callable

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (QGridLayout, QHeaderView, QLabel, QPushButton, QScrollArea,
                               QStackedWidget, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from engine.datasets import Dataset, DatasetError
from engine.digits import centred, input_tile, mosaic
from engine.explain import fed_by, incoming_pictures
from engine.trace import answers, confusion, forward
from gui.canvas.style import PREDICTED, WHITE, mix
from gui.document import Document
from gui.panels import shown
from gui.panels.digits import WRONG, DigitGrid, DrawPad, digit_image
from gui.panels.chunked import Chunked
from gui.panels.mistakes import MistakesPage
from gui.panels.saliency import SaliencyView
from gui.panels.pictures import image_view, show_weights
from gui.trainer_ask import TrainerAsk
from gui.training_worker import TrainingClient

GRID = 40          # test digits in the grid
DRAW_TAB = 3
CLASSES = 10
SETTLE_MS = 150    # after a change, before the grid is worked out again
GRID_SHARE = 0.1   # of the time, at most, spent on the grid while the weights keep changing
CHUNK_WORK = 20e6  # multiply-adds per evaluation chunk: ~10-30 ms here
# full MNIST's 10,000 test digits are answered here up to this many multiply-adds in all
# (784-100-10: 0.8 G, a second in chunks); past it the trainer process answers them
FULL_WORK = 3e9
FAR_SHARE = 0.03  # of the trainer's time, at most, while a run goes on
HINT = ("This dock shows digits for a network with a 28×28 input layer and 10 outputs: open "
        "Examples ▸ MNIST 784-32-10, or build one with Network from spec (784-32-10).")
TIPS = {
    "grid": "The first test digits, with the network's answer and how sure it is (its output for "
            "that class). Red: a wrong answer. Click a digit to put it on the canvas's inputs.",
    "matrix": "Rows: the true digit; columns: the network's answer. The diagonal counts right "
              "answers; a dark cell off it is a confusion (4 read as 9, …). The last column is "
              "each digit's accuracy.",
    "weights": "Each hidden neuron's 784 incoming weights as a 28×28 picture, each on its own "
               "scale: blue pixels raise its z when lit, orange ones lower it. Together they show "
               "what the neuron looks for.",
    "pad": "Draw a digit with the mouse. It is scaled and centred as MNIST's digits were, put "
           "on the canvas's inputs, and the network answers at once.",
}


class MnistPanel(QWidget):
    digitPicked = Signal(int)       # a test digit clicked in the grid
    digitDrawn = Signal(object)     # a drawn digit: 784 pixels, as MNIST would hold them

    def __init__(self, doc: Document, applying_run: Callable[[], bool], client: TrainingClient,
                 job: Callable[..., dict | None], folder: Callable[[], str]) -> None:
        """client and job: the trainer, which answers where the window cannot; folder: full
        MNIST's, as the Training dock has it."""
        super().__init__()
        self.doc, self.applying_run, self.folder = doc, applying_run, folder
        self._evaluated: Dataset | None = None
        self._far_cost = 0.0  # the trainer's seconds for the last answers
        self._far_later = QTimer(self, singleShot=True)
        self._far_later.timeout.connect(self._ask_trainer)
        self.asking = TrainerAsk(client, job, "answers", client.answers,
                                 lambda: self._far_later.start(0), self)
        self.asking.answered.connect(self._trainer_answered)
        self._data: tuple[str, Dataset] | None = None  # the folder they came from, and the digits
        self._local = True            # the matrix is to be worked out here, not by a run
        self._grid_cost = 0.0
        self.stack = QStackedWidget()
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.stack.addWidget(hint)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._digits_page(), "Digits")
        self.tabs.addTab(self._matrix_page(), "Confusion")
        self.tabs.addTab(self._weights_page(), "Weights")
        self.tabs.addTab(self._draw_page(), "Draw")
        self.mistakes = MistakesPage()
        self.mistakes.picked.connect(self.digitPicked)
        self.tabs.addTab(self.mistakes, "Mistakes")
        self._answered = False  # the Mistakes page holds the answers of the numbers shown
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        self.stack.addWidget(self.tabs)
        QVBoxLayout(self).addWidget(self.stack)
        self._settle = QTimer(self, singleShot=True)
        self._settle.timeout.connect(self.refresh)
        self._evaluating = Chunked(self, self._answered_all)
        # answers under way read the last structure's plan: a convolution's kernel connections
        # undone left it indexing weights no longer there
        doc.structureChanged.connect(self._evaluating.stop)
        self._drawing = QTimer(self, singleShot=True, interval=30)
        self._drawing.timeout.connect(self._feed_drawing)
        self._why = QTimer(self, singleShot=True, interval=30)  # one saliency per burst of edits
        self._why.timeout.connect(self._show_saliency)
        doc.traceChanged.connect(self._why.start)
        doc.replaced.connect(self._opened)
        doc.settings.changed.connect(lambda keys: "dataset" in keys and self._changed())
        doc.inputsChanged.connect(self._inputs_changed)
        self._feeding = False  # the pad's digit is going onto the inputs
        for signal in (doc.structureChanged, doc.neuronsChanged, doc.weightsChanged,
                       doc.biasesChanged):
            signal.connect(self._changed)

    # ---- pages ---------------------------------------------------------------------------------
    def _digits_page(self) -> QWidget:
        self.accuracy = QLabel("–")
        font = QFont(self.font())
        font.setPointSize(26)
        font.setBold(True)
        self.accuracy.setFont(font)
        self.accuracy.setToolTip("The share of test digits the network answers right: digits it "
                                 "never trained on.")
        self.accuracy_note = QLabel()
        self.accuracy_note.setWordWrap(True)
        self.grid = DigitGrid()
        self.grid.setToolTip(TIPS["grid"])
        self.grid.picked.connect(self.digitPicked)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.accuracy)
        layout.addWidget(self.accuracy_note)
        layout.addWidget(scroll, 1)
        return page

    def _matrix_page(self) -> QWidget:
        self.matrix = QTableWidget(CLASSES, CLASSES + 1)
        self.matrix.setToolTip(TIPS["matrix"])
        self.matrix.setHorizontalHeaderLabels([str(k) for k in range(CLASSES)] + ["right"])
        self.matrix.setVerticalHeaderLabels([str(k) for k in range(CLASSES)])
        self.matrix.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.matrix.horizontalHeader()
        header.setMinimumSectionSize(20)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CLASSES, QHeaderView.ResizeMode.ResizeToContents)
        font = QFont(self.font())
        font.setPointSizeF(8)
        self.matrix.setFont(font)
        self.matrix.verticalHeader().setDefaultSectionSize(22)
        self.matrix_note = QLabel("Rows: the true digit. Columns: the network's answer.")
        self.matrix_note.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.matrix_note)
        layout.addWidget(self.matrix, 1)
        return page

    def _weights_page(self) -> QWidget:
        page = QWidget()  # its picture is made when the tab is first shown (25 ms of start-up)
        QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
        self.weights_view = self.weights = None
        return page

    def _draw_page(self) -> QWidget:
        self.pad = DrawPad()
        self.pad.setToolTip(TIPS["pad"])
        self.pad.drawn.connect(lambda _ink: self._drawing.start())
        clear = QPushButton("Clear")
        clear.setToolTip("Wipe the pad to draw another digit.")
        clear.clicked.connect(self.pad.clear)
        self.seen = QLabel()
        self.seen.setToolTip("What the network sees: the drawing scaled into 20×20 and centred "
                             "in 28×28, as MNIST's digits are.")
        self.seen.setFixedSize(56, 56)
        self.answer = QLabel("Draw a digit.")
        self.answer.setWordWrap(True)
        font = QFont(self.font())
        font.setPointSize(14)
        self.answer.setFont(font)
        page = QWidget()
        layout = QGridLayout(page)
        layout.addWidget(self.pad, 0, 0, 3, 1)
        layout.addWidget(self.seen, 0, 1)
        layout.addWidget(clear, 1, 1)
        layout.addWidget(self.answer, 3, 0, 1, 2)
        self.saliency = SaliencyView(self.doc)
        layout.addWidget(self.saliency, 4, 0, 1, 3)
        layout.setRowStretch(5, 1)
        layout.setColumnStretch(2, 1)
        return page

    # ---- what to show --------------------------------------------------------------------------
    def digits(self) -> Dataset:
        """The test digits the dock answers: full MNIST's 10,000 where it is the chosen data set,
        else the bundled 1,000; read once per folder (a folder that cannot be read gives the
        bundled ones, until it changes)."""
        from engine.datasets.mnist import load_subset, load_test  # noqa: PLC0415
        folder = self.folder().strip() if self.doc.settings.get("dataset") == "mnist" else ""
        if self._data is None or self._data[0] != folder:
            try:
                found = load_test(folder) if folder else load_subset()
            except DatasetError:
                found = load_subset()
            self._data = (folder, found)
            self.grid.set_digits(found.x_test[:GRID])
        return self._data[1]

    def _where(self) -> str:
        data = self.digits()
        kind = "test digits of full MNIST" if data.name == "mnist" else "bundled test digits"
        return f"the network as it is, on the {len(data.labels_test):,} {kind}"

    def fits(self) -> bool:
        net = self.doc.network
        return input_tile(net) is not None and len(net.outputs) == CLASSES

    def labels(self) -> list[str]:
        """The outputs' names in the order of the classes they are trained for."""
        net = self.doc.network
        return [net.labels[i] or str(k) for k, i in enumerate(self.doc.plan().outputs.tolist())]

    def _opened(self) -> None:
        self._local = True
        self._evaluating.stop()  # the answers under way are the last network's
        self.asking.forget()
        self._far_cost = 0.0
        self._far_later.stop()
        self.mistakes.clear()
        self.accuracy.setText("–")
        self._changed()

    def _inputs_changed(self) -> None:
        """Something else on the inputs (a test digit, a click, another network): the pad's
        drawing and its answer no longer say what the network sees."""
        if self._feeding:
            return
        self.pad.blockSignals(True)  # a cleared pad would put a blank digit on the inputs
        self.pad.clear()
        self.pad.blockSignals(False)
        self._drawing.stop()
        self.seen.clear()
        self.answer.setText("Draw a digit.")

    def _changed(self) -> None:
        self._answered = False
        if not self.applying_run():
            self._local = True  # an edit, an undo, a network opened: the run's numbers are old
        if not self._settle.isActive():
            self._settle.start(max(SETTLE_MS, round(1000 * self._grid_cost / GRID_SHARE)))

    def refresh(self) -> None:
        """Works out what the visible page shows (nothing while the dock is hidden)."""
        if not shown(self):
            return
        fits = self.fits()
        self.stack.setCurrentIndex(int(fits))
        if not fits:
            self._evaluating.stop()
            return
        started = time.perf_counter()
        self._show_saliency()
        self._show_answers()
        if self.tabs.currentIndex() == 2:
            self._show_weights()
        self._grid_cost = time.perf_counter() - started
        if self._local:
            self._evaluate()
        elif self.tabs.currentWidget() is self.mistakes and not self._answered and \
                not self._evaluating.isActive():  # during a run: one pass at a time, finished
            self._evaluate()

    def _show_answers(self) -> None:
        data, labels = self.digits(), self.labels()
        outputs = forward(self.doc.network, data.x_test[:GRID], self.doc.plan()).outputs
        said = outputs.argmax(1)
        self.grid.set_answers([f"{labels[k]} {min(p, 1):.0%}" for k, p in zip(said, outputs.max(1))],
                              (said != data.labels_test[:GRID]).tolist())

    def _show_weights(self) -> None:
        if self.weights_view is None:
            self.weights_view, self.weights = image_view("What each hidden neuron looks for",
                                                         TIPS["weights"])
            self.tabs.widget(2).layout().addWidget(self.weights_view)
        net, tile = self.doc.network, input_tile(self.doc.network)
        hidden = fed_by(net, tile)
        if not len(hidden):
            self.weights.clear()
            return
        pictures = incoming_pictures(net, tile, hidden)
        # each on its own scale: one neuron's big weights would leave the others white
        reach = np.nanmax(np.abs(pictures), axis=(1, 2), keepdims=True, initial=0.0)
        pictures = pictures / np.where(reach > 0, reach, 1.0)
        self.weights_view.setTitle(f"What each of {len(hidden):,} neurons looks for", size="9pt")
        show_weights(self.weights, mosaic(pictures, math.ceil(math.sqrt(len(hidden)))))

    # ---- the test accuracy and the confusion matrix --------------------------------------------
    def _evaluate(self) -> None:
        net, data = self.doc.network, self.digits()
        self._evaluated = data  # answers that come back for other digits are dropped
        work = self.doc.plan().work  # a convolution's connections are implied, not stored
        if work * len(data.x_test) > FULL_WORK:
            self._ask_trainer()
            return
        chunk = max(50 if work < 1e6 else 1, int(CHUNK_WORK / max(work, 1)))
        self._evaluating.start(answers(net, data.x_test, self.doc.plan(), chunk))

    def _ask_trainer(self) -> None:
        """Full MNIST's 10,000 digits through a network too big for the window: the trainer
        answers, one request at a time and at most FAR_SHARE of its time while a run goes on."""
        wait = self._far_cost / FAR_SHARE - (time.perf_counter() - self.asking.last)
        if self.asking.asked is None and wait > 0:
            self._far_later.start(round(1000 * wait))
            return
        self.asking.ask({})

    def _trainer_answered(self, reply: dict) -> None:
        if "error" in reply:
            self.accuracy_note.setText(reply["error"])
            return
        self._far_cost = reply["seconds"]
        self._answered_all(np.asarray(reply["said"]))

    def _answered_all(self, said: np.ndarray) -> None:
        data = self.digits()
        if data is not self._evaluated or len(said) != len(data.labels_test):
            return  # the digits changed meanwhile: their own answers are on their way
        self._local, self._answered = False, True
        where = self._where()
        self._show_matrix(confusion(data.labels_test, said, CLASSES), where)
        self.mistakes.show_answers(data.x_test, data.labels_test, said, self.labels(), where)

    def add_epochs(self, epochs: list[dict]) -> None:
        """A run's epochs: the last one's accuracy and matrix (over the run's test set) count."""
        last = next((e for e in reversed(epochs) if e.get("confusion") is not None), None)
        if last is None or not self.fits():
            return
        self._evaluating.stop()
        self._local = False
        matrix = np.asarray(last["confusion"])
        self._show_matrix(matrix, f"after epoch {last['epoch']} of the run, on its "
                                  f"{int(matrix.sum()):,} test digits")

    def _show_matrix(self, matrix: np.ndarray, where: str) -> None:
        total = int(matrix.sum())
        self.accuracy.setText(f"{100 * np.trace(matrix) / max(total, 1):.1f}%")
        self.accuracy_note.setText(f"Test accuracy: {where}.")
        self.matrix_note.setText(f"Rows: the true digit. Columns: the network's answer; {where}.")
        rows = matrix.sum(1)
        for r in range(CLASSES):
            for c in range(CLASSES):
                share = matrix[r, c] / max(rows[r], 1)
                item = QTableWidgetItem(str(int(matrix[r, c])))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                # right answers green by their share; confusions red, strong from a few percent
                item.setBackground(mix(WHITE, PREDICTED, share) if r == c else
                                   mix(WHITE, WRONG, 4 * share))
                if share > 0.5:
                    item.setForeground(WHITE)
                self.matrix.setItem(r, c, item)
            right = QTableWidgetItem(f"{100 * matrix[r, r] / max(rows[r], 1):.0f}%")
            right.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.matrix.setItem(r, CLASSES, right)

    # ---- drawing -------------------------------------------------------------------------------
    def _show_saliency(self) -> None:
        if shown(self) and self.fits() and self.tabs.currentIndex() == DRAW_TAB:
            self.saliency.refresh(self.labels())

    def _feed_drawing(self) -> None:
        digit = centred(self.pad.ink())
        self.seen.setPixmap(QPixmap.fromImage(digit_image(digit)).scaled(56, 56))
        if not self.fits():
            return
        self._feeding = True
        try:
            self.digitDrawn.emit(digit.ravel())
        finally:
            self._feeding = False
        if not digit.any():
            self.answer.setText("Draw a digit.")
            return
        outputs = self.doc.trace.outputs[0]
        first, second = np.argsort(-outputs)[:2]
        labels = self.labels()
        self.answer.setText(f"It reads <b>{labels[first]}</b> ({min(outputs[first], 1):.0%}); "
                            f"next {labels[second]} ({min(outputs[second], 1):.0%}).")
