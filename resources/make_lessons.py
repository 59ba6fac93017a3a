"""Writes the bundled course, resources/lessons/: each lesson file, its start network where it is
no bundled example, its solution (NAME.solution.json) and course.json, the order.

    python -m resources.make_lessons

Lessons are data (docs/lesson-format.md): this script only keeps the networks reproducible.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import numpy as np

from engine import compare, io
from engine.backprop import backprop
from engine.build import from_spec
from engine.init import initialise
from engine.lesson import FORMAT, SOLUTION, SUFFIX, VERSION
from engine.network import Network
from engine.trace import forward
from resources.make_examples import EXAMPLES, MNIST_TRAINING, perceptron

HERE = Path(__file__).parent / "lessons"
XOR = {"dataset": "xor", "init": "keep", "loss": "mse", "batch_size": 0}
SIN = {"dataset": "sin", "init": "keep", "loss": "mse"}
MNIST_1 = {**MNIST_TRAINING, "epochs": 1}


def layered(spec: str, hidden: str, output: str, training: dict, labels: tuple = ()) -> Network:
    net = from_spec(spec, hidden, output)
    initialise(net, "xavier", seed=0)
    for nid, label in zip(net.ids.tolist(), labels):
        net.set_label(nid, label)
    net.training = dict(training)
    return net


def retrained(net: Network, **changes: Any) -> Network:
    """The same network with other settings: a solution that trains differently."""
    done = net.copy()
    done.training = {**net.training, **changes}
    return done


def gate(weights: list[float], bias: float, dataset: str, out: str = "y",
         activation: str = "step") -> Network:
    labels = ["good weather", "a friend comes", "near a tram stop"] if len(weights) == 3 \
        else ["x1", "x2"]
    net = perceptron(labels, weights, bias, out, dataset)
    net.set_activation(net.outputs, activation)
    return net


def labelled_xor() -> Network:
    """xor-2-2-1 with its hidden and output neurons named, as the notation names them."""
    net = EXAMPLES["xor-2-2-1"]()
    for nid, label in zip(net.ids[2:].tolist(), ("h1", "h2", "y")):
        net.set_label(nid, label)
    net.training = {**net.training, "lr": 0.5, "optimizer": "sgd"}
    return net


def forward_solved() -> Network:
    """w(h1 → y) chosen so that z(y) = 1 for the input (1, 0)."""
    net = labelled_xor()
    h1, h2, y = net.ids[2:].tolist()
    a = forward(net, [[1.0, 0.0]]).a[0]
    rest = net.weight_of(h2, y) * a[net.index(h2)] + net.bias[net.index(y)]
    net.set_weight(h1, y, (1.0 - rest) / a[net.index(h1)])
    return net


def backprop_solved() -> Network:
    """One gradient-descent step on the sample (1, 0) → 1, as Learn one sample takes it."""
    net = labelled_xor()
    step = backprop(net, np.array([1.0, 0.0]), np.array([1.0]), "mse")
    weights, biases = step.updated(net, net.training["lr"])
    net.set_weights(weights)
    net.set_biases(biases)
    return net


def backprop_goal() -> dict:
    solved = backprop_solved()
    h1, y = solved.ids[2], solved.ids[4]
    w = solved.weight_of(int(h1), int(y))
    return {"kind": "weight", "from": "h1", "to": "y", "between": [round(w - 1e-4, 6),
                                                                   round(w + 1e-4, 6)]}


def compared(net: Network, name: str, values: list, seeds: int, reach: float = 1.0) -> Network:
    """The network with a comparison kept in its settings, as Compare… leaves it."""
    done = net.copy()
    found = compare.variants(net, net.training, name, values, list(range(seeds)))
    rows = compare.table(list(compare.run_all(found)), values, reach)
    done.training = {**net.training, "comparison": compare.kept(name, values, list(range(seeds)),
                                                                reach, rows)}
    return done


def comparison(vary: str, values: list, best: Any, by: str, seeds: int = 1) -> dict:
    return {"kind": "comparison", "vary": vary, "values": values, "best": best, "by": by,
            "seeds": seeds}


def trained(kind: str, **fields: Any) -> dict:
    return {"kind": kind, "trained": True, **fields}


PENALTIES = ["none", "l1:0.001", "l2:0.01", "dropout:0.2"]


def _start_overfit() -> Network:
    return layered("2-64-64-1", "relu", "sigmoid", {
        "dataset": "moons", "samples": 30, "noise": 0.3, "test_share": 0.5, "init": "keep",
        "loss": "bce", "optimizer": "adam", "lr": 0.01, "epochs": 1000, "batch_size": 0})


def _start_gd() -> Network:
    return layered("1-1", "linear", "linear", {**SIN, "optimizer": "sgd", "lr": 0.001,
                                               "epochs": 20, "batch_size": 0})


def _start_sklearn() -> Network:
    return layered("2-2-1", "sigmoid", "sigmoid", {**XOR, "optimizer": "sgd", "lr": 2.0,
                                                  "epochs": 3000, "patience": 10})


def _start_activations() -> Network:
    return layered("2-3-1", "sigmoid", "sigmoid", {**XOR, "optimizer": "sgd", "lr": 0.5,
                                                  "epochs": 1000, "init": "xavier"})


def _start_keras() -> Network:
    return layered("2-2-1", "sigmoid", "sigmoid", {
        **XOR, "optimizer": "sgd", "lr": 1.0, "epochs": 2000, "init": "normal",
        "init_mean": 0.75, "init_std": 0.01})


HAND = ["training", "train", "mnist"]  # numbers set by hand: nothing to train
# name, title, start (an example's name, with settings of its own, or a network), solution,
# goals, task, hints, hide
Lesson = tuple[str, str, Any, Callable[[], Network], list, str, list, list]
LESSONS: list[Lesson] = [
    ("01-threshold", "A weighted threshold", lambda: gate([1, 1], 0.0, "and"),
     lambda: gate([1, 1], -1.5, "and"),
     [{"kind": "bias", "neuron": "y", "between": [-1.5, -1.5]},
      {"kind": "weight", "from": "x1", "to": "y", "between": [1, 1]},
      {"kind": "without_training"}],
     "A perceptron fires when its weighted sum reaches a threshold: Σ<sub>j</sub> w<sub>j</sub>"
     "x<sub>j</sub> ≥ threshold. Moving the threshold to the left gives Σ w·x + b ≥ 0 with "
     "<b>b = −threshold</b>. Make this neuron fire only when w·x ≥ 1.5, keeping the weights.",
     ["Select the output neuron: the Inspector shows its bias b.",
      "A threshold of 1.5 is a bias of −1.5."], HAND),
    ("02-and", "AND", ("or", {"dataset": "and"}), lambda: EXAMPLES["and"](),
     [{"kind": "truth_table", "gate": "and"}, {"kind": "without_training"}],
     "AND fires only when both inputs are 1. This neuron computes OR. Change one number so that "
     "the truth table of AND comes out right: the Truth table dock counts the rows.",
     ["Both weights are 1: x1 + x2 is 0, 1 or 2.", "Which threshold lets only 2 through?"],
     HAND),
    ("03-or", "OR", ("and", {"dataset": "or"}), lambda: EXAMPLES["or"](),
     [{"kind": "truth_table", "gate": "or"}, {"kind": "without_training"}],
     "OR fires when at least one input is 1. This neuron computes AND: lower its threshold.",
     ["A threshold of 1 is a bias of −1."], HAND),
    ("04-nand", "NAND", ("and", {"dataset": "nand"}), lambda: gate([-1, -1], 1.5, "nand", "AND"),
     [{"kind": "truth_table", "gate": "nand"}, {"kind": "without_training"}],
     "NAND is NOT AND: 0 only when both inputs are 1. Every other gate can be built from NANDs. "
     "Make this neuron compute it.",
     ["Negative weights: each input that is 1 pulls the sum down.",
      "With w = (−1, −1), the sum is 0, −1 or −2; the bias decides where it fires."],
     HAND),
    ("05-xor", "Why one neuron cannot do XOR", lambda: gate([1, 1], -1.0, "xor"),
     lambda: EXAMPLES["xor-hand-tuned"](),
     [{"kind": "truth_table", "gate": "xor"}, {"kind": "hidden_neurons", "at_most": 2},
      {"kind": "without_training"}],
     "XOR is 1 when exactly one input is 1. One neuron draws one straight line through the "
     "input plane (w<sub>1</sub>x<sub>1</sub> + w<sub>2</sub>x<sub>2</sub> + b = 0), and no line "
     "puts (0, 1) and (1, 0) on one side and (0, 0) and (1, 1) on the other: try it. Then add a "
     "hidden layer of two neurons and set their numbers by hand.",
     ["The Decision boundary dock shows the line.",
      "XOR = (x1 OR x2) AND NOT (x1 AND x2): one hidden neuron for OR, one for AND."],
     HAND),
    ("06-cheese", "The cheese festival: any two reasons", lambda: gate([1, 1, 1], 0.0, "cheese", "go?"),
     lambda: EXAMPLES["cheese-festival"](),
     [{"kind": "truth_table", "gate": "cheese"}, {"kind": "without_training"}],
     "Go to the festival when at least two of three reasons hold: good weather, a friend comes, "
     "a tram stop nearby. With w = (1, 1, 1), which bias says \"two or more\"?",
     ["The sum counts the reasons that hold."], HAND),
    ("07-cheese-tram", "The cheese festival: the tram and one other",
     lambda: EXAMPLES["cheese-festival"](), lambda: gate([1, 1, 10], -11.0, "cheese", "go?"),
     [{"kind": "truth_table", "targets": [0, 0, 0, 1, 0, 1, 0, 1]}, {"kind": "without_training"}],
     "Now you go only when the tram stops nearby <i>and</i> one other reason holds. One big "
     "weight makes one reason necessary: try w = (1, 1, 10).",
     ["With w<sub>3</sub> = 10 the sum is at least 10 only when the tram stops nearby.",
      "b = −11: the tram (10) and one more (1)."], HAND),
    ("08-sigmoid", "Step against sigmoid", "and", lambda: gate([1.25, 1.25], -2.0, "and",
                                                              "AND", "sigmoid"),
     [{"kind": "activation", "neuron": "AND", "is": "sigmoid"},
      {"kind": "output", "neuron": "AND", "input": [1, 1], "between": [0.6, 0.65]}],
     "A step neuron jumps from 0 to 1, so a small change of a weight changes its output not at "
     "all, or completely. σ(z) = 1/(1 + e<sup>−z</sup>) changes smoothly. Make the output a "
     "sigmoid, then nudge the weights until a(AND) for (1, 1) lies between 0.6 and 0.65.",
     ["σ(0) = 0.5; σ(0.5) ≈ 0.62.", "z = w<sub>1</sub> + w<sub>2</sub> − 2 for the input (1, 1)."],
     ["mnist"]),
    ("09-activations", "Activation functions compared",
     lambda: layered("2-4-1", "linear", "sigmoid", {**XOR, "optimizer": "adam", "lr": 0.1,
                                                   "epochs": 500}),
     lambda: layered("2-4-1", "tanh", "sigmoid", {**XOR, "optimizer": "adam", "lr": 0.1,
                                                 "epochs": 500}),
     [trained("accuracy", on="train", at_least=1.0)],
     "This 2-4-1 network's hidden neurons are linear: a(z) = z. Train it on XOR. Then give the "
     "hidden layer sigmoid, tanh, ReLU or leaky ReLU (Layers dock) and train again: which "
     "learn XOR, and why does the linear one never?",
     ["A stack of linear layers is one linear map: one straight line again."], ["mnist"]),
    ("10-one-hot", "One-hot outputs for XOR",
     lambda: layered("2-4-1", "tanh", "sigmoid", {**XOR, "optimizer": "adam", "lr": 0.1,
                                                 "epochs": 500}),
     lambda: layered("2-4-2", "tanh", "softmax", {**XOR, "loss": "ce", "optimizer": "adam",
                                                 "lr": 0.1, "epochs": 300}),
     [{"kind": "outputs", "count": 2, "activation": "softmax"},
      trained("accuracy", on="train", at_least=1.0)],
     "One output says 0 or 1 by being below or above 0.5. A one-hot layer has one output per "
     "class: (1, 0) for 0 and (0, 1) for 1, and the largest output is the answer. Give this "
     "network two softmax outputs, train it with cross-entropy, and compare.",
     ["File ▸ New from Spec… 2-4-2 with softmax outputs: the lesson stays open.",
      "Softmax outputs train with categorical cross-entropy (ce)."], ["mnist"]),
    ("11-softmax", "Softmax on MNIST's outputs",
     lambda: layered("784-15-10", "sigmoid", "sigmoid", {**MNIST_1, "loss": "mse"}),
     lambda: layered("784-15-10", "sigmoid", "softmax", {**MNIST_1, "loss": "ce"}),
     [{"kind": "outputs", "count": 10, "activation": "softmax"},
      trained("accuracy", on="test", at_least=0.8)],
     "Ten sigmoid outputs each say yes or no on their own. Softmax, a<sub>j</sub> = e<sup>z"
     "<sub>j</sub></sup> / Σ<sub>k</sub> e<sup>z<sub>k</sub></sup>, makes them one probability "
     "over the ten digits. Give the outputs softmax, train one epoch with cross-entropy and "
     "reach 80% on the test digits.",
     ["Select the output layer in the Layers dock to change its activation."], []),
    ("12-costs", "Squared error, absolute error and cross-entropy",
     ("mnist-784-15-10", {"epochs": 1, "loss": "mse"}),
     lambda: retrained(EXAMPLES["mnist-784-15-10"](), epochs=1, loss="ce"),
     [trained("accuracy", on="test", at_least=0.8)],
     "The cost says what training minimises: squared error C = 1/(2n) Σ‖y − a‖², absolute "
     "error 1/n Σ|y − a|, cross-entropy −1/n Σ y ln a. Train one epoch with each (the Training "
     "dock's Loss) and find the one that reaches 80% on the test digits.",
     ["With softmax and cross-entropy, ∂C/∂z = a − y: no σ′ slows learning down."], []),
    ("13-forward", "Forward propagation, term by term", labelled_xor, forward_solved,
     [{"kind": "output", "neuron": "y", "input": [1, 0], "value": "z", "between": [0.99, 1.01]},
      {"kind": "without_training"}],
     "Each neuron computes z<sub>j</sub><sup>l</sup> = Σ<sub>k</sub> a<sub>k</sub><sup>l−1</sup>"
     " w<sub>jk</sub><sup>l</sup> + b<sub>j</sub><sup>l</sup>, then a<sub>j</sub><sup>l</sup> = "
     "h(z<sub>j</sub><sup>l</sup>). Put (1, 0) on the inputs and press F5 to see every term. "
     "Then set the weight h1 → y so that z(y) = 1.",
     ["z(y) = w(h1→y)·a(h1) + w(h2→y)·a(h2) + b(y): solve for w(h1→y)."], ["mnist"]),
    ("14-gd-1d", "Gradient descent in one weight",
     _start_gd, lambda: retrained(_start_gd(), lr=0.5),
     [trained("loss", on="train", at_most=0.105)],
     "One weight, one bias: a = w·x + b, fitted to sin x. Gradient descent steps w ← w − η "
     "∂C/∂w down the cost curve. With η = 0.001 twenty steps barely move: find a learning rate "
     "that reaches the bottom (a train loss of 0.105 or less) in 20 epochs. The Surface dock "
     "draws the cost over w and b, and after a run the path its steps took down it.",
     ["Watch the loss in the Plots dock, and the path in the Surface dock.",
      "Too large a rate overshoots: the path jumps from side to side of the bottom, and climbs."],
     ["mnist"]),
    ("15-sgd", "Gradient descent against SGD",
     lambda: layered("1-16-1", "tanh", "linear", {**SIN, "optimizer": "sgd", "lr": 0.1,
                                                 "epochs": 50, "batch_size": 0}),
     lambda: compared(layered("1-16-1", "tanh", "linear", {
         **SIN, "optimizer": "sgd", "lr": 0.1, "epochs": 50, "batch_size": 10}),
         "batch_size", [0, 10, 1], 1),
     [trained("loss", on="train", at_most=0.02),
      comparison("batch_size", [0, 10, 1], 10, "final_loss")],
     "Batch size 0 (all samples) takes one step an epoch. Mini-batches take many: with 10 "
     "samples a batch, 40 steps an epoch. Compare… batch sizes 0, 10 and 1 for 50 epochs: which "
     "ends lowest? Then train with a batch size that reaches a train loss of 0.02.",
     ["An epoch is one pass over the data, whatever the batch size."], ["mnist"]),
    ("16-backprop", "Back propagation: learn one sample", labelled_xor, backprop_solved,
     [backprop_goal(), {"kind": "without_training"}],
     "Back propagation finds δ = ∂C/∂z from the output back, level by level, then ∂C/∂w = a·δ. "
     "Open Learn one sample, choose the sample (1, 0) → 1, follow the steps, and apply one "
     "gradient-descent step with η = 0.5.",
     ["The Learn one sample dock shows each δ with its formula.",
      "Apply the step once: twice moves past the goal."], ["mnist"]),
    ("17-momentum", "Momentum",
     lambda: layered("1-16-1", "tanh", "linear", {**SIN, "optimizer": "momentum", "momentum": 0.0,
                                                 "lr": 0.05, "epochs": 100, "batch_size": 0}),
     lambda: compared(layered("1-16-1", "tanh", "linear", {
         **SIN, "optimizer": "momentum", "momentum": 0.9, "lr": 0.05, "epochs": 100,
         "batch_size": 0}), "momentum", [0.0, 0.5, 0.9], 1),
     [trained("loss", on="train", at_most=0.02),
      comparison("momentum", [0.0, 0.5, 0.9], 0.9, "final_loss")],
     "Momentum keeps a share α of the last step: v ← α v − η ∂C/∂w, w ← w + v. Compare… α = 0, "
     "0.5 and 0.9 over 100 epochs, then train with the one that reaches a train loss of 0.02.",
     ["α = 0 is plain gradient descent."], ["mnist"]),
    ("18-overfitting", "L1, L2 and dropout against overfitting", _start_overfit,
     lambda: compared(retrained(_start_overfit(), l2=0.01), "regularization", PENALTIES, 1),
     [trained("loss", on="test", at_most=1.0), trained("accuracy", on="test", at_least=0.9),
      comparison("regularization", PENALTIES, "l2:0.01", "test_accuracy")],
     "Thirty points and a 2-64-64-1 network: it learns the training points by heart, and its "
     "test loss climbs while the train loss falls (Plots). Add L1 (λ Σ|w|), L2 (λ Σ w²) or "
     "dropout until the test loss stays at 1 or below. Then Compare… the regularisation, "
     "none, l1:0.001, l2:0.01 and dropout:0.2 from the same start: which keeps the most test "
     "points right?",
     ["L2 with λ = 0.01 keeps the weights small.", "Compare the boundary with and without.",
      "Compare…'s Regularisation trains one run per kind, each alone."],
     ["mnist"]),
    ("19-early-stopping", "scikit-learn's XOR: stuck at 50%",
     _start_sklearn, lambda: retrained(_start_sklearn(), patience=0),
     [trained("accuracy", on="train", at_least=1.0)],
     "scikit-learn's MLPClassifier on XOR often ends at 50%. The network is fine: early "
     "stopping ended the run on a plateau of the loss, before it fell. Find the setting that "
     "stopped it and let the same start learn XOR.",
     ["Early stopping is the Training dock's patience."], ["mnist"]),
    ("20-keras-xor", "The Keras XOR models", _start_keras,
     lambda: compared(retrained(_start_keras(), optimizer="adam", lr=0.1, epochs=1000),
                      "optimizer", ["sgd", "momentum", "adam"], 5),
     [trained("accuracy", on="train", at_least=1.0),
      comparison("optimizer", ["sgd", "momentum", "adam"], "adam", "solved", seeds=5)],
     "The Keras XOR example starts every weight from Normal(0.75, 0.01): both hidden neurons "
     "begin nearly the same, and plain SGD (model 1) keeps them so, stuck at 75%. Model 2 "
     "trains the same start with Adam; model 3 adds hidden neurons. With a learning rate of "
     "0.1, Compare… the optimisers over 5 seeds, and make one model reach 100%.",
     ["Adam scales each weight's step by its own gradient history."], ["mnist"]),
    ("21-compare-activations", "Sigmoid against ReLU on XOR, over 20 seeds", _start_activations,
     lambda: compared(_start_activations(), "activation", ["sigmoid", "relu"], 20),
     [comparison("activation", ["sigmoid", "relu"], "relu", "solved", seeds=20)],
     "One run says little: another start may learn or not. Compare… the hidden activation, "
     "sigmoid against ReLU, over 20 seeds: every seed starts both from the same weights. Which "
     "solves XOR from more starts with plain SGD in 1,000 epochs?",
     ["Solved: the whole truth table right at the end of the run.",
      "Sigmoid's slope is at most ¼: its gradients shrink on the way back."], ["mnist"]),
    ("22-mnist", "MNIST: 784-15-10 and 784-32-10",
     ("mnist-784-15-10", {"epochs": 1}),
     lambda: retrained(EXAMPLES["mnist-784-32-10"](), epochs=10),
     [trained("accuracy", on="test", at_least=0.9)],
     "784 pixels in, 10 digits out. One epoch of the 784-15-10 network gets about 83% of the "
     "test digits. Reach 90%: more epochs, more hidden neurons (784-32-10), or both.",
     ["The MNIST dock shows the confusion matrix and what each hidden neuron looks for."], []),
    ("23-sin", "A continuous function: sin x",
     lambda: layered("1-2-1", "tanh", "linear", {**SIN, "optimizer": "adam", "lr": 0.01,
                                                "epochs": 200, "batch_size": 32}),
     lambda: EXAMPLES["sin-1-16-1"](),
     [trained("loss", on="test", at_most=0.006)],
     "A hidden layer of enough neurons can approximate any continuous function. Two tanh "
     "neurons make a rough sin x; how many does it take to bring the test loss to 0.006?",
     ["File ▸ New from Spec… 1-16-1, tanh hidden, linear output: the lesson stays open."],
     ["mnist"]),
    ("24-convnet", "A convolutional network: shared kernels on MNIST",
     ("mnist-conv8-conv16", {"epochs": 1}),
     lambda: retrained(EXAMPLES["mnist-conv8-conv16"](), epochs=3),
     [trained("accuracy", on="test", at_least=0.95)],
     "28x28-conv8k3-pool2-conv16k3-pool2-10: 8 feature maps, each one 3×3 kernel slid over the "
     "digit, 2×2 max-pooling, 16 maps more, pooling again, then 10 outputs. Its 5,258 numbers "
     "are a fifth of 784-32-10's 25,450. Train it and watch the kernels (beside each map) and "
     "the maps change; reach 95% of the test digits. Then open Examples ▸ mnist-784-32-10, "
     "choose the same training (ReLU, Adam at 0.001, batch 32) and compare the two runs in the "
     "Plots dock: which reads more digits after the same epochs?",
     ["Every unit of a map uses its map's kernel: a stroke is found wherever it is.",
      "One epoch is 5,000 digits here; try three."], []),
]

NEXT = "Every goal is met. Open the next lesson from Start here."


def _json(doc: dict) -> str:
    """One field a line, and one goal or hint a line: a file a teacher reads and edits."""
    def value(v: Any) -> str:
        if isinstance(v, list) and v:
            return "[\n  " + ",\n  ".join(json.dumps(x, ensure_ascii=False) for x in v) + "\n ]"
        return json.dumps(v, ensure_ascii=False)
    return "{\n" + ",\n".join(f" {json.dumps(k)}: {value(v)}" for k, v in doc.items()) + "\n}\n"


def write(name: str, title: str, start: Any, solution: Callable[[], Network], goals: list,
          task: str, hints: list, hide: list) -> str:
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "title": title}
    if isinstance(start, tuple):
        doc["network"], doc["training"] = start
    elif isinstance(start, str):
        doc["network"] = start
    else:
        io.save(start(), HERE / f"{name}.start.json")
        doc["network"] = {"file": f"{name}.start.json"}
    doc.update(task=task, hints=hints, goals=goals, hide=hide, next=NEXT)
    (HERE / f"{name}{SUFFIX}").write_text(_json(doc), encoding="utf-8")
    io.save(solution(), HERE / f"{name}{SOLUTION}")
    return f"{name}{SUFFIX}"


def main() -> None:
    HERE.mkdir(exist_ok=True)
    order = [write(*lesson) for lesson in LESSONS]
    course = {"format": "neurocanvas-course", "version": 1,
              "title": "Neural networks, from a threshold to MNIST", "lessons": order}
    (HERE / "course.json").write_text(json.dumps(course, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
