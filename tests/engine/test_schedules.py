"""Learning-rate schedules: each epoch's rate as torch.optim.lr_scheduler gives it, applied by the
trainer, printed by `train`, kept in the file, continued exactly by --resume; bad ones refused."""
import json

import numpy as np
import pytest
import torch

from engine import io, schedules
from engine.build import from_spec
from engine.cli import main
from engine.datasets.registry import load
from engine.errors import EngineError
from engine.training import TrainConfig, Trainer

LR = 0.2


def torch_rates(scheduler_of, epochs: int = 30) -> list[float]:
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=LR)
    scheduler = scheduler_of(optimizer)
    rates = []
    for _ in range(epochs):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


@pytest.mark.parametrize("kind,decay,every,lr_min,scheduler_of", [
    ("constant", 0.5, 10, 0.0, lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: 1.0)),
    ("step", 0.5, 3, 0.0, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    ("exponential", 0.9, 10, 0.0, lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
    ("inverse", 0.3, 10, 0.0,
     lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: 1 / (1 + 0.3 * t))),
    ("cosine", 0.5, 7, 0.01,
     lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.01)),
])
def test_each_epochs_rate_is_torchs(kind, decay, every, lr_min, scheduler_of):
    ours = [schedules.rate(kind, LR, t, decay, every, lr_min) for t in range(30)]
    assert ours == pytest.approx(torch_rates(scheduler_of), rel=1e-9, abs=1e-12)


def test_the_trainer_steps_at_each_epochs_rate_and_a_new_rate_rescales_it():
    data = load("xor")
    config = {"init": "xavier", "epochs": 6, "lr": LR, "schedule": "step", "decay": 0.5,
              "decay_every": 2, "optimizer": "sgd"}
    trainer = Trainer.on(from_spec("2-2-1", "sigmoid", "sigmoid"), TrainConfig.of(config), data)
    seen = []
    for snap in trainer.steps():
        seen.append(trainer.optimizer.lr)
        if snap.epoch == 3:
            trainer.set_learning_rate(1.0)  # within epoch 4 (t = 3): 1.0 · 0.5 at once
    assert seen == [LR, LR, LR / 2, 0.5, 0.25, 0.25]


def test_train_prints_the_rate_and_resume_goes_on_with_the_schedule_bit_for_bit(tmp_path, capsys):
    net = from_spec("2-3-1", "tanh", "sigmoid")
    io.save(net, tmp_path / "net.json")
    argv = ["--dataset", "moons", "--init", "xavier", "--lr", "0.5", "--schedule", "cosine",
            "--decay-every", "5", "--lr-min", "0.05", "--optimizer", "momentum",
            "--batch-size", "50"]
    assert main(["train", str(tmp_path / "net.json"), "--epochs", "6", "-o",
                 str(tmp_path / "whole.json"), *argv]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["lr"] for line in lines] == pytest.approx(
        [schedules.rate("cosine", 0.5, t, 0.5, 5, 0.05) for t in range(6)], rel=1e-12)
    assert main(["train", str(tmp_path / "net.json"), "--epochs", "3", "-o",
                 str(tmp_path / "half.json"), *argv]) == 0
    assert main(["train", str(tmp_path / "half.json"), "--epochs", "3", "--resume", "-o",
                 str(tmp_path / "rest.json"), *argv[:2], *argv[4:]]) == 0
    whole, rest = io.load(tmp_path / "whole.json"), io.load(tmp_path / "rest.json")
    assert np.array_equal(whole.weight, rest.weight) and np.array_equal(whole.bias, rest.bias)
    assert rest.training["schedule"] == "cosine" and rest.training["lr_min"] == 0.05


@pytest.mark.parametrize("argv,why", [
    (["--schedule", "exponential", "--decay", "1.5"], "grow without end"),
    (["--schedule", "step", "--decay", "2"], "grow without end"),
    (["--schedule", "cosine", "--lr-min", "0.5"], "is above the learning rate"),
    (["--schedule", "inverse", "--decay", "0"], "decay"),
    (["--schedule", "step", "--decay-every", "0"], "decay-every"),
    (["--schedule", "cosine", "--lr-min", "nan"], "lr-min"),
])
def test_a_schedule_that_would_break_the_rate_is_refused(tmp_path, capsys, argv, why):
    io.save(from_spec("2-2-1", "sigmoid", "sigmoid"), tmp_path / "net.json")
    assert main(["train", str(tmp_path / "net.json"), "--dataset", "xor", "-o",
                 str(tmp_path / "out.json"), *argv]) == 1
    err = capsys.readouterr().err
    assert why in err and "Traceback" not in err


def test_a_file_with_an_unknown_schedule_is_refused_with_the_field(tmp_path):
    data = io.to_dict(from_spec("2-2-1", "sigmoid", "sigmoid"))
    data["training"] = {"schedule": "linear"}
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(EngineError, match="training.schedule"):
        io.load(tmp_path / "bad.json")
