"""Weight initialisation by its numbers: Nielsen's N(0, 1/√n_in) with N(0, 1) biases."""
import numpy as np

from engine.build import from_spec
from engine.cli import main
from engine import io
from engine.init import initialise


def test_nielsen_scales_each_weight_by_its_fan_in_and_draws_biases():
    net = from_spec("784-30-10", "sigmoid", "sigmoid")
    initialise(net, "nielsen", seed=0)
    hidden, out = (net.ids[net.role == r] for r in (1, 2))
    first, second = np.isin(net.dst, hidden), np.isin(net.dst, out)
    assert abs(net.weight[first].std() * np.sqrt(784) - 1) < 0.02  # 23,520 draws
    assert abs(net.weight[second].std() * np.sqrt(30) - 1) < 0.1
    assert abs(net.weight.mean()) < 0.01
    computed = net.bias[net.role != 0]
    assert (net.bias[net.role == 0] == 0).all() and 0.6 < computed.std() < 1.4
    again = from_spec("784-30-10", "sigmoid", "sigmoid")
    initialise(again, "nielsen", seed=0)
    assert np.array_equal(again.weight, net.weight) and np.array_equal(again.bias, net.bias)


def test_the_cli_offers_it(tmp_path):
    path = tmp_path / "n.json"
    assert main(["new", "--layers", "4-3-2", "--init", "nielsen", "--seed", "1", "-o", str(path)]) == 0
    net = io.load(path)
    assert (net.bias[net.role != 0] != 0).all()
