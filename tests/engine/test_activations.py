import numpy as np
import pytest

from engine import activations
from engine.activations import apply


Z = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])


def test_step_is_one_from_zero_up():
    assert apply("step", Z).tolist() == [0, 0, 1, 1, 1]


def test_sigmoid_tanh_relu_linear_match_their_formulas():
    assert np.allclose(apply("sigmoid", Z), 1 / (1 + np.exp(-Z)))
    assert np.allclose(apply("tanh", Z), (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z)))
    assert apply("relu", Z).tolist() == [0, 0, 0, 0.5, 3]
    assert apply("linear", Z).tolist() == Z.tolist()


def test_sigmoid_does_not_overflow_for_large_inputs():
    with np.errstate(over="raise", invalid="raise"):
        out = apply("sigmoid", np.array([-1000.0, 1000.0]))
    assert out.tolist() == [0.0, 1.0]


def test_leaky_relu_uses_its_slope():
    assert np.allclose(apply("leaky_relu", Z, 0.1), [-0.3, -0.05, 0, 0.5, 3])
    assert activations.ACTIVATIONS["leaky_relu"].default_param == 0.01


def test_softmax_sums_to_one_and_is_stable():
    z = np.array([[1000.0, 1001.0, 1002.0]])
    p = apply("softmax", z)
    assert np.isclose(p.sum(), 1.0)
    expected = np.exp([0, 1, 2]) / np.exp([0, 1, 2]).sum()
    assert np.allclose(p[0], expected)


def test_unknown_activation_is_named_in_the_error():
    with pytest.raises(ValueError, match="'swish'.*sigmoid"):
        apply("swish", Z)
