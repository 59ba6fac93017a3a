"""Edits on the selection: clipboard, delete, duplicate, inserting layers and whole networks.
Each is one undo step and returns why it was refused, or None."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication

from engine import io
from engine.build import add_conv_layer, add_layer, from_spec, merge, next_column, subnetwork
from engine.conv import Conv, grid_of
from engine.errors import EngineError
from engine.init import initialise
from engine.network import Layer
from gui.canvas.scene import NetworkScene
from gui.commands import Remove, StructureEdit
from gui.document import size_problem, spec_size

MIME = "application/x-neurocanvas+json"
PASTE_OFFSET = (30.0, 30.0)


def _edit(scene: NetworkScene, text: str, edit) -> str | None:
    """Runs a structural edit as one undo step and selects the neurons it added."""
    doc = scene.doc
    before = set(doc.network.ids.tolist())
    problem = doc.push_checked(lambda net: StructureEdit(net, text, edit))
    if problem is None:
        added = set(doc.network.ids.tolist()) - before
        scene.clearSelection()
        # one announcement, not one per neuron: the Inspector reads the whole selection at
        # each (4.7 s for the 2,794 neurons of 784-1000-1000-10)
        scene.blockSignals(True)
        try:
            for nid in added:
                if nid in scene.neurons:  # a feature map's units are pixels of its tiles
                    scene.neurons[nid].setSelected(True)
        finally:
            scene.blockSignals(False)
        scene.selectionChanged.emit()
    return problem


def copy_selection(scene: NetworkScene) -> str | None:
    ids = scene.selected_ids()
    if not ids:
        return "select the neurons to copy first"
    data = QMimeData()
    text = io.dumps(subnetwork(scene.doc.network, ids))
    data.setData(MIME, text.encode("utf-8"))
    data.setText(text)
    QApplication.clipboard().setMimeData(data)
    return None


def release_clipboard() -> None:
    """Drops our neurons from the clipboard. Called on quit: with mime data of ours still on it,
    PySide6 6.11 crashes while the QApplication is torn down (seen on the offscreen platform)."""
    if QApplication.instance() is None:
        return
    data = QApplication.clipboard().mimeData()
    if data is not None and data.hasFormat(MIME):
        QApplication.clipboard().clear()


def paste(scene: NetworkScene) -> str | None:
    data = QApplication.clipboard().mimeData()
    if data is None or not data.hasFormat(MIME):
        return "the clipboard holds no NeuroCanvas neurons"
    try:
        part = io.loads(bytes(data.data(MIME)).decode("utf-8"), "clipboard")
    except EngineError as e:
        return str(e)
    return _edit(scene, "Paste", lambda net: merge(net, part, PASTE_OFFSET))


def delete_selection(scene: NetworkScene) -> str | None:
    ids, pair = scene.selected_ids(), scene.selected_connection
    if not ids and pair is None:
        return "select neurons or a connection to delete"

    net = scene.doc.network
    links = [net.connection_index(*pair)] if pair is not None and not ids else []
    ids = net.with_dependents(ids).tolist()  # a map's unit: its layer, and layers reading it
    problem = net.removal_problem(ids, links)
    if problem is None:
        scene.doc.push(Remove(net, ids, links))
    return problem


def cut(scene: NetworkScene) -> str | None:
    return copy_selection(scene) or delete_selection(scene)


def duplicate(scene: NetworkScene) -> str | None:
    ids = scene.selected_ids()
    if not ids:
        return "select the neurons to duplicate first"
    part = subnetwork(scene.doc.network, ids)
    return _edit(scene, "Duplicate", lambda net: merge(net, part, PASTE_OFFSET))


def reading_layer(scene: NetworkScene) -> Layer | None:
    """The layer of the first selected neuron, else the last layer."""
    net, chosen = scene.doc.network, scene.selected_ids()
    if chosen:
        return next((layer for layer in net.layers if chosen[0] in layer.neurons), None)
    return net.layers[-1] if net.layers else None


def insert_conv(scene: NetworkScene, kind: str, maps: int, size: int, stride: int,
                padding: int, activation: str) -> str | None:
    """A convolution (its kernels He-drawn, seeded by its first id) or a max-pooling reading
    the selected neuron's layer, or the last layer."""
    source = reading_layer(scene)
    if source is None:
        return "select a neuron of the layer to read (an input image, or a convolution)"
    conv = Conv(kind, source.name, size, stride, padding)

    def edit(net):
        first = int(net.ids[-1]) + 1 if net.n_neurons else 0
        fan_in = grid_of(source.shape, source.name)[0] * size * size if source.shape else 1
        kernels = np.random.default_rng(first).normal(0.0, np.sqrt(2.0 / fan_in),
                                                      maps * fan_in)
        number = 1 + sum(layer.conv is not None and layer.conv.kind == kind for layer in net.layers)
        return add_conv_layer(net, conv, maps, activation, name=f"{kind} {number}",
                              kernels=kernels if kind == "conv" else None)
    return _edit(scene, "Add convolution layer" if kind == "conv" else "Add pooling layer", edit)


def insert_layer(scene: NetworkScene, size: int, role: str, activation: str) -> str | None:
    sources = scene.selected_ids() or None
    if sources and scene.selected_unit is not None:  # a feature map's unit: its whole layer,
        sources = reading_layer(scene).neurons       # flattened
    return _edit(scene, f"Add layer of {size}", lambda net: add_layer(
        net, size, role, activation, sources=sources, weight=1.0, x=next_column(net)))


def insert_spec(scene: NetworkScene, spec: str, hidden: str, output: str) -> str | None:
    try:
        neurons, connections = spec_size(spec)
        net = scene.doc.network
        problem = size_problem(net.n_neurons + neurons, net.n_connections + connections)
        if problem:  # before building it: that takes minutes
            return problem
        part = from_spec(spec, hidden, output)
    except EngineError as e:
        return str(e)
    initialise(part, "xavier", seed=0)
    return _edit(scene, f"Add network {spec}",
                 lambda net: merge(net, part, (next_column(net), 0.0)))
