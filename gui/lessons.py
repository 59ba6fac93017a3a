"""The bundled example networks, and Start here: the course's lessons, each an example network
with its settings and a short task shown in a banner over the canvas."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton

EXAMPLES = {"AND": "and", "OR": "or", "XOR hand-tuned": "xor-hand-tuned", "XOR 2-2-1": "xor-2-2-1",
            "Cheese festival": "cheese-festival", "Regression: sin x, 1-16-1": "sin-1-16-1",
            "MNIST 784-15-10": "mnist-784-15-10",
            "MNIST 784-32-10": "mnist-784-32-10"}


def example_path(stem: str) -> Path:
    return Path(str(resources.files("resources") / "examples" / f"{stem}.json"))


# title, example file, task
LESSONS = (
    ("1. AND: a weighted threshold", "and",
     "This perceptron fires when Σ a·w + b ≥ 0, so the bias is minus the threshold. Click the "
     "inputs to toggle them and watch the output; the truth table counts the right rows. Change "
     "one number so that it fires when x1 OR x2 is 1."),
    ("2. OR", "or",
     "OR is AND with a lower threshold (b = −1). Now try to make this one neuron compute XOR "
     "(1 when exactly one input is 1): why does no choice of weights work?"),
    ("3. XOR needs a hidden layer", "xor-hand-tuned",
     "One neuron draws one straight line, and no line splits XOR's points. Here a hidden OR and "
     "a hidden AND do it: XOR = OR and not AND. Follow a row through with F5."),
    ("4. The cheese festival", "cheese-festival",
     "Go when at least two of the three reasons hold. Which weights and threshold say that? "
     "What if good weather alone should be enough?"),
    ("5. Train XOR", "xor-2-2-1",
     "Press Train: gradient descent finds weights for a 2-2-1 sigmoid network. Watch the loss "
     "fall and the decision boundary bend; try another seed or learning rate."),
    ("6. MNIST digits", "mnist-784-32-10",
     "784 pixels in, 10 digits out. Press Train: the MNIST dock shows test digits, the confusion "
     "matrix and what each hidden neuron looks for. Then draw a digit on its pad."),
)


class LessonBanner(QFrame):
    """The current lesson's task over the canvas, until it is closed or another network opens."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("lesson")
        self.setStyleSheet("#lesson { background: #fff8dc; border-bottom: 1px solid #d6c98f; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        close = QToolButton()
        close.setText("×")
        close.setToolTip("Hide the task")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_task(self, title: str, task: str) -> None:
        self.text.setText(f"<b>{title}</b><br>{task}")
        self.show()
