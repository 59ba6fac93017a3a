"""Fields behave as in every desktop app: the wheel changes a field only when it has focus (else
it scrolls the dock), Undo/Redo in a field undo the document unless the field holds typing of
its own not yet committed, and the window takes the keys back when a dialog of its closes."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QDialog,
                               QLineEdit, QWidget)

FIELDS = (QAbstractSpinBox, QComboBox, QAbstractSlider)
UNDO_KEYS = (QKeySequence("Ctrl+Z"), QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"))


def _field(widget: QObject) -> QWidget | None:
    """The field a widget belongs to: a spin box's or combo box's own line edit is part of it."""
    parent = widget.parent() if isinstance(widget, QLineEdit) else None
    return parent if isinstance(parent, FIELDS) else widget if isinstance(widget, FIELDS) else None


def typing_pending(widget: QObject) -> bool:
    """The field shows text that is not its value yet (typed, Enter not pressed)."""
    if isinstance(widget, QAbstractSpinBox):
        shown = widget.lineEdit().text()
        value = widget.textFromValue(widget.value()) if hasattr(widget, "textFromValue") else shown
        return shown != widget.prefix() + value + widget.suffix()
    if isinstance(widget, QLineEdit):
        return widget.isUndoAvailable() and widget.isModified()
    return False


def _is_undo_key(event: QKeyEvent) -> bool:
    pressed = QKeySequence(event.keyCombination())
    return any(pressed.matches(key) == QKeySequence.SequenceMatch.ExactMatch for key in UNDO_KEYS)


class FieldGuard(QObject):
    """An application-wide event filter for the window's fields and dialogs."""

    def __init__(self, window: QWidget, home: QWidget) -> None:
        super().__init__(window)
        self.window, self.home = window, home  # home: where the keys go when nothing has them

    def _take_keys_back(self) -> None:
        """Without this, under X11 the window's shortcuts waited for a click after a dialog."""
        if self.window.isVisible() and QApplication.activeModalWidget() is None:
            self.window.activateWindow()
            if QApplication.focusWidget() is None or QApplication.focusWidget().window() is not self.window:
                self.home.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.Hide and isinstance(watched, QDialog) and \
                watched.parentWidget() is not None and watched.parentWidget().window() is self.window:
            QTimer.singleShot(0, self, self._take_keys_back)
        elif kind == QEvent.Type.Wheel:
            field = _field(watched)
            if field is not None and not field.hasFocus():
                event.ignore()  # on to the parent: the dock's scroll area scrolls
                return True
        elif kind == QEvent.Type.ShortcutOverride and _is_undo_key(event):
            field = _field(watched) or (watched if isinstance(watched, QLineEdit) else None)
            if field is not None and not typing_pending(field):
                event.ignore()  # not the field's: the window's Undo or Redo shortcut runs
                return True
        elif kind == QEvent.Type.ShortcutOverride and isinstance(watched, QComboBox) and \
                event.text().isprintable() and event.text() and \
                not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
            event.accept()  # a letter typed in a list finds its item: not the tool "S" selects
            return True
        return False
