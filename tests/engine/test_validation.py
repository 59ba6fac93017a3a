"""Validation split, early stopping (scikit-learn's tol / n_iter_no_change) and bias init."""
import json

import numpy as np
import pytest

from engine.build import from_spec
from engine.cli import main
from engine.datasets.registry import load
from engine.init import initialise
from engine.training import Plateau, TrainConfig, Trainer, held_out

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
XOR = np.array([[0], [1], [1], [0]], float)


def moons():
    return load("moons", samples=200, noise=0.1, seed=0)


def test_the_split_holds_out_a_seeded_share_and_keeps_every_sample_once():
    x = np.arange(100, dtype=float).reshape(50, 2)
    y = x[:, :1] * 10
    (tx, ty), (vx, vy) = held_out(x, y, 0.2, seed=3)
    assert len(vx) == 10 and len(tx) == 40
    assert sorted(np.concatenate([tx, vx])[:, 0]) == sorted(x[:, 0])
    assert (ty == tx[:, :1] * 10).all() and (vy == vx[:, :1] * 10).all()  # rows stay whole
    again = held_out(x, y, 0.2, seed=3)[1][0]
    other = held_out(x, y, 0.2, seed=4)[1][0]
    assert np.array_equal(again, vx) and not np.array_equal(other, vx)
    assert held_out(x, y, 0.0, seed=3) == ((x, y), None)
    assert len(held_out(x[:2], y[:2], 0.01, 0)[1][0]) == 1  # never an empty side


def test_each_epoch_reports_the_held_out_loss_and_accuracy(device):
    data = moons()
    net = from_spec("2-8-1", "tanh", "sigmoid")
    config = TrainConfig(lr=0.5, batch_size=20, epochs=30, init="xavier", validation=0.25,
                         device=device)
    trainer = Trainer(net, config, data.train(1))
    n = len(data.x_train)
    assert len(trainer.validation.x) == n // 4 and len(trainer.train.x) == n - n // 4
    epochs = [s for s in trainer.steps() if s.epoch_end]
    assert all(s.validation_loss is not None for s in epochs)
    val = trainer.validation.x.cpu().numpy(), trainer.validation.y.cpu().numpy()
    assert epochs[-1].validation_loss == pytest.approx(trainer.cost(*val), rel=1e-6)
    a = trainer.model(trainer.validation.x)[1].detach().cpu().numpy()
    assert epochs[-1].validation_accuracy == ((a >= 0.5) == (val[1] >= 0.5)).mean()
    assert epochs[-1].validation_accuracy > 0.8 and epochs[-1].validation_loss < epochs[0].validation_loss


def test_early_stopping_ends_a_plateaued_run_after_its_patience(device):
    # η so small that no epoch improves the loss by tol: the first sets the best, the next
    # patience + 1 count, and the run ends there
    config = TrainConfig(lr=1e-5, epochs=100, init="xavier", patience=3, tol=1e-4, device=device)
    snaps = list(Trainer(from_spec("2-2-1", "sigmoid"), config, (X, XOR)).steps())
    assert len(snaps) == 5 and snaps[-1].epoch == 5
    assert "improved by less than tol = 0.0001 for 4 epochs in a row (patience 3)" in snaps[-1].early_stop
    assert all(s.early_stop is None for s in snaps[:-1])
    off = TrainConfig(lr=1e-5, epochs=20, init="xavier", device=device)
    assert len(list(Trainer(from_spec("2-2-1", "sigmoid"), off, (X, XOR)).steps())) == 20


def test_an_improvement_resets_the_count():
    plateau = Plateau(patience=2, tol=1e-3)
    said = [plateau.ends(loss, "training") for loss in (1.0, 0.5, 0.4999, 0.4, 0.4, 0.4, 0.4)]
    assert said[:6] == [None] * 6 and "for 3 epochs" in said[6]


def test_it_stops_where_scikit_learn_stops():
    neural = pytest.importorskip("sklearn.neural_network")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its own stop is a ConvergenceWarning-free message
        model = neural.MLPClassifier((2,), solver="sgd", learning_rate_init=0.01, max_iter=500,
                                     tol=1e-3, n_iter_no_change=5, random_state=0).fit(X, XOR[:, 0])
    assert model.n_iter_ < 500  # it did stop early
    plateau = Plateau(patience=5, tol=1e-3)
    ends = [plateau.ends(loss, "training") for loss in model.loss_curve_]
    assert ends.index(next(e for e in ends if e)) == model.n_iter_ - 1


def test_the_validation_loss_drives_early_stopping_when_there_is_one(device):
    config = TrainConfig(lr=1e-5, batch_size=50, epochs=100, init="xavier", validation=0.2,
                         patience=2, device=device)
    last = Trainer(from_spec("2-4-1", "sigmoid"), config, moons().train(1)).run()
    assert last.epoch == 4 and "the validation loss" in last.early_stop


def test_the_cli_prints_validation_and_says_why_it_stopped(tmp_path, capsys):
    net = tmp_path / "n.json"
    assert main(["new", "--layers", "2-4-1", "-o", str(net)]) == 0
    code = main(["train", str(net), "--dataset", "moons", "--validation", "0.2", "--patience", "2",
                 "--lr", "0.00001", "--epochs", "50", "--device", "cpu", "-o", str(net)])
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 4
    assert {"validation_loss", "validation_accuracy"} <= set(lines[0])
    assert "early stopping: the validation loss improved by less than tol" in err


@pytest.mark.parametrize("scheme, check", [
    ("zeros", lambda b: (b == 0).all()),
    ("constant", lambda b: (b == 0.25).all()),
    ("random", lambda b: 0.5 < b.std() < 1.5 and len(set(b)) == len(b)),
])
def test_bias_init(scheme, check):
    net = from_spec("4-30-3", "sigmoid", "sigmoid")
    initialise(net, "nielsen", seed=1, biases=scheme, bias_value=0.25)
    assert check(net.bias[net.role != 0]) and (net.bias[net.role == 0] == 0).all()
    plain = from_spec("4-30-3", "sigmoid", "sigmoid")
    initialise(plain, "nielsen", seed=1)
    assert np.array_equal(plain.weight, net.weight)  # the biases never change the weights


def test_the_trainer_and_the_cli_take_the_bias_init(device, tmp_path):
    net = from_spec("2-3-1", "sigmoid")
    net.set_frozen(ids=[int(net.outputs[0])])
    net.set_biases(np.where(net.role == 2, 0.7, 0.0))
    config = TrainConfig(lr=1e-5, epochs=1, init="xavier", bias_init="constant", bias_value=-2.0,
                         device=device)
    last = Trainer(net, config, (X, XOR)).run()
    hidden = net.role == 1
    assert np.allclose(last.biases[hidden], -2.0, atol=1e-3)
    assert last.biases[net.role == 2][0] == pytest.approx(0.7)  # frozen: as set by hand
    path = tmp_path / "n.json"
    assert main(["new", "--layers", "2-3-1", "--bias-init", "constant", "--bias-value", "1.5",
                 "-o", str(path)]) == 0
    from engine import io
    assert (io.load(path).bias[io.load(path).role != 0] == 1.5).all()


def test_logistic_xor_stuck_at_a_half_is_early_stopping(device):
    """The lecture's scikit-learn result: MLPClassifier((2,), activation="logistic") on XOR
    ends at 50%. Its defaults (Adam, η = 0.001, tol = 1e-4, n_iter_no_change = 10) stop the run
    on the first plateau; without early stopping the same network learns XOR."""
    settings = dict(loss="bce", optimizer="adam", lr=0.001, init="xavier", seed=0, device=device)
    stopped = Trainer(from_spec("2-2-1", "sigmoid"), TrainConfig(
        epochs=20_000, patience=10, tol=1e-4, **settings), (X, XOR)).run()
    assert stopped.early_stop and stopped.epoch < 1000 and stopped.train_accuracy == 0.5
    free = Trainer(from_spec("2-2-1", "sigmoid"), TrainConfig(
        epochs=5000, **{**settings, "lr": 0.05}), (X, XOR)).run()
    assert free.train_accuracy == 1.0
