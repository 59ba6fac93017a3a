"""The trainer process (DESIGN.md): commands in, results out, over one multiprocessing pipe.

Between mini-batches it applies every waiting command; it publishes at most PUBLISH_HZ snapshots
a second (latest wins, with the step losses since the last one) and every epoch's metrics, so a
fast trainer never floods the window. Every message of a run carries the run's number as a
third element, so the window can drop what a run it has left behind still sends. Imports torch,
never Qt.
"""
from __future__ import annotations

import queue
import select
import threading
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any, Callable, Sequence

import numpy as np

from engine import io
from engine.errors import EngineError

PUBLISH_HZ = 30
# a snapshot carries every weight: past ~1 M of them, 30 a second would spend the trainer's time
# (and the window's) copying numbers through the pipe, so big networks publish less often
PUBLISH_BYTES_PER_S = 20e6
READING_QUIET_S = 0.5  # a read of the data that takes longer shows its progress
DIAGNOSTICS_HZ = 5  # gradients and dead ReLUs cost a probe forward pass: fewer of them
DIAGNOSTICS_SHARE = 0.02  # and at most this share of the time (at 1.79 M connections a probe
                          # takes ~25 ms: 5 a second cost training 12%)
# while training, the pipe is looked at this often for commands: a conn.poll() every step
# (10 µs, a selector made each time) was 5% of an XOR run's 500 steps; at this interval it was
# still 3% of MNIST training (py-spy), 0.5 µs with a poll object kept (_command_waiting)
COMMANDS_EVERY_S = 0.002


class Outbox:
    """Sends the worker's messages from a thread of their own, in order: the training loop
    never waits for the window to read a snapshot (at 1.79 M connections each is 7 MB, and
    waiting for the window's next poll took 5% of the trainer's time, measured)."""

    def __init__(self, conn: Connection) -> None:
        self.conn, self.failed = conn, None
        self._queue: queue.Queue = queue.Queue()
        self._snapshots = 0  # queued, not yet written
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._write, daemon=True)
        self._thread.start()

    def send(self, message: tuple) -> None:
        if self.failed is not None:
            raise BrokenPipeError("the window is gone")
        if message[0] == "snapshot":
            with self._lock:
                self._snapshots += 1
        self._queue.put(message)

    def waiting(self) -> int:
        """Snapshots not yet written: a newer one need not queue behind them."""
        return self._snapshots

    def close(self) -> None:
        """Writes what is queued, for a second at most (a closing window reads no more)."""
        self._queue.put(None)
        self._thread.join(timeout=1)

    def _write(self) -> None:
        while (message := self._queue.get()) is not None:
            try:
                if self.failed is None:
                    self.conn.send(message)
            except OSError as e:
                self.failed = e
            if message[0] == "snapshot":
                with self._lock:
                    self._snapshots -= 1


def trainer_of(job: dict, progress: Callable[[float], None] | None = None) -> Any:
    """The Trainer a job (the window's network, settings and data set) asks for."""
    from engine.datasets.registry import load  # noqa: PLC0415
    from engine.training import TrainConfig, Trainer  # noqa: PLC0415

    net = io.from_dict(job["network"], "the canvas")
    data = load(**job["dataset"], progress=progress)
    return Trainer.on(net, TrainConfig.of(job["config"]), data)


class Session:
    """One training run and how far the user lets it go (free, n steps, or to the epoch's end)."""

    def __init__(self, conn: Connection | Outbox, job: dict) -> None:
        from engine.surface import Path  # noqa: PLC0415

        self.conn, self.run = conn, job.get("run")
        self.waiting = conn.waiting if isinstance(conn, Outbox) else lambda: 0
        self._reading, self._said = time.perf_counter(), 0.0
        self.trainer = trainer_of(job, self._read)
        config, net = self.trainer.config, self.trainer.net
        data = self.trainer.train
        self.path = Path(self.trainer.model.flat.numel())  # the steps, for the loss surface
        self.path.add(self.trainer.model.flat)
        self.steps = self.trainer.steps()
        # the last step's number: a continued run's steps count on from its earlier epochs
        self.total = self.trainer.steps_per_epoch * (self.trainer.epochs_done + config.epochs)
        self.batch = len(data.x) // self.trainer.steps_per_epoch
        self.interval = max(1 / PUBLISH_HZ, 4 * (net.n_connections + net.n_neurons) / PUBLISH_BYTES_PER_S)
        self.running, self.budget = True, None  # budget: None free, "epoch", or steps left
        self.last, self.done = None, False
        self.last_diagnostics, self.diagnostics_every = 0.0, 1 / DIAGNOSTICS_HZ
        self.losses: list[tuple[int, float]] = []
        # epochs go out with the next snapshot, not one message each: a message per XOR epoch
        # (0.36 ms) cost the run a quarter of its time
        self.epochs: list[dict] = []
        self.last_publish, self.epoch_started = 0.0, time.perf_counter()
        # steps taken in this run and the time spent taking them: a pause counts for neither,
        # so its rate and time left stand still while paused and are right after it
        self.taken, self.busy_s = 0, 0.0
        self.next_at = 0.0  # when the next step may run, at the pace (steps a second; 0: full)
        self.set_pace(job["config"].get("pace") or 0)
        for note in (self.trainer.device_note, self.trainer.resume_note):
            if note:
                self.send("note", note)

    def set_pace(self, pace: float) -> None:
        self.pace = max(float(pace), 0.0)

    def delay(self) -> float:
        """Seconds until the next step may run, at the chosen pace."""
        return max(self.next_at - time.perf_counter(), 0.0) if self.pace else 0.0

    def send(self, kind: str, payload: Any) -> None:
        self.conn.send((kind, payload, self.run))

    def _read(self, share: float) -> None:
        """How far a slow read of the data is: said after READING_QUIET_S, 10 times a second."""
        now = time.perf_counter()
        if now - self._reading >= READING_QUIET_S and now - self._said >= 0.1:
            self.send("loading", share)
            self._said = now

    def advance(self) -> None:
        began = time.perf_counter()
        try:
            self._advance()
        finally:
            self.busy_s += time.perf_counter() - began
            if self.pace:
                self.next_at = max(self.next_at, began) + 1 / self.pace

    def _advance(self) -> None:
        try:
            snap = next(self.steps)
        except StopIteration:
            self.finish("done")
            return
        self.taken += 1
        self.path.add(self.trainer.model.flat)
        self.losses.append((snap.step, snap.loss))
        if snap.epoch_end:
            now = time.perf_counter()
            self.epochs.append({"epoch": snap.epoch, "loss": snap.epoch_loss,
                                "lr": self.trainer.optimizer.lr,
                                "train_accuracy": snap.train_accuracy,
                                "test_accuracy": snap.test_accuracy, "test_loss": snap.test_loss,
                                "confusion": snap.confusion,
                                "validation_loss": snap.validation_loss,
                                "validation_accuracy": snap.validation_accuracy,
                                "early_stop": snap.early_stop, "seconds": now - self.epoch_started})
            self.epoch_started = now
        if snap.stopped or snap.early_stop:
            self.publish(snap)
            self.finish(snap.stopped or "done")
            return
        self.last = snap
        if self.budget == "epoch" and snap.epoch_end or self.budget == 1:
            self.running, self.budget = False, None
        elif isinstance(self.budget, int):
            self.budget -= 1
        if not self.running or (time.perf_counter() - self.last_publish >= self.interval
                                and not self.waiting()):
            self.publish(snap)

    def publish(self, snap: Any) -> None:
        if self.epochs:
            self.send("epochs", self.epochs)
            self.epochs = []
        # paced, the time holds a wait between each two steps: one fewer than the steps
        per_step = self.busy_s / max(self.taken - bool(self.pace), 1)
        self.send("snapshot", {"step": snap.step, "epoch": snap.epoch, "loss": snap.loss,
                               "weights": snap.weights, "biases": snap.biases,
                               "losses": self.losses, "total": self.total,
                               "samples_per_s": self.batch / max(per_step, 1e-9),
                               "seconds_left": (self.total - snap.step) * per_step,
                               **self._diagnostics()})
        self.losses, self.last_publish = [], time.perf_counter()

    def _diagnostics(self) -> dict:
        now = time.perf_counter()
        if now - self.last_diagnostics < self.diagnostics_every and self.running:
            return {}
        found = self.trainer.diagnostics()
        self.last_diagnostics = time.perf_counter()
        cost = self.last_diagnostics - now
        self.diagnostics_every = max(1 / DIAGNOSTICS_HZ, cost / DIAGNOSTICS_SHARE)
        return found

    def finish(self, reason: str) -> None:
        self.running = False  # first: the last publish then carries the diagnostics too
        if self.last is not None:  # always: a short run's only diagnostics may be these
            self.publish(self.last)
        state = self.trainer.state()
        if state is not None:  # what Continue needs: sent once, as the run ends
            self.send("state", state)
        self.send("finished", reason)
        self.done = True


def surface_of(session: Session | None, request: dict, job: dict) -> dict:
    """A slice of the loss surface (engine.surface) for the window: through the running
    session's numbers and path, or else through the job's network, with the path of the last
    run where the window still shows it (request["run"])."""
    from engine import surface  # noqa: PLC0415

    reply: dict[str, Any] = {"request": request["request"]}
    try:
        if session is not None and not session.done:
            trainer, path = session.trainer, session.path
        else:
            trainer = trainer_of({**job, "config": {**job["config"], "init": "keep"}})
            shown = session is not None and session.run is not None and \
                request.get("run") == session.run
            path = session.path if shown else None
        along = request["along"]
        directions = [surface.random(trainer, request["seed"] + k) if name == "random" else
                      surface.named(trainer, name) for k, name in enumerate(along)]
        found = surface.compute(trainer, directions, request["span"], request["points"],
                                request.get("on", "train"), request.get("samples", 1000), path,
                                request.get("cover_path", False))
        reply.update(found.as_json())
    except EngineError as e:
        reply["error"] = str(e)
    return reply


MAP_CHUNK = 1000  # test samples a forward pass: the activations of 784-1000-1000-10 stay small


def _on_test_set(session: Session | None, job: dict) -> tuple[Any, Any, Any] | None:
    """The network, its compiled model and the job's data set as the network reads it: the
    running session's numbers, or else the job's network; None where the job carries no
    network (asked of a run that has ended since)."""
    from engine.compile import CompiledNetwork  # noqa: PLC0415
    from engine.datasets.features import fit_inputs, labels_of  # noqa: PLC0415
    from engine.datasets.registry import cached  # noqa: PLC0415

    if session is not None and not session.done:
        net, model = session.trainer.net, session.trainer.model
    elif job["network"] is None:
        return None
    else:
        net = io.from_dict(job["network"], "the canvas")
        model = CompiledNetwork(net)
    return net, model, fit_inputs(cached(job["dataset"]), labels_of(net))


def _in_chunks(model: Any, x: np.ndarray, read: Callable[[Any, Any], Any]) -> np.ndarray:
    """read(model, inputs) of every MAP_CHUNK samples of x, on the model's device, joined."""
    import torch  # noqa: PLC0415

    device, dtype = model.flat.device, model.flat.dtype
    with torch.no_grad():
        return np.concatenate([read(model, torch.as_tensor(x[k:k + MAP_CHUNK], dtype=dtype,
                                                           device=device)).cpu().numpy()
                               for k in range(0, len(x), MAP_CHUNK)])


def _test_set_reply(session: Session | None, request: dict, job: dict,
                    work: Callable[[Any, Any, Any], dict]) -> dict:
    """The reply to a window's request about the test set: work(net, model, data)'s fields and
    the seconds it took, "again" where the run it asked has ended since, or the error's words."""
    started = time.perf_counter()
    reply: dict[str, Any] = {"request": request["request"]}
    try:
        found = _on_test_set(session, job)
        if found is None:
            return {**reply, "again": True}
        reply.update(work(*found), seconds=time.perf_counter() - started)
    except EngineError as e:
        reply["error"] = str(e)
    return reply


def map_of(session: Session | None, request: dict, job: dict) -> dict:
    """A hidden level's map of the test samples (engine.projection's PCA) for the window, where
    its own forward passes would cost too much (full MNIST's 10,000 digits, 1.79 M
    connections)."""
    from engine.projection import hidden_columns, pca  # noqa: PLC0415

    def work(net: Any, model: Any, data: Any) -> dict:
        levels = hidden_columns(net, model.plan)
        if not levels:
            raise EngineError("the map shows a hidden layer: this network has none")
        level, columns = levels[min(request["level"], len(levels) - 1)]
        a = _in_chunks(model, data.x_test, lambda m, x: m.level_activations(x)[level][:, columns])
        found = pca(a)
        return {"coords": found.coords, "explained": found.explained, "labels": data.labels_test}
    return _test_set_reply(session, request, job, work)


def answers_of(session: Session | None, request: dict, job: dict) -> dict:
    """Each test sample's answer (the output most active) for the window's MNIST dock, where
    answering them there would cost too much (10,000 digits through 1.79 M connections)."""
    return _test_set_reply(session, request, job, lambda _net, model, data: {
        "said": _in_chunks(model, data.x_test, lambda m, x: m.forward(x)[1].argmax(1))})


def _handle(conn: Connection | Outbox, session: Session | None, kind: str,
            args: tuple) -> Session | None:
    if kind == "start":
        return Session(conn, args[0])
    if kind == "surface":  # no run's number: the window matches the request's own
        conn.send(("surface", surface_of(session, *args)))
        return session
    if kind in ("map", "answers"):
        conn.send((kind, (map_of if kind == "map" else answers_of)(session, *args)))
        return session
    if session is None or session.done:
        return session
    if kind == "pause":
        session.running = False
        if session.last is not None:  # always: the window says where it paused from this
            session.publish(session.last)
    elif kind == "resume":
        session.running, session.budget = True, None
    elif kind == "step":
        session.running, session.budget = True, 1
    elif kind == "epoch":
        session.running, session.budget = True, "epoch"
    elif kind == "stop":
        session.finish("stopped")
    elif kind == "set_lr":
        session.trainer.set_learning_rate(args[0])
    elif kind == "set_regularisation":
        session.trainer.set_regularisation(*args)
    elif kind == "set_weights":
        session.trainer.set_weights(*args)
    elif kind == "set_some":
        session.trainer.set_some(*args)
    elif kind == "set_pace":
        session.set_pace(args[0])
    return session


class _Discard:
    """Where warm_up's runs publish: nowhere."""

    def send(self, message: tuple) -> None:
        pass


def warm_up(devices: Sequence[str] = ("cpu",)) -> list[tuple[str, str, str]]:
    """A tiny run for each device, optimiser and loss before the first Train, each a Session as
    a Train starts one (its job read from a dict, its data loaded, its end published): the
    imports, torch's first pass, each optimiser's set-up and CUDA's start happen here, while the
    user looks at the window (a first run's first epoch came 1.2 s after Train, later runs' after
    5 ms; reading the job's network imported numpy.ma, 15 ms of the first run). Leaves torch's
    random state as it was. Returns the (device, optimiser, loss) triples it ran."""
    import torch  # noqa: PLC0415

    from engine.build import from_spec  # noqa: PLC0415
    from engine.settings import CHOICES  # noqa: PLC0415

    state, ran = torch.random.get_rng_state(), []
    cuda_state = torch.cuda.get_rng_state_all() if "cuda" in devices else None
    for device in devices:
        for optimizer in CHOICES["optimizer"]:
            for loss in CHOICES["loss"]:
                net = from_spec("2-2-2", "sigmoid", "softmax" if loss == "ce" else "sigmoid")
                session = Session(_Discard(), {
                    "network": io.to_dict(net), "dataset": {"name": "xor"},
                    "config": {"loss": loss, "optimizer": optimizer, "epochs": 2, "init": "xavier",
                               "device": device}})
                while not session.done:
                    session.advance()
                ran.append((device, optimizer, loss))
    torch.random.set_rng_state(state)
    if cuda_state is not None:
        torch.cuda.set_rng_state_all(cuda_state)
    return ran


def _command_waiting(conn: Connection) -> Callable[[], bool]:
    """Whether a command waits in the pipe: a poll object made once, where the system has one
    (conn.poll makes a selector at each call)."""
    if not hasattr(select, "poll"):
        return conn.poll
    poller = select.poll()
    poller.register(conn.fileno(), select.POLLIN)
    return lambda: bool(poller.poll(0))  # a closed pipe reads as waiting: its recv ends serve


def serve(conn: Connection, threads: int = 1) -> None:
    """The process's main loop: blocks on the pipe while idle or paused, polls it while training."""
    import torch  # noqa: PLC0415

    torch.set_num_threads(threads)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    out = Outbox(conn)
    warm_up(devices)
    # str: its TorchVersion would import torch into the window as the window unpickles it
    out.send(("ready", {"devices": devices, "torch": str(torch.__version__)}))
    session: Session | None = None
    waiting = _command_waiting(conn)
    run = None  # the number of the run the last start asked for
    looked = 0.0
    try:
        while True:
            try:
                now = time.perf_counter()
                due = now - looked >= COMMANDS_EVERY_S
                looked = now if due else looked
                while (session is None or not session.running) or (due and waiting()):
                    kind, *args = conn.recv()
                    if kind == "quit":
                        return
                    if kind == "start":
                        run = args[0].get("run")
                    session = _handle(out, session, kind, tuple(args))
                wait = session.delay()
                if wait > 0:  # a paced run: its time, as a step's, counts in its rate
                    began = time.perf_counter()
                    conn.poll(wait)  # a command ends the wait, and is read next time round
                    session.busy_s += time.perf_counter() - began
                    looked = 0.0
                    continue
                session.advance()
            except EngineError as e:
                session = None
                out.send(("error", str(e), run))
            except (EOFError, BrokenPipeError):
                return
            except Exception:  # a bug: say so, keep the process for the next run
                session = None
                out.send(("error", "the trainer failed:\n" + traceback.format_exc(limit=3), run))
    finally:
        out.close()
