"""A trainer process's first run, as the window's Train starts it: the seconds from the job to
its first epoch and to its end (XOR 2-2-1, 500 epochs, the window's settings), in a fresh
process after the warm-up on the CPU alone and after the warm-up on the CPU and the device.

    python bench/first_run.py [--device cpu|cuda] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from table import print_rows  # bench/table.py: run as a script, bench/ is on the path

ROOT = Path(__file__).resolve().parents[1]

ONE_RUN = """
import json, time
from engine import io
from engine.settings import DEFAULTS
from engine.worker import Session, _Discard, warm_up
warm_up({devices})
job = {{"network": io.to_dict(io.load("resources/examples/xor-2-2-1.json")),
        "config": {{**DEFAULTS, "device": "{device}"}}, "dataset": {{"name": "xor"}}}}
start = time.perf_counter()
session, first = Session(_Discard(), job), None
while not session.done:
    session.advance()
    if first is None and session.trainer.epochs_done:
        first = time.perf_counter() - start
print(json.dumps([first, time.perf_counter() - start]))
"""


def one_run(device: str, warmed: list[str]) -> list[float]:
    code = ONE_RUN.format(devices=warmed, device=device)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True, timeout=600)
    return json.loads(out.stdout.splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    import torch  # noqa: PLC0415
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("skipped: no CUDA device here (torch.cuda.is_available() is False)")
    variants = {"warm-up on the CPU alone": ["cpu"]}
    if args.device != "cpu":
        variants[f"warm-up on the CPU and {args.device}"] = ["cpu", args.device]
    times: dict[str, list[list[float]]] = {name: [] for name in variants}
    for _ in range(args.runs):  # alternating, so drift in machine speed hits both alike
        for name, warmed in variants.items():
            times[name].append(one_run(args.device, warmed))
    print(f"XOR 2-2-1 on {args.device}, torch {torch.__version__}, "
          f"median of {args.runs} fresh processes")
    for name, runs in times.items():
        first = statistics.median(r[0] for r in runs)
        whole = statistics.median(r[1] for r in runs)
        print(f"{name:32s}: first epoch {1000 * first:7.1f} ms, the run {whole:.3f} s")
    print_rows([(args.device, f"{1000 * statistics.median(r[0] for r in runs):.1f} ms",
                 f"{statistics.median(r[1] for r in runs):.3f} s") for runs in times.values()])


if __name__ == "__main__":
    main()
