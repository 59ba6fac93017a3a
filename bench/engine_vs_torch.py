"""One MNIST epoch (784-32-10 by default, or a convnet's spec; ReLU, softmax, cross-entropy, SGD lr 0.1, batch 64):
the Trainer with a snapshot every step against a plain PyTorch loop on preloaded tensors, on
the same device, and scikit-learn's MLPClassifier (CPU) when it is installed. Prints seconds
and ratios (median of runs); --profile prints where the Trainer's epoch spends its time.

    python bench/engine_vs_torch.py [--data DIR] [--runs 5] [--threads 1] [--device cpu|cuda]
                                    [--spec 784-1000-1000-10] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from engine.build import from_spec  # noqa: E402
from engine.spec import parse  # noqa: E402
from engine.datasets.mnist import find, load_full, load_subset  # noqa: E402
from engine.init import initialise  # noqa: E402
from engine.training import TrainConfig, Trainer  # noqa: E402
from table import print_rows  # bench/table.py: run as a script, bench/ is on the path

BATCH, LR = 64, 0.1


def plain_model(spec: str) -> nn.Sequential:
    """The spec as torch.nn layers, ReLU between them: Conv2d, MaxPool2d, Flatten, Linear."""
    parts = parse(spec).parts
    image = len(parts[0].shape) == 2
    layers: list[nn.Module] = [nn.Unflatten(1, (1, *parts[0].shape))] if image else []
    for before, part in zip(parts, parts[1:]):
        conv = part.conv
        if conv is None:
            layers += [nn.Flatten()] if len(before.shape) > 1 else []
            layers += [nn.Linear(before.size, part.size), nn.ReLU()]
        elif conv.kind == "conv":
            channels = before.shape[0] if len(before.shape) == 3 else 1
            layers += [nn.Conv2d(channels, part.channels, conv.size, conv.stride, conv.padding),
                       nn.ReLU()]
        else:
            layers.append(nn.MaxPool2d(conv.size, conv.stride))
    return nn.Sequential(*layers[:-1])


def plain_epoch(spec: str, x: torch.Tensor, labels: torch.Tensor) -> float:
    model = plain_model(spec).to(x.device)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    synchronize(x.device)
    start = time.perf_counter()
    order = torch.randperm(len(x), device=x.device)
    for i in range(0, len(x), BATCH):
        idx = order[i:i + BATCH]
        loss = F.cross_entropy(model(x[idx]), labels[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    synchronize(x.device)
    return time.perf_counter() - start


def trainer_epoch(spec: str, data, device: str, profile: bool = False) -> tuple[float, int]:
    net = from_spec(spec, "relu", "softmax")
    initialise(net, "xavier", seed=0)
    config = TrainConfig(loss="ce", optimizer="sgd", lr=LR, batch_size=BATCH, epochs=1,
                         device=device)
    trainer = Trainer(net, config, data.train(10))
    synchronize(trainer.device)
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    snapshots = sum(1 for _ in trainer.steps())
    synchronize(trainer.device)
    seconds = time.perf_counter() - start
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
    return seconds, snapshots


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


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
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads (the window's trainer uses one per core but one)")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    p.add_argument("--spec", default="784-32-10", help="layers, 784 inputs (or 28x28) and 10 "
                   "outputs, e.g. 28x28-conv32k3-pool2-conv64k3-pool2-10")
    p.add_argument("--profile", action="store_true", help="cProfile one more Trainer epoch")
    args = p.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("skipped: no CUDA device here (torch.cuda.is_available() is False)")
    torch.set_num_threads(args.threads)
    data = load_full(args.data) if find(args.data) else load_subset()
    device = torch.device(args.device)
    x = torch.as_tensor(data.x_train, device=device)
    labels = torch.as_tensor(data.labels_train, device=device)
    plain_epoch(args.spec, x, labels)  # the device's first use (CUDA's kernels load) off the clock
    plain, ours, sk = [], [], []
    for _ in range(args.runs):  # interleaved, so drift in machine speed hits both alike
        plain.append(plain_epoch(args.spec, x, labels))
        seconds, snapshots = trainer_epoch(args.spec, data, args.device)
        ours.append(seconds)
        sk.append(sklearn_epoch(data) if args.spec == "784-32-10" else None)
    p_med, o_med = statistics.median(plain), statistics.median(ours)
    where = (torch.cuda.get_device_name() if args.device == "cuda"
             else f"CPU, torch threads {args.threads}")
    print(f"{args.spec}, data: {data.name}, {len(data.x_train)} digits, batch {BATCH}, "
          f"torch {torch.__version__}, {where}")
    print(f"plain torch loop : {p_med:.3f} s/epoch")
    print(f"Trainer          : {o_med:.3f} s/epoch ({snapshots} snapshots)")
    print(f"ratio Trainer / plain torch : {o_med / p_med:.3f}  (must stay <= 1.10)")
    if sk[0] is not None:
        s_med = statistics.median(sk)
        print(f"scikit-learn MLPClassifier : {s_med:.3f} s/epoch")
        print(f"ratio Trainer / scikit-learn : {o_med / s_med:.3f}  (goal < 1)")
    elif args.spec == "784-32-10":
        print("scikit-learn not installed: ratio against MLPClassifier skipped")
    print_rows([("plain PyTorch loop", f"{p_med:.3f}", 1),
                (f"NeuroCanvas Trainer, {snapshots} snapshots", f"{o_med:.3f}",
                 f"{o_med / p_med:.2f} × plain torch (must stay ≤ 1.10)")])
    if args.profile:
        trainer_epoch(args.spec, data, args.device, profile=True)


if __name__ == "__main__":
    main()
