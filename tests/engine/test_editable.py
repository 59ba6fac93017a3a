"""Any small data set as editable rows: the samples come back as the same data set, a cell that
is not a number is refused with its column, and MNIST is no table."""
import numpy as np
import pytest

from engine.datasets import DatasetError
from engine.datasets.editable import cell_problem, checked, editable
from engine.datasets.paint import with_points
from engine.datasets.registry import load
from engine.datasets.table import make_dataset

ARGS = {"samples": 120, "noise": 0.1, "seed": 3, "test_share": 0.25, "table": None}


def _sorted(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    rows = np.column_stack([x, y])
    return rows[np.lexsort(rows.T[::-1])]


@pytest.mark.parametrize("name", ["xor", "cheese", "moons", "spiral", "sin"])
def test_the_rows_make_the_same_samples_again(name):
    data = load(name, **{k: v for k, v in ARGS.items() if k != "table"})
    spec = editable({"name": name, **ARGS})
    again = make_dataset(spec)
    target = (lambda d, s: getattr(d, f"y_{s}")[:, 0]) if data.regression else \
        (lambda d, s: getattr(d, f"labels_{s}"))
    same = np.array_equal(data.x_train, data.x_test)  # a gate: its test set is its table
    parts = ("train",) if same else ("train", "test")
    before = _sorted(np.concatenate([getattr(data, f"x_{s}") for s in parts]),
                     np.concatenate([target(data, s) for s in parts]))
    after = _sorted(np.concatenate([again.x_train, again.x_test]),
                    np.concatenate([target(again, "train"), target(again, "test")]))
    assert np.array_equal(before, after)  # float32's shortest text reads back exactly
    assert len(again.x_test) == (0 if same else len(data.x_test))
    assert spec["inputs"] == [f"x{k + 1}" for k in range(data.n_inputs)]


def test_a_networks_own_table_is_its_table_and_mnist_is_refused():
    painted = with_points(None, np.array([[0.5, 0.5]]), 1)
    assert editable({"name": "csv", **ARGS, "table": painted}) is painted
    with pytest.raises(DatasetError, match="import a CSV file first"):
        editable({"name": "csv", **ARGS})
    with pytest.raises(DatasetError, match="784 pixels"):
        editable({"name": "mnist-subset", **ARGS})
    with pytest.raises(DatasetError, match="damaged"):
        editable({"name": "csv", **ARGS, "table": {**painted, "rows": [["1", "2"]]}})


def test_a_cell_takes_what_its_column_reads():
    spec = editable({"name": "sin", **ARGS})
    assert cell_problem(spec, 0, "2.5") is None and cell_problem(spec, 1, "-1e-3") is None
    assert "'x1' is an input: 'abc' is not a number" in cell_problem(spec, 0, "abc")
    assert "'y' is the target to fit" in cell_problem(spec, 1, "nan")
    classes = editable({"name": "xor", **ARGS})
    assert cell_problem(classes, 2, "1") is None
    assert "'class' is the class: '2' is not one of 0, 1" in cell_problem(classes, 2, "2")
    imported = {**classes, "kind": "auto", "columns": ["x1", "x2", "class", "note"],
                "rows": [row + ["free text"] for row in classes["rows"]]}
    del imported["classes"]
    assert cell_problem(imported, 2, "yes") is None  # a file's class may be named
    assert "cannot be empty" in cell_problem(imported, 2, "")
    assert cell_problem(imported, 3, "anything") is None  # an unused column takes anything


def test_an_edited_table_is_checked_whole():
    spec = editable({"name": "xor", **ARGS})
    edited = {**spec, "rows": spec["rows"] + [["0.5", "0.5", "1"]]}
    data = make_dataset(checked(edited))
    assert len(data.x_train) == 5 and [0.5, 0.5] in data.x_train.tolist()
    with pytest.raises(DatasetError, match="one row"):
        checked({**spec, "rows": []})
    with pytest.raises(DatasetError, match="row 2, column 'x2': 'x' is not a number"):
        checked({**spec, "rows": [["0", "0", "0"], ["1", "x", "1"]]})
    ones = make_dataset({**spec, "rows": [["0", "0", "1"]]})  # class 1 alone is class 1
    assert ones.labels_train.tolist() == [1] and ones.n_classes == 2
    with pytest.raises(DatasetError, match="row 1, column 'class': '7' is not one of the classes"):
        checked({**spec, "rows": [["0", "0", "7"]]})
