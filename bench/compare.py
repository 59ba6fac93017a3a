"""A comparison against the same runs one after another: 8 variants of 784-32-10 (learning rates,
sigmoid/softmax, cross-entropy, SGD, batch 64) for one epoch of full MNIST, as one comparison
(engine.compare.run_all, a process per core, a thread each) and as 8 `neurocanvas-cli train`
commands one after another (torch's threads), as a user runs them by hand; and, for the cost of
starting processes, the 8 in one process. Prints the wall times and the ratio to the commands
(goal: ≤ 1.0 on 2 cores, ≤ 0.35 on 8 or more).

    python bench/compare.py [--data DIR] [--variants 8] [--spec 784-32-10] [--jobs N]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from engine import compare  # noqa: E402
from engine.build import from_spec  # noqa: E402
from engine.datasets.mnist import find  # noqa: E402
from engine.init import initialise  # noqa: E402
from table import print_rows  # bench/table.py: run as a script, bench/ is on the path


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.environ.get("NEUROCANVAS_MNIST", "../shared/data/mnist"),
                   help="folder of the full MNIST files")
    p.add_argument("--variants", type=int, default=8)
    p.add_argument("--spec", default="784-32-10")
    p.add_argument("--jobs", type=int, help="runs at once (default: one per core)")
    args = p.parse_args()
    if find(args.data) is None:
        sys.exit(f"full MNIST is not in {args.data}: give --data DIR")
    net = from_spec(args.spec, "sigmoid", "softmax")
    initialise(net, "xavier", seed=0)
    rates = [round(0.05 * (k + 1), 2) for k in range(args.variants)]
    settings = {"dataset": "mnist", "data_dir": args.data, "loss": "ce", "optimizer": "sgd",
                "batch_size": 64, "epochs": 1, "init": "keep"}
    found = compare.variants(net, settings, "lr", rates, [0])
    cores = os.cpu_count() or 1

    began = time.perf_counter()
    list(compare.run_all(found, args.jobs))
    at_once = time.perf_counter() - began

    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for v in found:
            start = Path(folder) / "start.json"
            start.write_text(json.dumps(v.network))
            subprocess.run([sys.executable, str(ROOT / "main.py"), "train", str(start),
                            "--dataset", "mnist", "--data", args.data, "--epochs", "1",
                            "--batch-size", "64", "--loss", "ce", "--lr", str(v.value),
                            "-o", str(Path(folder) / "out.json")], check=True,
                           capture_output=True)
    commands = time.perf_counter() - began

    began = time.perf_counter()
    for v in found:
        compare.run(v, threads=cores)
    one_process = time.perf_counter() - began

    ratio = at_once / commands
    print(f"{len(found)} runs of {args.spec}, 1 epoch of full MNIST, {cores} cores")
    print(f"as one comparison: {at_once:.1f} s; {len(found)} train commands: {commands:.1f} s "
          f"(ratio {ratio:.2f}); the {len(found)} in one process: {one_process:.1f} s")
    print_rows([[f"{cores} cores", f"{at_once:.1f} s", f"{commands:.1f} s", f"{ratio:.2f}",
                 "≤ 1.0" if cores < 8 else "≤ 0.35", f"{one_process:.1f} s"]])


if __name__ == "__main__":
    main()
