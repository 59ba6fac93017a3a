"""Back propagation for one sample (engine.backprop) against torch autograd (the Trainer's
gradients in float64), on random DAGs with skip connections, every activation × loss."""
import numpy as np
import pytest

from engine.backprop import backprop
from engine.build import from_spec
from engine.network import NetworkError
from engine.training import TrainConfig, Trainer
from tests.engine.helpers import xor_by_hand
from tests.engine.random_nets import HIDDEN_ACTS, random_dag

OUTPUTS = {"mse": ("sigmoid", "softmax", "linear", "tanh"), "l1": ("linear", "sigmoid"),
           "bce": ("sigmoid",), "ce": ("softmax",)}
CASES = [(act, loss, out) for act in HIDDEN_ACTS for loss, outs in OUTPUTS.items() for out in outs]


@pytest.mark.parametrize("act, loss, out", CASES)
def test_every_number_equals_autograd(device, act, loss, out):
    seed = CASES.index((act, loss, out))
    net = random_dag(seed, hidden=(act,), output=out, n_out=3)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, 3)
    y = np.eye(3)[rng.integers(0, 3)] if out == "softmax" else rng.integers(0, 2, 3).astype(float)
    l1, l2 = (0.01, 0.02) if seed % 2 else (0.0, 0.0)
    config = TrainConfig(loss=loss, dtype="float64", device=device, l1=l1, l2=l2)
    trainer = Trainer(net, config, (x[None, :], y[None, :]))
    dw, db = trainer.gradients(x[None, :], y[None, :])
    found = backprop(net, x, y, loss, l1, l2)
    assert np.allclose(found.grad_w, dw, rtol=1e-6, atol=1e-9)
    computed = net.role != 0
    assert np.allclose(found.delta[computed], db[computed], rtol=1e-6, atol=1e-9)
    assert found.cost == pytest.approx(trainer.cost(x[None, :], y[None, :]), rel=1e-9)
    assert np.abs(found.delta[computed]).max() > 1e-4  # not vacuous


def test_the_chain_rule_holds_neuron_by_neuron():
    """δ_j = h'(z_j) · Σ_k w_jk δ_k, and ∂C/∂w = a_in · δ, for every hidden neuron."""
    net = random_dag(3, hidden=("tanh",), output="sigmoid")
    found = backprop(net, [0.2, -0.4, 0.9], [1.0, 0.0], "mse")
    src, dst = net.endpoints()
    for j in np.flatnonzero(net.role == 1):
        out = src == j
        assert found.delta[j] == pytest.approx(
            found.slope[j] * np.sum(net.weight[out] * found.delta[dst[out]]), abs=1e-12)
    assert np.allclose(found.grad_w, found.trace.a[0, src] * found.delta[dst])


def test_one_update_is_one_gradient_descent_step_that_spares_frozen_numbers():
    net = random_dag(5, hidden=("sigmoid",), output="sigmoid")
    found = backprop(net, [1.0, 0.0, 1.0], [0.0, 1.0], "mse")
    net.set_frozen(ids=[int(net.outputs[0])], pairs=[(int(net.src[0]), int(net.dst[0]))])
    weights, biases = found.updated(net, 0.5)
    frozen_w, frozen_b = net.frozen_masks()
    assert weights[0] == net.weight[0] and frozen_w[0]
    assert np.allclose(weights[~frozen_w], (net.weight - 0.5 * found.grad_w)[~frozen_w])
    assert (biases[frozen_b | (net.role == 0)] == net.bias[frozen_b | (net.role == 0)]).all()
    after = net.copy()
    after.set_weights(weights)
    after.set_biases(biases)
    assert backprop(after, [1.0, 0.0, 1.0], [0.0, 1.0], "mse").cost < found.cost


def test_a_step_neuron_passes_no_gradient_and_a_loss_must_fit():
    found = backprop(xor_by_hand(), [1, 0], [1], "mse")
    assert (found.delta == 0).all() and (found.grad_w == 0).all()
    with pytest.raises(NetworkError, match="categorical cross-entropy needs softmax"):
        backprop(xor_by_hand(), [1, 0], [1], "ce")
    assert [list(level) for level in found.order] == [[4], [2, 3]]  # outputs, then back


def test_the_chain_rule_in_words_with_its_numbers():
    from engine.explain import chain_rule
    from tests.engine.helpers import perceptron
    net = perceptron([0.5, -1.0], 0.25, "sigmoid")
    hidden = net.add_neuron("hidden", "relu", bias=0.5)
    net.set_role(2, "output")
    net.connect_many([0], [hidden], [2.0])
    net.connect_many([hidden], [2], [1.5])
    found = backprop(net, [1.0, 0.0], [1.0], "bce")
    out, mid = chain_rule(net, found, 2), chain_rule(net, found, hidden)
    a = found.trace.a[0, 2]
    assert out[0].startswith("δ = ∂C/∂z = a − y = ") and out[0].endswith(f"{a - 1:.4g}".replace("-", "−"))
    assert found.delta[2] < 0  # a negative number is written in parentheses
    assert mid[0] == (f"δ = h'(z) · Σ_k w_jk δ_k = 1 · (1.5·({found.delta[2]:.4g})) = "
                      f"{1.5 * found.delta[2]:.4g}").replace("-", "−")
    assert chain_rule(net, found, 0) == ["an input: its a is data, so back propagation ends here"]


@pytest.mark.parametrize("spec,hidden,output", [("784-32-10", "sigmoid", "softmax"),
                                                ("6-5-4-3", "tanh", "sigmoid"),
                                                ("5-4-2", "leaky_relu", "linear")])
def test_saliency_is_autograds_gradient_of_the_answer(spec, hidden, output):
    import torch

    from engine.backprop import saliency
    from engine.compile import CompiledNetwork
    from engine.init import initialise
    from engine.plan import make_plan

    net = from_spec(spec, hidden, output)
    initialise(net, "xavier", 3)
    net.bias[:] = np.random.default_rng(1).normal(0, 0.3, net.n_neurons)
    plan = make_plan(net)
    x = np.random.default_rng(2).uniform(0, 1, len(plan.inputs))
    k = len(plan.outputs) - 1
    grad, times_input = saliency(net, x, k)
    xt = torch.tensor(x[None, :], dtype=torch.float64, requires_grad=True)
    _, a = CompiledNetwork(net, dtype=torch.float64)(xt)
    a[0, k].backward()
    assert np.allclose(grad[plan.inputs], xt.grad[0].numpy(), rtol=1e-10, atol=1e-12)
    assert np.allclose(times_input[plan.inputs], grad[plan.inputs] * x)
    assert not grad[net.role != 0].any()
