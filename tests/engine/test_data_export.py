"""Any data set as CSV: every sample's inputs, class or value and split, read back as they were;
a set too big for a table refused."""
import csv
import io

import numpy as np
import pytest

from engine.datasets import Dataset, DatasetError
from engine.datasets.export import csv_text
from engine.datasets.registry import load


@pytest.mark.parametrize("name", ["moons", "sin", "xor"])
def test_every_sample_reads_back_as_it_was(name):
    data = load(name, samples=60)
    rows = list(csv.reader(io.StringIO(csv_text(data))))
    head, body = rows[0], rows[1:]
    assert head[-1] == "split" and head[-2] == ("y" if data.regression else "class")
    assert len(body) == len(data.x_train) + len(data.x_test)
    x = np.array([[float(v) for v in row[:-2]] for row in body])
    assert np.array_equal(x.astype(np.float32), np.concatenate([data.x_train, data.x_test]))
    targets = [float(row[-2]) for row in body]
    expected = (np.concatenate([data.y_train, data.y_test])[:, 0] if data.regression else
                np.concatenate([data.labels_train, data.labels_test]))
    assert np.allclose(targets, expected)
    assert [row[-1] for row in body].count("test") == len(data.x_test)


def test_a_set_too_big_for_a_table_is_refused(monkeypatch):
    import engine.datasets.export as export
    monkeypatch.setattr(export, "MAX_CELLS", 100)
    with pytest.raises(DatasetError, match="more than 100 cells"):
        csv_text(load("moons", samples=60))
    tiny = Dataset("t", np.zeros((1, 2)), np.zeros(1, int), np.zeros((0, 2)), np.zeros(0, int), 2)
    assert csv_text(tiny).splitlines() == ["x1,x2,class,split", "0.0,0.0,0,train"]
