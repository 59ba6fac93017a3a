"""Frozen weights and biases: training leaves them exactly as set by hand, whatever the optimiser,
the regularisation or the weight init; the file keeps them."""
import numpy as np
import pytest

from engine import io
from engine.build import from_spec
from engine.errors import EngineError
from engine.init import initialise
from engine.trace import forward
from engine.training import TrainConfig, Trainer, apply
from tests.engine.random_nets import random_dag

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
AND = np.array([[0], [0], [0], [1]], float)


def _hand_set_and_neuron():
    """2-2-1 whose first hidden neuron is set by hand to AND (w = 10.1, 10.1, b = −15.3: not
    float32 numbers, so a float32 run must not round them) and frozen."""
    net = from_spec("2-2-1", "sigmoid", "sigmoid")
    initialise(net, "xavier", seed=3)
    i1, i2 = (int(i) for i in net.inputs)
    h = int(net.ids[net.role == 1][0])
    for source in (i1, i2):
        net.set_weight(source, h, 10.1)
    net.set_bias(h, -15.3)
    net.set_frozen(ids=[h], pairs=[(i1, h), (i2, h)])
    return net, h


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.01, 0.0), (0.0, 0.1)])
def test_frozen_numbers_are_bit_identical_after_training(device, optimizer, l1, l2):
    net, h = _hand_set_and_neuron()
    weights, biases = net.frozen_masks()
    before_w, before_b = net.weight[weights].copy(), net.bias[biases].copy()
    config = TrainConfig(optimizer=optimizer, lr=0.5, epochs=200, l1=l1, l2=l2, device=device,
                         init="xavier")  # a new init draws every weight but the frozen ones
    last = Trainer(net, config, (X, AND)).run()
    # the trainer never moved them (it holds them as float32)...
    assert np.array_equal(last.weights[weights], before_w.astype(np.float32))
    assert np.array_equal(last.biases[biases], before_b.astype(np.float32))
    apply(net, last)  # ...and the network keeps them as set, in float64
    assert np.array_equal(net.weight[weights], before_w) and np.array_equal(net.bias[biases], before_b)
    assert not np.array_equal(net.weight[~weights], from_spec("2-2-1").weight[~weights])  # the rest learned


def test_the_rest_learns_around_a_frozen_neuron(device):
    net, h = _hand_set_and_neuron()
    last = Trainer(net, TrainConfig(optimizer="adam", lr=0.1, epochs=600, device=device),
                   (X, AND)).run()
    apply(net, last)
    assert ((forward(net, X).outputs >= 0.5) == AND).all()


def test_frozen_masks_follow_deletes_and_undo():
    net = random_dag(2)
    s, t = int(net.src[0]), int(net.dst[0])
    net.set_frozen(pairs=[(s, t)], ids=[t])
    assert net.frozen_masks()[0][0] and net.frozen_masks()[1][net.index(t)]
    removed = net.remove([t])
    assert not net.frozen_masks()[0].any() and not net.frozen_masks()[1].any()
    net.put_back(removed)
    assert net.frozen_masks()[0][net.connection_index(s, t)]
    net.set_frozen(pairs=[(s, t)], ids=[t], frozen=False)
    assert not net.frozen_masks()[0].any() and not net.frozen_masks()[1].any()


def test_the_file_keeps_what_is_frozen_as_version_2(tmp_path):
    net, h = _hand_set_and_neuron()
    io.save(net, tmp_path / "n.json")
    back = io.load(tmp_path / "n.json")
    assert back.frozen_biases == {h} and np.array_equal(back.frozen_weights, net.frozen_weights)
    assert '"version": 2' in (tmp_path / "n.json").read_text()
    assert '"version": 1' in io.dumps(from_spec("2-1"))  # nothing frozen: readable by older apps


@pytest.mark.parametrize("frozen, why", [
    ({"biases": [99]}, "frozen.biases: names a neuron that does not exist"),
    ({"weights": [[0, 99]]}, "frozen.weights: names a connection that does not exist"),
    ({"weights": [[0]]}, "frozen.weights: should be a list of [source id, target id]"),
    ([], "frozen: should be an object")])
def test_a_bad_frozen_entry_names_the_field(frozen, why):
    doc = io.to_dict(from_spec("2-1"))
    doc["frozen"] = frozen
    with pytest.raises(EngineError, match=why.replace("[", r"\[").replace("]", r"\]")):
        io.from_dict(doc)


def test_a_frozen_weight_edited_by_hand_mid_run_stays_at_its_new_value(device):
    net, h = _hand_set_and_neuron()
    trainer = Trainer(net, TrainConfig(optimizer="adam", epochs=50, device=device), (X, AND))
    steps = trainer.steps()
    for _ in range(5):
        next(steps)
    k = int(np.flatnonzero(net.frozen_masks()[0])[0])
    edited = net.weight.copy()
    edited[k] = 7.7
    trainer.set_weights(edited, net.bias.copy())
    last = list(steps)[-1]
    assert last.weights[k] == np.float32(7.7)  # as the hand edit set it, in the run's precision
    net.weight[k] = 7.7
    apply(net, last)
    assert net.weight[k] == 7.7


def test_a_frozen_layer_of_mnist_size_is_written_compactly_and_reads_back(tmp_path):
    net = from_spec("784-32-10", "relu", "softmax")
    hidden = net.ids[net.role == 1]
    into = np.isin(net.dst, hidden)
    net.set_frozen(hidden, np.stack([net.src[into], net.dst[into]], 1))
    io.save(net, tmp_path / "n.json")
    text = (tmp_path / "n.json").read_text()
    assert '"count": 25088' in text and len(text) < 2_000_000  # base64, not 25,088 pairs of text
    back = io.load(tmp_path / "n.json")
    assert np.array_equal(back.frozen_masks()[0], into) and back.frozen_biases == set(hidden.tolist())
