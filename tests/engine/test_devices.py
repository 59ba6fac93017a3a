"""Training on a GPU as on the CPU (`pytest --device cuda`), and each step's numbers kept apart."""
import numpy as np
import pytest

from engine import io
from engine.build import from_spec
from engine.datasets.mnist import load_subset
from engine.datasets.registry import load
from engine.init import initialise
from engine.training import TrainConfig, Trainer, apply

# plain SGD: Adam would turn the last bits of a near-zero gradient, which differ between a GPU's
# sums and the CPU's, into whole steps of the learning rate
MNIST_RUN = dict(loss="ce", optimizer="sgd", lr=0.5, batch_size=32, epochs=1, init="he", seed=0)


def mnist_run(device: str):
    data = load_subset()
    net = from_spec("784-32-10", "relu", "softmax")
    config = TrainConfig(device=device, **MNIST_RUN)
    return Trainer(net, config, data.train(10), data.test(10)).run()


def test_each_snapshot_keeps_its_own_steps_numbers_when_read_later(device):
    """A GPU run copies the numbers to the CPU only when read: read after later steps, a
    snapshot still gives its own step's numbers."""
    data = load("moons", samples=64, seed=0).train(1)
    config = TrainConfig(optimizer="momentum", lr=0.2, batch_size=16, epochs=2, init="xavier",
                         device=device)
    net = from_spec("2-6-1", "tanh", "sigmoid")
    at_once = [(s.weights.copy(), s.biases.copy()) for s in Trainer(net, config, data).steps()]
    later = list(Trainer(net, config, data).steps())
    assert len(later) == len(at_once) == 8
    for snap, (weights, biases) in zip(later, at_once):
        assert np.array_equal(snap.weights, weights) and np.array_equal(snap.biases, biases)
    assert not np.array_equal(later[0].weights, later[-1].weights)


def test_the_bundled_digits_train_to_80_percent(device):
    last = mnist_run(device)
    assert last.epoch_end and last.test_accuracy > 0.8
    assert last.confusion.sum() == len(load_subset().x_test)


def test_a_seed_trains_alike_on_a_gpu_and_the_cpu(device):
    if device == "cpu":
        pytest.skip("compares a GPU's run with the CPU's: pytest --device cuda")
    on_gpu, on_cpu = mnist_run(device), mnist_run("cpu")
    apart = np.abs(on_gpu.weights - on_cpu.weights)
    assert apart.max() < 1e-3, f"{(apart >= 1e-3).sum()} weights apart by up to {apart.max():.3g}"
    assert abs(on_gpu.test_accuracy - on_cpu.test_accuracy) <= 0.005


def test_a_run_saved_on_the_device_goes_on_on_the_cpu(device, tmp_path):
    data = load("moons", samples=200, seed=0).train(1)
    settings = dict(optimizer="adam", lr=0.05, batch_size=16, seed=3)
    net = from_spec("2-8-1", "tanh", "sigmoid")
    initialise(net, "xavier", seed=0)
    straight = net.copy()
    apply(straight, Trainer(straight, TrainConfig(epochs=3, device=device, **settings), data).run())

    first = Trainer(net, TrainConfig(epochs=2, device=device, **settings), data)
    apply(net, first.run())
    net.resume = first.state()
    io.save(net, tmp_path / "paused.json")
    reopened = io.load(tmp_path / "paused.json")
    more = Trainer(reopened, TrainConfig(epochs=1, resume=True, device="cpu", **settings), data)
    assert more.resume_note == "going on from epoch 2, with the optimiser's state"
    last = more.run()
    assert last.epoch == 3
    assert np.allclose(last.weights, straight.weight, atol=1e-5)
    assert not np.allclose(last.weights, net.weight, atol=1e-3)
