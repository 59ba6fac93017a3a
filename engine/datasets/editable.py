"""Any small data set as rows the user edits: the network's own table where it trains on one
(imported or painted), else the samples of a gate, toy or curve as rows. The edited table becomes
the network's CSV data ("csv" setting), so it trains, saves and opens as imported data does."""
from __future__ import annotations

from typing import Any

import numpy as np

from engine.datasets import Dataset, DatasetError
from engine.datasets.registry import load
from engine.datasets.table import Table, cell_number, make_dataset, spec_problem, target_kind

MAX_CELLS = 2_000_000  # a table a person reads and types in; MNIST's 784 columns are pictures


def editable(args: dict[str, Any]) -> dict[str, Any]:
    """The table (a "csv" setting) of the data set registry.load takes with args."""
    if args["name"] in ("mnist", "mnist-subset"):
        raise DatasetError("MNIST's samples are 784 pixels each, too wide to edit as rows: draw "
                           "a digit on the MNIST dock's pad instead")
    if args["name"] == "csv":
        spec = args.get("table")
        problem = spec_problem(spec)
        if problem:
            raise DatasetError("there is no CSV data with this network: import a CSV file first"
                               if spec is None else f"the network's CSV data is damaged "
                               f"({problem[0]}: {problem[1]}): import the file again")
        return spec
    return rows_of(load(**{k: v for k, v in args.items() if k != "table"}))


def rows_of(data: Dataset) -> dict[str, Any]:
    """The samples as a table: x1…xk and the class or value, training rows first; a gate's test
    set (its own table again) is left out and the test share kept."""
    same = (len(data.x_train) == len(data.x_test) and np.array_equal(data.x_train, data.x_test))
    x = data.x_train if same else np.concatenate([data.x_train, data.x_test])
    if x.size + len(x) > MAX_CELLS:
        raise DatasetError(f"{data.name}: {len(x):,} samples of {data.n_inputs} inputs are more "
                           f"than {MAX_CELLS:,} cells to edit as rows")
    if data.regression:
        target = "y"
        y = data.y_train if same else np.concatenate([data.y_train, data.y_test])
        values = [str(v) for v in y[:, 0].astype(np.float32)]  # float32's shortest text
    else:
        target = "class"
        labels = data.labels_train if same else np.concatenate([data.labels_train, data.labels_test])
        values = [str(int(v)) for v in labels]
    columns = [f"x{k + 1}" for k in range(data.n_inputs)]
    rows = [[str(v) for v in row] + [value] for row, value in zip(x.astype(np.float32), values)]
    return {"name": f"{data.name} (edited)", "columns": [*columns, target], "rows": rows,
            "first_line": 1, "inputs": columns, "target": target,
            "kind": "numbers" if data.regression else "classes",
            "test": 0.0 if same else round(len(data.x_test) / len(x), 6), "normalise": "none",
            "seed": 0, **({} if data.regression else
                          {"classes": [str(k) for k in range(data.n_classes)]})}


def cell_problem(spec: dict[str, Any], column: int, text: str, table: Table | None = None
                 ) -> str | None:
    """Why text cannot go in this column, or None: an input, or a target of numbers, takes a
    number; a class takes any text but none. table: the spec's rows read already (the kind of an
    "auto" target is found from its numbers once)."""
    name = spec["columns"][column]
    if name in spec["inputs"] or (name == spec["target"] and _numbers_target(spec, table)):
        if cell_number(text) is None:
            role = "an input" if name in spec["inputs"] else "the target to fit"
            return f"column {name!r} is {role}: {text!r} is not a number"
    elif name == spec["target"] and "classes" in spec and text not in spec["classes"]:
        return f"column {name!r} is the class: {text!r} is not one of {', '.join(spec['classes'])}"
    elif name == spec["target"] and not text:
        return f"column {name!r} is the class: it cannot be empty"
    return None


def _numbers_target(spec: dict[str, Any], table: Table | None) -> bool:
    table = table or Table(spec["name"], spec["columns"], spec["rows"], 2)
    return target_kind(table, spec["target"], spec.get("kind", "auto")) == "numbers"


def checked(spec: dict[str, Any]) -> dict[str, Any]:
    """The edited table, if it still makes a data set; else the first problem, by row and
    column."""
    if not spec["rows"]:
        raise DatasetError("a data set keeps one row at least")
    make_dataset(spec)
    return spec
