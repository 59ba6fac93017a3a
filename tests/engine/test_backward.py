"""The hand-written backward pass (engine.backward) against autograd on the same forward pass, in
float64: random DAGs with skip connections and missing connections (masked levels), mixed
activations in a level, every loss with the outputs it allows, regularisation and dropout."""
import numpy as np
import pytest
import torch

from engine import activations
from engine.build import from_spec
from engine.init import initialise
from engine.training import TrainConfig, Trainer
from tests.engine.random_nets import HIDDEN_ACTS, random_dag

OUTPUTS = {"mse": ("sigmoid", "softmax", "linear", "mixed"), "l1": ("linear", "tanh"),
           "bce": ("sigmoid",), "ce": ("softmax",)}
CASES = [(loss, out) for loss, outs in OUTPUTS.items() for out in outs]


def network(seed: int, out: str):
    net = random_dag(seed, n_hidden=7, n_out=3, output="softmax" if out == "mixed" else out)
    if out == "mixed":  # softmax across two outputs, a sigmoid beside them
        net.set_activation([int(net.outputs[1])], "sigmoid")
    return net


def targets(rng, n: int, out: str, loss: str) -> np.ndarray:
    if out == "softmax":
        return np.eye(3)[rng.integers(0, 3, n)] if loss == "ce" else rng.dirichlet(np.ones(3), n)
    return rng.uniform(0, 1, (n, 3))


@pytest.mark.parametrize("loss, out", CASES)
@pytest.mark.parametrize("regularise, dropout", [(False, 0.0), (True, 0.0), (False, 0.4)])
def test_gradients_equal_autograds(device, loss, out, regularise, dropout):
    seed = CASES.index((loss, out))
    net = network(seed, out)
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-2, 2, (16, 3)), targets(rng, 16, out, loss)
    config = TrainConfig(loss=loss, dtype="float64", device=device, dropout=dropout,
                         l1=0.01 if regularise else 0.0, l2=0.02 if regularise else 0.0)
    trainer = Trainer(net, config, (x, y))
    data = trainer.train
    for p in trainer.params:
        p.requires_grad_(True)
    torch.manual_seed(seed)
    cost, a, fwd, z = trainer._cost(data.x, data.y, data.labels, dropout)
    cost.backward()
    expected = torch.cat([p.grad.reshape(-1) for p in trainer.params])
    with torch.no_grad():
        trainer._backward(fwd, z.detach(), a.detach(), data.y, data.labels)
    found = trainer.optimizer.grad
    assert torch.allclose(found, expected, rtol=1e-10, atol=1e-12)
    assert expected.abs().max() > 1e-3  # not vacuous
    if dropout:
        assert any(n is not None and (n == 0).any() for n in fwd.noise)


def test_the_cases_cover_what_they_claim(device):
    """Between them the networks above have every hidden activation, levels of several, levels
    with missing connections, and levels that read earlier levels beside the one before."""
    kinds, mixed, masked, skipping = set(), False, False, False
    for loss, out in CASES:
        net = network(CASES.index((loss, out)), out)
        kinds |= {activations.NAMES[k] for k in net.act[net.role == 1]}
        model = Trainer(net, TrainConfig(loss=loss, device=device),
                        (np.zeros((2, 3)), np.full((2, 3), 1 / 3))).model
        mixed |= any(len(lv.groups) > 1 for lv in model.plan.levels)
        masked |= any(m is not None for m in model.masks)
        skipping |= any(isinstance(r, torch.Tensor) for r in model.readers)
    assert kinds == set(HIDDEN_ACTS) and mixed and masked and skipping


def test_gradients_asked_for_stay_as_they_were_while_training_goes_on(device):
    net = from_spec("2-3-1", "tanh", "sigmoid")
    initialise(net, "xavier", seed=2)
    x, y = np.random.default_rng(2).uniform(-1, 1, (8, 2)), np.ones((8, 1))
    trainer = Trainer(net, TrainConfig(dtype="float64", device=device, epochs=3), (x, y))
    dw, db = trainer.gradients(x, y)
    kept = dw.copy(), db.copy()
    trainer.run()
    assert np.array_equal(dw, kept[0]) and np.array_equal(db, kept[1])
    assert np.abs(dw).max() > 1e-4
