"""`neurocanvas-cli lesson check`: a lesson's goals on its own network or a student's file.

Goals marked "trained" are measured after training a copy as the network's settings say, seeded
and on one thread, so the answer is the same on every machine.
"""
from __future__ import annotations

from engine import lesson as lessons
from engine.errors import EngineError
from engine.goals import Result, describe, measure, needs_training
from engine.network import Network


def trained(net: Network) -> Network:
    """A copy of the network trained as its settings say."""
    import torch  # noqa: PLC0415 (only goals that train need it)

    from engine.training import TrainConfig, Trainer, apply  # noqa: PLC0415

    torch.set_num_threads(1)  # one order of summation everywhere: the same weights bit for bit
    work = net.copy()
    trainer = Trainer.on(work, TrainConfig.of({**net.training, "device": "cpu"}),
                         lessons.data_of(net.training))
    last = trainer.run()
    if last is not None:
        apply(work, last)
    return work


def check(lesson: lessons.Lesson, net: Network | None = None) -> list[Result]:
    """Every goal's result, in the lesson's order; net is a student's work (default: the
    lesson's own start). A network trained by a run carries its optimiser's state."""
    net = lesson.network if net is None else net
    on = lessons.work(net, trained=net.resume is not None)
    after = None
    results = []
    for goal in lesson.goals:
        if needs_training(goal):
            try:
                after = after or lessons.work(trained(net), trained=True)
            except EngineError as e:  # a network its settings cannot train
                results.append(Result(describe(goal), None, False, f"training failed: {e}"))
                continue
            results.append(measure(goal, after))
        else:
            results.append(measure(goal, on))
    return results
