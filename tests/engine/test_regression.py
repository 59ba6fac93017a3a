"""Regression: a linear output and squared error fit y = sin x ("every bounded continuous function
can be approximated")."""
import json

import numpy as np

from engine.build import from_spec
from engine.cli import main
from engine.datasets import DatasetError
from engine.datasets.registry import load
from engine.init import initialise
from engine.trace import forward
from engine.training import TrainConfig, Trainer, apply


def test_the_sin_set_is_noisy_sin_with_a_test_fifth():
    data = load("sin", samples=500, noise=0.1, seed=1)
    assert data.regression and data.x_train.shape == (400, 1) and data.x_test.shape == (100, 1)
    residual = data.y_train - np.sin(data.x_train)
    assert abs(residual.std() - 0.1) < 0.02 and abs(residual.mean()) < 0.02
    assert data.x_train.min() >= -np.pi and data.x_train.max() <= np.pi
    try:
        data.train(2)
    except DatasetError as e:
        assert "regression set with 1 target per sample, so the network needs 1 output, not 2" in str(e)
    else:
        raise AssertionError("2 outputs for 1 target")


def test_a_hidden_layer_fits_sin_to_a_low_loss(device):
    data = load("sin", samples=500, noise=0.05, seed=0)
    net = from_spec("1-16-1", "tanh", "linear")
    initialise(net, "xavier", seed=0)
    config = TrainConfig(loss="mse", optimizer="adam", lr=0.01, batch_size=32, epochs=300,
                         device=device)
    trainer = Trainer(net, config, data.train(1), data.test(1), regression=True)
    last = trainer.run()
    apply(net, last)
    assert last.train_accuracy is None and last.test_accuracy is None
    # the noise alone costs ½·0.05² = 0.00125
    assert last.test_loss < 0.005 and last.epoch_loss < 0.005
    xs = np.linspace(-3, 3, 61)[:, None]
    assert np.abs(forward(net, xs).outputs - np.sin(xs)).max() < 0.15
    one_neuron = from_spec("1-1", "linear", "linear")  # a line cannot: its best is far worse
    initialise(one_neuron, "xavier", seed=0)
    line = Trainer(one_neuron, config, data.train(1), data.test(1), regression=True).run()
    assert line.test_loss > 10 * last.test_loss


def test_the_cli_prints_the_test_loss(tmp_path, capsys):
    net = str(tmp_path / "n.json")
    assert main(["new", "--layers", "1-8-1", "--activation", "tanh", "--output-activation",
                 "linear", "-o", net]) == 0
    assert main(["train", net, "--dataset", "sin", "--epochs", "3", "--batch-size", "32",
                 "--device", "cpu", "-o", net]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert set(lines[0]) == {"epoch", "loss", "test_loss", "seconds"} and lines[-1]["test_loss"] > 0
