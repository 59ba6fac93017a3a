"""Painted data: points kept as the network's CSV table, read back as a data set, saved in the
file; a bad point or class refused."""
import json

import numpy as np
import pytest

from engine import io
from engine.build import from_spec
from engine.datasets import DatasetError
from engine.datasets.paint import points_of, sprayed, with_points, without_nearest
from engine.datasets.registry import extent, load


def test_points_of_two_classes_are_a_data_set_that_saves_and_opens(tmp_path):
    table = with_points(None, np.array([[0.1, 0.2], [0.3, -0.4]]), 0)
    table = with_points(table, np.array([[2.5, 1.0]]), 1)
    xy, classes = points_of(table)
    assert xy.tolist() == [[0.1, 0.2], [0.3, -0.4], [2.5, 1.0]] and classes.tolist() == [0, 0, 1]
    data = load("csv", table=table)
    assert sorted(map(tuple, data.x_train.tolist())) == sorted(map(tuple, xy.astype(np.float32).tolist()))
    assert data.n_classes == 2 and len(data.x_test) == 0
    assert extent("csv", table) == ((-1.6, 2.6), (-1.6, 1.6))  # the toys' plane, and the points
    net = from_spec("2-3-1", "tanh", "sigmoid")
    net.training = {"dataset": "csv", "csv": table}
    io.save(net, tmp_path / "painted.json")
    assert points_of(io.load(tmp_path / "painted.json").training["csv"])[0].tolist() == xy.tolist()


def test_the_nearest_point_in_reach_goes_and_the_last_one_stays():
    table = with_points(None, np.array([[0.0, 0.0], [1.0, 1.0]]), 1)
    assert without_nearest(table, (5.0, 5.0), 0.5) is None
    fewer = without_nearest(table, (0.9, 1.1), 0.5)
    assert points_of(fewer)[0].tolist() == [[0.0, 0.0]]
    with pytest.raises(DatasetError, match="last point"):
        without_nearest(fewer, (0.0, 0.0), 0.5)


def test_a_spray_lies_around_the_pointer_and_bad_points_are_refused():
    spray = sprayed((1.0, -1.0), 500, np.random.default_rng(0))
    assert spray.shape == (500, 2) and np.allclose(spray.mean(0), (1.0, -1.0), atol=0.01)
    with pytest.raises(DatasetError, match="class 12"):
        with_points(None, np.zeros((1, 2)), 12)
    with pytest.raises(DatasetError, match="on the plane"):
        with_points(None, np.array([[np.nan, 0.0]]), 0)


def test_points_of_class_1_alone_are_class_1():
    table = with_points(None, np.array([[0.1, 0.2]]), 1)
    data = load("csv", table=table)
    assert data.labels_train.tolist() == [1] and data.n_classes == 2
    table = with_points(table, np.array([[0.3, 0.3]]), 4)
    assert load("csv", table=table).n_classes == 5 and table["classes"][-1] == "4"


def test_points_of_a_value_are_a_regression_and_classes_painted_after_start_anew():
    table = with_points(None, np.array([[0.1, 0.2], [0.5, 0.5]]), value=0.75)
    table = with_points(table, np.array([[-1.0, 1.0]]), value=0.25)
    xy, values = points_of(table)
    assert values.tolist() == [0.75, 0.75, 0.25] and xy.tolist()[2] == [-1.0, 1.0]
    data = load("csv", table=table)
    assert data.regression and sorted(data.y_train[:, 0].tolist()) == [0.25, 0.75, 0.75]
    classes = with_points(table, np.array([[0.0, 0.0]]), 1)  # the other way: a new table
    assert points_of(classes)[1].tolist() == [1] and classes["classes"] == ["0", "1"]
    with pytest.raises(DatasetError, match="must be a number"):
        with_points(table, np.array([[0.0, 0.0]]), value=float("nan"))
    old = json.loads(json.dumps(with_points(None, np.array([[0.0, 0.0], [1.0, 1.0]]), 0)))
    del old["classes"]  # a file from before classes were listed, with classes 0 and 3
    old["rows"][1][2] = "3"
    assert with_points(old, np.array([[0.5, 0.5]]), 0)["classes"] == ["0", "1", "2", "3"]
