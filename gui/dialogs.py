"""Small dialogs: a network from a spec, a dense layer, and the Help texts."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QSpinBox, QWidget)

from engine import activations
from engine.build import parse_spec
from engine.errors import EngineError
from gui.theme import PROBLEM_TEXT, mark

CONCEPTS = """
<h3>What a neuron computes</h3>
<p>Each neuron j adds up its inputs, each times its weight, plus its bias:
<b>z = Σ a·w + b</b>, then passes z through its activation function: <b>a = h(z)</b>.
In a layered network, z<sub>j</sub><sup>l</sup> = Σ<sub>k</sub> a<sub>k</sub><sup>l−1</sup>
w<sub>jk</sub><sup>l</sup> + b<sub>j</sub><sup>l</sup>.</p>
<h3>Bias as a threshold</h3>
<p>The perceptron fires (a = 1) when Σ a·w ≥ threshold. Writing b = −threshold gives
a = step(z): 1 if z ≥ 0, else 0. AND is w = (1, 1), b = −2; OR is b = −1.</p>
<h3>Activations</h3>
<p>step (the perceptron), sigmoid 1/(1+e<sup>−z</sup>), tanh, ReLU max(0, z), leaky ReLU
(slope·z below 0), linear, and softmax e<sup>z<sub>j</sub></sup>/Σ e<sup>z<sub>k</sub></sup>
across the output neurons (their a sum to 1: one-hot answers).</p>
<h3>Why one neuron cannot do XOR</h3>
<p>One neuron draws one straight line through the input space. The XOR points (0,1), (1,0) on
one side and (0,0), (1,1) on the other cannot be split by any line: add a hidden layer
(Examples ▸ XOR hand-tuned).</p>
"""

ABOUT = ("<h3>NeuroCanvas</h3><p>Build, hand-tune and train neural networks visually.</p>"
         "<p>Built with PySide6, pyqtgraph, numpy and PyTorch.</p>")


class Form(QDialog):
    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)

    def finish(self) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)


def _activation_box(default: str) -> QComboBox:
    box = QComboBox()
    box.addItems(activations.NAMES)
    box.setCurrentText(default)
    return box


class SpecDialog(Form):
    """A network from a spec, "2-2-1" or "784-32-10": added beside the open one (Insert) or as a
    new document (File ▸ New from Spec)."""

    def __init__(self, parent: QWidget | None = None,
                 title: str = "Add a network beside this one") -> None:
        super().__init__(parent, title)
        self.spec = QLineEdit("2-2-1")
        self.spec.setToolTip("Layers joined by '-': inputs, hidden layers…, outputs. A size is a "
                             "dense layer; 28x28 an image input; conv8k3 a convolution of 8 "
                             "feature maps with 3×3 kernels; pool2 2×2 max-pooling. E.g. "
                             "784-32-10 or 28x28-conv8k3-pool2-conv16k3-pool2-10")
        self.hidden = _activation_box("sigmoid")
        self.output = _activation_box("sigmoid")
        for text, widget in (("Layers", self.spec), ("Hidden activation", self.hidden),
                             ("Output activation", self.output)):
            self.form.addRow(text, widget)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_TEXT)
        self.problem.setVisible(False)
        self.form.addRow(self.problem)
        self.spec.textEdited.connect(lambda _text: self._say(None))
        self.finish()

    def _say(self, problem: str | None) -> None:
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        mark(self.spec, problem is not None)

    def accept(self) -> None:
        """Closes only on a spec that makes a network; otherwise says why, beside it."""
        try:
            parse_spec(self.spec.text())
        except EngineError as e:
            self._say(str(e))
            self.spec.setFocus()
            return
        super().accept()


class ConvDialog(Form):
    """Insert ▸ Convolution or Pooling layer: reading the layer of the selected neuron (an
    input image, or another convolution or pooling), or the last layer."""

    def __init__(self, parent: QWidget | None, source: str) -> None:
        super().__init__(parent, "Convolution or pooling layer")
        self.kind = QComboBox()
        self.kind.addItem("convolution", "conv")
        self.kind.addItem("max-pooling", "pool")
        self.kind.setToolTip("A convolution slides k×k kernels over its input, one kernel a "
                             "feature map; max-pooling keeps each window's largest value")
        self.maps, self.size, self.stride, self.padding = (QSpinBox() for _ in range(4))
        for box, low, high, value in ((self.maps, 1, 256, 8), (self.size, 1, 15, 3),
                                      (self.stride, 1, 8, 1), (self.padding, 0, 7, 0)):
            box.setRange(low, high)
            box.setValue(value)
        self.maps.setToolTip("Feature maps: kernels, each finding one feature anywhere")
        self.size.setToolTip("k: each kernel (or pooling window) is k×k")
        self.activation = _activation_box("relu")
        self.form.addRow(QLabel(f"Reads layer {source!r}"))
        for text, widget in (("Kind", self.kind), ("Feature maps", self.maps),
                             ("Kernel k × k", self.size), ("Stride", self.stride),
                             ("Padding", self.padding), ("Activation", self.activation)):
            self.form.addRow(text, widget)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.size.valueChanged.connect(self._kind_changed)
        self.finish()

    def _kind_changed(self) -> None:
        """Pooling has no maps, padding or activation of its own, and steps by its window."""
        conv = self.kind.currentData() == "conv"
        for widget in (self.maps, self.padding, self.activation):
            self.form.setRowVisible(widget, conv)
        if not conv:
            self.stride.setValue(self.size.value())


class LayerDialog(Form):
    """Insert ▸ Dense layer: connected from the selected neurons, or from the last layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, "Dense layer")
        self.size = QSpinBox()
        self.size.setRange(1, 1024)
        self.size.setValue(4)
        self.role = QComboBox()
        self.role.addItems(["hidden", "output", "input"])
        self.activation = _activation_box("sigmoid")
        for text, widget in (("Neurons", self.size), ("Role", self.role),
                             ("Activation", self.activation)):
            self.form.addRow(text, widget)
        self.finish()
