import numpy as np
import pytest
import torch

from engine.build import from_spec
from engine.compile import CompiledNetwork, DeviceError, pick_device
from engine.init import initialise
from engine.trace import forward
from tests.engine.random_nets import random_dag


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear", "tanh"])
def test_torch_model_agrees_with_numpy_trace(seed, output):
    net = random_dag(seed, output=output)
    x = np.random.default_rng(seed).uniform(-1, 1, (16, 3))
    z, a = CompiledNetwork(net, dtype=torch.float32)(torch.tensor(x, dtype=torch.float32))
    t = forward(net, x)
    assert np.allclose(z.detach().numpy(), t.output_z, atol=1e-6, rtol=1e-5)
    assert np.allclose(a.detach().numpy(), t.outputs, atol=1e-6, rtol=1e-5)


def test_float64_agrees_to_the_last_digits():
    net = from_spec("6-5-4-3", "tanh", "softmax")
    initialise(net, "normal", seed=1, std=0.8)
    x = np.random.default_rng(0).uniform(0, 1, (10, 6))
    _, a = CompiledNetwork(net, dtype=torch.float64)(torch.tensor(x))
    assert np.allclose(a.detach().numpy(), forward(net, x).outputs, atol=1e-12, rtol=0)


def test_mixed_softmax_and_sigmoid_outputs():
    net = random_dag(3, n_out=3, output="softmax")
    net.set_activation(int(net.outputs[2]), "sigmoid")
    x = np.random.default_rng(1).uniform(0, 1, (5, 3))
    _, a = CompiledNetwork(net, dtype=torch.float64)(torch.tensor(x))
    t = forward(net, x).outputs
    assert np.allclose(a.detach().numpy(), t, atol=1e-12)
    assert np.allclose(t[:, :2].sum(1), 1.0)


def test_weights_flow_back_in_connection_order():
    net = random_dag(5)
    model = CompiledNetwork(net, dtype=torch.float64)
    assert np.array_equal(model.numpy_weights(), net.weight)
    assert np.array_equal(model.numpy_biases(net.bias), net.bias)
    model.load_numpy(net.weight * 2, net.bias + 1)
    assert np.array_equal(model.numpy_weights(), net.weight * 2)


@pytest.mark.parametrize("net", [random_dag(6), from_spec("5-4-3")], ids=["dag", "layered"])
def test_loading_some_numbers_changes_those_and_no_other(net):
    initialise(net, "xavier", seed=3)
    model = CompiledNetwork(net, dtype=torch.float64)
    conns = np.array([0, net.n_connections - 1, 2])
    neurons = np.array([0, net.n_neurons - 1])  # an input (no bias to train) and an output
    model.load_some(conns, np.array([7.0, -3.0, 0.5]), neurons, np.array([9.0, 4.0]))
    weights, biases = net.weight.copy(), net.bias.copy()
    weights[conns] = [7.0, -3.0, 0.5]
    biases[-1] = 4.0
    assert np.array_equal(model.numpy_weights(), weights)
    assert np.array_equal(model.numpy_biases(net.bias), biases)
    keys = list(zip(net.src[conns].tolist(), net.dst[conns].tolist()))
    assert np.array_equal(net.connection_indices(keys), conns)
    assert np.array_equal(net.connection_indices(keys * 9), np.tile(conns, 9))  # the sorted way


def test_layered_network_keeps_weights_in_connection_order_in_one_buffer():
    net = from_spec("784-32-10", "relu", "softmax")
    initialise(net, "xavier", seed=2)
    model = CompiledNetwork(net)
    assert model.in_order
    assert all(p.data_ptr() >= model.flat.data_ptr() for p in model.parameters())
    with torch.no_grad():
        model.weights[1][3, 4] = 7.0
    k = net.connection_index(int(net.layers[1].neurons[3]), int(net.layers[2].neurons[4]))
    assert model.numpy_weights()[k] == 7.0


def test_cuda_asked_for_without_a_gpu_is_a_clear_error():
    if torch.cuda.is_available():
        assert pick_device("cuda")[0].type == "cuda"
        return
    with pytest.raises(DeviceError, match="no CUDA GPU"):
        pick_device("cuda")
    device, note = pick_device("auto")
    assert device.type == "cpu" and "CPU" in note


def sparse_net(n: int = 400) -> "Network":
    """Many neurons in one level, few connections: a hand-drawn kind of network."""
    from engine.network import Network
    rng = np.random.default_rng(0)
    net = Network()
    ins = net.add_neurons(n, "input", "linear")
    hid = net.add_neurons(n, "hidden", "tanh", bias=rng.normal(size=n))
    out = net.add_neurons(3, "output", "sigmoid")
    net.connect_many(ins, hid, rng.normal(size=n))  # one each: a dense matrix would be n × n
    net.connect_many(np.repeat(hid, 3), np.tile(out, n), rng.normal(size=3 * n))
    return net


def test_a_sparse_level_is_computed_connection_by_connection_and_agrees_with_torch():
    from engine.plan import make_plan
    net = sparse_net()
    assert [lv.sparse for lv in make_plan(net).levels] == [True, False]
    x = np.random.default_rng(1).uniform(-1, 1, (6, 400))
    _, a = CompiledNetwork(net, dtype=torch.float64)(torch.tensor(x))
    assert np.allclose(a.detach().numpy(), forward(net, x).outputs, atol=1e-12)


def test_a_level_too_big_for_memory_is_refused_before_training(monkeypatch):
    from engine import memory
    monkeypatch.setattr(memory, "available", lambda: 10 ** 6)
    with pytest.raises(memory.TooBigError, match="400 × 400"):
        CompiledNetwork(sparse_net())


def test_a_level_of_dense_runs_and_loose_connections_agrees_with_torch():
    """Dense runs into one level (a dense layer, a second group of inputs into the same
    neurons, a layer beside it) and hand-drawn connections: a matrix product per run plus the
    rest one by one, never a dense scatter."""
    from engine.build import add_layer
    from engine.plan import make_plan
    net = from_spec("32-40-10", "tanh", "softmax")
    first, hidden = net.layers[0].neurons, net.layers[1].neurons
    more = add_layer(net, 32, "input").neurons
    net.connect_many(np.repeat(more, 40), np.tile(hidden, 32), 0.1)  # into the same neurons
    add_layer(net, 20, "hidden", "relu", sources=first + more)  # a layer beside them
    extra = net.add_neuron("hidden", "sigmoid")
    net.connect_many(first, [extra] * 32, 0.5)  # too short a run for a block: one by one
    net.connect_many([extra] * 10, net.layers[2].neurons, 0.25)
    initialise(net, "normal", seed=3, std=0.5)
    level = make_plan(net).levels[0]
    blocks, rest = level.pieces
    assert level.block is None and len(rest) == 32
    assert [(len(s), len(c)) for _, s, c in blocks] == [(32, 40), (32, 40), (64, 20)]
    x = np.random.default_rng(2).uniform(-1, 1, (5, 64))
    _, a = CompiledNetwork(net, dtype=torch.float64)(torch.tensor(x))
    assert np.allclose(a.detach().numpy(), forward(net, x).outputs, atol=1e-12)
