"""Random edits, undo and redo interleaved with real training steps: the network stays valid,
and undoing everything returns the opened file exactly.

The Training dock and its client are the real ones; the trainer's Session runs in this process
on the other end of a real pipe, so the test decides when each mini-batch happens.
"""
from multiprocessing import Pipe

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine import io
from engine.worker import _handle
from gui.document import Document
from gui.panels.training import TrainingPanel
from gui.training_worker import TrainingClient
from gui.main_window import example_path
from tests.gui.test_undo_property import apply

EDITS = ["weight", "bias", "activation", "move", "add", "connect", "delete", "layer", "label", "role"]
# hand edits of numbers and moves keep a run going: more of them, so runs get split into steps
ACTIONS = st.lists(st.tuples(st.sampled_from(EDITS + ["weight", "bias", "move"] * 3 + ["train"] * 3
                                             + ["steps"] * 5 + ["stop", "undo", "redo"]),
                             st.integers(0, 50), st.floats(-5, 5, allow_nan=False)),
                   min_size=5, max_size=40)


class InThisProcess:
    """Stands for the trainer process: alive while the test runs."""
    exitcode = None

    def is_alive(self) -> bool:
        return True


class AtOnce:
    """Stands for the client's sending thread: writes in the test's thread, so that the pump
    reads each command as soon as it is sent."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def put(self, message) -> None:
        if message is not None:
            self.conn.send(message)


class Trainer:
    def __init__(self) -> None:
        self.client = TrainingClient(start=False)
        self.client._conn, self.end = Pipe()
        self.client._outbox = AtOnce(self.client._conn)
        self.client.process = InThisProcess()
        self.session = None

    def pump(self, steps: int = 0) -> None:
        """The worker's loop, by hand: commands first, then up to `steps` mini-batches."""
        while self.end.poll():
            kind, *args = self.end.recv()
            try:
                self.session = _handle(self.end, self.session, kind, tuple(args))
            except ValueError as e:  # EngineError, as serve() reports it
                self.session = None
                self.end.send(("error", str(e), args[0].get("run") if kind == "start" else None))
        for _ in range(steps):
            if self.session is not None and self.session.running and not self.session.done:
                self.session.advance()
                if not self.session.done:
                    self.session.publish(self.session.last)
        self.client.poll()


def valid(net) -> None:
    n = net.n_neurons
    assert len(net.role) == len(net.act) == len(net.bias) == len(net.pos) == len(net.labels) == n
    assert len(net.src) == len(net.dst) == len(net.weight)
    assert np.all(np.diff(net.ids) > 0) and np.isin(net.src, net.ids).all()
    assert np.isin(net.dst, net.ids).all() and np.isfinite(net.weight).all()
    net.levels()  # raises on a cycle


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(actions=ACTIONS)
# found by CI: a gesture's steps merged around the run's next step ("before"): undo then
# left numbers that no step ends with
@example(actions=[("weight", 1, 1.0), ("train", 0, 0.0), ("weight", 1, 0.0), ("undo", 0, 0.0),
                  ("weight", 0, 0.0)])
@example(actions=[("train", 0, 0.0), ("weight", 1, 0.0), ("weight", 1, 1.0), ("undo", 0, 0.0),
                  ("weight", 0, 0.0)])
# found by CI: a weight edit read the number it replaces before the run's latest snapshot landed
# (the Training dock shows it as the edit is announced): its undo gave back an older number
@example(actions=[("train", 0, 0.0), ("steps", 0, 0.0), ("steps", 0, 0.0), ("weight", 0, 0.0),
                  ("undo", 0, 0.0), ("weight", 1, 0.0)])
def test_edits_and_training_interleaved_undo_back_to_the_file(qapp, actions):
    doc, trainer = Document(), Trainer()
    panel = TrainingPanel(doc, trainer.client)
    try:
        doc.open(example_path("xor-2-2-1"))
        doc.settings.update({"epochs": 20})
        opened = io.dumps(doc.network)
        for kind, k, x in actions:
            if kind == "train":
                panel.train()
            elif kind == "steps":
                trainer.pump(k % 5 + 1)
            elif kind == "stop":
                trainer.client.send("stop")
            elif kind in ("undo", "redo"):
                doc.undo_step(kind == "undo")
            else:
                apply(doc, kind, k, x)
            trainer.pump()
            valid(doc.network)
        trainer.client.send("stop")
        trainer.pump()
        while doc.undo.canRedo():
            doc.undo_step(back=False)
        end = io.dumps(doc.network)
        while doc.undo.canUndo():
            doc.undo_step()
        assert io.dumps(doc.network) == opened
        while doc.undo.canRedo():
            doc.undo_step(back=False)
        assert io.dumps(doc.network) == end
    finally:  # a failed example must not leave its panel for later tests' widgets
        panel.deleteLater()
