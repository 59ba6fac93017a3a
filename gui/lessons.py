"""The bundled example networks, and the lesson banner over the canvas: a lesson's task, its
hints one at a time, and its goals, checked live as the student works."""
from __future__ import annotations

from html import escape
from importlib import resources
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout

from engine.goals import Result
from engine.lesson import Lesson

EXAMPLES = {"AND": "and", "OR": "or", "XOR hand-tuned": "xor-hand-tuned", "XOR 2-2-1": "xor-2-2-1",
            "Cheese festival": "cheese-festival", "Regression: sin x, 1-16-1": "sin-1-16-1",
            "MNIST 784-15-10": "mnist-784-15-10",
            "MNIST 784-32-10": "mnist-784-32-10",
            "MNIST convnet 28x28-conv8k3-pool2-conv16k3-pool2-10": "mnist-conv8-conv16"}
MET, UNMET = "✓", "○"


def example_path(stem: str) -> Path:
    return Path(str(resources.files("resources") / "examples" / f"{stem}.json"))


def goal_line(result: Result) -> str:
    """One goal as the banner lists it: met or not, what it asks, what the network gives."""
    value = result.value
    shown = f"{value:.4g}" if isinstance(value, float) else escape(str(value), quote=False)
    said = f" — now {shown}" if value is not None else f" — {escape(result.note, quote=False)}"
    mark = f"<b style='color:#1a7f37'>{MET}</b>" if result.met else UNMET
    return f"{mark} {escape(result.asks, quote=False)}{said}"


class LessonBanner(QFrame):
    """The open lesson over the canvas, until it is closed or another network opens."""
    closed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("lesson")
        self.setStyleSheet("#lesson { background: #fff8dc; border-bottom: 1px solid #d6c98f; }"
                           "#lesson QLabel { color: #202020; }")
        self.text, self.goals, self.hints = QLabel(), QLabel(), QLabel()
        for label in (self.text, self.goals, self.hints):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
        self.goals.setObjectName("goals")
        self.hint = QPushButton("Hint")
        self.hint.setToolTip("Show the next hint")
        self.hint.clicked.connect(self.next_hint)
        self.close_button = close = QToolButton()
        close.setText("×")
        close.setToolTip("Close the lesson: its goals are no longer checked and its hidden "
                         "controls come back")
        close.clicked.connect(self.closed.emit)
        text = QVBoxLayout()
        for widget in (self.text, self.goals, self.hints):
            text.addWidget(widget)
        side = QVBoxLayout()
        side.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        side.addWidget(self.hint)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(text, 1)
        layout.addLayout(side, 0)
        self.lesson: Lesson | None = None
        self.shown_hints = 0
        self.hide()

    def show_lesson(self, lesson: Lesson) -> None:
        self.lesson, self.shown_hints = lesson, 0
        self.text.setText(f"<b>{escape(lesson.title, quote=False)}</b><br>{lesson.task}")
        self.goals.setText("")
        self._show_hints()
        self.show()

    def next_hint(self) -> None:
        self.shown_hints += 1
        self._show_hints()

    def _show_hints(self) -> None:
        hints = self.lesson.hints if self.lesson else []
        self.hints.setText("<br>".join(f"<i>Hint {k + 1}:</i> {hint}"
                                       for k, hint in enumerate(hints[:self.shown_hints])))
        self.hints.setVisible(self.shown_hints > 0)
        self.hint.setVisible(bool(hints))
        self.hint.setEnabled(self.shown_hints < len(hints))
        left = len(hints) - self.shown_hints
        self.hint.setText(f"Hint ({left} left)" if left else "No more hints")

    def show_results(self, results: list[Result]) -> None:
        lines = [goal_line(r) for r in results]
        done = bool(results) and all(r.met for r in results)
        if done and self.lesson is not None:
            lines.append(f"<b style='color:#1a7f37'>Done!</b> {escape(self.lesson.next, quote=False)}")
        self.goals.setText("<br>".join(lines))
