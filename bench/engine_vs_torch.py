"""One MNIST epoch of 784-32-10 (ReLU, softmax, cross-entropy, SGD lr 0.1, batch 64):
the Trainer with a snapshot every step against a plain PyTorch loop on preloaded tensors, and
scikit-learn's MLPClassifier when it is installed. Prints seconds and ratios (median of runs).

    python bench/engine_vs_torch.py [--data DIR] [--runs 5] [--threads 1]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from engine.build import from_spec  # noqa: E402
from engine.datasets.mnist import find, load_full, load_subset  # noqa: E402
from engine.init import initialise  # noqa: E402
from engine.training import TrainConfig, Trainer  # noqa: E402

BATCH, LR = 64, 0.1


def plain_epoch(x: torch.Tensor, labels: torch.Tensor) -> float:
    model = nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    start = time.perf_counter()
    order = torch.randperm(len(x))
    for i in range(0, len(x), BATCH):
        idx = order[i:i + BATCH]
        loss = F.cross_entropy(model(x[idx]), labels[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return time.perf_counter() - start


def trainer_epoch(data) -> tuple[float, int]:
    net = from_spec("784-32-10", "relu", "softmax")
    initialise(net, "xavier", seed=0)
    config = TrainConfig(loss="ce", optimizer="sgd", lr=LR, batch_size=BATCH, epochs=1, device="cpu")
    trainer = Trainer(net, config, data.train(10))
    start = time.perf_counter()
    snapshots = sum(1 for _ in trainer.steps())
    return time.perf_counter() - start, snapshots


def sklearn_epoch(data) -> float | None:
    try:
        from sklearn.neural_network import MLPClassifier  # noqa: PLC0415
    except ImportError:
        return None
    clf = MLPClassifier(hidden_layer_sizes=(32,), solver="sgd", batch_size=BATCH,
                        learning_rate_init=LR, momentum=0.0, max_iter=1)
    start = time.perf_counter()
    clf.partial_fit(data.x_train, data.labels_train, classes=list(range(10)))
    return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=os.environ.get("NEUROCANVAS_MNIST", "../shared/data/mnist"))
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--threads", type=int, default=1, help="torch threads (the trainer process uses 1)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    data = load_full(args.data) if find(args.data) else load_subset()
    x, labels = torch.as_tensor(data.x_train), torch.as_tensor(data.labels_train)
    plain, ours, sk = [], [], []
    for _ in range(args.runs):  # interleaved, so drift in machine speed hits both alike
        plain.append(plain_epoch(x, labels))
        seconds, snapshots = trainer_epoch(data)
        ours.append(seconds)
        sk.append(sklearn_epoch(data))
    p_med, o_med = statistics.median(plain), statistics.median(ours)
    print(f"data: {data.name}, {len(data.x_train)} digits, batch {BATCH}, torch threads {args.threads}")
    print(f"plain torch loop : {p_med:.3f} s/epoch")
    print(f"Trainer          : {o_med:.3f} s/epoch ({snapshots} snapshots)")
    print(f"ratio Trainer / plain torch : {o_med / p_med:.3f}  (must stay <= 1.10)")
    if sk[0] is not None:
        s_med = statistics.median(sk)
        print(f"scikit-learn MLPClassifier : {s_med:.3f} s/epoch")
        print(f"ratio Trainer / scikit-learn : {o_med / s_med:.3f}  (goal < 1)")
    else:
        print("scikit-learn not installed: ratio against MLPClassifier skipped")


if __name__ == "__main__":
    main()
