"""The scene: neuron items and the edges item, kept in step with the document's signals."""
from __future__ import annotations

from typing import Iterable

import numpy as np
from shiboken6 import isValid
from PySide6.QtCore import QPointF, QRectF, QTimer, Signal
from PySide6.QtWidgets import QGraphicsScene

from engine import activations
from engine.network import INPUT, ROLES
from engine.receptive import kernel_conns
from gui.canvas.edges_item import EdgesItem
from gui.canvas.layer_buttons import LayerButtons
from gui.canvas.field_item import FieldItem
from gui.canvas.maps_item import MapsItem
from gui.canvas.neuron_item import NeuronItem, looks
from gui.canvas.style import RADIUS
from gui.document import Document


ROOM = 10_000.0  # scene units of canvas around the network


class NetworkScene(QGraphicsScene):
    connectionSelected = Signal(object)   # (source, target), or None
    moved = Signal(list, object, object)  # neurons dragged: their ids, old and new positions
    resizing = Signal(str, int)           # a layer's − or + button: its name, −1 or +1

    def __init__(self, doc: Document) -> None:
        super().__init__()
        self.doc = doc
        self.neurons: dict[int, NeuronItem] = {}
        self.edges = EdgesItem()
        self.addItem(self.edges)
        self.selected_connection: tuple[int, int] | None = None
        self.layer_buttons: dict[str, LayerButtons] = {}
        self.maps: dict[str, MapsItem] = {}  # a convolution's or pooling's, by layer name
        self._drawn = np.zeros(0, np.int64)  # rows of the neurons drawn as items (not units)
        self.selected_unit: int | None = None  # a feature map's unit, clicked on its tile
        self.field = FieldItem()
        self.addItem(self.field)
        self.selectionChanged.connect(self._drop_unit)
        self._syncing = False
        self._drag_pending = False
        self._looks = np.zeros(0)  # looks() of the values shown, in neuron order
        self.hovered: int | None = None
        # a scene being destroyed clears its selection: nothing to focus then
        self.selectionChanged.connect(lambda: isValid(self) and self._refocus_later())
        self._refocus_pending = False
        doc.replaced.connect(self._forget_document)
        doc.replaced.connect(lambda: self.setSceneRect(self._room()))
        doc.structureChanged.connect(self.rebuild)
        doc.neuronsChanged.connect(self.update_neurons)
        doc.biasesChanged.connect(self.update_biases)
        doc.weightsChanged.connect(lambda _pairs: self.edges.set_weights(doc.network.weight))
        doc.weightsChanged.connect(lambda _pairs: self.update_kernels())
        doc.traceChanged.connect(self.refresh_values)
        doc.inputsChanged.connect(lambda: self.mark_truth(None))  # the digit it marked is gone
        self.setSceneRect(self._room())
        self.rebuild()

    # ---- following the document ----------------------------------------------------------------
    def _forget_document(self) -> None:
        """Another network: every item and mark drawn for the old one goes (structureChanged
        then draws the new one afresh). Items kept by id would keep the old positions, and the
        first click would save them into the new network."""
        self.clearSelection()
        self.select_connection(None)
        self.blockSignals(True)
        for item in [*self.neurons.values(), *self.layer_buttons.values(), *self.maps.values()]:
            self.removeItem(item)
        self.blockSignals(False)
        self.neurons.clear()
        self.layer_buttons.clear()
        self.maps.clear()
        self.selected_unit = None
        self.field.clear()
        self._looks = np.zeros(0)
        self.hovered = None

    def _room(self) -> QRectF:
        """The network's extent and ROOM around it."""
        pos = self.doc.network.pos
        lo, hi = (pos.min(0), pos.max(0)) if len(pos) else (np.zeros(2), np.zeros(2))
        return QRectF(lo[0] - ROOM, lo[1] - ROOM, hi[0] - lo[0] + 2 * ROOM, hi[1] - lo[1] + 2 * ROOM)

    def _make_room(self) -> None:
        """The scene only grows, and by a wide margin: a scene barely bigger than the network
        grew with the first neurons and the view re-centred, so they landed away from the
        click (issue 9)."""
        room = self._room()
        if not self.sceneRect().contains(room):
            self.setSceneRect(self.sceneRect().united(room))

    def show_biases(self, on: bool) -> None:
        """Every neuron's "b = …" above it, or none (where Learn one sample writes δ)."""
        for item in self.neurons.values():
            item.set_bias_shown(on)

    def mark_truth(self, nid: int | None) -> None:
        """Ticks the output of the true class of the sample on the inputs (None: unknown)."""
        for n, item in self.neurons.items():
            item.set_truth(n == nid)

    def rebuild(self) -> None:
        """After a structural edit: items for new neurons, none for removed ones. The others
        keep their looks unless their role changed (at 2,795 neurons, refreshing every item
        cost 24 ms an edit)."""
        net = self.doc.network
        self._drawn = np.flatnonzero(~net.unit_rows())
        alive = set(net.ids[self._drawn].tolist())
        pixels = {n for layer in net.layers if layer.shape for n in layer.neurons}
        stale = [n for n in self.neurons if n not in alive]
        lost_selection = any(self.neurons[n].isSelected() for n in stale)
        self.blockSignals(True)  # one selection change after all removals, not one per item
        for nid in stale:
            self.removeItem(self.neurons.pop(nid))
        self.blockSignals(False)
        for nid in alive - set(self.neurons):
            self.neurons[nid] = item = NeuronItem(nid)
            self.addItem(item)
        self._looks = np.zeros(0)  # other neurons in other rows: every value again
        for nid, item in self.neurons.items():
            item.set_pixel(nid in pixels)
        stale_look = [i for i, nid, r in zip(self._drawn.tolist(), net.ids[self._drawn].tolist(),
                                             net.role[self._drawn].tolist())
                      if self.neurons[nid].role != ROLES[r]]
        self._refresh(stale_look)
        self._rebuild_maps()
        if self.selected_unit is not None and self.selected_unit not in net.ids:
            self.select_unit(None)
        self._update_edges()
        self._place_layer_buttons()
        self._make_room()
        if self.selected_connection and net.connection_index(*self.selected_connection) is None:
            self.select_connection(None)
        if lost_selection:
            self.selectionChanged.emit()

    def update_neurons(self, ids: tuple[int, ...]) -> None:
        """Refreshes the given neurons (all when empty) and the edges' geometry."""
        net = self.doc.network
        self._refresh(np.atleast_1d(net.index(list(ids))) if ids else self._drawn)
        self._update_edges()
        self._place_layer_buttons()
        self._make_room()

    def _refresh(self, rows: Iterable[int]) -> None:
        """The items of the neurons at these rows show their role, activation, label, bias and
        position."""
        net = self.doc.network
        self._syncing = True
        ids_, roles, acts = net.ids.tolist(), net.role.tolist(), net.act.tolist()
        biases, pos = net.bias.tolist(), net.pos.tolist()
        frozen = net.frozen_biases
        for i in rows:
            item = self.neurons.get(ids_[i])
            if item is None:  # a unit of a feature map: a pixel of its layer's tiles
                continue
            item.set_info(ROLES[roles[i]], activations.ACTIVATIONS[activations.NAMES[acts[i]]].glyph,
                          net.labels[i], biases[i], ids_[i] in frozen)
            item.setPos(QPointF(*pos[i]))
        self._syncing = False

    def _place_layer_buttons(self) -> None:
        """A − and a + above every plain hidden layer, centred over its top neuron."""
        net = self.doc.network
        hidden = {lay.name: lay for lay in net.layers if lay.shape is None and lay.neurons
                  and (net.role[np.atleast_1d(net.index(lay.neurons))] == 1).all()}
        for name in set(self.layer_buttons) - set(hidden):
            self.removeItem(self.layer_buttons.pop(name))
        for name, layer in hidden.items():
            if name not in self.layer_buttons:
                self.layer_buttons[name] = item = LayerButtons(name, len(layer.neurons))
                item.clicked.connect(self.resizing)
                self.addItem(item)
            item = self.layer_buttons[name]
            item.set_size(len(layer.neurons))
            pos = net.pos[np.atleast_1d(net.index(layer.neurons))]
            item.setPos(QPointF(float(pos[:, 0].mean()), float(pos[:, 1].min()) - RADIUS - 34))

    def update_biases(self, ids: tuple[int, ...]) -> None:
        """Only the bias labels: a trainer snapshot changes every bias 30 times a second."""
        net = self.doc.network
        rows = self._drawn if not ids else np.atleast_1d(net.index(list(ids)))
        for nid, bias in zip(net.ids[rows].tolist(), net.bias[rows].tolist()):
            item = self.neurons.get(nid)
            if item is not None:
                item.set_info(item.role, item.glyph, item.label, bias, item.frozen)

    def refresh_values(self) -> None:
        """Every neuron's activation; only those whose look changed repaint (one comparison of
        arrays instead of a look worked out per neuron: 10 ms a snapshot at 2,795 neurons)."""
        net, a = self.doc.network, self.doc.trace.a
        values = a[0] if a.shape[1] == net.n_neurons else np.zeros(net.n_neurons)
        keys = looks(values)
        again = (keys != self._looks) if len(self._looks) == len(keys) else np.ones(len(keys), bool)
        again |= net.role == INPUT
        ids, drawn = net.ids.tolist(), self._drawn
        for nid, value, redraw in zip(net.ids[drawn].tolist(), values[drawn].tolist(),
                                      again[drawn].tolist()):
            if redraw:
                self.neurons[nid].set_value(value)
            else:
                self.neurons[nid].keep_value(value)
        self._looks = keys
        for name, item in self.maps.items():
            item.set_values(values[net.index(net.layer_named(name).neurons)])
        outputs = self.doc.trace.plan.outputs
        if len(outputs) and a.shape[1] == net.n_neurons:
            answer = int(outputs[self.doc.trace.predicted()[0]])
            for i in outputs.tolist():
                self.neurons[ids[i]].set_predicted(i == answer and len(outputs) > 1)

    def _rebuild_maps(self) -> None:
        """A tile stack for every convolution and pooling layer, made afresh (a structural edit
        may have made another layer of the same name)."""
        net = self.doc.network
        for item in self.maps.values():
            self.removeItem(item)
        self.maps.clear()
        for layer, _ in net.conv_layers():
            rows = net.index(layer.neurons).reshape(layer.shape[0], -1)
            corners = net.pos[rows[:, 0]]
            item = MapsItem(layer.name, layer.neurons[0], layer.shape, layer.conv.kind,
                            corners - corners[0])
            item.setPos(QPointF(*corners[0]))
            self.maps[layer.name] = item
            self.addItem(item)
        self.update_kernels()

    def update_kernels(self) -> None:
        """Each convolution's kernels, from the weights as they are."""
        if not self.maps:
            return
        net = self.doc.network
        items = {item.first: item for item in self.maps.values()}
        for lv in self.doc.plan().levels:
            if lv.conv is not None and lv.conv[0].kind == "conv":
                items[int(net.ids[lv.neurons[0]])].set_kernels(lv.dense(net.weight))

    def _update_edges(self, dragged: bool = False) -> None:
        """Items stand where the network says, except while being dragged."""
        net = self.doc.network
        pos = net.pos if not dragged else net.pos.copy()
        if dragged:
            pos[self._drawn] = [[self.neurons[n].x(), self.neurons[n].y()]
                                for n in net.ids[self._drawn].tolist()]
        si, di = net.endpoints()
        layers = [(np.atleast_1d(net.index(layer.neurons)), layer.shape) for layer in net.layers]
        self.edges.set_geometry(pos.reshape(-1, 2), si, di, net.weight, self.doc.plan(), layers)
        # the mask costs a search over every connection: only when something is frozen
        self.edges.set_frozen(np.flatnonzero(net.frozen_masks()[0]) if len(net.frozen_weights)
                              else np.zeros(0, np.int64))
        self._show_selected()
        self._refocus()

    def hover(self, nid: int | None) -> None:
        """The neuron under the mouse: all its connections are drawn while it is there."""
        self.hovered = nid
        self._refocus()

    def _refocus_later(self) -> None:
        """Once per event-loop turn: selecting 1,000 neurons changes the selection 1,000 times."""
        if not self._refocus_pending:
            self._refocus_pending = True
            QTimer.singleShot(0, self._refocus)

    def _refocus(self) -> None:
        """Every connection of the hovered neuron, else of the one selected neuron, on top."""
        self._refocus_pending = False
        ids = self.doc.network.ids
        nid = self.hovered
        if nid is None:
            chosen = self.selected_ids()
            nid = chosen[0] if len(chosen) == 1 else None
        row = None if nid is None else int(np.searchsorted(ids, nid))
        self.edges.set_focus(row if row is not None and row < len(ids) and ids[row] == nid else None)

    def neuron_moved(self, item: NeuronItem) -> None:
        """Lines follow a drag once per event-loop turn, not once per dragged neuron (a
        selected layer of 1,000 redrew 1.79 M connections a thousand times a mouse move)."""
        if not self._syncing and not self._drag_pending:
            self._drag_pending = True
            QTimer.singleShot(0, self._follow_drag)

    def _follow_drag(self) -> None:
        self._drag_pending = False
        self._update_edges(dragged=True)

    # ---- selection and edits from the canvas ---------------------------------------------------
    def selected_ids(self) -> list[int]:
        items = sorted(item.nid for item in self.selectedItems() if isinstance(item, NeuronItem))
        return items or ([] if self.selected_unit is None else [self.selected_unit])

    def select_unit(self, nid: int | None) -> None:
        """A feature map's unit (clicked on its tile): its window and kernel are drawn, and the
        Inspector shows its calculation."""
        self.blockSignals(True)
        self.clearSelection()
        self.blockSignals(False)
        if nid is not None:
            self.select_connection(None)
        self.selected_unit = nid
        net = self.doc.network
        self.field.show_unit(net, nid)
        for item in self.maps.values():
            per_map = item.dims[1] * item.dims[2]
            inside = nid is not None and item.first <= nid < item.first + item.dims[0] * per_map
            item.set_marked((nid - item.first) // per_map if inside else None)
        self.selectionChanged.emit()

    def _drop_unit(self) -> None:
        """Neurons selected: the unit is no longer."""
        if self.selected_unit is not None and self.selectedItems():
            self.selected_unit = None
            self.field.clear()
            for item in self.maps.values():
                item.set_marked(None)

    def select_kernel_weight(self, layer: str, weight: int) -> None:
        """A kernel's weight (clicked on its picture), by its place among the layer's kernel
        numbers: its connection is selected, and every connection it stands for drawn."""
        net = self.doc.network
        conn = int(kernel_conns(net, net.layer_named(layer))[weight])
        self.select_connection((int(net.src[conn]), int(net.dst[conn])))

    def neuron_at(self, pos: QPointF) -> NeuronItem | None:
        for item in self.items(pos):
            if isinstance(item, NeuronItem) and item.shape().contains(item.mapFromScene(pos)):
                return item
        return None

    def connection_at(self, pos: QPointF, tolerance: float) -> tuple[int, int] | None:
        k = self.edges.nearest(pos, tolerance)
        net = self.doc.network
        return None if k is None else (int(net.src[k]), int(net.dst[k]))

    def select_connection(self, pair: tuple[int, int] | None) -> None:
        if pair is not None:
            self.clearSelection()
            if self.selected_unit is not None:
                self.select_unit(None)
        self.selected_connection = pair
        self._show_selected()
        net = self.doc.network
        k = None if pair is None else net.connection_index(*pair)
        if self.selected_unit is None:
            self.field.show_weight(net, k)
        self.connectionSelected.emit(pair)

    def _show_selected(self) -> None:
        pair = self.selected_connection
        self.edges.set_selected(None if pair is None else self.doc.network.connection_index(*pair))

    def commit_moves(self) -> None:
        """After a drag: every neuron that moved, for one undo step (a feature map's units
        stay with their layer's tiles)."""
        net = self.doc.network
        ids = [nid for nid, item in self.neurons.items()
               if (item.x(), item.y()) != tuple(net.pos[net.index(nid)])]
        if ids:
            old = net.pos[net.index(ids)]
            new = np.array([[self.neurons[n].x(), self.neurons[n].y()] for n in ids])
            self.moved.emit(ids, old, new)
