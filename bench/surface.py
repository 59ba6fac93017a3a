"""A slice of the loss surface against an epoch: 784-32-10 (sigmoid, softmax, cross-entropy, SGD,
batch 64) trains one epoch of full MNIST with the path kept, then a 41 × 41 slice along two random
directions is computed on the first 1,000 test digits (engine.surface, as the Surface dock asks
the trainer process). Prints the slice's time as a share of the epoch's (goal: under 10) and
against a plain torch loop of the same 1,681 forward passes, the same run.

    python bench/surface.py [--data DIR] [--spec 784-32-10] [--points 41] [--threads 1]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from engine import surface  # noqa: E402
from engine.build import from_spec  # noqa: E402
from engine.datasets.mnist import find  # noqa: E402
from engine.datasets.registry import load  # noqa: E402
from engine.training import TrainConfig, Trainer  # noqa: E402
from table import print_rows  # bench/table.py: run as a script, bench/ is on the path


def plain_forwards(trainer: Trainer, points: int) -> float:
    """The same forward passes and losses in plain torch: nn.Linear layers, weights set per point."""
    x, labels = trainer.test.x[:1000], trainer.test.labels[:1000]
    shapes = [w.shape for w in trainer.model._w]
    layers = [torch.nn.Linear(rows, cols) for rows, cols in shapes]
    theta = torch.nn.utils.parameters_to_vector([p for layer in layers for p in layer.parameters()])
    d1, d2 = torch.randn_like(theta), torch.randn_like(theta)
    began = time.perf_counter()
    with torch.no_grad():
        for a in torch.linspace(-1, 1, points):
            for b in torch.linspace(-1, 1, points):
                torch.nn.utils.vector_to_parameters(theta + a * d1 + b * d2,
                                                    [p for layer in layers for p in layer.parameters()])
                h = torch.sigmoid(layers[0](x))
                for layer in layers[1:-1]:
                    h = torch.sigmoid(layer(h))
                float(torch.nn.functional.cross_entropy(layers[-1](h), labels))
    return time.perf_counter() - began


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.environ.get("NEUROCANVAS_MNIST", "../shared/data/mnist"),
                   help="folder of the full MNIST files")
    p.add_argument("--spec", default="784-32-10")
    p.add_argument("--points", type=int, default=41)
    p.add_argument("--threads", type=int, default=1, help="torch threads (the window's trainer "
                                                          "uses one per core but one)")
    args = p.parse_args()
    if find(args.data) is None:
        sys.exit(f"full MNIST is not in {args.data}: give --data DIR")
    torch.set_num_threads(args.threads)
    data = load("mnist", args.data)
    trainer = Trainer.on(from_spec(args.spec, "sigmoid", "softmax"), TrainConfig.of(
        {"loss": "ce", "optimizer": "sgd", "lr": 0.5, "batch_size": 64, "epochs": 1,
         "init": "xavier"}), data)
    path = surface.Path(trainer.model.flat.numel())
    began = time.perf_counter()
    for _ in trainer.steps():
        path.add(trainer.model.flat)
    epoch = time.perf_counter() - began

    began = time.perf_counter()
    directions = [surface.random(trainer, k) for k in range(2)]
    found = surface.compute(trainer, directions, 1.0, args.points, "test", 1000, path)
    slice_s = time.perf_counter() - began
    plain = plain_forwards(trainer, args.points)
    print(f"{args.spec}, {args.threads} thread(s): an epoch {epoch:.2f} s; a {args.points}² slice "
          f"{slice_s:.2f} s ({slice_s / epoch:.2f} epochs, {len(found.path)} path points); the "
          f"same forward passes in plain torch {plain:.2f} s (ratio {slice_s / plain:.2f})")
    print_rows([[args.spec, f"{args.points} × {args.points}", args.threads, f"{epoch:.2f} s",
                 f"{slice_s:.2f} s", f"{slice_s / epoch:.2f}", "< 10", f"{plain:.2f} s",
                 f"{slice_s / plain:.2f}"]])


if __name__ == "__main__":
    main()
