"""File ▸ Save as Lesson…: a teacher writes a lesson from the open network without code: a
title, the task, hints, the goals the app checks and the controls the lesson hides."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QGridLayout, QGroupBox, QLabel, QLineEdit,
                               QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget)

from engine.datasets.gates import RULES
from engine.lesson import CONTROLS, Lesson
from engine.network import Network
from gui.theme import PROBLEM_TEXT


def _spin(low: float, high: float, value: float, step: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(4)
    box.setSingleStep(step)
    box.setValue(value)
    return box


class LessonDialog(QDialog):
    def __init__(self, parent: QWidget | None, net: Network, values: dict) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save as Lesson")
        self.net, self.values = net, values
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. AND with one neuron")
        self.task = QPlainTextEdit()
        self.task.setPlaceholderText("What to do. Rich text: <b>, <i>, <sub>, <sup>; Σ as it is")
        self.hints = QPlainTextEdit()
        self.hints.setPlaceholderText("One hint a line, shown one at a time")
        for box in (self.task, self.hints):
            box.setTabChangesFocus(True)
            box.setFixedHeight(70)
        form = QFormLayout()
        form.addRow("&Title:", self.title)
        form.addRow("Tas&k:", self.task)
        form.addRow("&Hints:", self.hints)
        self.problem = QLabel()
        self.problem.setStyleSheet(PROBLEM_TEXT)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._goal_box())
        layout.addWidget(self._hide_box())
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _goal_box(self) -> QGroupBox:
        box = QGroupBox("Goals the app checks")
        grid = QGridLayout(box)
        self.table = QCheckBox("Truth table all correct:")
        self.gate = QComboBox()
        for name in RULES:
            self.gate.addItem(name.upper(), name)
        dataset = self.values.get("dataset")
        self.gate.setCurrentIndex(max(0, self.gate.findData(dataset)))
        self.table.setChecked(dataset in RULES)
        self.accuracy = QCheckBox("Accuracy after training ≥")
        self.accuracy_at = _spin(0, 1, 0.9, 0.05)
        self.loss = QCheckBox("Loss after training ≤")
        self.loss_at = _spin(0, 1e6, 0.05, 0.01)
        self.on = QComboBox()
        self.on.addItems(["test", "train"])
        self.on.setToolTip("The samples accuracy and loss are measured on")
        self.hidden = QCheckBox("At most this many hidden neurons:")
        self.hidden_at = QSpinBox()
        self.hidden_at.setRange(0, 1_000_000)
        self.hidden_at.setValue(int((self.net.role == 1).sum()))
        self.untrained = QCheckBox("Without training: the numbers set by hand")
        rows = ((self.table, self.gate), (self.accuracy, self.accuracy_at),
                (self.loss, self.loss_at), (QLabel("Accuracy and loss on:"), self.on),
                (self.hidden, self.hidden_at), (self.untrained, None))
        for k, (left, right) in enumerate(rows):
            grid.addWidget(left, k, 0)
            if right is not None:
                grid.addWidget(right, k, 1)
        return box

    def _hide_box(self) -> QGroupBox:
        box = QGroupBox("Hide from the student (classroom mode)")
        grid = QGridLayout(box)
        self.hide_boxes = {}
        for k, name in enumerate(CONTROLS):
            check = QCheckBox(name.replace("-", " ").capitalize())
            self.hide_boxes[name] = check
            grid.addWidget(check, k // 3, k % 3)
        return box

    def goals(self) -> list[dict]:
        on = self.on.currentText()
        chosen = [
            (self.table, {"kind": "truth_table", "gate": self.gate.currentData()}),
            (self.accuracy, {"kind": "accuracy", "trained": True, "on": on,
                             "at_least": self.accuracy_at.value()}),
            (self.loss, {"kind": "loss", "trained": True, "on": on,
                         "at_most": self.loss_at.value()}),
            (self.hidden, {"kind": "hidden_neurons", "at_most": self.hidden_at.value()}),
            (self.untrained, {"kind": "without_training"})]
        return [goal for box, goal in chosen if box.isChecked()]

    def lesson(self) -> Lesson:
        net = self.net.copy()
        net.training = dict(self.values)
        hints = [line.strip() for line in self.hints.toPlainText().splitlines() if line.strip()]
        return Lesson(self.title.text().strip(), net, self.task.toPlainText().strip(), hints,
                      self.goals(), [n for n, box in self.hide_boxes.items() if box.isChecked()])

    def accept(self) -> None:
        if not self.title.text().strip():
            self.problem.setText("Give the lesson a title.")
            self.title.setFocus()
            return
        if not self.goals():
            self.problem.setText("Tick at least one goal: a lesson says when it is done.")
            return
        super().accept()
