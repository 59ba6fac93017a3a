"""The course's calculation tables, reproduced exactly by the numpy forward pass."""
import numpy as np

from engine.trace import binary_inputs, forward, truth_table
from tests.engine.helpers import perceptron, xor_by_hand


def test_and_perceptron_table():
    t = truth_table(perceptron([1, 1], -2))
    assert t.output_z[:, 0].tolist() == [-2, -1, -1, 0]
    assert t.outputs[:, 0].tolist() == [0, 0, 0, 1]


def test_or_perceptron_with_bias_minus_one():
    t = truth_table(perceptron([1, 1], -1))
    assert t.output_z[:, 0].tolist() == [-1, 0, 0, 1]
    assert t.outputs[:, 0].tolist() == [0, 1, 1, 1]


def test_cheese_festival_any_two_factors():
    t = truth_table(perceptron([1, 1, 1], -2))
    x = binary_inputs(3)
    assert t.outputs[:, 0].tolist() == (x.sum(1) >= 2).astype(float).tolist()


def test_cheese_festival_factor_three_and_one_other():
    t = truth_table(perceptron([1, 1, 10], -11))
    x = binary_inputs(3)
    expected = (x[:, 2] == 1) & (x[:, :2].sum(1) >= 1)
    assert t.outputs[:, 0].tolist() == expected.astype(float).tolist()
    assert expected.sum() == 3


def test_hand_built_2_2_1_computes_xor():
    t = truth_table(xor_by_hand())
    assert t.outputs[:, 0].tolist() == [0, 1, 1, 0]


def test_no_single_step_neuron_computes_xor():
    xor = np.array([0, 1, 1, 0])
    grid = np.linspace(-3, 3, 13)
    for w1 in grid:
        for w2 in grid:
            for b in grid:
                y = truth_table(perceptron([w1, w2], b)).outputs[:, 0]
                assert not np.array_equal(y, xor)


def test_trace_keeps_z_and_a_of_hidden_neurons():
    net = xor_by_hand()
    t = forward(net, [1, 1])
    h_or, h_and = 2, 3
    assert t.of(h_or)[0].tolist() == [1.0] and t.of(h_or)[1].tolist() == [1.0]
    assert t.of(h_and)[0].tolist() == [0.0] and t.of(h_and)[1].tolist() == [1.0]
    assert t.output_z[0, 0] == 1 * 1 + 1 * -2 - 1


def test_grid_samples_the_input_plane_row_by_row():
    from engine.trace import grid
    t = grid(perceptron([1, 1], -1.5), (0, 1), (0, 1), n=3)
    assert t.a[:, :2].tolist()[:4] == [[0, 0], [0.5, 0], [1, 0], [0, 0.5]]
    assert t.outputs[:, 0].reshape(3, 3).tolist() == [[0, 0, 0], [0, 0, 1], [0, 1, 1]]
