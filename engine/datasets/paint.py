"""Data painted on the input plane: points of a class each, or of a value each for a regression,
kept as the network's CSV table ("csv" setting, engine.datasets.table) with columns x1, x2 and
class (or y), so it trains, saves and opens as imported data does."""
from __future__ import annotations

from typing import Any

import numpy as np

from engine.datasets import DatasetError
from engine.datasets.table import MAX_ROWS

NAME = "painted"
COLUMNS = ["x1", "x2", "class"]
VALUE_COLUMNS = ["x1", "x2", "y"]  # points of a value: a regression
SPRAY = 0.04  # the spread of a sprayed point around the pointer, in plane units


def is_painted(spec: Any) -> bool:
    return (isinstance(spec, dict) and spec.get("name") == NAME and
            spec.get("columns") in (COLUMNS, VALUE_COLUMNS))


# the rows last read and their numbers (read-only): a stroke reads the table the last one made,
# and reading 10,000 rows of text took 12 ms of a stroke's 16
_last: list = [None, None, None]


def points_of(spec: dict | None) -> tuple[np.ndarray, np.ndarray]:
    """The painted points (n, 2) and their classes (n,), or their values for a regression;
    none where nothing is painted. Read-only."""
    if not is_painted(spec):
        return np.zeros((0, 2)), np.zeros(0, np.int64)
    rows = spec["rows"]
    if _last[0] is not rows or len(_last[1]) != len(rows):
        cells = np.array(rows, dtype=float).reshape(-1, 3)
        _remember(rows, cells[:, :2], cells[:, 2] if spec["columns"] == VALUE_COLUMNS
                  else cells[:, 2].astype(np.int64))
    return _last[1], _last[2]


def _remember(rows: list, xy: np.ndarray, targets: np.ndarray) -> None:
    for array in (xy, targets):
        array.flags.writeable = False
    _last[:] = rows, xy, targets


def with_points(spec: dict | None, xy: np.ndarray, klass: int | None = None,
                value: float | None = None) -> dict:
    """The painted table with these points of one class (or, given a value, of that value)
    added. A new table where the network's data is anything else, or painted the other way
    (classes, values): undo brings the old one back."""
    if value is None and not (isinstance(klass, int) and 0 <= klass <= 9):
        raise DatasetError(f"class {klass}: paint classes 0 to 9")
    if value is not None and not np.isfinite(value):
        raise DatasetError(f"{value}: a painted value must be a number")
    xy = np.asarray(xy, float).reshape(-1, 2)
    if not np.isfinite(xy).all():
        raise DatasetError("a painted point must lie on the plane")
    columns = COLUMNS if value is None else VALUE_COLUMNS
    same = is_painted(spec) and spec["columns"] == columns
    old = spec["rows"] if same else []
    if len(old) + len(xy) > MAX_ROWS:
        raise DatasetError(f"a painted data set holds at most {MAX_ROWS:,} points")
    cell = str(klass) if value is None else repr(float(value))
    rows = old + [[repr(float(x)), repr(float(y)), cell] for x, y in xy]
    if same:
        had_xy, had = points_of(spec)
    else:
        had_xy, had = np.zeros((0, 2)), np.zeros(0)
    target = np.full(len(xy), klass if value is None else float(value))
    _remember(rows, np.concatenate([had_xy, xy]),
              np.concatenate([had, target]).astype(np.int64 if value is None else float))
    table = {"name": NAME, "columns": columns, "rows": rows, "first_line": 2,
             "inputs": COLUMNS[:2], "target": columns[2], "test": 0.0, "normalise": "none",
             "seed": 0}
    if value is not None:
        return {**table, "kind": "numbers"}
    # every class the table had (a file from before tables named their classes lists none)
    highest = max([klass, 1, int(had.max(initial=0))] +
                  ([len(spec.get("classes", ())) - 1] if same else []))
    return {**table, "kind": "classes", "classes": [str(k) for k in range(highest + 1)]}


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
