"""Backprop against central finite differences, in float64, on random DAGs with skip connections."""
import numpy as np
import pytest

from engine.training import TrainConfig, Trainer
from tests.engine.random_nets import HIDDEN_ACTS, random_dag

CASES = [(act, loss, out) for act in HIDDEN_ACTS
         for loss, out in [("mse", "sigmoid"), ("l1", "linear"), ("bce", "sigmoid"), ("ce", "softmax")]]


def finite_differences(trainer, w, b, x, y, eps=1e-6):
    def cost(w_, b_):
        trainer.set_weights(w_, b_)
        return trainer.cost(x, y)
    dw = np.array([(cost(w + eps * e, b) - cost(w - eps * e, b)) / (2 * eps) for e in np.eye(len(w))])
    db = np.array([(cost(w, b + eps * e) - cost(w, b - eps * e)) / (2 * eps) for e in np.eye(len(b))])
    trainer.set_weights(w, b)
    return dw, db


def data(seed, n_out, one_hot):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (7, 3))
    if one_hot:
        return x, np.eye(n_out)[rng.integers(0, n_out, 7)]
    return x, rng.integers(0, 2, (7, n_out)).astype(float)


@pytest.mark.parametrize("act, loss, out", CASES)
@pytest.mark.parametrize("regularise", [False, True])
def test_backprop_matches_finite_differences(device, act, loss, out, regularise):
    seed = CASES.index((act, loss, out))
    net = random_dag(seed, hidden=(act,), output=out, n_out=3 if out == "softmax" else 2)
    config = TrainConfig(loss=loss, dtype="float64", device=device,
                         l1=0.01 if regularise else 0.0, l2=0.02 if regularise else 0.0)
    x, y = data(seed, len(net.outputs), out == "softmax")
    trainer = Trainer(net, config, (x, y))
    dw, db = trainer.gradients(x, y)
    fw, fb = finite_differences(trainer, net.weight.copy(), net.bias.copy(), x, y)
    assert np.allclose(dw, fw, rtol=1e-5, atol=1e-7)
    hidden_and_out = net.role != 0
    assert np.allclose(db[hidden_and_out], fb[hidden_and_out], rtol=1e-5, atol=1e-7)
    assert np.all(db[~hidden_and_out] == 0)
    assert np.abs(dw).max() > 1e-3  # the check is not vacuous
