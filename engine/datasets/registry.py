"""Datasets by name, as the CLI and the training dock offer them."""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Callable

import numpy as np

from engine.datasets import Dataset, DatasetError
from engine.datasets.gates import RULES, gate
from engine.datasets.mnist import load_full, load_subset
from engine.datasets.paint import is_painted, points_of
from engine.datasets.table import make_dataset
from engine.datasets.toy import CURVES, MAKERS, curve, toy

NAMES: tuple[str, ...] = (*RULES, *MAKERS, *CURVES, "mnist-subset", "mnist", "csv")


def extent(name: str, table: dict | None = None, axes: tuple[int, int] = (0, 1)
           ) -> tuple[tuple[float, float], tuple[float, float]]:
    """The input plane a data set lies in, with a margin: where its maps are drawn; with more
    than two inputs, the plane of inputs axes."""
    if name in MAKERS:
        return (-1.6, 1.6), (-1.6, 1.6)
    if name == "csv" and is_painted(table):  # the toys' plane, wider where the points go on
        xy, _ = points_of(table)
        low, high = np.minimum(xy.min(0) - 0.1, -1.6), np.maximum(xy.max(0) + 0.1, 1.6)
        return (float(low[0]), float(high[0])), (float(low[1]), float(high[1]))
    if name == "csv" and table is not None:
        try:
            x = make_dataset(table).x_train
        except DatasetError:
            x = None
        if x is not None and x.shape[1] > max(axes):
            x = x[:, list(axes)]
            low, high = x.min(0), x.max(0)
            pad = 0.1 * np.maximum(high - low, 1e-6)
            return (float(low[0] - pad[0]), float(high[0] + pad[0])), (float(low[1] - pad[1]),
                                                                       float(high[1] + pad[1]))
    return (-0.25, 1.25), (-0.25, 1.25)  # the gates' 0/1 corners


def load(name: str, data_dir: str | None = None, samples: int = 500, noise: float = 0.1,
         seed: int = 0, classes: int = 2, progress: Callable[[float], None] | None = None,
         table: dict | None = None, test_share: float = 0.2) -> Dataset:
    """progress, if given, hears how far a long read (full MNIST) is, as a share; table is the
    network's imported CSV data (engine.datasets.table) for the name "csv"."""
    if name in RULES:
        return gate(name)
    if name in MAKERS:
        return toy(name, samples, noise, seed, classes, test_share)
    if name in CURVES:
        return curve(name, samples, noise, seed, test_share)
    if name == "mnist-subset":
        return load_subset()
    if name == "mnist":
        return load_full(data_dir, progress)
    if name == "csv":
        if table is None:
            raise DatasetError("there is no CSV data with this network: import a CSV file first "
                               "(File ▸ Import CSV Data…, or neurocanvas-cli train --csv FILE)")
        return make_dataset(table)
    raise DatasetError(f"unknown dataset {name!r}; choose one of {', '.join(NAMES)}")


def args_of(values: dict) -> dict:
    """load's arguments from a network's training settings (its data set's name and sizes)."""
    from engine.settings import DEFAULTS  # noqa: PLC0415 (settings reads the data sets' names)
    get = {**DEFAULTS, **values}.get
    return {"name": get("dataset") or "xor", "samples": get("samples"), "noise": get("noise"),
            "seed": get("data_seed"), "test_share": get("test_share"), "table": get("csv"),
            "data_dir": get("data_dir")}


@lru_cache(maxsize=4)
def _cached(key: str) -> Dataset:
    args = json.loads(key)
    return load(args.pop("name"), **args)


def cached(args: dict) -> Dataset:
    """load(**args), read once for the same arguments (a lesson's goals, a comparison's runs)."""
    return _cached(json.dumps(args, sort_keys=True))
