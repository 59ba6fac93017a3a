"""Undo all the way back after any sequence of edits restores the exact starting network."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import io
from engine.build import add_layer
from gui import commands as c
from gui.document import Document
from resources.make_examples import xor_hand_tuned

EDITS = st.lists(st.tuples(st.sampled_from(["weight", "bias", "activation", "move", "add", "connect",
                                            "delete", "layer", "label", "role"]),
                           st.integers(0, 50), st.floats(-5, 5, allow_nan=False)),
                 max_size=25)


def apply(doc: Document, kind: str, k: int, x: float) -> None:
    net = doc.network
    ids = net.ids.tolist()
    nid = ids[k % len(ids)]
    pairs = list(zip(net.src.tolist(), net.dst.tolist()))
    if kind == "weight" and pairs:
        doc.push(c.SetWeight(net, *pairs[k % len(pairs)], x, token=k % 3 or None))
    elif kind == "bias":
        doc.push(c.SetBias(net, [nid], x, token=k % 3 or None))
    elif kind == "activation":
        doc.push_checked(lambda n: c.SetActivation(n, [nid], ["relu", "tanh", "softmax", "leaky_relu"][k % 4], abs(x) / 10))
    elif kind == "move":
        doc.push(c.MoveNeurons(net, [nid], net.pos[[net.index(nid)]], [[x, -x]]))
    elif kind == "add":
        doc.push(c.AddNeuron(net, ["input", "hidden", "output"][k % 3], (x, x)))
    elif kind == "connect":
        target = ids[(k * 7 + 3) % len(ids)]
        if net.connection_problem(nid, target) is None:
            doc.push(c.Connect(net, nid, target, x))
    elif kind == "delete" and len(ids) > 1:
        doc.push(c.Remove(net, [nid], [k % len(pairs)] if pairs and k % 2 else []))
    elif kind == "layer":
        doc.push_checked(lambda n: c.StructureEdit(n, "Layer", lambda m: add_layer(m, k % 4 + 1, sources=[nid])))
    elif kind == "label":
        doc.push(c.SetNeuron(net, nid, "label", f"n{k}"))
    elif kind == "role":
        doc.push_checked(lambda n: c.SetNeuron(n, nid, "role", ["input", "hidden", "output"][k % 3]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_undo_everything_restores_the_start_and_redo_the_end(qapp, edits):
    doc = Document()
    doc.replace(xor_hand_tuned())
    start = io.dumps(doc.network)
    for edit in edits:
        apply(doc, *edit)
    end = io.dumps(doc.network)
    while doc.undo.canUndo():
        doc.undo.undo()
    assert io.dumps(doc.network) == start
    while doc.undo.canRedo():
        doc.undo.redo()
    assert io.dumps(doc.network) == end
