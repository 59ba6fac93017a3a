"""Data painted on the input plane: points of a class each, kept as the network's CSV table
("csv" setting, engine.datasets.table) with columns x1, x2 and class, so it trains, saves and
opens as imported data does."""
from __future__ import annotations

from typing import Any

import numpy as np

from engine.datasets import DatasetError
from engine.datasets.table import MAX_ROWS

NAME = "painted"
COLUMNS = ["x1", "x2", "class"]
SPRAY = 0.04  # the spread of a sprayed point around the pointer, in plane units


def is_painted(spec: Any) -> bool:
    return isinstance(spec, dict) and spec.get("name") == NAME and spec.get("columns") == COLUMNS


def points_of(spec: dict | None) -> tuple[np.ndarray, np.ndarray]:
    """The painted points (n, 2) and their classes (n,); none where nothing is painted."""
    if not is_painted(spec):
        return np.zeros((0, 2)), np.zeros(0, np.int64)
    rows = np.array(spec["rows"], dtype=float).reshape(-1, 3)
    return rows[:, :2], rows[:, 2].astype(np.int64)


def with_points(spec: dict | None, xy: np.ndarray, klass: int) -> dict:
    """The painted table with these points of one class added (a new table where the network's
    data is anything else)."""
    if not 0 <= klass <= 9:
        raise DatasetError(f"class {klass}: paint classes 0 to 9")
    xy = np.asarray(xy, float).reshape(-1, 2)
    if not np.isfinite(xy).all():
        raise DatasetError("a painted point must lie on the plane")
    old = spec["rows"] if is_painted(spec) else []
    if len(old) + len(xy) > MAX_ROWS:
        raise DatasetError(f"a painted data set holds at most {MAX_ROWS:,} points")
    rows = old + [[repr(float(x)), repr(float(y)), str(klass)] for x, y in xy]
    highest = max(klass, len(spec.get("classes", ())) - 1 if is_painted(spec) else 1)
    return {"name": NAME, "columns": COLUMNS, "rows": rows, "first_line": 2,
            "inputs": COLUMNS[:2], "target": "class", "kind": "classes", "test": 0.0,
            "normalise": "none", "seed": 0, "classes": [str(k) for k in range(highest + 1)]}


def without_nearest(spec: dict | None, at: tuple[float, float], reach: float) -> dict | None:
    """The painted table without the point nearest to at, if one lies within reach; None where
    none does. The last point stays: a data set holds one at least."""
    xy, _ = points_of(spec)
    if not len(xy):
        return None
    distance = np.hypot(*(xy - np.asarray(at, float)).T)
    k = int(distance.argmin())
    if distance[k] > reach:
        return None
    if len(xy) == 1:
        raise DatasetError("the painted data keeps its last point: paint another first, or "
                           "choose another data set")
    return {**spec, "rows": spec["rows"][:k] + spec["rows"][k + 1:]}


def sprayed(at: tuple[float, float], count: int, rng: np.random.Generator) -> np.ndarray:
    """count points scattered around at, as an airbrush lays them."""
    return np.asarray(at, float) + rng.normal(0.0, SPRAY, (count, 2))
