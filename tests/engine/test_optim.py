"""The flat-buffer optimisers give torch.optim's numbers, bit for bit, on the CPU and a GPU."""
import numpy as np
import pytest
import torch

from engine.build import from_spec
from engine.datasets.registry import load
from engine.init import initialise
from engine.training import TrainConfig, Trainer
from tests.engine.random_nets import random_dag


class TorchOptim:
    """torch.optim behind the Trainer's optimiser interface: the reference."""

    def __init__(self, trainer: Trainer, config: TrainConfig) -> None:
        self.params = trainer.params
        # the gradient lands where it does for the flat optimiser: a matrix product's last bits
        # can depend on where its output lies in memory
        self.views = trainer.optimizer.views
        # the one-tensor-at-a-time code, which the flat optimiser follows; on CUDA torch.optim
        # would pick its foreach code
        if config.optimizer == "adam":
            self.opt = torch.optim.Adam(self.params, lr=config.lr, foreach=False)
        else:
            momentum = config.momentum if config.optimizer == "momentum" else 0.0
            self.opt = torch.optim.SGD(self.params, lr=config.lr, momentum=momentum, foreach=False)

    def step(self) -> None:
        for p, grad in zip(self.params, self.views):
            p.grad = grad
        self.opt.step()


def _weights(net, config, data, reference: bool) -> np.ndarray:
    trainer = Trainer(net, config, *data)
    if reference:
        trainer.optimizer = TorchOptim(trainer, config)
    return trainer.run().weights


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_same_weights_as_torch_optim_on_a_layered_net(device, optimizer, dtype):
    net = from_spec("2-5-3-2", "tanh", "softmax")
    initialise(net, "xavier", seed=1)
    moons = load("moons", samples=200, noise=0.2, seed=0)
    config = TrainConfig(loss="ce", optimizer=optimizer, lr=0.05, batch_size=16, epochs=3,
                         dtype=dtype, device=device, seed=4)
    data = (moons.train(2), moons.test(2))
    assert np.array_equal(_weights(net, config, data, False), _weights(net, config, data, True))


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_same_weights_as_torch_optim_on_a_hand_drawn_dag(device, optimizer):
    net = random_dag(3)  # masked levels and skip connections
    rng = np.random.default_rng(0)
    x, y = rng.uniform(-1, 1, (64, 3)), rng.uniform(0, 1, (64, 2))
    config = TrainConfig(optimizer=optimizer, lr=0.1, batch_size=8, epochs=4, l2=0.01,
                         device=device, dtype="float64")
    ours, theirs = (_weights(net, config, ((x, y),), r) for r in (False, True))
    assert np.array_equal(ours, theirs) and not np.array_equal(ours, net.weight)
