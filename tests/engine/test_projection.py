"""A hidden layer's map: PCA as numpy's SVD gives it, a fixed sign, and the activations it maps."""
import numpy as np
import pytest

from engine.build import from_spec
from engine.init import initialise
from engine.projection import activations_of, hidden_levels, pca, plane_grid
from engine.trace import forward


def test_pca_is_the_svds_first_two_components():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(300, 6)) @ rng.normal(size=(6, 6)) + 3.0
    found = pca(a)
    centred = a - a.mean(0)
    u, s, vt = np.linalg.svd(centred, full_matrices=False)
    for k in range(2):  # each component is the SVD's, up to its sign
        sign = np.sign(found.components[k] @ vt[k])
        assert np.allclose(found.components[k], sign * vt[k])
        assert np.allclose(found.coords[:, k], sign * u[:, k] * s[k])
    assert found.explained == pytest.approx(s[:2] ** 2 / np.sum(s ** 2))
    assert np.allclose(found.place(a), found.coords)
    for seed in range(5):  # a slightly other layer maps the same way round, not mirrored
        nudged = pca(a + 1e-6 * np.random.default_rng(seed).normal(size=a.shape))
        assert np.allclose(nudged.components, found.components, atol=1e-4)
    assert all(c[np.abs(c).argmax()] > 0 for c in found.components)


def test_a_layer_of_one_neuron_or_one_sample_still_maps():
    one = pca(np.arange(5.0)[:, None])
    assert one.coords.shape == (5, 2) and not one.coords[:, 1].any()
    assert one.explained.tolist() == [1.0, 0.0]
    same = pca(np.ones((4, 3)))
    assert not same.coords.any() and same.explained.tolist() == [0.0, 0.0]


def test_the_activations_are_the_forward_passes_hidden_ones_in_chunks():
    net = from_spec("4-5-3-2", "tanh", "sigmoid")
    initialise(net, "xavier", 0)
    levels = hidden_levels(net)
    assert [len(n) for n in levels] == [5, 3]
    x = np.random.default_rng(1).normal(size=(70, 4))
    chunks = list(activations_of(net, x, levels[1], chunk=32))
    assert [len(c) for c in chunks] == [32, 32, 6]
    assert np.array_equal(np.concatenate(chunks), forward(net, x).a[:, levels[1]])


def test_the_plane_grid_is_lines_of_constant_x2_then_of_constant_x1():
    lines = plane_grid((-1.0, 1.0), (0.0, 2.0), lines=3, points=5)
    assert len(lines) == 6 and all(line.shape == (5, 2) for line in lines)
    assert lines[0][:, 1].tolist() == [0.0] * 5 and lines[2][:, 1].tolist() == [2.0] * 5
    assert lines[3][:, 0].tolist() == [-1.0] * 5 and lines[4][:, 1].tolist() == [0, 0.5, 1, 1.5, 2]


def test_the_trainer_process_maps_and_answers_the_test_set_as_the_window_would():
    from engine import io
    from engine.datasets.mnist import load_subset
    from engine.worker import answers_of, map_of
    net = from_spec("784-16-10", "relu", "softmax")
    initialise(net, "he", 3)
    job = {"network": io.to_dict(net), "config": {}, "dataset": {"name": "mnist-subset"}}
    digits = load_subset()
    found = map_of(None, {"request": 7, "level": 0}, job)
    expected = pca(forward(net, digits.x_test).a[:, hidden_levels(net)[0]])
    assert found["request"] == 7 and found["seconds"] > 0
    assert np.allclose(found["coords"], expected.coords, atol=1e-4)
    assert np.array_equal(found["labels"], digits.labels_test)
    said = answers_of(None, {"request": 8}, job)["said"]
    assert np.array_equal(said, forward(net, digits.x_test).predicted())
    ended = {**job, "network": None}  # asked of a run that has ended since: ask again
    assert map_of(None, {"request": 9, "level": 0}, ended) == {"request": 9, "again": True}
    flat = io.to_dict(from_spec("784-10", "linear", "softmax"))
    assert "has none" in map_of(None, {"request": 1, "level": 0}, {**job, "network": flat})["error"]
