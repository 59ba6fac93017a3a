"""The shipped examples load and do what their names promise."""
import numpy as np
import pytest

from engine import io
from engine.datasets.gates import gate
from engine.trace import truth_table
from resources.make_examples import EXAMPLES, HERE


def load(name):
    return io.load(HERE / f"{name}.json")


@pytest.mark.parametrize("name", EXAMPLES)
def test_committed_example_matches_its_generator(name):
    assert (HERE / f"{name}.json").read_text() == io.dumps(EXAMPLES[name]())


@pytest.mark.parametrize("name, gate_name", [("and", "and"), ("or", "or"),
                                             ("cheese-festival", "cheese"), ("xor-hand-tuned", "xor")])
def test_hand_tuned_examples_solve_their_truth_table(name, gate_name):
    y = truth_table(load(name)).outputs[:, 0]
    assert np.array_equal(y, gate(gate_name).labels_train)


def test_untrained_xor_does_not_solve_xor_yet():
    y = truth_table(load("xor-2-2-1")).outputs[:, 0] >= 0.5
    assert not np.array_equal(y, gate("xor").labels_train.astype(bool))


@pytest.mark.parametrize("name, hidden", [("mnist-784-15-10", 15), ("mnist-784-32-10", 32)])
def test_mnist_examples_have_a_28x28_input_tile(name, hidden):
    net = load(name)
    assert net.layers[0].shape == (28, 28) and len(net.layers[1].neurons) == hidden
    assert net.training["dataset"] == "mnist-subset"
