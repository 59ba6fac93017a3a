"""Your own data from a CSV file: read as text (header detected), then made a Dataset from the
columns chosen as inputs and target, with a seeded train/test split and a normalisation fitted on
the training rows. Every problem names the file's row and column.

A network keeps the table and the choices in its training settings ("csv"), so the data set
travels with its file and the trainer process rebuilds exactly the same one.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.datasets import Dataset, DatasetError

MAX_ROWS = 100_000
MAX_CLASSES = 100
KINDS = ("auto", "classes", "numbers")   # the target: auto, one-hot classes, or numbers to fit
NORMALISATIONS = ("none", "standard", "minmax")


def _number(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    rows: list[list[str]]
    first_line: int  # the file's line of rows[0], for messages

    def column(self, name: str) -> int:
        if name not in self.columns:
            raise DatasetError(f"{self.name}: there is no column {name!r}; it has "
                               f"{', '.join(self.columns)}")
        return self.columns.index(name)

    def numbers(self, name: str) -> np.ndarray:
        """The column as numbers; the first cell that is not one is named by row and column."""
        k = self.column(name)
        out = np.empty(len(self.rows))
        for r, row in enumerate(self.rows):
            value = _number(row[k])
            if value is None:
                raise DatasetError(f"{self.name}: row {r + self.first_line}, column {name!r}: "
                                   f"{row[k]!r} is not a number")
            out[r] = value
        return out


def read_table(text: str, name: str = "data.csv") -> Table:
    """Parses CSV text: a first row with a cell that is not a number is the header (else the
    columns are named x1, x2, …); every row must have the header's number of cells."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = [(k, row) for k, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)
             if any(cell.strip() for cell in row)]
    if not lines:
        raise DatasetError(f"{name}: the file holds no rows")
    first = [cell.strip() for cell in lines[0][1]]
    header = any(_number(cell) is None for cell in first)
    columns = first if header else [f"x{k + 1}" for k in range(len(first))]
    if header and len(set(columns)) != len(columns):
        raise DatasetError(f"{name}: row {lines[0][0]}: two columns share a name")
    body = lines[1:] if header else lines
    if not body:
        raise DatasetError(f"{name}: the file has a header but no rows")
    if len(body) > MAX_ROWS:
        raise DatasetError(f"{name}: {len(body):,} rows is more than {MAX_ROWS:,}")
    rows = []
    for line, row in body:
        if len(row) != len(columns):
            raise DatasetError(f"{name}: row {line} has {len(row)} cells; the "
                               f"{'header' if header else 'first row'} has {len(columns)}")
        rows.append([cell.strip() for cell in row])
    return Table(name, columns, rows, body[0][0])


def read_file(path: str | Path) -> Table:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DatasetError(f"{path.name}: is not UTF-8 text (a CSV file is)") from None
    except OSError as e:
        raise DatasetError(f"{path.name}: cannot read it: {e.strerror}") from None
    return read_table(text, path.name)


def target_kind(table: Table, target: str, kind: str = "auto") -> str:
    """classes or numbers: auto takes classes for text, or for few whole numbers."""
    if kind != "auto":
        return kind
    k = table.column(target)
    cells = [row[k] for row in table.rows]
    values = [_number(c) for c in cells]
    if any(v is None for v in values):
        return "classes"
    whole = all(float(v).is_integer() for v in values)
    return "classes" if whole and len(set(values)) <= 10 else "numbers"


def class_names(table: Table, target: str) -> list[str]:
    """The target's different values in class order: numbers by value, then text."""
    k = table.column(target)
    return sorted({row[k] for row in table.rows}, key=lambda c: (_number(c) is None, _number(c) or 0, c))


def make_dataset(spec: dict[str, Any], n_inputs: int | None = None) -> Dataset:
    """The Dataset a network's "csv" setting describes: its table ("columns", "rows", "name",
    "first_line"), "inputs" (column names), "target", "kind", "test" (share), "normalise",
    "seed". n_inputs, if given, must match the input columns."""
    try:
        table = Table(str(spec["name"]), [str(c) for c in spec["columns"]],
                      [[str(c) for c in r] for r in spec["rows"]], int(spec.get("first_line", 2)))
        if any(len(r) != len(table.columns) for r in table.rows):
            raise ValueError("a row's cells do not match the columns")
    except (KeyError, TypeError, ValueError) as e:
        raise DatasetError(f"the network's CSV data is damaged ({e}): import the file again") from None
    inputs, target = list(spec["inputs"]), spec["target"]
    if not inputs:
        raise DatasetError(f"{table.name}: choose at least one input column")
    if target in inputs:
        raise DatasetError(f"{table.name}: the column {target!r} cannot be an input and the target")
    if n_inputs is not None and len(inputs) != n_inputs:
        raise DatasetError(f"{table.name}: {len(inputs)} input column{'s' * (len(inputs) != 1)} "
                           f"chosen, but the network has {n_inputs} input neurons")
    x = np.stack([table.numbers(c) for c in inputs], 1)
    kind = target_kind(table, target, spec.get("kind", "auto"))
    n = len(x)
    order = np.random.default_rng(spec.get("seed", 0)).permutation(n)
    cut = n - int(round(n * spec.get("test", 0.2)))
    if cut < 1:
        raise DatasetError(f"{table.name}: {n} rows leave none to train on with a test share of "
                           f"{spec.get('test', 0.2)}")
    train, test = order[:cut], order[cut:]
    x = _normalised(x, train, spec.get("normalise", "standard")).astype(np.float32)
    if kind == "classes":
        k = table.column(target)
        names = class_names(table, target)
        if len(names) > MAX_CLASSES:
            raise DatasetError(f"{table.name}: the target {target!r} has {len(names)} different "
                               f"values; as classes it may have at most {MAX_CLASSES}")
        number_of = {name: i for i, name in enumerate(names)}  # not names.index: rows × classes
        labels = np.array([number_of[row[k]] for row in table.rows], np.int64)
        return Dataset(table.name, x[train], labels[train], x[test], labels[test],
                       max(len(names), 2))
    y = table.numbers(target).astype(np.float32)[:, None]
    none = np.zeros(n, np.int64)
    return Dataset(table.name, x[train], none[train], x[test], none[test], 0,
                   y_train=y[train], y_test=y[test])


def _normalised(x: np.ndarray, train: np.ndarray, how: str) -> np.ndarray:
    """Scaled by the training rows' statistics only: the test rows stay unseen."""
    if how == "none":
        return x
    fit = x[train]
    if how == "standard":
        spread = fit.std(0)
        return (x - fit.mean(0)) / np.where(spread > 0, spread, 1.0)
    low, high = fit.min(0), fit.max(0)
    return (x - low) / np.where(high > low, high - low, 1.0)


def spec_of(table: Table, inputs: list[str], target: str, kind: str = "auto", test: float = 0.2,
            normalise: str = "standard", seed: int = 0) -> dict[str, Any]:
    """The "csv" setting a network keeps: the table and the choices, plain JSON."""
    if kind not in KINDS or normalise not in NORMALISATIONS:
        raise DatasetError(f"kind should be one of {KINDS}, normalise one of {NORMALISATIONS}")
    return {"name": table.name, "columns": table.columns, "rows": table.rows,
            "first_line": table.first_line, "inputs": inputs, "target": target,
            "kind": kind, "test": test, "normalise": normalise, "seed": seed}
