"""Full MNIST with the app's Trainer, as the course trains it: the mean epoch time and the test
accuracy after 1 and after 10 epochs, for 784-15-10, 784-32-10 and 784-100-10 (ReLU, softmax,
cross-entropy, Adam lr 0.001, batch 64, He init) and Nielsen's 784-30-10 (sigmoid, quadratic
cost, SGD η = 3.0, mini-batch 10, Xavier init); then after 1 and 2 epochs for two convnets, the
Keras tiny convnet's 34,826 numbers and a small one of 5,258 (ReLU, softmax, cross-entropy,
Adam lr 0.001, batch 32, He init). Prints Markdown tables for docs/performance.md.

    python bench/mnist_table.py [--data DIR] [--epochs 10] [--conv-epochs 2] [--threads 1]
                                [--device cpu|cuda] [--only conv|dense]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from engine.build import from_spec  # noqa: E402
from engine.datasets.mnist import find, load_full  # noqa: E402
from engine.training import TrainConfig, Trainer  # noqa: E402

ADAM = {"loss": "ce", "optimizer": "adam", "lr": 0.001, "batch_size": 64, "init": "he"}
RUNS = (("784-15-10", "relu", "softmax", ADAM), ("784-32-10", "relu", "softmax", ADAM),
        ("784-100-10", "relu", "softmax", ADAM),
        ("784-30-10", "sigmoid", "sigmoid",
         {"loss": "mse", "optimizer": "sgd", "lr": 3.0, "batch_size": 10, "init": "xavier"}))
CONV = {**ADAM, "batch_size": 32}
CONV_RUNS = (("28x28-conv32k3-pool2-conv64k3-pool2-10", "relu", "softmax", CONV),
             ("28x28-conv8k3-pool2-conv16k3-pool2-10", "relu", "softmax", CONV))


def table(runs: tuple, epochs: int, data, device: str) -> None:
    print(f"| network | training | s / epoch | test accuracy, 1 epoch | {epochs} epochs |\n"
          "|---|---|---|---|---|")
    for spec, hidden, output, settings in runs:
        net = from_spec(spec, hidden, output)
        config = TrainConfig(epochs=epochs, seed=0, device=device, **settings)
        ended: list[tuple[float, float]] = []
        Trainer(net, config, data.train(10), data.test(10)).run(
            on_epoch=lambda snap, seconds: ended.append((seconds, snap.test_accuracy)))
        how = (f"{hidden}/{output}, {settings['loss']}, {settings['optimizer']} "
               f"lr {settings['lr']:g}, batch {settings['batch_size']}")
        print(f"| {spec} | {how} | {statistics.mean(s for s, _ in ended):.2f} | "
              f"{100 * ended[0][1]:.2f}% | {100 * ended[-1][1]:.2f}% |", flush=True)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=os.environ.get("NEUROCANVAS_MNIST", "../shared/data/mnist"))
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--conv-epochs", type=int, default=2)
    p.add_argument("--only", choices=("conv", "dense"), help="one of the two tables")
    p.add_argument("--threads", type=int, default=1, help="torch threads (the app's trainer uses 1)")
    p.add_argument("--device", default="cpu")
    args = p.parse_args()
    if find(args.data) is None:
        sys.exit(f"full MNIST is not in {args.data}: pass --data DIR")
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("skipped: no CUDA device here (torch.cuda.is_available() is False)")
    torch.set_num_threads(args.threads)
    data = load_full(args.data)
    where = torch.cuda.get_device_name() if args.device == "cuda" else f"CPU, {args.threads} thread(s)"
    print(f"torch {torch.__version__}, {where}\n")
    if args.only != "conv":
        table(RUNS, args.epochs, data, args.device)
    if args.only != "dense":
        print()
        table(CONV_RUNS, args.conv_epochs, data, args.device)


if __name__ == "__main__":
    main()
