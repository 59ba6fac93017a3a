"""Spin boxes drop a key they cannot take (a letter, a digit that leaves their range) without a
word: "1000" typed into a learning rate of at most 100 became 100. This watcher says why,
beside the field, and marks the field until the next key it takes."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QLabel, QLineEdit

from gui.theme import PROBLEM_TEXT, mark


def _range(box: QAbstractSpinBox) -> str:
    if isinstance(box, QDoubleSpinBox):
        return f"{box.minimum():g} to {box.maximum():g}"
    return f"{box.minimum()} to {box.maximum()}"


def _after(line: QLineEdit, typed: str) -> str:
    """The text the key would leave: it replaces the selection, or goes in at the cursor."""
    text = line.text()
    if line.hasSelectedText():
        start = line.selectionStart()
        return text[:start] + typed + text[start + len(line.selectedText()):]
    return text[:line.cursorPosition()] + typed + text[line.cursorPosition():]


class Refusals(QObject):
    refused = Signal(str)  # why, or "" when a field takes a key again

    def __init__(self, label: QLabel) -> None:
        super().__init__(label)
        self.label = label
        self._names: dict[QAbstractSpinBox, str] = {}
        self._marked: QAbstractSpinBox | None = None
        label.setWordWrap(True)
        label.setStyleSheet(PROBLEM_TEXT)
        label.setVisible(False)

    def watch(self, box: QAbstractSpinBox, name: str) -> None:
        self._names[box] = name
        box.installEventFilter(self)  # keys reach the box, which hands them to its line edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.KeyPress and watched in self._names:
            self._check(watched, event)
        return False  # the spin box handles the key as ever

    def _check(self, box: QAbstractSpinBox, event: QKeyEvent) -> None:
        name, typed = self._names[box], event.text()
        if not typed or not typed.isprintable():
            return
        text = _after(box.lineEdit(), typed)
        state = box.validate(text, len(text))
        state = state[0] if isinstance(state, tuple) else state
        if state == QValidator.State.Invalid:
            self.say(box, f"{name} takes a number from {_range(box)}: “{text.strip()}” is "
                          f"{'not a number' if any(c.isalpha() for c in typed) else 'out of range'}.")
        else:
            self.say(box, "")

    def say(self, box: QAbstractSpinBox, why: str) -> None:
        if not why and self._marked is None:
            return
        if self._marked is not None:
            mark(self._marked, False)
        self._marked = box if why else None
        mark(box, bool(why))
        self.label.setText(why)
        self.label.setVisible(bool(why))
        self.refused.emit(why)
