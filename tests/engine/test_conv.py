"""Convolution and pooling layers: specs, the kernels' layout against torch.nn, the numpy pass
against the compiled one, the hand-written gradients against autograd, and the edits refused."""
import numpy as np
import pytest
import torch
from torch import nn

from engine.build import from_spec
from engine.compile import CompiledNetwork
from engine.init import initialise
from engine.network import NetworkError
from engine.spec import parse
from engine.trace import forward
from engine.training import TrainConfig, Trainer

SMALL = "12x12-conv3k3-pool2-conv4k2-6-3"


def small(spec: str = SMALL, act: str = "tanh", seed: int = 0):
    net = from_spec(spec, act, "softmax")
    initialise(net, "he", seed=seed, biases="random")
    return net


def test_the_keras_tiny_convnet_has_its_34826_numbers():
    spec = parse("28x28-conv32k3-pool2-conv64k3-pool2-10")
    assert [p.shape for p in spec.parts] == [(28, 28), (32, 26, 26), (32, 13, 13), (64, 11, 11),
                                             (64, 5, 5), (10,)]
    net = from_spec("28x28-conv32k3-pool2-conv64k3-pool2-10", "relu", "softmax")
    biases = 32 + 64 + 10
    assert net.n_connections + biases == 34_826 == spec.connections + biases
    assert [layer.name for layer in net.layers] == ["input", "conv 1", "pool 1", "conv 2",
                                                   "pool 2", "output"]


@pytest.mark.parametrize("spec, why", [
    ("4x4-conv2k5-2", "larger than its 4×4 input"),
    ("6x6-conv2k3s2-2", "a stride of 2 does not fit"),
    ("4x4-pool2-pool2-pool2-2", "pooling a 1×1 map"),
    ("28x28-32-conv8k3-10", "never a dense layer"),
    ("784-conv8k3-10", "never a dense layer"),
    ("28x28-conv8k3", "end with a dense layer"),
    ("28x28-conv0k3-10", "at least one feature map"),
    ("28x28-convk3-10", "is no layer"),
    ("5x5-pool6-2", "larger than its 5×5 map"),
])
def test_specs_that_cannot_be_built_are_refused_with_the_reason(spec, why):
    with pytest.raises(NetworkError, match=why):
        from_spec(spec)


def torch_twin(net) -> nn.Sequential:
    """The same network as torch.nn layers, its numbers copied from the kernels' connections."""
    c1, c2 = (net.layers[k] for k in (1, 3))
    model = nn.Sequential(nn.Conv2d(1, 3, 3), nn.Tanh(), nn.MaxPool2d(2), nn.Conv2d(3, 4, 2),
                          nn.Tanh(), nn.Flatten(), nn.Linear(64, 6), nn.Tanh(),
                          nn.Linear(6, 3), nn.Softmax(1)).double()
    plan_levels = CompiledNetwork(net, dtype=torch.float64).plan.levels
    with torch.no_grad():
        for module, lv in zip((model[0], model[3], model[6], model[8]),
                              [lv for lv in plan_levels if lv.n_biases]):
            w = lv.dense(net.weight)
            module.weight.copy_(torch.tensor(w if w.ndim == 4 else w.T))
            module.bias.copy_(torch.tensor(lv.biases(net.bias)))
    assert c1.shape == (3, 10, 10) and c2.shape == (4, 4, 4)
    return model


def test_the_kernels_are_torch_conv2d_s_and_the_numpy_pass_agrees():
    net = small()
    x = np.random.default_rng(1).uniform(0, 1, (5, 144))
    expected = torch_twin(net)(torch.tensor(x).reshape(5, 1, 12, 12)).detach().numpy()
    assert np.abs(forward(net, x).outputs - expected).max() < 1e-12
    _, a = CompiledNetwork(net, dtype=torch.float64)(torch.tensor(x))
    assert np.abs(a.numpy() - expected).max() < 1e-12
    _, a32 = CompiledNetwork(net)(torch.tensor(x, dtype=torch.float32))
    assert np.abs(a32.numpy() - expected).max() < 1e-6


def test_units_of_a_map_share_its_kernel_and_its_bias():
    net = small()
    conv = net.layers[1]
    trace = forward(net, np.random.default_rng(2).uniform(0, 1, (1, 144)))
    ids = np.asarray(conv.neurons).reshape(3, 10, 10)
    # unit (map 1, row 4, column 6) by hand: its 3×3 window of the input times map 1's kernel
    kernel = CompiledNetwork(net).plan.levels[0].dense(net.weight)[1, 0]
    window = trace.a[0, net.index(net.layers[0].neurons)].reshape(12, 12)[4:7, 6:9]
    z = (window * kernel).sum() + net.bias[net.index(int(ids[1, 0, 0]))]
    assert trace.of(int(ids[1, 4, 6]))[0][0] == pytest.approx(z, abs=1e-12)


@pytest.mark.parametrize("dropout, l1, l2", [(0.0, 0.0, 0.0), (0.0, 0.01, 0.02), (0.3, 0.0, 0.0)])
def test_gradients_sum_each_shared_weight_over_positions_as_autograd_does(device, dropout, l1, l2):
    net = small("12x12-conv3k3p1-pool2-conv4k3s1-pool2-5-3", "relu")
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 1, (8, 144)), np.eye(3)[rng.integers(0, 3, 8)]
    config = TrainConfig(loss="ce", dtype="float64", device=device, dropout=dropout, l1=l1, l2=l2)
    trainer = Trainer(net, config, (x, y))
    data = trainer.train
    for p in trainer.params:
        p.requires_grad_(True)
    torch.manual_seed(0)
    cost, a, fwd, z = trainer._cost(data.x, data.y, data.labels, dropout)
    cost.backward()
    # a pooling has no numbers: its empty parameters get no gradient
    expected = torch.cat([p.grad.reshape(-1) for p in trainer.params if p.numel()])
    with torch.no_grad():
        trainer._backward(fwd, z.detach(), a.detach(), data.y, data.labels)
    assert torch.allclose(trainer.optimizer.grad, expected, rtol=1e-10, atol=1e-12)
    kernels = trainer.params[0].grad
    assert kernels.shape == (3, 1, 3, 3) and kernels.abs().max() > 1e-3


def test_weights_and_biases_come_back_from_the_trainer_in_the_network_s_order():
    net = small()
    model = CompiledNetwork(net, dtype=torch.float64)
    assert np.array_equal(model.numpy_weights(), net.weight)
    assert np.array_equal(model.numpy_biases(net.bias), net.bias)
    assert model.flat.numel() == net.n_connections + 3 + 4 + 6 + 3


def test_a_map_s_bias_is_set_through_any_of_its_units():
    net = small()
    ids = np.asarray(net.layers[1].neurons).reshape(3, -1)
    net.set_bias(int(ids[2, 37]), 0.75)
    assert (net.bias[net.index(ids[2])] == 0.75).all()
    assert not (net.bias[net.index(ids[1])] == 0.75).any()
    net.set_activation(int(ids[0, 5]), "sigmoid")
    assert {int(a) for a in net.act[net.index(ids.reshape(-1))]} == {int(net.act[net.index(int(ids[1, 0]))])}


def test_edits_that_would_break_a_convolution_are_refused_and_change_nothing():
    net = small()
    conv, pool = net.layers[1], net.layers[2]
    before = net.copy()
    with pytest.raises(NetworkError, match="delete the whole layer"):
        net.remove([conv.neurons[5]])
    with pytest.raises(NetworkError, match="feeds"):
        net.remove(net.layers[0].neurons[:3])
    with pytest.raises(NetworkError, match="no bias"):
        net.set_bias(pool.neurons[0], 1.0)
    with pytest.raises(NetworkError, match="no activation"):
        net.set_activation(pool.neurons[0], "relu")
    with pytest.raises(NetworkError, match="take no other connections"):
        net.connect(net.layers[0].neurons[0], conv.neurons[50], 1.0)
    k = int(np.flatnonzero(net.dst == conv.neurons[0])[0])
    with pytest.raises(NetworkError, match="kernel weight"):
        net.disconnect(int(net.src[k]), int(net.dst[k]))
    assert np.array_equal(net.weight, before.weight) and np.array_equal(net.bias, before.bias)
    assert np.array_equal(net.act, before.act) and net.n_neurons == before.n_neurons


def test_a_whole_convolution_can_go_after_what_reads_it_and_undo_brings_it_back():
    net = small()
    tail = [n for layer in net.layers[3:] for n in layer.neurons]
    removed = net.remove(tail + net.layers[2].neurons)
    assert [layer.name for layer in net.layers] == ["input", "conv 1"]
    net.put_back(removed)
    assert [layer.name for layer in net.layers][-1] == "output"
    x = np.random.default_rng(4).uniform(0, 1, (2, 144))
    assert np.allclose(forward(net, x).outputs, forward(small(), x).outputs, atol=1e-12)


def test_levels_put_each_layer_one_above_the_layer_it_reads():
    net = small()
    level = net.levels()
    assert [int(level[net.index(layer.neurons[-1])]) for layer in net.layers] == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("loss", ["ce", "mse"])
def test_learn_one_sample_sums_shared_gradients_as_autograd_does(device, loss):
    from engine.backprop import backprop
    net = small("10x10-conv2k3-pool2-conv3k2-3", "sigmoid")
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 1, 100), np.eye(3)[1]
    trainer = Trainer(net, TrainConfig(loss=loss, dtype="float64", device=device, l2=0.01),
                      (x[None, :], y[None, :]))
    dw, db = trainer.gradients(x[None, :], y[None, :])
    found = backprop(net, x, y, loss, l2=0.01)
    assert np.allclose(found.grad_w, dw, rtol=1e-9, atol=1e-12)
    computed = net.role != 0
    assert np.allclose(found.grad_b[computed], db[computed], rtol=1e-9, atol=1e-12)
    weights, biases = found.updated(net, 0.5)
    after = net.copy()
    after.set_parameters(weights, biases)
    maps = net.index(net.layers[1].neurons).reshape(2, -1)
    assert (after.bias[maps] == after.bias[maps[:, :1]]).all()  # a map keeps one bias
    assert backprop(after, x, y, loss).cost < found.cost


def test_the_cli_builds_a_convnet_that_learns_the_bundled_digits_and_resumes_exactly(tmp_path,
                                                                                     capsys):
    """`new --layers 28x28-conv…` then `train`: one epoch of the bundled subset lifts a small
    convnet from chance to most digits; a second epoch resumed from the file is the second
    epoch of a two-epoch run, bit for bit."""
    import json

    from engine import io
    from engine.cli import main
    cnn = tmp_path / "cnn.json"
    assert main(["new", "--layers", "28x28-conv4k3-pool2-conv8k3-pool2-10", "--activation",
                 "relu", "--output-activation", "softmax", "--init", "he", "-o", str(cnn)]) == 0
    settings = ["--dataset", "mnist-subset", "--loss", "ce", "--optimizer", "adam", "--lr",
                "0.002", "--batch-size", "32", "--init", "keep", "--device", "cpu"]
    capsys.readouterr()
    main(["train", str(cnn), *settings, "--epochs", "1", "-o", str(tmp_path / "one.json")])
    first = json.loads(capsys.readouterr().out)
    assert first["test_accuracy"] > 0.8  # from 10%: a convnet learns
    main(["train", str(tmp_path / "one.json"), *settings, "--epochs", "1", "--resume",
          "-o", str(tmp_path / "resumed.json")])
    main(["train", str(cnn), *settings, "--epochs", "2", "-o", str(tmp_path / "two.json")])
    resumed, two = io.load(tmp_path / "resumed.json"), io.load(tmp_path / "two.json")
    assert np.array_equal(resumed.weight, two.weight) and np.array_equal(resumed.bias, two.bias)


def test_a_frozen_kernel_weight_and_map_bias_stay_as_set_through_training(device):
    net = small("10x10-conv2k3-pool2-3", "relu")
    rng = np.random.default_rng(6)
    x, y = rng.uniform(0, 1, (32, 100)), np.eye(3)[rng.integers(0, 3, 32)]
    k = int(np.flatnonzero(net.dst == net.layers[1].neurons[0])[4])  # map 0's kernel, (1, 1)
    unit = net.layers[1].neurons[64 + 17]  # a unit of map 1: its map's bias
    net.set_frozen(ids=[unit], pairs=[(int(net.src[k]), int(net.dst[k]))])
    trainer = Trainer(net, TrainConfig(loss="ce", optimizer="adam", lr=0.05, epochs=5,
                                       device=device), (x, y))
    last = trainer.run()
    done = net.copy()
    done.set_trained(last.weights, last.biases)  # as the window and the CLI take a run
    maps = net.index(net.layers[1].neurons).reshape(2, -1)
    assert done.weight[k] == net.weight[k] and (done.bias[maps[1]] == net.bias[maps[1]]).all()
    assert not np.allclose(done.weight, net.weight)
    assert not np.allclose(done.bias[maps[0]], net.bias[maps[0]])


@pytest.mark.parametrize("spec", ["9x9-conv2k3-pool2-2", "9x9-conv2k3s2p1-pool2-2"])
def test_a_unit_s_window_and_a_weight_s_sharers_are_what_the_convolution_computes(spec):
    from engine import conv as geometry
    net = small(spec, "linear")
    layer, source = net.layers[1], net.layers[0]
    conv, in_shape = layer.conv, (1, 9, 9)
    x = np.random.default_rng(7).uniform(0, 1, 81)
    z = forward(net, x).z[0, net.index(layer.neurons)]
    kernels = CompiledNetwork(net).plan.levels[0].dense(net.weight).reshape(2, -1)
    for unit in (0, 7, len(layer.neurons) - 1):
        places, taps = geometry.window(conv, in_shape, layer.shape, unit)
        m = unit // (layer.shape[1] * layer.shape[2])
        bias = net.bias[net.index(layer.neurons[unit])]
        assert z[unit] == pytest.approx(x[places] @ kernels[m, taps] + bias, abs=1e-12)
    units, inputs = geometry.sharing(conv, in_shape, layer.shape, 9 + 4)  # map 1's centre tap
    for u, i in zip(units, inputs):
        places, taps = geometry.window(conv, in_shape, layer.shape, int(u))
        assert i in places and taps[list(places).index(i)] == 4
    pool = net.layers[2]
    places, _ = geometry.window(pool.conv, layer.shape, pool.shape, 3)
    a = forward(net, x).a[0]
    assert a[net.index(pool.neurons[3])] == a[net.index(np.asarray(layer.neurons)[places])].max()


def test_a_unit_s_formula_sums_its_window_through_its_map_s_kernel_with_the_numbers():
    from engine.explain import neuron_formula, number
    net = small("6x6-conv2k2-pool2-2", "relu")
    x = np.linspace(0, 1, 36)
    trace = forward(net, x)
    conv, pool = net.layers[1], net.layers[2]
    unit = conv.neurons[25 + 6]  # map 2, row 1, column 1: the window x[1:3, 1:3]
    z_line, a_line = neuron_formula(net, trace, unit)
    kernel = CompiledNetwork(net).plan.levels[0].dense(net.weight)[1, 0].ravel()
    window = x.reshape(6, 6)[1:3, 1:3].ravel()
    terms = [f"{number(a)}·{f'({number(w)})' if w < 0 else number(w)}"
             for a, w in zip(window, kernel)]
    assert z_line.startswith("z = " + " + ".join(terms))
    assert z_line.endswith("over its 2×2 window of input, kernel 2")
    z = trace.of(unit)[0][0]
    assert f"= {number(z)}" in z_line and a_line == f"a = relu({number(z)}) = {number(max(z, 0))}"
    z_line, _ = neuron_formula(net, trace, pool.neurons[0])
    assert z_line.startswith("z = max of the 2×2 window of map 1 of conv 1 = max(")


def test_a_convnet_s_work_counts_the_connections_its_kernels_stand_for():
    """What the window's docks weigh before answering digits themselves: the implied
    connections (at numpy's window cost), not the few stored ones; and no map of 21,632-unit
    levels."""
    from engine.plan import WINDOW_COST, make_plan
    from engine.projection import hidden_levels
    net = from_spec("28x28-conv32k3-pool2-conv64k3-pool2-10", "relu", "softmax")
    plan = make_plan(net)
    implied = 32 * 26 * 26 * 9 + 32 * 13 * 13 * 4 + 64 * 11 * 11 * 32 * 9 + 64 * 5 * 5 * 4
    assert plan.work == WINDOW_COST * implied + 1600 * 10
    assert [len(level) for level in hidden_levels(net, plan)] == [1600]
    dense = from_spec("784-32-10")
    assert make_plan(dense).work == dense.n_connections


def test_what_a_deletion_takes_with_it_and_why_a_partial_one_is_refused():
    net = small()
    conv, pool, conv2 = net.layers[1], net.layers[2], net.layers[3]
    gone = net.with_dependents([pool.neurons[3]])
    assert set(gone) == set(pool.neurons) | set(conv2.neurons)  # pool 1, and conv 2 reading it
    assert net.removal_problem(gone) is None
    everything = net.with_dependents(net.layers[0].neurons)  # the image: every map goes
    assert set(everything) >= set(conv.neurons) | set(pool.neurons) | set(conv2.neurons)
    assert "delete that layer first" in net.removal_problem(net.layers[0].neurons[:5])
