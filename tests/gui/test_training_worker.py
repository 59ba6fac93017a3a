"""The trainer process, driven as the window drives it."""
import io as bytes_io
import os
import pickle

import numpy as np
import pytest

from engine import io
from engine.build import from_spec
from engine.init import initialise
from gui.training_worker import TrainingClient


def job(epochs=300, spec="2-3-1", lr=0.1, dataset="xor", **config):
    net = from_spec(spec, "sigmoid")
    initialise(net, "xavier", seed=0)
    return {"network": io.to_dict(net),
            "config": {"loss": "mse", "optimizer": "adam", "lr": lr, "epochs": epochs,
                       "device": "cpu", **config},
            "dataset": {"name": dataset}}


@pytest.fixture
def client(qtbot):
    c = TrainingClient()
    qtbot.waitSignal(c.ready, timeout=60000).wait() if c.devices is None else None
    yield c
    c.shutdown()


def test_trains_xor_and_publishes_every_epoch_and_the_latest_weights(qtbot, client):
    epochs, snaps = [], []
    client.epochsEnded.connect(epochs.extend)
    client.snapshot.connect(snaps.append)
    with qtbot.waitSignal(client.finished, timeout=30000) as done:
        client.start(job())
    assert done.args == ["done"]
    assert [e["epoch"] for e in epochs] == list(range(1, 301))
    assert epochs[-1]["train_accuracy"] == 1.0
    assert sum(len(s["losses"]) for s in snaps) == 300  # every step loss arrives, batched
    assert len(snaps) < 300 and snaps[-1]["step"] == 300
    assert snaps[-1]["weights"].shape == (9,)


def test_thousands_of_epochs_reach_the_window_in_a_few_signals(qtbot, client):
    """XOR runs thousands of epochs a second: one signal per epoch redrew the plots each time
    (quadratic), and the window froze."""
    batches = []
    client.epochsEnded.connect(batches.append)
    with qtbot.waitSignal(client.finished, timeout=60000):
        client.start(job(epochs=5000))
    assert [e["epoch"] for batch in batches for e in batch] == list(range(1, 5001))
    assert len(batches) < 5000 / 10


@pytest.mark.skipif(os.name != "posix", reason="the pipe is a socket only on POSIX")
def test_what_the_trainer_writes_is_read_at_once_not_at_the_next_poll(qtbot, client):
    client._timer.stop()  # only the socket notifier is left to read the pipe
    epochs = []
    client.epochsEnded.connect(epochs.extend)
    with qtbot.waitSignal(client.finished, timeout=30000):
        client.start(job(epochs=50))
    assert [e["epoch"] for e in epochs] == list(range(1, 51))
    client._timer.start()


def test_nothing_the_trainer_sends_makes_the_window_import_torch(qtbot):
    """Unpickling imports the module of every class it meets: one torch object in a message
    (the "ready" message's TorchVersion did) loads torch into the window, 1.8 s of the event
    loop."""
    modules = set()

    class Recording(pickle.Unpickler):
        def find_class(self, module, name):
            modules.add(module.split(".")[0])
            return super().find_class(module, name)

    c = TrainingClient(start=False)
    c._start_process()
    raw = c._conn.recv_bytes
    c._conn.recv = lambda: Recording(bytes_io.BytesIO(raw())).load()
    try:
        qtbot.waitSignal(c.ready, timeout=60000).wait()
        with qtbot.waitSignal(c.finished, timeout=30000):
            c.start(job(epochs=20))  # with Adam: its moments come back in the "state"
    finally:
        c.shutdown()
    assert modules <= {"builtins", "numpy", "engine", "_codecs", "copyreg"}, modules


def test_pause_step_and_resume(qtbot, client):
    snaps = []
    client.snapshot.connect(snaps.append)
    client.start(job(epochs=100000))
    qtbot.waitUntil(lambda: len(snaps) > 0, timeout=10000)
    client.send("pause")
    qtbot.wait(300)
    client.poll()
    paused_at = snaps[-1]["step"]
    qtbot.wait(200)
    client.poll()
    assert snaps[-1]["step"] == paused_at
    client.send("step")
    qtbot.waitUntil(lambda: snaps[-1]["step"] == paused_at + 1, timeout=5000)
    with qtbot.waitSignal(client.finished, timeout=5000) as done:
        client.send("stop")
    assert done.args == ["stopped"]


def test_a_refused_setting_comes_back_in_words(qtbot, client):
    with qtbot.waitSignal(client.failed, timeout=10000) as failed:
        client.start(job(loss="ce"))
    assert "softmax outputs" in failed.args[0]


def test_a_dead_process_is_reported_and_replaced(qtbot, client):
    client.start(job(epochs=100000))
    qtbot.wait(300)
    old = client.process
    with qtbot.waitSignal(client.failed, timeout=10000) as failed:
        old.kill()
    assert "stopped unexpectedly" in failed.args[0] and client.process is None
    with qtbot.waitSignal(client.finished, timeout=30000):  # the next run starts a new process
        client.start(job(epochs=5))
    assert client.process is not old and client.process.is_alive()


@pytest.mark.skipif(not hasattr(os, "kill") or os.name != "posix", reason="SIGSTOP is POSIX")
def test_sending_never_waits_for_a_trainer_that_is_not_reading(qtbot, client):
    """Every weight of 784-1000-1000-10 (14 MB) to a stopped trainer: the window goes on; once
    the trainer reads again, it has every command, in order."""
    import signal
    import threading
    pid, woken = client.process.pid, threading.Event()
    os.kill(pid, signal.SIGSTOP)
    safety = threading.Timer(60, lambda: (woken.set(), os.kill(pid, signal.SIGCONT)))
    safety.start()  # a window that waited would wait forever: this ends it, and the test fails
    try:
        for _ in range(3):
            client.send("set_weights", np.zeros(1_794_000), np.zeros(2_794))
        returned_while_stopped = not woken.is_set()
    finally:
        safety.cancel()
        os.kill(pid, signal.SIGCONT)
    assert returned_while_stopped
    with qtbot.waitSignal(client.finished, timeout=60000) as done:
        client.start(job(epochs=5))
    assert done.args == ["done"]
