"""The window's side of the trainer process: starts it in the background, sends commands, and
reads what it publishes at most ~30 times a second, keeping only the latest snapshot."""
from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import queue
import threading

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from engine.worker import serve

POLL_MS = 33
START_AFTER_MS = 150
MAX_MESSAGES = 5000  # read per poll at most


def trainer_threads() -> int:
    """The trainer's torch threads: every core but the one the window needs."""
    return max(1, (os.cpu_count() or 1) - 1)


class TrainingClient(QObject):
    ready = Signal(dict)        # {"devices": [...], "torch": version}
    snapshot = Signal(dict)     # the latest; "losses" holds every step loss since the last one
    epochsEnded = Signal(list)  # every epoch, none dropped: those that came since the last poll
    note = Signal(str)          # e.g. "no CUDA GPU found: training on the CPU"
    loading = Signal(float)     # how far the trainer has read a big data set (full MNIST)
    stateReady = Signal(object) # the run's end, for a later run to go on from (OptimizerState)
    finished = Signal(str)      # "done", "stopped", or why it stopped (NaN, …)
    failed = Signal(str)        # a refused setting, or the process died
    surface = Signal(dict)      # a slice of the loss surface asked for (engine.worker.surface_of)
    map = Signal(object)        # a hidden level's map (engine.worker.map_of; its arrays as they are)
    answers = Signal(object)    # the test samples' answers (engine.worker.answers_of)

    def __init__(self, parent: QObject | None = None, start: bool = True) -> None:
        super().__init__(parent)
        self.devices: list[str] | None = None
        self.busy = False
        self.run: int | None = None  # the run whose messages count; others are dropped
        self._numbers = itertools.count(1)
        self.process = None
        self._notifier: QSocketNotifier | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._closed = False
        if start:  # in the background as the window opens, so Train responds at once; just
            # after the window's first paint, so that its process (importing torch on one of
            # the two cores) does not slow that paint down
            self._starter = QTimer(self, singleShot=True, interval=START_AFTER_MS)  # dies with it
            self._starter.timeout.connect(
                lambda: self.process is None and not self._closed and self._start_process())
            self._starter.start()

    def _start_process(self) -> None:
        ctx = mp.get_context("spawn")  # a fresh interpreter: no Qt state is copied into it
        self._conn, child = ctx.Pipe()
        self.process = ctx.Process(target=serve, args=(child, trainer_threads()), daemon=True,
                                   name="neurocanvas-trainer")
        self.process.start()
        child.close()
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=_deliver, args=(self._conn, self._outbox), daemon=True,
                         name="neurocanvas-commands").start()
        self._timer.start()
        if os.name == "posix":  # the pipe is a socket: read as soon as the trainer writes,
            # not up to POLL_MS later (a 500-epoch XOR run lasts 0.2 s); the timer stays, to
            # notice a process that died
            self._notifier = QSocketNotifier(self._conn.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self.poll)

    def send(self, *message: object) -> None:
        """Queued, and written in order by a thread of its own: the window never waits for a
        trainer that is not reading (a run's every weight is 14 MB at 784-1000-1000-10)."""
        if self.process is None:
            self._start_process()
        self._outbox.put(message)

    def start(self, job: dict) -> None:
        self.busy, self.run = True, next(self._numbers)
        self.send("start", {**job, "run": self.run})

    def abandon(self) -> None:
        """Stops the run and drops all it still sends: its snapshots no longer fit the network."""
        if self.busy:
            self.send("stop")
        self.busy, self.run = False, None

    def poll(self) -> None:
        """Drains the pipe: every epoch in order, then the latest snapshot, then the end."""
        latest, losses, epochs, endings = None, [], [], []
        try:
            for _ in range(MAX_MESSAGES):  # a trainer faster than the window never holds it here
                if not self._conn.poll():
                    break
                kind, payload, *run = self._conn.recv()
                if run and run[0] != self.run:
                    continue
                if kind == "snapshot":
                    losses += payload["losses"]
                    latest = payload
                elif kind == "epochs":
                    epochs += payload
                elif kind in ("finished", "error"):
                    endings.append((kind, payload))
                else:
                    self._dispatch(kind, payload)
        except (EOFError, OSError):
            pass
        if epochs:  # one signal for all of them: XOR runs thousands of epochs a second
            self.epochsEnded.emit(epochs)
        if latest is not None:
            self.snapshot.emit({**latest, "losses": losses})
        for kind, payload in endings:
            self._dispatch(kind, payload)
        if self.process is not None and not self.process.is_alive():
            self._died()

    def _dispatch(self, kind: str, payload: object) -> None:
        if kind == "ready":
            self.devices = payload["devices"]
            self.ready.emit(payload)
        elif kind == "note":
            self.note.emit(payload)
        elif kind == "loading":
            self.loading.emit(payload)
        elif kind == "state":
            self.stateReady.emit(payload)
        elif kind == "surface":
            self.surface.emit(payload)
        elif kind == "map":
            self.map.emit(payload)
        elif kind == "answers":
            self.answers.emit(payload)
        elif kind == "finished":
            self.busy = False
            self.finished.emit(payload)
        elif kind == "error":
            self.busy = False
            self.failed.emit(payload)

    def _died(self) -> None:
        """The process is gone: say so if a run was on; the next command starts a new one (not
        at once, so a process that cannot start does not respawn in a loop)."""
        code = self.process.exitcode
        self._outbox.put(None)
        self._stop_reading()
        self.process = None
        was_busy, self.busy = self.busy, False
        if was_busy:
            self.failed.emit(f"the trainer process stopped unexpectedly (exit code {code}); "
                             "the last good weights are kept")

    def _stop_reading(self) -> None:
        self._timer.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None

    def shutdown(self) -> None:
        self._closed = True
        self._stop_reading()
        if self.process is None:
            return
        self._outbox.put(("quit",))
        self._outbox.put(None)
        self.process.join(2)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(2)


def _deliver(conn: object, outbox: queue.SimpleQueue) -> None:
    while (message := outbox.get()) is not None:
        try:
            conn.send(message)
        except OSError:  # the process is gone: the next poll notices and says so
            return
