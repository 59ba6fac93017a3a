import numpy as np

from engine.explain import neuron_formula, number
from engine.trace import forward
from tests.engine.helpers import perceptron


def test_the_course_example_reads_as_in_the_course():
    net = perceptron([1, 1], -2)
    assert neuron_formula(net, forward(net, [1, 0]), 2) == ("z = 1·1 + 0·1 + (−2) = −1",
                                                            "a = step(−1) = 0")


def test_sigmoid_leaky_and_inputs():
    net = perceptron([0.5, -1.25], 0.1, "sigmoid")
    z, a = neuron_formula(net, forward(net, [1, 1]), 2)
    assert z == "z = 1·0.5 + 1·(−1.25) + 0.1 = −0.65" and a == "a = sigmoid(−0.65) = 0.343"
    net.set_activation(2, "leaky_relu", 0.1)
    assert neuron_formula(net, forward(net, [1, 1]), 2)[1] == "a = leaky_relu(−0.65, slope 0.1) = −0.065"
    assert neuron_formula(net, forward(net, [1, 1]), 0)[1] == "a = 1"


def test_number_formatting():
    assert [number(v) for v in (3.0, -2.0, 0.1 + 0.2, 1e-7)] == ["3", "−2", "0.3", "1e−07"]


def test_a_neuron_with_many_inputs_gets_its_sum_and_largest_terms():
    import numpy as np
    from engine.build import from_spec
    net = from_spec("20-1", "linear")
    net.set_weights(np.arange(20) / 10)  # input k's weight is k/10
    z, _ = neuron_formula(net, forward(net, np.ones(20)), 20)
    assert z == "z = Σ of 20 terms a·w + b = 19; the largest: 1·1.9 + 1·1.8 + 1·1.7 + 1·1.6 + 1·1.5"


def test_a_neuron_fed_by_a_28_by_28_layer_shows_its_weights_as_that_picture():
    from engine.build import from_spec
    from engine.explain import incoming_picture
    from engine.init import initialise
    net = from_spec("784-3-10", "relu", "softmax")
    initialise(net, "he", 0)
    hidden, first = net.layers[1].neurons, net.layers[0].neurons
    net.remove([], [net.connection_index(first[28 * 5 + 7], hidden[1])])  # row 5, column 7
    picture = incoming_picture(net, hidden[1])
    assert picture.shape == (28, 28) and np.isnan(picture[5, 7]) and np.isnan(picture).sum() == 1
    assert picture[27, 0] == net.weight_of(first[28 * 27], hidden[1])
    assert picture[0, 27] == net.weight_of(first[27], hidden[1])
    assert incoming_picture(net, int(net.outputs[0])) is None  # fed by 3 hidden neurons
    assert incoming_picture(from_spec("2-2-1"), 2) is None  # no shaped layer


def test_targets_and_costs_are_written_with_their_numbers():
    from engine.backprop import backprop
    from engine.build import from_spec
    from engine.explain import cost_substituted, target_text
    from engine.init import initialise
    assert target_text(np.eye(10)[6], [str(k) for k in range(10)]) == "one-hot 6"
    assert target_text(np.array([0.0, 1.0]), ["a", "b"]) == "(0, 1)"  # two outputs: numbers
    net = from_spec("2-2-2", "sigmoid", "sigmoid")
    initialise(net, "xavier", seed=1)
    for loss, value in (("mse", lambda a, y: 0.5 * ((y - a) ** 2).sum()),
                        ("l1", lambda a, y: np.abs(y - a).sum()),
                        ("bce", lambda a, y: -(y * np.log(a) + (1 - y) * np.log(1 - a)).sum())):
        found = backprop(net, [1.0, 0.0], [1.0, 0.0], loss)
        a = found.trace.outputs[0]
        text = cost_substituted(found, ["p", "q"])
        assert text.endswith(f" = {number(found.cost)}") and number(a[0]) in text, text
        assert abs(value(a, np.array([1.0, 0.0])) - found.cost) < 1e-9
