"""Learn one sample: back propagation, step by step, for one sample of the data set.

1. Forward: the sample goes on the inputs; every neuron shows z and a. 2. Cost, with the loss's
formula and numbers. 3. Backward, one level at a time from the outputs: each neuron's δ = ∂C/∂z
under it, each connection's ∂C/∂w = a_in·δ on its line. 4. Update: w ← w − η ∂C/∂w, before →
after, applied as one undo step. The numbers are engine.backprop's; this panel only shows them.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from engine import activations
from engine.backprop import FORMULAS, Backprop, backprop
from engine.datasets import Dataset, DatasetError
from engine.datasets.features import arrange, raw_count
from engine.errors import EngineError
from engine.explain import chain_rule, cost_substituted, number, target_text
from engine.network import INPUT
from gui.canvas.edges_item import strongest
from gui.canvas.gradients_item import MAX_LABELS, MAX_LINES, GradientsItem
from gui.canvas.scene import NetworkScene
from gui.document import Document
from gui.theme import PROBLEM_TEXT
from gui.training_settings import DATA, data_key

MAX_SAMPLES = 200   # offered in the list
MAX_NAMED = 4       # neurons spelled out per level; more are summed up
MAX_CHANGES = 12    # parameters listed at the update, the largest changes first


def _vector(values: np.ndarray) -> str:
    return "(" + ", ".join(number(v) for v in values[:6]) + (", …)" if len(values) > 6 else ")")


class LearningPanel(QWidget):
    parametersChosen = Signal(str, object, object)  # the update, for the editor's undo step
    shown = Signal()  # another step or other numbers: the Inspector's chain rule follows

    def __init__(self, doc: Document, scene: NetworkScene) -> None:
        super().__init__()
        self.doc, self.scene = doc, scene
        self.overlay = GradientsItem()
        self.overlay.setVisible(False)
        scene.addItem(self.overlay)
        self.found: Backprop | None = None
        self.stage, self.active = 0, False
        self._data: tuple[tuple, Dataset] | None = None  # (what it was loaded from, the data)
        self.sample = QComboBox()
        self.sample.setToolTip("The sample to learn: its inputs go on the canvas, its target is y")
        self.sample.activated.connect(lambda _i: self.restart())
        self.title, self.text = QLabel(), QLabel()
        self.title.setStyleSheet("font-weight: bold")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = {}
        row = QHBoxLayout()
        for name, label, tip in (
                ("back", "◀ Back", "The step before"),
                ("next", "Next ▶", "Forward, cost, each level backward, then the update"),
                ("apply", "Apply update", "w ← w − η ∂C/∂w for every weight and bias: one undo "
                                          "step. η is the Training dock's learning rate")):
            button = QPushButton(label)
            button.setToolTip(tip)
            row.addWidget(button)
            self.buttons[name] = button
        self.buttons["back"].clicked.connect(lambda: self.show_stage(self.stage - 1))
        self.buttons["next"].clicked.connect(lambda: self.show_stage(self.stage + 1))
        self.buttons["apply"].clicked.connect(self.apply)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sample)
        layout.addLayout(row)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addStretch(1)
        for signal in (doc.weightsChanged, doc.biasesChanged, doc.neuronsChanged):
            signal.connect(lambda _which: self._numbers_changed())
        doc.structureChanged.connect(self._structure_changed)
        doc.replaced.connect(self._structure_changed)
        doc.settings.changed.connect(self._settings_changed)

    # ---- the sample ----------------------------------------------------------------------------
    @property
    def stages(self) -> list[str]:
        levels = len(self.found.order) if self.found is not None else 0
        return ["forward", "cost", *[f"backward {k}" for k in range(levels)], "update"]

    def set_active(self, on: bool) -> None:
        """The mode on (its toolbar toggle) or off: the canvas goes back to its own inputs."""
        self.active = on
        if on:
            self._fill_samples()
            self.restart()
        else:
            self._clear_overlay()
            self.found = None
            self.shown.emit()

    def _dataset(self) -> Dataset | None:
        """The Training dock's data set, the bundled MNIST subset for full MNIST (a sample is
        enough to learn from); None with a note where it does not fit the network."""
        args = self.doc.settings.data_args()
        if args["name"] == "mnist":
            args["name"] = "mnist-subset"
        key = data_key(args)
        if self._data is None or self._data[0] != key:
            from engine.datasets.registry import load  # noqa: PLC0415 (numpy only, on first use)
            try:
                self._data = (key, load(**args))
            except (DatasetError, OSError) as e:
                self._say_problem(f"Cannot read the data set {args['name']}: {e}")
                return None
        return self._data[1]

    def _fill_samples(self) -> None:
        self.sample.clear()
        data, net = self._dataset(), self.doc.network
        if data is None:
            return
        reads = raw_count(self.doc.input_labels())  # feature inputs are computed, not read
        if data.n_inputs != reads:
            self._say_problem(f"The data set {data.name} has {data.n_inputs} inputs; this network "
                              f"has {reads}. Choose one that fits in the Training dock.")
            return
        try:
            x, y = data.train(len(net.outputs))
        except DatasetError as e:
            self._say_problem(f"{e}. Choose a data set that fits in the Training dock.")
            return
        labels = self._labels()
        for k in range(min(len(x), MAX_SAMPLES)):
            target = target_text(y[k], labels)
            said = (f"x = {_vector(x[k])} → y = {target}" if x.shape[1] <= MAX_NAMED else
                    f"sample {k + 1}: y = {target}")
            self.sample.addItem(said, k)

    def _labels(self) -> list[str]:
        """The outputs' names, in output order (an MNIST network's are its digits)."""
        net = self.doc.network
        return [net.name_of(i) for i in self.doc.plan().outputs.tolist()]

    def _sample(self) -> tuple[np.ndarray, np.ndarray] | None:
        if self._data is None or self.sample.currentIndex() < 0:
            return None
        k = self.sample.currentData()
        x, y = self._data[1].train(len(self.doc.network.outputs))
        return arrange(x[k:k + 1], self.doc.input_labels())[0].astype(float), y[k].astype(float)

    def restart(self) -> None:
        """The chosen sample from its forward pass."""
        self.stage = 0
        self._compute()
        self.show_stage(0)

    def _compute(self) -> None:
        sample = self._sample()
        self.found = None
        if sample is None:
            return
        net, get = self.doc.network, self.doc.settings.get
        try:
            self.found = backprop(net, *sample, get("loss"), get("l1"), get("l2"))
        except EngineError as e:
            self._say_problem(f"{e}. Choose a loss that fits in the Training dock.")
            return
        self.doc.set_inputs(net.ids[net.role == INPUT].tolist(), sample[0])

    def _say_problem(self, text: str) -> None:
        self.found = None
        self.title.setText("Learn one sample")
        self.text.setStyleSheet(PROBLEM_TEXT)
        self.text.setText(text)
        self._clear_overlay()
        for button in self.buttons.values():
            button.setEnabled(False)

    def _numbers_changed(self) -> None:
        if self.active and self.found is not None:
            self._compute()
            self.show_stage(min(self.stage, len(self.stages) - 1))

    def _structure_changed(self) -> None:
        if self.active:
            self._fill_samples()
            self.restart()

    def _settings_changed(self, keys: tuple) -> None:
        if not self.active:
            return
        if set(DATA) & set(keys):
            self._fill_samples()
            self.restart()
        elif {"loss", "l1", "l2", "lr"} & set(keys):
            self._numbers_changed()

    # ---- the steps -----------------------------------------------------------------------------
    def show_stage(self, stage: int) -> None:
        if self.found is None:
            return
        self.stage = max(0, min(stage, len(self.stages) - 1))
        self.text.setStyleSheet("")
        name = self.stages[self.stage]
        self.buttons["back"].setEnabled(self.stage > 0)
        self.buttons["next"].setEnabled(self.stage < len(self.stages) - 1)
        self.buttons["apply"].setEnabled(name == "update")
        shown = 0 if name in ("forward", "cost") else (
            len(self.found.order) if name == "update" else int(name.split()[1]) + 1)
        self._draw(shown)
        title, text = {"forward": self._forward, "cost": self._cost,
                       "update": self._update}.get(name, lambda: self._backward(shown - 1))()
        self.title.setText(f"{self.stage + 1}/{len(self.stages)} · {title}")
        self.text.setText(text)
        self.shown.emit()

    def _show_overlay(self, *args) -> None:
        """The overlay's numbers; its notes take the place of the bias labels (which would
        collide with them), as the more telling number at this step."""
        self.overlay.show(*args)
        self.scene.show_biases(False)

    def _clear_overlay(self) -> None:
        self.overlay.clear()
        self.scene.show_biases(True)
        self._show_delta_maps(np.zeros(0, np.int64))

    def _show_delta_maps(self, rows: np.ndarray) -> None:
        """δ on the tiles of the convolution and pooling layers among rows, activations on
        the others: a feature map's units are its tile's pixels, not labelled neurons."""
        net = self.doc.network
        for name, item in self.scene.maps.items():
            units = net.index(net.layer_named(name).neurons)
            shown = self.found is not None and len(rows) and np.isin(units[0], rows)
            item.set_deltas(self.found.delta[units] if shown else None)

    def _draw(self, levels: int) -> None:
        """δ of the first `levels` groups in back-propagation order, and the gradients of the
        connections into them; with none, each neuron's z and a (the forward pass)."""
        net, found = self.doc.network, self.found
        if not levels:
            rows = np.flatnonzero(net.role != INPUT)
            if self.stages[self.stage] != "forward" or len(rows) > MAX_LABELS:
                self._clear_overlay()
                return
            z, a = found.trace.z[0, rows], found.trace.a[0, rows]
            nothing = np.zeros((0, 2))
            self._show_overlay(nothing, nothing, np.zeros(0), np.zeros(0), net.pos[rows],
                               [f"z = {number(zi)}, a = {number(ai)}" for zi, ai in zip(z, a)])
            return
        rows = np.concatenate(found.order[:levels])
        self._show_delta_maps(rows)
        rows = rows[~net.unit_rows()[rows]]
        into = np.flatnonzero(np.isin(net.endpoints()[1], rows))
        into = into[strongest(found.grad_w[into], MAX_LINES)]  # at MNIST scale, the steepest
        start, end = self.scene.edges.segments(into)
        places = (self.scene.edges.label_places()[into] if len(into) <= MAX_LABELS
                  else np.full(len(into), 0.5))
        self._show_overlay(start, end, found.grad_w[into], places, net.pos[rows],
                           [f"δ = {number(d)}" for d in found.delta[rows]])

    def _forward(self) -> tuple[str, str]:
        trace, outs = self.found.trace, self.found.trace.plan.outputs
        return "Forward", (f"The sample is on the inputs. Every neuron computes z = Σ a·w + b, "
                           f"then a = h(z) (select one to read its sum). The outputs give "
                           f"a = {_vector(trace.a[0, outs])}; the target is "
                           f"y = {target_text(self.found.target, self._labels())}.")

    def _cost(self) -> tuple[str, str]:
        found = self.found
        penalty = f" + regularisation {number(found.penalty)}" if found.penalty else ""
        total = f"{penalty} = {number(found.cost)}" if found.penalty else ""
        return "Cost", (f"{FORMULAS[found.loss]} = {cost_substituted(found, self._labels())}{total}. "
                        "Back propagation now finds how much each weight and bias changes it.")

    def _backward(self, level: int) -> tuple[str, str]:
        net, found = self.doc.network, self.found
        rows = found.order[level]
        what = "the outputs" if level == 0 else f"level {len(found.order) - level} (going back)"
        if net.unit_rows()[rows].all():
            d = found.delta[rows]
            return f"Backward: {what}", (
                f"δ of the {len(rows):,} units of these feature maps, on their tiles (orange "
                f"negative, blue positive; from {number(d.min())} to {number(d.max())}). A unit's "
                "δ sums, over the units of the next layer whose windows hold it, their δ times "
                "the kernel weight between them; pooling passes each δ to the largest a of its "
                "window. A kernel weight's ∂C/∂w sums a_in·δ over every position it is used at.")
        lines = [f"{net.name_of(int(i))}: {chain_rule(net, found, int(net.ids[i]), 3)[0]}"
                 for i in rows[:MAX_NAMED]]
        if len(rows) > MAX_NAMED:
            d = found.delta[rows]
            lines.append(f"… {len(rows) - MAX_NAMED} more; δ from {number(d.min())} to "
                         f"{number(d.max())}")
        return f"Backward: {what}", ("δ = ∂C/∂z is written beside each neuron; the number on "
                                     "each incoming line is its ∂C/∂w = a_in·δ (purple: the "
                                     "weight will shrink, green: grow).\n" + "\n".join(lines))

    def _update(self) -> tuple[str, str]:
        net, lr = self.doc.network, self.doc.settings.get("lr")
        weights, biases = self.found.updated(net, lr)
        change = np.concatenate([weights - net.weight, biases - net.bias])
        si, di = net.endpoints()
        names = [f"w {net.name_of(s)}→{net.name_of(d)}" for s, d in zip(si.tolist(), di.tolist())
                 ] if net.n_connections <= 5000 else None
        lines = []
        largest = strongest(change, MAX_CHANGES)
        for k in largest[np.argsort(-np.abs(change[largest]), kind="stable")]:
            if change[k] == 0:
                break
            if k < net.n_connections:
                name = names[k] if names else f"w #{k}"
                lines.append(f"{name}: {number(net.weight[k])} → {number(weights[k])}")
            else:
                i = k - net.n_connections
                lines.append(f"b {net.name_of(i)}: {number(net.bias[i])} → {number(biases[i])}")
        more = int((change != 0).sum()) - len(lines)
        if not lines:
            step = "step" in {activations.NAMES[a] for a in net.act[net.role != INPUT]}
            lines.append("Nothing changes: every gradient is 0" + (
                " (a step's slope is 0 everywhere, so no signal flows back through it: the "
                "reason training uses sigmoid)." if step else "."))
        if more > 0:
            lines.append(f"… and {more:,} more")
        optimiser = self.doc.settings.get("optimizer")
        plain = "" if optimiser == "sgd" else (
            f" This is plain gradient descent (SGD) on one sample: Train uses "
            f"{'SGD with momentum' if optimiser == 'momentum' else 'Adam'}, whose step also "
            "depends on the steps before it.")
        return "Update", (f"The rule of plain SGD: w ← w − η ∂C/∂w and b ← b − η δ with "
                          f"η = {number(lr)} (frozen numbers stay).{plain} Apply update makes "
                          "it one undo step.\n" + "\n".join(lines))

    def apply(self) -> None:
        if self.found is None:
            return
        weights, biases = self.found.updated(self.doc.network, self.doc.settings.get("lr"))
        before = self.found.cost
        self.parametersChosen.emit("Learn one sample", weights, biases)
        self.restart()
        if self.found is not None:
            self.text.setText(self.text.text() + f"\nThe cost of this sample went from "
                              f"{number(before)} to {number(self.found.cost)}.")

    def chain_rule_of(self, nid: int) -> list[str] | None:
        """For the Inspector: the selected neuron's chain rule, while the mode is on."""
        if not self.active or self.found is None:
            return None
        return chain_rule(self.doc.network, self.found, nid)
