"""The course's MNIST result: 784-30-10, sigmoid, squared error, SGD lr 3.0, batch 10, one epoch."""
import numpy as np
import pytest

from engine.build import from_spec
from engine.datasets.mnist import load_full, load_subset
from engine.init import initialise
from engine.trace import forward
from engine.training import TrainConfig, Trainer, apply
from tests.paths import MNIST, full_mnist


@pytest.mark.slow
@full_mnist
def test_one_epoch_reaches_90_percent_on_full_mnist(device):
    data = load_full(MNIST)
    net = from_spec("784-30-10", "sigmoid")
    initialise(net, "xavier", seed=1)
    config = TrainConfig(loss="mse", optimizer="sgd", lr=3.0, batch_size=10, epochs=1,
                         device=device)
    last = Trainer(net, config, data.train(10), data.test(10)).run()
    assert last.epoch_end and last.test_accuracy >= 0.90
    apply(net, last)
    predicted = forward(net, data.x_test).outputs.argmax(1)
    assert np.isclose((predicted == data.labels_test).mean(), last.test_accuracy, atol=1e-3)


def test_bundled_subset_trains_offline(device):
    data = load_subset()
    net = from_spec("784-15-10", "relu", "softmax")
    config = TrainConfig(loss="ce", optimizer="adam", lr=0.01, batch_size=32, epochs=2,
                         init="he", device=device)
    last = Trainer(net, config, data.train(10), data.test(10)).run()
    assert last.test_accuracy > 0.80
