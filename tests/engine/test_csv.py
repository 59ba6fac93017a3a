"""Your own data from a CSV file: header detection, columns chosen, one-hot classes or numbers,
a seeded split, normalisation on the training rows, and errors that name the row and column."""
import json

import numpy as np
import pytest

from engine import io
from engine.cli import main
from engine.datasets import DatasetError
from engine.datasets.registry import load
from engine.datasets.table import make_dataset, read_table, spec_of, target_kind

FLOWERS = """length,width,colour,kind
1.0,0.5,3,small
1.2,0.4,2,small
3.1,1.5,5,large
2.9,1.7,4,large
3.3,1.1,6,large
0.9,0.6,1,small
2.0,1.0,7,medium
2.2,1.1,8,medium
"""


def test_a_header_is_detected_and_classes_are_one_hot():
    table = read_table(FLOWERS, "flowers.csv")
    assert table.columns == ["length", "width", "colour", "kind"] and len(table.rows) == 8
    spec = spec_of(table, ["length", "width"], "kind", test=0.25, normalise="none", seed=1)
    data = make_dataset(spec)
    assert data.n_classes == 3 and len(data.x_train) == 6 and len(data.x_test) == 2
    x, y = data.train(3)
    assert y.sum(1).tolist() == [1.0] * 6  # one-hot
    names = ["large", "medium", "small"]  # classes in sorted order
    rows = {(float(r[0]), float(r[1])): names.index(r[3]) for r in table.rows}
    for features, target in zip(np.round(x, 4).tolist(), y.argmax(1).tolist()):
        assert rows[tuple(round(v, 4) for v in features)] == target
    assert make_dataset(spec).x_test.tolist() == data.x_test.tolist()  # the seed decides


def test_without_a_header_the_columns_are_numbered_and_numbers_fit():
    table = read_table("1,2,3.5\n2,3,5.5\n3,4,7.5\n4,5,9.5\n5,6,11.5\n", "plain.csv")
    assert table.columns == ["x1", "x2", "x3"] and table.first_line == 1
    assert target_kind(table, "x3") == "numbers" and target_kind(table, "x1") == "classes"
    data = make_dataset(spec_of(table, ["x1", "x2"], "x3", "numbers", test=0.2))
    assert data.regression and data.train(1)[1].shape == (4, 1)


def test_normalisation_uses_the_training_rows_only():
    table = read_table("a,y\n" + "".join(f"{v},{v % 2}\n" for v in range(10)))
    spec = spec_of(table, ["a"], "y", test=0.3, normalise="standard", seed=0)
    data = make_dataset(spec)
    assert abs(data.x_train.mean()) < 1e-6 and abs(data.x_train.std() - 1) < 1e-6
    minmax = make_dataset({**spec, "normalise": "minmax"})
    assert minmax.x_train.min() == 0 and minmax.x_train.max() == 1


@pytest.mark.parametrize("text, where", [
    ("a,b,c\n1,2,3\n4,5\n", "data.csv: row 3 has 2 cells; the header has 3"),
    ("a,b,c\n1,2,3\n4,five,6\n", "data.csv: row 3, column 'b': 'five' is not a number"),
    ("a,b,c\n\n1,2,3\n7,8,nan\n", "data.csv: row 4, column 'c': 'nan' is not a number"),
    ("a,a,c\n1,2,3\n", "data.csv: row 1: two columns share a name"),
    ("a,b,c\n", "data.csv: the file has a header but no rows"),
])
def test_each_error_names_its_row_and_column(text, where):
    with pytest.raises(DatasetError, match=where.replace("(", r"\(")):
        table = read_table(text, "data.csv")
        make_dataset(spec_of(table, ["a", "b"], "c", "numbers"))


def test_the_input_columns_must_match_the_network():
    table = read_table(FLOWERS, "flowers.csv")
    with pytest.raises(DatasetError, match="3 input columns chosen, but the network has 2 input"):
        make_dataset(spec_of(table, ["length", "width", "colour"], "kind"), n_inputs=2)
    with pytest.raises(DatasetError, match="cannot be an input and the target"):
        make_dataset(spec_of(table, ["length", "kind"], "kind"))


def test_the_cli_trains_on_a_csv_and_keeps_it_in_the_file(tmp_path, capsys):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (200, 2))
    rows = [f"{a:.5f};{b:.5f};{'in' if a * a + b * b < 0.5 else 'out'}" for a, b in x]
    path = tmp_path / "ring.csv"
    path.write_text("x;y;where\n" + "\n".join(rows) + "\n")
    net, out = str(tmp_path / "n.json"), str(tmp_path / "out.json")
    assert main(["new", "--layers", "2-8-1", "--activation", "tanh", "-o", net]) == 0
    assert main(["train", net, "--csv", str(path), "--inputs", "x,y", "--target", "where",
                 "--optimizer", "adam", "--lr", "0.05", "--epochs", "150", "--device", "cpu",
                 "-o", out]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[-1]["test_accuracy"] >= 0.85
    saved = io.load(out)
    assert saved.training["dataset"] == "csv" and saved.training["csv"]["target"] == "where"
    again = load("csv", table=saved.training["csv"])
    assert np.array_equal(again.x_test, make_dataset(saved.training["csv"]).x_test)
    assert main(["train", out, "--epochs", "1", "--device", "cpu", "-o", out]) == 0  # its own data


def test_the_cli_says_what_is_wrong_with_a_csv(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,c\n1,2,3\n4,x,6\n")
    net = str(tmp_path / "n.json")
    assert main(["new", "--layers", "2-2-1", "-o", net]) == 0
    assert main(["train", net, "--csv", str(path), "--inputs", "a,b", "--target", "c",
                 "-o", net]) == 1
    assert "bad.csv: row 3, column 'b': 'x' is not a number" in capsys.readouterr().err
