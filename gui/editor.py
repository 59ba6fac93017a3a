"""The editor, between the window and the document: the canvas and its selection, the one entry
point for the user's edits (each makes its command and lands as one undo step on the document's
stack), and the Edit and Insert menus. The canvas and the panels ask; only the editor edits. The
main window places what it makes."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QMenuBar, QToolBar

from gui import dialogs, edit_ops
from gui.canvas.scene import NetworkScene
from gui.canvas.view import CanvasView
from engine.build import add_feature_input, grow_layer, merge
from engine.network import Network
from gui.commands import (AddNeuron, Connect, MoveNeurons, Remove, SetActivation, SetBias,
                          SetFrozen, SetNeuron, SetParameters, SetWeight, StructureEdit)
from gui.document import Document
from gui.training_settings import SetSettings
from gui.menus import Key, add_action


class Editor(QObject):
    refused = Signal(str)  # why an edit was not made, for the status bar

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.scene = NetworkScene(doc)
        self.view = CanvasView(self.scene)
        self.actions: dict[str, QAction] = {}
        self.scene.moved.connect(self.move)
        self.view.placing.connect(self.add_neuron)
        self.view.linking.connect(self.connect_neurons)
        self.view.nudged.connect(self.set_weight)
        self.scene.resizing.connect(self.resize_layer)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(
            lambda pos: self.context_menu(pos).popup(self.view.viewport().mapToGlobal(pos)))

    # ---- edits of the network: one undo step each ----------------------------------------------
    def add_neuron(self, role: str, spot: tuple[float, float]) -> None:
        self.doc.push(AddNeuron(self.doc.network, role, spot))

    def connect_neurons(self, source: int, target: int, weight: float = 1.0) -> None:
        problem = self.doc.network.connection_problem(source, target)
        if problem:
            self.refused.emit(f"Not connected: {problem}")
            return
        self.doc.push(Connect(self.doc.network, source, target, weight))
        self.scene.select_connection((source, target))

    def set_weight(self, pair: tuple[int, int], value: float, token: int | None = None) -> None:
        """token: a gesture (a slider drag, a wheel turn) whose steps merge into one."""
        self.doc.push(SetWeight(self.doc.network, *pair, value, token))

    def set_bias(self, ids: list[int], value: float, token: int | None = None) -> None:
        self.doc.push(SetBias(self.doc.network, ids, value, token))

    def set_label(self, nid: int, text: str) -> None:
        self.doc.push(SetNeuron(self.doc.network, nid, "label", text))

    def set_role(self, nid: int, role: str) -> str | None:
        """Why the engine refused it, or None."""
        return self.doc.push_checked(lambda net: SetNeuron(net, nid, "role", role))

    def set_activation(self, ids: list[int], name: str, param: float | None) -> str | None:
        return self.doc.push_checked(lambda net: SetActivation(net, ids, name, param))

    def set_frozen(self, ids: list[int], pairs: list[tuple[int, int]], frozen: bool,
                   with_inputs: bool = True) -> None:
        """Freezing neurons freezes their biases and, with_inputs, their incoming weights."""
        net = self.doc.network
        into = np.isin(net.dst, ids) & with_inputs
        pairs = np.concatenate([np.asarray(pairs, np.int64).reshape(-1, 2),
                                np.stack([net.src[into], net.dst[into]], 1)])
        self.doc.push(SetFrozen(net, ids, pairs, frozen))

    def resize_layer(self, name: str, delta: int) -> None:
        """A layer's + or −: one neuron more (connected as its others) or its last one fewer."""
        layer = next(lay for lay in self.doc.network.layers if lay.name == name)
        if delta > 0:
            self._report(self.doc.push_checked(lambda net: StructureEdit(
                net, f"Add a neuron to {name}", lambda n: grow_layer(n, name))))
        elif len(layer.neurons) > 1:
            self.doc.push(Remove(self.doc.network, [layer.neurons[-1]],
                                 text=f"Remove a neuron from {name}"))

    def set_feature(self, name: str, on: bool) -> None:
        """A feature input (x₁², …) added, or the input that computes it removed."""
        net = self.doc.network
        if on:
            self._report(self.doc.push_checked(lambda n: StructureEdit(
                n, f"Add input {name}", lambda m: add_feature_input(m, name))))
            return
        ids = [int(i) for i in net.inputs if net.labels[net.index(int(i))] == name]
        if ids:
            self.doc.push(Remove(net, ids, text=f"Remove input {name}"))

    def context_menu(self, pos: QPoint) -> QMenu:
        """Right-click on the canvas: freeze or free what is under the mouse (a neuron, or all
        selected neurons when it is one of them, its layer, or a connection)."""
        menu = QMenu(self.view)
        net, at = self.doc.network, self.view.mapToScene(pos)
        item = self.scene.neuron_at(at)
        if item is not None:
            chosen = self.scene.selected_ids()
            ids = chosen if item.nid in chosen else [item.nid]
            frozen = all(i in net.frozen_biases for i in ids)
            what = "Neuron" if len(ids) == 1 else f"{len(ids)} Neurons"
            add_action(menu, f"{'Unfreeze' if frozen else 'Freeze'} {what}",
                       lambda: self.set_frozen(ids, [], not frozen),
                       tip="Training leaves the bias and the incoming weights as they are")
            add_action(menu, f"{'Unfreeze' if frozen else 'Freeze'} Bias Only",
                       lambda: self.set_frozen(ids, [], not frozen, with_inputs=False),
                       tip="Training leaves the bias (b = −threshold) as it is; the incoming "
                           "weights learn")
            for layer in net.layers:
                if item.nid in layer.neurons:
                    whole = all(i in net.frozen_biases for i in layer.neurons)
                    add_action(menu, f"{'Unfreeze' if whole else 'Freeze'} Layer “{layer.name}”",
                               lambda lay=layer, on=not whole: self.set_frozen(lay.neurons, [], on),
                               tip="Every neuron of the layer, with its incoming weights")
            return menu
        pair = self.scene.connection_at(at, self.view.tolerance())
        if pair is not None:
            frozen = net.weight_frozen(*pair)
            add_action(menu, f"{'Unfreeze' if frozen else 'Freeze'} Connection",
                       lambda: self.set_frozen([], [pair], not frozen),
                       tip="Training leaves this weight as it is")
        return menu

    def move(self, ids: list[int], old: np.ndarray, new: np.ndarray) -> None:
        self.doc.push(MoveNeurons(self.doc.network, ids, old, new))

    def set_parameters(self, text: str, weights: np.ndarray, biases: np.ndarray) -> None:
        net = self.doc.network
        self.doc.push(SetParameters(net, text, (net.weight.copy(), net.bias.copy()),
                                    (weights, biases)))

    def set_settings(self, values: dict, text: str | None = None, merges: bool = True) -> None:
        """Training settings chosen in the Training dock; they belong to the network."""
        self.doc.push(SetSettings(self.doc.settings, values, text, merges))

    def replace_network(self, net: Network, text: str, settings: dict) -> None:
        """Everything on the canvas replaced by net, with these settings: one undo step."""
        doc = self.doc
        doc.undo.beginMacro(text)
        try:
            doc.push(Remove(doc.network, doc.network.ids.tolist(), text="Delete everything"))
            problem = doc.push_checked(lambda old: StructureEdit(old, "Add the network",
                                                                  lambda n: merge(n, net)))
            doc.push(SetSettings(doc.settings, settings))
        finally:
            doc.undo.endMacro()
        self._report(problem)

    def run(self, name: str) -> None:
        """One of edit_ops' edits of the selection (cut, paste, delete, …)."""
        self._report(getattr(edit_ops, name)(self.scene))

    def select_all(self) -> None:
        for item in self.scene.neurons.values():
            item.setSelected(True)

    def _report(self, problem: str | None) -> None:
        if problem:
            self.refused.emit(problem)

    # ---- menus ---------------------------------------------------------------------------------
    def edit_menu(self, bar: QMenuBar, preferences: QAction) -> QMenu:
        m = bar.addMenu("&Edit")
        undo = self.doc.undo.createUndoAction(m, "&Undo")
        redo = self.doc.undo.createRedoAction(m, "&Redo")
        for action, back in ((undo, True), (redo, False)):  # through the document: a run ends first
            action.triggered.disconnect()
            action.triggered.connect(lambda _checked=False, b=back: self.doc.undo_step(b))
        undo.setShortcut(QKeySequence(Key.Undo))
        # the platform's Redo keys, then Ctrl+Shift+Z and Ctrl+Y where they are not among them: on
        # X11 Key.Redo is Ctrl+Shift+Z itself, and a key given twice is "ambiguous" and does nothing
        keys = [*QKeySequence.keyBindings(Key.Redo), QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
        redo.setShortcuts([k for n, k in enumerate(keys) if k not in keys[:n]])
        m.addActions([undo, redo])
        self.actions |= {"undo": undo, "redo": redo}
        m.addSeparator()
        for text, name, key, tip in (("Cu&t", "cut", Key.Cut, "Cut the selected neurons"),
                                     ("&Copy", "copy_selection", Key.Copy,
                                      "Copy the selected neurons with the connections among them"),
                                     ("&Paste", "paste", Key.Paste, "Paste copied neurons"),
                                     ("&Duplicate", "duplicate", "Ctrl+D", "Copy and paste in one go"),
                                     ("De&lete", "delete_selection", Key.Delete,
                                      "Delete the selection and its connections")):
            add_action(m, text, lambda n=name: self.run(n), key, tip)
        m.addSeparator()
        add_action(m, "Select &All", self.select_all, Key.SelectAll, "Select every neuron")
        m.addSeparator()
        m.addAction(preferences)
        return m

    def insert_menu(self, bar: QMenuBar, toolbar: QToolBar) -> QMenu:
        m = bar.addMenu("&Insert")
        group = QActionGroup(m)
        for text, tool, key, tip in (
                ("&Select", None, "S", "Select, move and connect (drag from a neuron's right handle)"),
                ("&Input neuron", "input", "I", "Click on the canvas to place input neurons"),
                ("&Hidden neuron", "hidden", "H", "Click on the canvas to place hidden neurons"),
                ("&Output neuron", "output", "O", "Click on the canvas to place output neurons")):
            action = add_action(m, text, lambda t=tool: setattr(self.view, "tool", t), key, tip)
            action.setCheckable(True)
            group.addAction(action)
            toolbar.addAction(action)
            self.actions[f"tool_{tool or 'select'}"] = action
        self.actions["tool_select"].setChecked(True)
        m.addSeparator()
        add_action(m, "&Dense layer…", self._layer, "Ctrl+L",
                   "Add a layer fed by the selected neurons (or by the last layer)")
        add_action(m, "&Convolution or pooling layer…", self._conv, "Ctrl+Shift+L",
                   "Add a convolution or a max-pooling reading the selected neuron's layer (an "
                   "image, or another convolution or pooling), or the last layer")
        add_action(m, "Network from &spec…", self._spec, "Ctrl+Shift+N",
                   "Add a layered network such as 2-2-1 or 784-32-10 beside the one open "
                   "(File ▸ New from Spec… starts a new network instead)")
        return m

    def _layer(self) -> None:
        d = dialogs.LayerDialog(self.view.window())
        if d.exec() == QDialog.DialogCode.Accepted:
            self._report(edit_ops.insert_layer(self.scene, d.size.value(), d.role.currentText(),
                                               d.activation.currentText()))

    def _conv(self) -> None:
        source = edit_ops.reading_layer(self.scene)
        d = dialogs.ConvDialog(self.view.window(), source.name if source else "(none)")
        if d.exec() == QDialog.DialogCode.Accepted:
            self._report(edit_ops.insert_conv(self.scene, d.kind.currentData(), d.maps.value(),
                                              d.size.value(), d.stride.value(),
                                              d.padding.value(), d.activation.currentText()))

    def _spec(self) -> None:
        d = dialogs.SpecDialog(self.view.window())
        if d.exec() == QDialog.DialogCode.Accepted:
            self._report(edit_ops.insert_spec(self.scene, d.spec.text(), d.hidden.currentText(),
                                              d.output.currentText()))
            self.view.fit()
