"""Feature inputs: x₁², x₂², x₁x₂, sin x₁, sin x₂ computed from the two data columns, named by
the input neurons' labels, so one output neuron can draw a circle."""
import json

import numpy as np
import pytest

from engine import io
from engine.build import add_feature_input, from_spec
from engine.cli import main
from engine.datasets import DatasetError
from engine.datasets.features import arrange, fit_inputs, labels_of, widen
from engine.datasets.registry import load
from engine.init import initialise
from engine.trace import grid, truth_table
from engine.training import TrainConfig, Trainer


def test_the_columns_follow_the_labels():
    x = np.array([[2.0, 3.0], [-1.0, 0.5]])
    got = arrange(x, ["x1", "x₁x₂", "x2", "x₂²", "sin x₁"])
    assert np.allclose(got, [[2, 6, 3, 9, np.sin(2)], [-1, -0.5, 0.5, 0.25, np.sin(-1)]])
    assert arrange(x, ["a", "b"]) is x
    with pytest.raises(DatasetError, match="computed from two data columns"):
        arrange(np.ones((2, 3)), ["a", "b", "c", "x₁²"])
    assert np.array_equal(widen(np.array([[1.0, 2.0, 3.0]]), ["a", "x₁²", "b", "c"]),
                          [[1.0, 0.0, 2.0, 3.0]])  # no x₁, x₂ to compute it from: 0


def test_added_inputs_feed_what_the_first_input_feeds_and_are_computed_everywhere():
    net = from_spec("2-3-1", "tanh", "sigmoid")
    nid = add_feature_input(net, "x₁²")
    assert labels_of(net) == ["", "", "x₁²"] and net.neuron(nid).role == "input"
    assert sorted(net.dst[net.src == nid].tolist()) == sorted(net.ids[net.role == 1].tolist())
    table = truth_table(net)
    assert len(table.a) == 4 and np.array_equal(table.a[:, net.index(nid)], [0, 0, 1, 1])
    plane = grid(net, (-1, 1), (-1, 1), 5)
    assert np.allclose(plane.a[:, net.index(nid)], plane.a[:, net.index(int(net.inputs[0]))] ** 2)


def test_one_neuron_draws_a_circle_with_the_squares(device):
    data = load("circles", samples=400, noise=0.05, seed=0)
    config = TrainConfig(optimizer="adam", lr=0.1, batch_size=32, epochs=60, device=device)
    plain = from_spec("2-1", "sigmoid", "sigmoid")
    initialise(plain, "xavier", seed=0)
    line = Trainer(plain, config, data.train(1), data.test(1)).run()
    squares = from_spec("2-1", "sigmoid", "sigmoid")
    for name in ("x₁²", "x₂²"):
        add_feature_input(squares, name)
    initialise(squares, "xavier", seed=0)
    fitted = fit_inputs(data, labels_of(squares))
    circle = Trainer(squares, config, fitted.train(1), fitted.test(1)).run()
    assert line.test_accuracy < 0.75 and circle.test_accuracy > 0.95


def test_the_cli_computes_them_from_the_labels(tmp_path, capsys):
    net = from_spec("2-1", "sigmoid", "sigmoid")
    for name in ("x₁²", "x₂²"):
        add_feature_input(net, name)
    io.save(net, tmp_path / "n.json")
    assert main(["train", str(tmp_path / "n.json"), "--dataset", "circles", "--init", "xavier",
                 "--optimizer", "adam", "--lr", "0.1", "--batch-size", "32", "--epochs", "60",
                 "--device", "cpu", "-o", str(tmp_path / "o.json")]) == 0
    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert last["test_accuracy"] > 0.95  # a plain 2-1 stays near 0.5 on circles
    assert labels_of(io.load(tmp_path / "o.json"))[2:] == ["x₁²", "x₂²"]
