"""Experiments side by side: one setting at several values, each over several seeds, trained at
once in worker processes. Every variant of a seed starts from the same initial weights and
shuffles, so only the chosen setting differs; each is the run `neurocanvas-cli train` makes with
the same settings, number for number.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable, Iterator

import numpy as np

from engine import activations, io, settings
from engine.build import from_spec
from engine.datasets.registry import args_of, cached
from engine.errors import EngineError, quoted
from engine.init import SCHEMES, initialise
from engine.memory import check_bytes
from engine.network import Network

# the settings a comparison varies, and how a value is read from text
VARIES: dict[str, type] = {"lr": float, "momentum": float, "batch_size": int, "l1": float,
                           "l2": float, "dropout": float, "optimizer": str, "loss": str,
                           "init": str, "activation": str, "hidden": int, "regularization": str}
# --vary regularization: "none", or one of these with its strength, as "l2:0.01"
PENALTIES = ("l1", "l2", "dropout")
MAX_VALUES = 20
MAX_VARIANTS = 400
MAX_HIDDEN = 4096
# a run's torch threads: a comparison's cores go to runs at once, and one thread sums alike in
# the window, the CLI and `train --threads 1`, number for number
THREADS = 1


class CompareError(EngineError):
    pass


def _value(name: str, text: str) -> Any:
    kind = VARIES[name]
    try:
        value = kind(text)
    except ValueError:
        raise CompareError(f"--vary {name}: {quoted(text)} is not {'a whole number' if kind is int else 'a number'}") from None
    if name == "activation":
        if value not in activations.NAMES or value == "softmax":
            raise CompareError(f"--vary activation: {quoted(value)} is not one of "
                               f"{', '.join(n for n in activations.NAMES if n != 'softmax')}")
    elif name == "regularization":
        return _penalty(value)
    elif name == "hidden":
        if not 1 <= value <= MAX_HIDDEN:
            raise CompareError(f"--vary hidden: {value} is not from 1 to {MAX_HIDDEN}")
    else:
        try:
            settings.check(name, value)
        except settings.SettingError as e:
            raise CompareError(f"--vary {e}") from None
    return value


def _penalty(text: str) -> str:
    """"none", or "l1:λ", "l2:λ", "dropout:p" with a strength the setting allows."""
    if text == "none":
        return text
    kind, _, strength = text.partition(":")
    if kind not in PENALTIES or not strength:
        raise CompareError(f"--vary regularization: {quoted(text)} is not none, or one of "
                           f"{', '.join(PENALTIES)} with its strength, as l2:0.01")
    try:
        number = float(strength)
    except ValueError:
        raise CompareError(f"--vary regularization: {quoted(strength)} is not a number") from None
    try:
        settings.check(kind, number)
    except settings.SettingError as e:
        raise CompareError(f"--vary regularization: {e}") from None
    return f"{kind}:{number:.10g}"


def parse_vary(text: str) -> tuple[str, list]:
    """"lr=0.01,0.1,1" as ("lr", [0.01, 0.1, 1.0])."""
    name, _, values = text.partition("=")
    name = name.strip().replace("-", "_")
    if name not in VARIES or not values:
        raise CompareError(f"--vary {quoted(text)}: write SETTING=V1,V2,… with a setting of "
                           f"{', '.join(VARIES)}")
    return name, check_values(name, [_value(name, v.strip()) for v in values.split(",")])


def check_values(name: str, values: list) -> list:
    if len(values) < 2:
        raise CompareError(f"--vary {name}: a comparison needs two values or more")
    if len(values) > MAX_VALUES:
        raise CompareError(f"--vary {name}: {len(values):,} values is more than the {MAX_VALUES} "
                           "a comparison draws apart")
    if len(set(map(str, values))) != len(values):
        raise CompareError(f"--vary {name}: a value is given twice")
    return values


def parse_seeds(text: str) -> list[int]:
    """"0-19", "0,3,7" or "5"."""
    seeds: list[int] = []
    try:
        for part in text.split(","):
            low, _, high = part.strip().partition("-")
            seeds += range(int(low), int(high or low) + 1)
    except ValueError:
        raise CompareError(f"--seeds {quoted(text)}: write 0-19, or seeds joined by commas") from None
    bad = [s for s in seeds if settings.NUMBERS["seed"].problem(s)]
    if not seeds or bad or len(set(seeds)) != len(seeds):
        raise CompareError(f"--seeds {quoted(text)}: give different seeds from 0 to "
                           f"{settings.SEED_MAX}")
    return seeds


@dataclass(frozen=True)
class Variant:
    value: Any
    seed: int
    network: dict   # io.to_dict of its start: the seed's initial weights
    config: dict    # TrainConfig's fields
    dataset: dict   # engine.datasets.registry.load's arguments


def _hidden_sized(net: Network, size: int) -> Network:
    """The layered network with every hidden layer of this size."""
    if len(net.layers) < 3:
        raise CompareError("--vary hidden needs a layered network with a hidden layer (as New "
                           "from Spec makes)")
    sizes = [len(layer.neurons) for layer in net.layers]
    first_hidden = net.layers[1].neurons[0]
    hidden = activations.NAMES[net.act[net.index(first_hidden)]]
    output = activations.NAMES[net.act[net.index(net.layers[-1].neurons[0])]]
    spec = "-".join(str(s) for s in [sizes[0], *[size] * (len(sizes) - 2), sizes[-1]])
    built = from_spec(spec, hidden, output)
    for nid, label in zip(built.ids[:sizes[0]].tolist(), (net.labels[i] for i in range(sizes[0]))):
        built.set_label(nid, label)
    return built


def _start(net: Network, config: dict, name: str, value: Any, seed: int) -> tuple[Network, dict]:
    """The variant's network, its initial weights drawn for the seed, and its settings."""
    start, config = net.copy(), {**config, "seed": seed, name: value}
    if name == "hidden":
        start = _hidden_sized(net, value)
        config.pop("hidden")
    elif name == "regularization":
        kind, _, strength = config.pop(name).partition(":")
        config.update({penalty: 0.0 for penalty in PENALTIES})
        if strength:
            config[kind] = float(strength)
    elif name == "activation":
        hidden = np.flatnonzero(start.role == 1)
        start.set_activation(start.ids[hidden], value)
        config.pop("activation")
    initialise(start, config["init"], seed, config["init_mean"], config["init_std"],
               biases=config["bias_init"], bias_value=config["bias_value"])
    if name != "hidden":  # frozen numbers stay as they are, as the trainer keeps them
        weights, biases = net.frozen_masks()
        start.weight[weights], start.bias[biases] = net.weight[weights], net.bias[biases]
    start.training = {}
    config["init"] = "keep"  # drawn here, once for every variant of the seed
    return start, config


def variants(net: Network, values: dict, name: str, chosen: list, seeds: list[int]) -> list[Variant]:
    """Every (value, seed) run; values: the network's training settings (as a file keeps them)."""
    if name == "hidden" and (net.role == 1).sum() == 0:
        raise CompareError("--vary hidden: the network has no hidden layer")
    if name == "init" and any(v not in SCHEMES for v in chosen):
        raise CompareError(f"--vary init: choose from {', '.join(SCHEMES)}")
    if len(chosen) * len(seeds) > MAX_VARIANTS:
        raise CompareError(f"{len(chosen)} values × {len(seeds)} seeds is {len(chosen) * len(seeds):,} "
                           f"runs; a comparison makes at most {MAX_VARIANTS}")
    full = {**settings.DEFAULTS, **values}
    config = {k: full[k] for k in settings.RUN if k in full}
    config["device"] = "cpu"  # a run per core: the same numbers as train on the CPU
    dataset = args_of(full)
    found = []
    for seed in seeds:
        for value in chosen:
            start, run_config = _start(net, config, name, value, seed)
            found.append(Variant(value, seed, io.to_dict(start, with_resume=False), run_config,
                                 dataset))
    return found


def run(variant: Variant, threads: int = THREADS,
        on_epoch: Callable[[dict], None] | None = None) -> dict:
    """Trains one variant (in a worker process): its epochs and how it ended; on_epoch hears
    each epoch's numbers as it ends."""
    import torch  # noqa: PLC0415

    from engine.training import TrainConfig, Trainer  # noqa: PLC0415

    torch.set_num_threads(threads)
    began = time.perf_counter()
    data = cached(variant.dataset)  # a process's later runs reuse it
    trainer = Trainer.on(io.from_dict(variant.network), TrainConfig(**variant.config), data)
    epochs: dict[str, list] = {"epoch": [], "loss": [], "train_accuracy": [], "test_accuracy": [],
                               "test_loss": []}
    last = None
    for last in trainer.steps():
        if last.epoch_end:
            ended = {key: last.epoch if key == "epoch" else
                     getattr(last, "epoch_loss" if key == "loss" else key) for key in epochs}
            for key, value in ended.items():
                epochs[key].append(value)
            if on_epoch:
                on_epoch(ended)
    return {"value": variant.value, "seed": variant.seed, "epochs": epochs,
            "stopped": last.stopped if last is not None else None,
            "regression": trainer.regression, "seconds": time.perf_counter() - began}


def serve(conn: Connection) -> None:
    """A comparison's worker process: runs each (k, variant) it is sent, reporting its epochs as
    ("epoch", k, numbers) and its end as ("done", k, result) or ("error", k, why); None ends it."""
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        k, variant = message
        try:
            result = run(variant, THREADS, lambda numbers: conn.send(("epoch", k, numbers)))
        except EngineError as e:
            conn.send(("error", k, str(e)))
        except MemoryError:
            conn.send(("error", k, "the run ran out of memory: compare fewer values at once, "
                                   "or a smaller network"))
        else:
            conn.send(("done", k, result))


def check_memory(found: list[Variant], jobs: int) -> None:
    """Refuses a comparison whose runs at once would not fit in memory, before any starts."""
    if not found:
        return
    n = found[0].network
    count = n["connections"]["count"] if isinstance(n["connections"], dict) else len(n["connections"])
    per_run = 64 * count + 1024 * len(n["neurons"]) + 200 * 2 ** 20  # a trainer process's own
    check_bytes(per_run * min(jobs, len(found)), f"{min(jobs, len(found))} runs at once")


def run_all(found: list[Variant], jobs: int | None = None,
            cores: int | None = None) -> Iterator[dict]:
    """Each variant's result as it finishes, from up to jobs processes at once (default: one
    per core), each run on one thread."""
    cores = cores or os.cpu_count() or 1
    jobs = max(1, min(jobs or cores, len(found)))
    check_memory(found, jobs)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        pending: list[Future] = [pool.submit(run, v) for v in found]
        for future in as_completed(pending):
            yield future.result()


@dataclass(frozen=True)
class Row:
    """One value of the comparison, over its seeds."""
    value: Any
    runs: int
    final_loss: tuple[float, float]        # mean and standard deviation over the seeds
    train_accuracy: tuple[float, float] | None
    test_accuracy: tuple[float, float] | None
    epochs_to_target: float | None         # mean over the seeds that reached it
    reached: int                           # seeds that reached the target
    solved: int                            # seeds whose every test sample came out right
    seconds: float

    def as_json(self) -> dict[str, Any]:
        def pair(p: tuple[float, float] | None) -> dict | None:
            return None if p is None else {"mean": p[0], "std": p[1]}
        return {"value": self.value, "runs": self.runs, "final_loss": pair(self.final_loss),
                "train_accuracy": pair(self.train_accuracy),
                "test_accuracy": pair(self.test_accuracy),
                "epochs_to_target": self.epochs_to_target, "reached": self.reached,
                "solved": self.solved, "seconds": self.seconds}


def _spread(values: list[float | None]) -> tuple[float, float] | None:
    kept = [v for v in values if v is not None and math.isfinite(v)]
    return (float(np.mean(kept)), float(np.std(kept))) if kept else None


def _reached(result: dict, target: float | None) -> int | None:
    """The first epoch at the target: test accuracy ≥ target, or (regression) loss ≤ target."""
    if target is None:
        return None
    e = result["epochs"]
    series = e["test_loss"] if result["regression"] else e["test_accuracy"]
    for epoch, v in zip(e["epoch"], series):
        if v is not None and (v <= target if result["regression"] else v >= target):
            return epoch
    return None


def table(results: list[dict], values: list, target: float | None = None) -> list[Row]:
    """Per value, in the order given: the seeds' results gathered."""
    rows = []
    for value in values:
        mine = [r for r in results if r["value"] == value]
        if not mine:
            continue
        last = [{k: (v[-1] if v else None) for k, v in r["epochs"].items()} for r in mine]
        reached = [e for e in (_reached(r, target) for r in mine) if e is not None]
        rows.append(Row(value, len(mine), _spread([e["loss"] for e in last]) or (math.nan, 0.0),
                        _spread([e["train_accuracy"] for e in last]),
                        _spread([e["test_accuracy"] for e in last]),
                        float(np.mean(reached)) if reached else None, len(reached),
                        sum(1 for e in last if e["test_accuracy"] == 1.0),
                        float(np.mean([r["seconds"] for r in mine]))))
    return rows


CSV_HEAD = ["value", "runs", "final_loss", "final_loss_std", "train_accuracy",
            "train_accuracy_std", "test_accuracy", "test_accuracy_std", "epochs_to_target",
            "reached", "solved", "seconds"]


def csv_rows(rows: list[Row]) -> list[list]:
    def two(p: tuple[float, float] | None) -> list:
        return ["", ""] if p is None else [repr(p[0]), repr(p[1])]
    return [[r.value, r.runs, *two(r.final_loss), *two(r.train_accuracy), *two(r.test_accuracy),
             "" if r.epochs_to_target is None else repr(r.epochs_to_target), r.reached, r.solved,
             repr(r.seconds)] for r in rows]


def kept(name: str, values: list, seeds: list[int], reach: float | None, rows: list[Row]) -> dict:
    """A finished comparison as a network's file keeps it (training.comparison)."""
    return {"vary": name, "values": values, "seeds": seeds, "reach": reach,
            "rows": [row.as_json() for row in rows]}
