"""Writes resources/examples/*.json from the engine, so the examples stay reproducible.

    python -m resources.make_examples
"""
from __future__ import annotations

from pathlib import Path

from engine import io
from engine.build import COLUMN, ROW, from_spec
from engine.init import initialise
from engine.network import Network

HERE = Path(__file__).parent / "examples"


def perceptron(labels: list[str], weights: list[float], bias: float, out: str,
               dataset: str) -> Network:
    net = Network()
    net.training = {"dataset": dataset}  # its truth table is that data set
    offset = (len(labels) - 1) / 2
    ins = [net.add_neuron("input", "linear", label=name, position=(0.0, (k - offset) * ROW * 1.5))
           for k, name in enumerate(labels)]
    y = net.add_neuron("output", "step", bias=bias, label=out, position=(COLUMN, 0.0))
    net.connect_many(ins, [y] * len(ins), weights)
    return net


def xor_hand_tuned() -> Network:
    """XOR = (x1 OR x2) AND NOT (x1 AND x2): the hidden layer the single neuron lacks."""
    net = Network()
    x1 = net.add_neuron("input", "linear", label="x1", position=(0, -ROW))
    x2 = net.add_neuron("input", "linear", label="x2", position=(0, ROW))
    h_or = net.add_neuron("hidden", "step", bias=-1, label="OR", position=(COLUMN, -ROW))
    h_and = net.add_neuron("hidden", "step", bias=-2, label="AND", position=(COLUMN, ROW))
    y = net.add_neuron("output", "step", bias=-1, label="XOR", position=(2 * COLUMN, 0))
    net.connect_many([x1, x2, x1, x2, h_or, h_and], [h_or, h_or, h_and, h_and, y, y],
                     [1, 1, 1, 1, 1, -2])
    net.training = {"dataset": "xor"}
    return net


def layered(spec: str, hidden: str, output: str, labels: list[str], training: dict) -> Network:
    net = from_spec(spec, hidden, output)
    initialise(net, "xavier", seed=0)
    for nid, label in zip(net.ids.tolist(), labels):
        net.set_label(nid, label)
    net.training = training
    return net


MNIST_TRAINING = {"dataset": "mnist-subset", "loss": "ce", "optimizer": "sgd", "lr": 0.5,
                  "batch_size": 32, "epochs": 5, "init": "keep"}
CONV_TRAINING = {"dataset": "mnist-subset", "loss": "ce", "optimizer": "adam", "lr": 0.001,
                 "batch_size": 32, "epochs": 1, "init": "keep"}


def convnet(spec: str) -> Network:
    """A ReLU convnet with softmax outputs, He-drawn (seed 0), labelled 0-9."""
    net = from_spec(spec, "relu", "softmax")
    initialise(net, "he", seed=0)
    net.training = dict(CONV_TRAINING)
    return net


SIN_TRAINING = {"dataset": "sin", "loss": "mse", "optimizer": "adam", "lr": 0.01, "batch_size": 32,
                "epochs": 200, "init": "keep"}
EXAMPLES = {
    "and": lambda: perceptron(["x1", "x2"], [1, 1], -2, "AND", "and"),
    "or": lambda: perceptron(["x1", "x2"], [1, 1], -1, "OR", "or"),
    "cheese-festival": lambda: perceptron(["good weather", "a friend comes", "near a tram stop"],
                                          [1, 1, 1], -2, "go?", "cheese"),
    "xor-hand-tuned": xor_hand_tuned,
    "xor-2-2-1": lambda: layered("2-2-1", "sigmoid", "sigmoid", ["x1", "x2"],
                                 {"dataset": "xor", "loss": "mse", "optimizer": "adam", "lr": 0.1,
                                  "batch_size": 0, "epochs": 500, "init": "keep",
                                  "pace": 200}),  # 2.5 s: the boundary bends as you watch
    "sin-1-16-1": lambda: layered("1-16-1", "tanh", "linear", ["x"], SIN_TRAINING),
    "mnist-784-15-10": lambda: layered("784-15-10", "sigmoid", "softmax", [], MNIST_TRAINING),
    "mnist-784-32-10": lambda: layered("784-32-10", "sigmoid", "softmax", [], MNIST_TRAINING),
    "mnist-conv8-conv16": lambda: convnet("28x28-conv8k3-pool2-conv16k3-pool2-10"),
}


def main() -> None:
    for name, make in EXAMPLES.items():
        io.save(make(), HERE / f"{name}.json")


if __name__ == "__main__":
    main()
