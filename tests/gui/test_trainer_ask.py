"""A question to the trainer about the test set: one out at a time, an old answer dropped, asked
again after a change while it was out or a run that ended, never for a network no longer open."""
from PySide6.QtCore import QObject, Signal

from gui.trainer_ask import TrainerAsk


class Trainer(QObject):
    """The client's side a TrainerAsk uses: busy, send, and the replies' signal."""
    replies = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.busy, self.sent = False, []

    def send(self, kind: str, request: dict, job: dict) -> None:
        self.sent.append((kind, request, job))


def test_one_question_out_at_a_time_and_only_current_answers(qtbot):
    trainer, again, heard = Trainer(), [], []
    jobs = {True: {"network": {"n": 1}}, False: {"network": None}}
    ask = TrainerAsk(trainer, lambda network: jobs[network], "map", trainer.replies,
                     lambda: again.append(True), trainer)
    ask.answered.connect(heard.append)
    assert ask.ask({"level": 0}) and trainer.sent == [("map", {"request": 1, "level": 0},
                                                       jobs[True])]
    assert ask.ask({"level": 1}) and len(trainer.sent) == 1  # one out: marked, not sent
    trainer.replies.emit({"request": 0, "coords": "old"})  # an older question's: dropped
    assert heard == [] and ask.asked is not None
    trainer.replies.emit({"request": 1, "coords": "new"})
    assert heard == [{"request": 1, "coords": "new"}] and again == [True] and ask.asked is None

    trainer.busy = True  # a run answers with its own numbers: no network sent
    ask.ask({"level": 1})
    assert trainer.sent[-1] == ("map", {"request": 2, "level": 1}, jobs[False])
    trainer.replies.emit({"request": 2, "again": True})  # the run ended meanwhile
    assert len(heard) == 1 and again == [True, True]

    ask.ask({"level": 0})
    ask.forget()  # another network: the answer on its way is of the last one
    trainer.replies.emit({"request": 3, "coords": "stale"})
    assert len(heard) == 1 and ask.asked is None
    assert not TrainerAsk(trainer, lambda network: None, "map", trainer.replies, lambda: None,
                          trainer).ask({})  # no job (full MNIST's folder missing)
