"""One kind of question to the trainer process about the test set (engine.worker's map_of and
answers_of), as the docks that cannot answer it themselves ask it: one out at a time, the answer
to an older or superseded question dropped, and asked again where the network changed while it
was out or the run it asked had ended."""
from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QObject, Signal, SignalInstance

from gui.training_worker import TrainingClient


class TrainerAsk(QObject):
    answered = Signal(object)  # a current reply: its fields, "seconds", or "error"

    def __init__(self, client: TrainingClient, job: Callable[..., dict | None], kind: str,
                 replies: SignalInstance, again: Callable[[], None], parent: QObject) -> None:
        """again: how the dock asks anew (its own pace), after a change while one was out."""
        super().__init__(parent)
        self.client, self.job, self.kind, self.again = client, job, kind, again
        self.request = 0
        self.asked: float | None = None  # when the question out was asked
        self.last = 0.0  # when the last question was asked, out or answered
        self.changed = False  # the network changed while it was out
        replies.connect(self._heard)

    def ask(self, fields: dict) -> bool:
        """Sends the question, or marks it to be asked again where one is out; False where the
        job cannot be made (full MNIST's folder missing)."""
        if self.asked is not None:
            self.changed = True
            return True
        job = self.job(network=not self.client.busy)  # a run answers with its own numbers
        if job is None:
            return False
        self.request += 1
        self.asked = self.last = time.perf_counter()
        self.changed = False
        self.client.send(self.kind, {"request": self.request, **fields}, job)
        return True

    def forget(self) -> None:
        """Another network: what is out is of the last one."""
        self.request += 1
        self.asked, self.changed = None, False

    def _heard(self, reply: dict) -> None:
        if reply.get("request") != self.request:
            return
        self.asked = None
        if self.changed or reply.get("again"):  # "again": the run ended; asked with the network
            self.again()
        if not reply.get("again"):
            self.answered.emit(reply)
