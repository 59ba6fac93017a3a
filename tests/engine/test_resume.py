"""Resume exactly: 10 epochs, save, reopen, 10 more == 20 epochs in one go, bit for bit (CPU)."""
import json

import numpy as np
import pytest

from engine import io
from engine.build import from_spec
from engine.cli import main
from engine.datasets.registry import load
from engine.init import initialise
from engine.io import FileFormatError
from engine.resume import fingerprint
from engine.training import TrainConfig, Trainer, apply, epoch_seed


def start():
    net = from_spec("2-8-1", "tanh", "sigmoid")
    initialise(net, "xavier", seed=0)
    net.set_frozen(ids=[int(net.outputs[0])])  # a frozen bias must stay so across the pause
    return net


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_ten_saved_reopened_and_ten_more_equal_twenty(device, tmp_path, optimizer):
    data = load("moons", samples=200, seed=0).train(1)
    settings = dict(optimizer=optimizer, lr=0.05, batch_size=16, dropout=0.2, l2=1e-3,
                    validation=0.2, seed=5, device=device)
    straight = start()
    apply(straight, Trainer(straight, TrainConfig(epochs=20, **settings), data).run())

    first = start()
    trainer = Trainer(first, TrainConfig(epochs=10, **settings), data)
    apply(first, trainer.run())
    first.resume = trainer.state()
    io.save(first, tmp_path / "ten.json")
    again = io.load(tmp_path / "ten.json")
    assert again.resume.fits(again) and again.resume.epoch == 10
    more = Trainer(again, TrainConfig(epochs=10, resume=True, **settings), data)
    assert more.resume_note == "going on from epoch 10, with the optimiser's state"
    snaps = list(more.steps())
    apply(again, snaps[-1])
    assert snaps[0].epoch == 11 and snaps[-1].epoch == 20
    assert np.array_equal(again.weight, straight.weight) and np.array_equal(again.bias, straight.bias)
    history = more.state().history
    assert history["epoch"] == list(range(1, 21)) and len(history["validation_accuracy"]) == 20


def test_a_changed_network_or_optimiser_starts_afresh(device):
    data = load("xor").train(1)
    net = start()
    net.set_frozen(ids=[int(net.outputs[0])], frozen=False)
    trainer = Trainer(net, TrainConfig(epochs=3, optimizer="adam", device=device), data)
    apply(net, trainer.run())
    net.resume = trainer.state()
    other = TrainConfig(epochs=1, optimizer="momentum", resume=True, device=device)
    assert "the last run used adam in float32, not momentum" in Trainer(net, other, data).resume_note
    net.set_weight(int(net.src[0]), int(net.dst[0]), 0.5)  # a hand edit
    again = Trainer(net, TrainConfig(epochs=1, optimizer="adam", resume=True, device=device), data)
    assert again.resume_note == "a new run starts: the network changed since its last run ended"
    assert list(again.steps())[0].epoch == 1


def test_the_fingerprint_survives_the_file_and_sees_every_number(tmp_path):
    net = start()
    io.save(net, tmp_path / "n.json")
    assert fingerprint(io.load(tmp_path / "n.json")) == fingerprint(net)
    edited = net.copy()
    edited.set_biases(np.where(net.ids == net.ids[-1], np.nextafter(net.bias, 1), net.bias))
    assert fingerprint(edited) != fingerprint(net)


def test_epoch_seeds_differ_for_neighbours():
    seeds = {epoch_seed(s, e) for s in range(20) for e in range(1, 50)}
    assert len(seeds) == 20 * 49 and all(0 <= s < 2 ** 63 for s in seeds)


def test_the_cli_resumes_bit_for_bit(tmp_path, capsys):
    net, ten, more, twenty = (str(tmp_path / f) for f in ("n.json", "10.json", "more.json", "20.json"))
    assert main(["new", "--layers", "2-6-1", "--activation", "tanh", "-o", net]) == 0
    common = ["--dataset", "moons", "--optimizer", "adam", "--lr", "0.02", "--batch-size", "32",
              "--device", "cpu"]
    assert main(["train", net, *common, "--epochs", "20", "-o", twenty]) == 0
    whole = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["train", net, *common, "--epochs", "10", "-o", ten]) == 0
    capsys.readouterr()
    assert main(["train", ten, *common, "--epochs", "10", "--resume", "-o", more]) == 0
    rest = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["epoch"] for r in rest] == list(range(11, 21))
    for a, b in zip(rest, whole[10:]):
        assert {k: v for k, v in a.items() if k != "seconds"} == {k: v for k, v in b.items() if k != "seconds"}
    done, straight = io.load(more), io.load(twenty)
    assert np.array_equal(done.weight, straight.weight) and np.array_equal(done.bias, straight.bias)
    assert done.resume.history["epoch"] == list(range(1, 21))
    assert done.resume.history["loss"] == straight.resume.history["loss"]


def test_the_cli_refuses_a_resume_that_does_not_fit(tmp_path, capsys):
    net = str(tmp_path / "n.json")
    assert main(["new", "--layers", "2-3-1", "-o", net]) == 0
    assert main(["train", net, "--dataset", "xor", "--resume", "-o", net]) == 1
    assert "--resume: the file holds no optimiser state" in capsys.readouterr().err
    assert main(["train", net, "--dataset", "xor", "--epochs", "2", "-o", net]) == 0
    assert main(["train", net, "--dataset", "xor", "--optimizer", "adam", "--resume", "-o", net]) == 1
    assert "the last run used sgd in float32, not adam" in capsys.readouterr().err


@pytest.mark.parametrize("field, value, said", [
    ("optimizer", "rmsprop", "resume.optimizer: 'rmsprop' is not one of sgd"),
    ("fingerprint", "xyz", "resume.fingerprint: should be 8 hexadecimal digits"),
    ("epoch", -1, "resume.epoch: -1 should be a whole number"),
    ("moments", {"buffer": {"weights": "", "biases": ""}}, "resume.moments.buffer.weights: holds 0 values"),
    ("history", {"loss": [1.0], "epoch": []}, "resume.history: should be an object of equally long"),
    ("history", {"loss": [1.0]}, "resume.history.epoch: missing"),
])
def test_a_bad_resume_object_is_a_clear_error(device, tmp_path, field, value, said):
    data = load("xor").train(1)
    net = start()
    trainer = Trainer(net, TrainConfig(epochs=2, optimizer="momentum", device=device), data)
    apply(net, trainer.run())
    net.resume = trainer.state()
    doc = io.to_dict(net)
    doc["resume"][field] = value
    with pytest.raises(FileFormatError, match=said.replace("(", r"\(")):
        io.from_dict(doc, "n.json")


def test_a_history_without_some_columns_goes_on_with_them_unknown(device, tmp_path):
    data = load("xor").train(1)
    net = start()
    trainer = Trainer(net, TrainConfig(epochs=2, device=device), data)
    apply(net, trainer.run())
    net.resume = trainer.state()
    doc = io.to_dict(net)
    doc["resume"]["history"] = {"epoch": [1, 2], "loss": doc["resume"]["history"]["loss"]}
    again = io.from_dict(doc, "n.json")
    assert again.resume.history["test_accuracy"] == [None, None]
    more = Trainer(again, TrainConfig(epochs=1, resume=True, device=device), data)
    more.run()
    assert more.state().history["epoch"] == [1, 2, 3]
