"""The loss surface: a slice's middle is the network's own cost, a one-weight-one-bias network's
slice is its whole cost function (checked against the formula), random directions are scaled
per neuron, the path is each kept step's numbers, and bad requests are refused."""
import json

import numpy as np
import pytest
import torch

from engine import surface
from engine.build import from_spec
from engine.cli import main
from engine.datasets.registry import load
from engine.init import initialise
from engine.io import save
from engine.training import TrainConfig, Trainer


def trainer_of(spec, hidden, output, dataset, **config):
    net = from_spec(spec, hidden, output)
    data = load(dataset, samples=200, noise=0.1, seed=0)
    return Trainer.on(net, TrainConfig.of({"init": "xavier", "epochs": 3, **config}), data)


def test_the_middle_is_the_networks_own_cost_and_its_numbers_stay():
    t = trainer_of("2-4-1", "tanh", "sigmoid", "moons", loss="bce", l2=0.01)
    before = t.model.flat.clone()
    found = surface.compute(t, [surface.random(t, 0), surface.random(t, 1)], 0.5, 7)
    assert found.centre == t.data_cost(t.train) and found.loss.shape == (7, 7)
    assert found.alphas[3] == 0 and torch.equal(t.model.flat, before)
    assert found.loss.std() > 0


def test_one_weight_and_one_bias_give_the_whole_cost_function():
    t = trainer_of("1-1", "linear", "linear", "sin")
    x, y = (v.numpy().astype(np.float64)[:, 0] for v in (t.train.x, t.train.y))
    w, b = float(t.model._w[0][0, 0]), float(t.model._b[0][0])
    found = surface.compute(t, [surface.named(t, "#0:#1"), surface.named(t, "#1")], 2.0, 9,
                            samples=10_000)
    for i, alpha in enumerate(found.alphas):
        for j, beta in enumerate(found.betas):
            cost = np.sum(((w + alpha) * x + b + beta - y) ** 2) / (2 * len(x))
            assert found.loss[i, j] == pytest.approx(cost, rel=1e-5)
    assert found.along == ["w #0→#1", "b #1"]


def test_a_random_direction_is_scaled_to_each_neurons_incoming_weights():
    t = trainer_of("2-5-3-2", "relu", "sigmoid", "blobs")
    direction, _ = surface.random(t, 4)
    weights = t.model.masked_weights()
    at = 0
    for w in weights:
        d = direction[at:at + w.numel()].view(w.shape)
        assert torch.allclose(d.norm(dim=0), w.norm(dim=0), rtol=1e-5)
        at += w.numel()
    assert not direction[at:].any()  # biases stay still
    assert not torch.equal(direction, surface.random(t, 5)[0])


def test_a_random_direction_never_moves_a_connection_that_is_not_there():
    net = from_spec("2-3-1", "tanh", "sigmoid")
    net.disconnect(int(net.ids[0]), int(net.ids[2]))
    t = Trainer.on(net, TrainConfig.of({"init": "xavier"}), load("moons", samples=50))
    direction, _ = surface.random(t, 0)
    level = t.model.plan.levels[0]
    assert direction[:6].view(2, 3)[0, list(level.neurons).index(2)] == 0
    assert np.count_nonzero(direction[:6].numpy()) == 5


def test_the_path_is_each_kept_steps_numbers_along_the_directions(monkeypatch):
    t = trainer_of("1-1", "linear", "linear", "sin", lr=0.3, epochs=40)
    monkeypatch.setattr(surface, "PATH_BYTES", 4 * 2 * 16)  # room for 16 steps of 2 numbers
    path = surface.Path(t.model.flat.numel())
    seen = [t.model.flat.clone().numpy()]
    path.add(t.model.flat)
    for _ in t.steps():
        path.add(t.model.flat)
        seen.append(t.model.flat.clone().numpy())
    assert len(path.kept) <= 16 and path.every == 4
    assert all(np.array_equal(k, seen[4 * i]) for i, k in enumerate(path.kept))
    found = surface.compute(t, [surface.named(t, "#0:#1"), surface.named(t, "#1")], 1.0, 3,
                            path=path)
    end = seen[-1]
    assert found.path[0] == pytest.approx([seen[0][0] - end[0], seen[0][1] - end[1]], abs=1e-6)


def test_the_cli_trains_then_slices(tmp_path, capsys):
    save(from_spec("1-1", "linear", "linear"), tmp_path / "one.json")
    assert main(["surface", str(tmp_path / "one.json"), "--dataset", "sin", "--along", "#0:#1",
                 "--points", "5", "--train", "--init", "xavier", "--epochs", "4"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found["loss"]) == 5 and found["betas"] is None
    assert len(found["path"]) == 5 and found["path"][-1] == [0.0]
    assert found["centre"] == found["loss"][2] and found["along"] == ["w #0→#1"]


@pytest.mark.parametrize("argv,why", [
    (["--points", "4"], "odd number"),
    (["--points", "1001"], "odd number"),
    (["--span", "0"], "above 0"),
    (["--slice-samples", "0"], "samples 0"),
    (["--along", "#0:#9"], "no neuron '#9'"),
    (["--along", "#9"], "no neuron '#9'"),
    (["--along", "#0"], "input neuron has no bias"),
    (["--along", "#1", "--along", "#1"], "same line"),
    (["--along", "#1", "--along", "#0:#1", "--along", "#1"], "one or two"),
    ([], "same line"),  # one weight: its two random directions lie on one line
])
def test_a_bad_slice_is_refused_with_why(tmp_path, capsys, argv, why):
    net = from_spec("1-1", "linear", "linear")
    initialise(net, "xavier", 0)
    save(net, tmp_path / "one.json")
    assert main(["surface", str(tmp_path / "one.json"), "--dataset", "sin", *argv]) == 1
    err = capsys.readouterr().err
    assert why in err and "Traceback" not in err


def test_all_zero_weights_have_no_random_direction(tmp_path, capsys):
    save(from_spec("2-3-1", "tanh", "sigmoid"), tmp_path / "zero.json")  # every weight 0
    assert main(["surface", str(tmp_path / "zero.json"), "--dataset", "moons"]) == 1
    assert "every weight is 0" in capsys.readouterr().err


def test_the_trainer_process_slices_through_its_run_and_its_path():
    from engine.io import to_dict
    from engine.worker import Session, _Discard, surface_of

    net = from_spec("1-1", "linear", "linear")
    job = {"network": to_dict(net), "dataset": {"name": "sin", "samples": 100},
           "config": {"init": "xavier", "epochs": 6, "lr": 0.3}, "run": 7}
    session = Session(_Discard(), job)
    for _ in range(4):
        session.advance()
    request = {"request": 3, "along": ["#0:#1", "#1"], "seed": 0, "span": 1.0, "points": 5,
               "run": 7}
    running = surface_of(session, request, job)
    assert running["request"] == 3 and len(running["path"]) == 5
    assert running["path"][-1] == [0.0, 0.0]
    assert running["centre"] == session.trainer.data_cost(session.trainer.train)
    while not session.done:
        session.advance()
    done = surface_of(session, {**request, "run": 8}, job)  # another run's window: no path
    assert done["path"] == [] and done["centre"] != running["centre"]
    assert "every weight is 0" in surface_of(None, {**request, "along": ["random"]}, job)["error"]


def test_a_path_past_the_span_widens_it_when_asked():
    t = trainer_of("1-1", "linear", "linear", "sin", lr=0.3, epochs=30)
    path = surface.Path(t.model.flat.numel())
    path.add(t.model.flat)
    for _ in t.steps():
        path.add(t.model.flat)
    along = [surface.named(t, "#0:#1"), surface.named(t, "#1")]
    narrow = surface.compute(t, along, 0.01, 5, path=path)
    assert narrow.alphas[-1] == 0.01 and np.abs(narrow.path).max() > 0.01
    wide = surface.compute(t, along, 0.01, 5, path=path, cover_path=True)
    assert wide.alphas[-1] == pytest.approx(1.05 * np.abs(wide.path).max())
    assert np.array_equal(wide.path, narrow.path)


def test_a_step_in_the_slices_plane_projects_onto_its_own_alpha_and_beta():
    t = trainer_of("2-5-3-2", "relu", "sigmoid", "blobs")
    d = [surface.random(t, 0)[0], surface.random(t, 1)[0]]
    theta = t.model.flat.clone()
    kept = [(theta + 0.3 * d[0] - 0.2 * d[1]).numpy(), theta.numpy(),
            (theta + np.float32(1.5) * d[1]).numpy()]
    assert surface.project(kept, theta, d) == pytest.approx(
        np.array([[0.3, -0.2], [0.0, 0.0], [0.0, 1.5]]), abs=1e-5)
