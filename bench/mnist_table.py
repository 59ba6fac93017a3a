"""Full MNIST with the app's Trainer, as the course trains it: the mean epoch time and the test
accuracy after 1 and after 10 epochs, for 784-15-10, 784-32-10 and 784-100-10 (ReLU, softmax,
cross-entropy, Adam lr 0.001, batch 64, He init) and Nielsen's 784-30-10 (sigmoid, quadratic
cost, SGD η = 3.0, mini-batch 10, Xavier init). Prints a Markdown table for the README.

    python bench/mnist_table.py [--data DIR] [--epochs 10] [--threads 1] [--device cpu|cuda]
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


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=os.environ.get("NEUROCANVAS_MNIST", "../shared/data/mnist"))
    p.add_argument("--epochs", type=int, default=10)
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
    print(f"torch {torch.__version__}, {where}, {args.epochs} epochs\n")
    print("| network | training | s / epoch | test accuracy, 1 epoch | "
          f"{args.epochs} epochs |\n|---|---|---|---|---|")
    for spec, hidden, output, settings in RUNS:
        net = from_spec(spec, hidden, output)
        config = TrainConfig(epochs=args.epochs, seed=0, device=args.device, **settings)
        epochs: list[tuple[float, float]] = []
        Trainer(net, config, data.train(10), data.test(10)).run(
            on_epoch=lambda snap, seconds: epochs.append((seconds, snap.test_accuracy)))
        how = (f"{hidden}/{output}, {settings['loss']}, {settings['optimizer']} "
               f"lr {settings['lr']:g}, batch {settings['batch_size']}")
        print(f"| {spec} | {how} | {statistics.mean(s for s, _ in epochs):.2f} | "
              f"{100 * epochs[0][1]:.1f}% | {100 * epochs[-1][1]:.1f}% |", flush=True)


if __name__ == "__main__":
    main()
