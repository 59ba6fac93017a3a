"""The inspector: the selected neurons' or connection's numbers, editable, with the neuron's
calculation written out live (z = 1·1 + 0·1 + (−2) = −1, a = step(−1) = 0)."""
from __future__ import annotations

from typing import Callable

from shiboken6 import isValid
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit,
                               QStackedWidget, QVBoxLayout, QWidget)

from engine import activations
from engine.explain import incoming_picture, neuron_formula, number
from engine.network import MAX_LABEL, ROLES
from gui.editor import Editor
from gui.panels.pictures import image_view, show_weights
from gui.panels.refusals import Refusals
from gui.panels.value_editor import ValueEditor
from gui.theme import PROBLEM_TEXT

TIPS = {
    "chain": "The chain rule with this sample's numbers: δ = ∂C/∂z is h'(z) times the δ of the "
             "neurons this one feeds, each through its weight; the bias's gradient is δ itself.",
    "bias": "b in z = Σ a·w + b. A neuron with threshold t fires when Σ a·w ≥ t, so b = −t.",
    "weight": "How strongly the source's activation a counts towards the target's z. Scroll the "
              "wheel over a connection to tune it (Shift: finer).",
    "activation": "h in a = h(z): step (the perceptron), sigmoid, tanh, ReLU, leaky ReLU, linear, "
                  "or softmax across the output neurons.",
    "slope": "Leaky ReLU's slope for z < 0 (0.01 by default): a = z if z ≥ 0 else slope·z.",
    "frozen": "Training leaves a frozen number exactly as you set it, whatever the optimiser, "
              "regularisation or weight init, while the rest learns. A frozen neuron keeps its "
              "bias and its incoming weights.",
    "role": "Inputs take their values from the data; outputs are the network's answers.",
    "input": "The value this input has now; click an input on the canvas to toggle 0/1.",
    "picture": "This neuron's incoming weights, laid out as the image they come from: blue "
               "pixels raise z when lit, orange ones lower it, white ones do not matter. "
               "It shows what the neuron looks for.",
}


class Inspector(QWidget):
    def __init__(self, editor: Editor) -> None:
        super().__init__()
        self.editor, self._updating = editor, False
        self.doc, self.scene = doc, scene = editor.doc, editor.scene
        self.stack = QStackedWidget()
        self.stack.addWidget(QLabel("Select a neuron or a connection."))
        self.stack.addWidget(self._neuron_page())
        self.stack.addWidget(self._connection_page())
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_TEXT)
        self.refusals = Refusals(QLabel())
        for name, box in (("Leaky slope", self.slope), ("Bias b", self.bias.spin),
                          ("Input value", self.input_value), ("Weight w", self.weight.spin)):
            self.refusals.watch(box, name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        layout.addWidget(self.refusals.label)
        self.picture_view = self.picture = None  # made when first needed (25 ms of start-up)
        self._picture_at = layout.count()  # not in the stack: its pages fit their text
        layout.addWidget(self.problem)
        layout.addStretch(1)
        # a scene being destroyed clears its selection: nothing to show then
        scene.selectionChanged.connect(lambda: isValid(scene) and self.refresh())
        scene.connectionSelected.connect(lambda _pair: self.refresh())
        doc.traceChanged.connect(self.refresh)
        doc.neuronsChanged.connect(lambda _ids: self.refresh())  # a freeze changes no number
        self.refresh()

    def _neuron_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.title = QLabel()
        self.role = QComboBox()
        self.role.addItems(ROLES)
        self.label = QLineEdit()
        self.label.setMaxLength(MAX_LABEL)
        self.activation = QComboBox()
        self.activation.addItems(activations.NAMES)
        self.slope = QDoubleSpinBox()
        self.slope.setRange(0.0, 1.0)
        self.slope.setDecimals(3)
        self.slope.setSingleStep(0.01)
        self.slope.setKeyboardTracking(False)
        self.bias = ValueEditor(tooltip=TIPS["bias"])
        self.threshold = QLabel()
        self.input_value = QDoubleSpinBox()
        self.input_value.setRange(-1e6, 1e6)
        self.input_value.setKeyboardTracking(False)
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.chain = QLabel()
        self.chain.setWordWrap(True)
        self.chain.setToolTip(TIPS["chain"])
        # the selected neuron's back propagation while Learn one sample is on: nid → lines
        self.chain_rule: Callable[[int], list[str] | None] = lambda _nid: None
        self.frozen = QCheckBox("Training leaves its bias and inputs")
        for name, widget in (("role", self.role), ("activation", self.activation),
                             ("slope", self.slope), ("input", self.input_value),
                             ("frozen", self.frozen)):
            widget.setToolTip(TIPS[name])
        form.addRow(self.title)
        form.addRow(self.formula)  # first: what the neuron computes, without scrolling
        for text, widget in (("Role", self.role), ("Label", self.label),
                             ("Activation", self.activation), ("Leaky slope", self.slope),
                             ("Bias b", self.bias), ("Threshold −b", self.threshold),
                             ("Input value", self.input_value), ("Frozen", self.frozen)):
            form.addRow(text, widget)
        form.addRow(self.chain)
        self.form = form
        self.role.activated.connect(lambda _i: self._set_role())
        self.label.editingFinished.connect(self._set_label)
        self.activation.activated.connect(lambda _i: self._set_activation())
        self.slope.valueChanged.connect(lambda _v: self._set_activation())
        self.bias.edited.connect(self._set_bias)
        self.input_value.valueChanged.connect(self._set_input)
        self.frozen.clicked.connect(
            lambda on: self.editor.set_frozen(self.scene.selected_ids(), [], on))
        return page

    def _show_picture(self, nid: int | None) -> None:
        picture = None if nid is None else incoming_picture(self.doc.network, nid)
        if picture is not None and self.picture_view is None:
            self.picture_view, self.picture = image_view("Incoming weights as a picture",
                                                         TIPS["picture"])
            self.picture_view.setFixedHeight(200)
            self.layout().insertWidget(self._picture_at, self.picture_view)
        if self.picture_view is not None:
            self.picture_view.setVisible(picture is not None)
        if picture is not None:
            show_weights(self.picture, picture)

    def _connection_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.connection_title = QLabel()
        self.weight = ValueEditor(tooltip=TIPS["weight"])
        form.addRow(self.connection_title)
        form.addRow("Weight w", self.weight)
        self.weight_frozen = QCheckBox("Training leaves this weight")
        self.weight_frozen.setToolTip(TIPS["frozen"])
        form.addRow("Frozen", self.weight_frozen)
        self.weight.edited.connect(self._set_weight)
        self.weight_frozen.clicked.connect(
            lambda on: self.editor.set_frozen([], [self.scene.selected_connection], on))
        return page

    # ---- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._updating = True
        ids, pair = self.scene.selected_ids(), self.scene.selected_connection
        if ids:
            self._show_neurons(ids)
        elif pair and self.doc.network.connection_index(*pair) is not None:
            self.stack.setCurrentIndex(2)
            net = self.doc.network
            names = [net.labels[net.index(n)] or f"neuron {n}" for n in pair]
            self.connection_title.setText(f"Connection {names[0]} → {names[1]}")
            self.weight.set_value(net.weight_of(*pair))
            self.weight_frozen.setChecked(net.weight_frozen(*pair))
        else:
            self.stack.setCurrentIndex(0)
        if not ids:
            self._show_picture(None)
        self._fit_page()
        self._updating = False

    def _fit_page(self) -> None:
        """A stacked widget sizes its pages without height-for-width: give the shown page the
        height its wrapped text needs (a long formula was clipped at both ends)."""
        layout = self.stack.currentWidget().layout()
        width = self.stack.width()
        self.stack.setMinimumHeight(layout.totalHeightForWidth(width)
                                    if layout is not None and layout.hasHeightForWidth() else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_page()

    def _show_neurons(self, ids: list[int]) -> None:
        net, first = self.doc.network, self.doc.network.neuron(ids[0])
        self.stack.setCurrentIndex(1)
        self.title.setText(f"{len(ids)} neurons (edits apply to all)" if len(ids) > 1 else
                           f"Neuron {first.id}")
        self.role.setCurrentText(first.role)
        self.label.setText(first.label)
        self.activation.setCurrentText(first.activation)
        self.slope.setValue(first.param)
        self.bias.set_value(first.bias)
        self.threshold.setText(number(-first.bias))
        self.frozen.setChecked(all(i in net.frozen_biases for i in ids))
        single, is_input = len(ids) == 1, first.role == "input"
        for widget, visible in ((self.role, single), (self.label, single),
                                (self.slope, first.activation == "leaky_relu"),
                                (self.bias, not is_input), (self.threshold, not is_input),
                                (self.frozen, not is_input),
                                (self.activation, not is_input), (self.input_value, single and is_input)):
            self.form.setRowVisible(widget, visible)
        if is_input:
            self.input_value.setValue(self.doc.inputs.get(first.id, 0.0))
        self.formula.setText("\n".join(neuron_formula(net, self.doc.trace, first.id)) if single else "")
        chain = self.chain_rule(first.id) if single else None
        self.chain.setText("Back propagation:\n" + "\n".join(chain) if chain else "")
        self.form.setRowVisible(self.chain, bool(chain))
        self._show_picture(first.id if single and not is_input else None)

    # ---- editing -------------------------------------------------------------------------------
    def _report(self, problem: str | None) -> None:
        self.problem.setText(problem or "")
        if problem:
            self.refresh()

    def _set_role(self) -> None:
        nid, role = self.scene.selected_ids()[0], self.role.currentText()
        if not self._updating and role != self.doc.network.neuron(nid).role:
            self._report(self.editor.set_role(nid, role))

    def _set_label(self) -> None:
        ids = self.scene.selected_ids()
        if not self._updating and len(ids) == 1 and self.label.text() != self.doc.network.neuron(ids[0]).label:
            self.editor.set_label(ids[0], self.label.text())

    def _set_activation(self) -> None:
        if self._updating:
            return
        ids, name = self.scene.selected_ids(), self.activation.currentText()
        param = self.slope.value() if name == "leaky_relu" else None
        self._report(self.editor.set_activation(ids, name, param))

    def _set_bias(self, value: float, token: int) -> None:
        if not self._updating:
            self.editor.set_bias(self.scene.selected_ids(), value, token or None)

    def _set_weight(self, value: float, token: int) -> None:
        if not self._updating and self.scene.selected_connection:
            self.editor.set_weight(self.scene.selected_connection, value, token or None)

    def _set_input(self, value: float) -> None:
        if not self._updating:
            self.doc.set_input(self.scene.selected_ids()[0], value)
