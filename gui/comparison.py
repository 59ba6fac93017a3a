"""A comparison's runs in trainer processes (engine.compare.serve), as many at once as the cores
allow with one kept for the window. The window reads their pipes from a timer: no thread of its
own, so nothing waits on the GIL while Qt holds it."""
from __future__ import annotations

import multiprocessing as mp
import os

from PySide6.QtCore import QObject, QTimer, Signal

from engine.compare import Variant, check_memory, serve

POLL_MS = 30


def jobs_for(runs: int, cores: int | None = None) -> int:
    """Processes at once: one a core but the one the window keeps, and no more than the runs."""
    return max(1, min((cores or os.cpu_count() or 1) - 1, runs))


class ComparisonRun(QObject):
    epoch = Signal(int, dict)     # run k's numbers at the end of an epoch
    finished = Signal(int, dict)  # run k's result
    failed = Signal(int, str)     # run k could not run: why
    done = Signal()               # every run has ended

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.variants: list[Variant] = []
        self._workers: list[tuple[mp.process.BaseProcess, object]] = []
        self._next = 0
        self._left: set[int] = set()  # runs not yet ended
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self.poll)

    @property
    def running(self) -> bool:
        return bool(self._left)

    def start(self, variants: list[Variant], cores: int | None = None) -> None:
        """Starts the runs; raises TooBigError (nothing started) if they would not fit."""
        jobs = jobs_for(len(variants), cores)
        check_memory(variants, jobs)
        self.stop()
        self.variants, self._next, self._left = variants, 0, set(range(len(variants)))
        ctx = mp.get_context("spawn")
        for _ in range(jobs):
            conn, child = ctx.Pipe()
            process = ctx.Process(target=serve, args=(child,), daemon=True,
                                  name="neurocanvas-compare")
            process.start()
            child.close()
            self._workers.append((process, conn))
            self._hand_out(conn)
        self._timer.start()

    def _hand_out(self, conn) -> None:
        if self._next < len(self.variants):
            conn.send((self._next, self.variants[self._next]))
            self._next += 1
        else:
            conn.send(None)

    def poll(self) -> None:
        for process, conn in list(self._workers):
            try:
                while conn.poll():
                    self._handle(conn, conn.recv())
            except (EOFError, OSError):
                self._workers.remove((process, conn))
                if self._left and not self._workers:
                    self._end_all("a trainer process ended unexpectedly")

    def _handle(self, conn, message: tuple) -> None:
        kind, k, body = message
        if kind == "epoch":
            self.epoch.emit(k, body)
            return
        self._left.discard(k)
        (self.finished if kind == "done" else self.failed).emit(k, body)
        self._hand_out(conn)
        if not self._left:
            self._timer.stop()
            self.done.emit()

    def _end_all(self, why: str) -> None:
        left, self._left = sorted(self._left), set()
        for k in left:
            self.failed.emit(k, why)
        self._timer.stop()
        self.done.emit()

    def stop(self) -> None:
        """Ends every process at once (a run half done is dropped)."""
        self._timer.stop()
        for process, conn in self._workers:
            conn.close()
            process.terminate()
            process.join(1)
        self._workers, self._left = [], set()
