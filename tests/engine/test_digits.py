"""Digits drawn with the mouse made like MNIST's; pictures of many neurons; the confusion matrix."""
import numpy as np

from engine.build import from_spec
from engine.datasets.mnist import load_subset
from engine.digits import centred, input_tile, mosaic
from engine.explain import fed_by, incoming_picture, incoming_pictures
from engine.init import initialise
from engine.trace import forward
from engine.training import TrainConfig, Trainer, apply


def centre_of_mass(digit):
    rows = np.arange(digit.shape[0])
    total = digit.sum()
    return digit.sum(1) @ rows / total, digit.sum(0) @ rows / total


def test_a_drawn_bar_is_scaled_into_the_20_pixel_box_and_centred_by_its_mass():
    drawing = np.zeros((200, 300))
    drawing[20:120, 250:260] = 1.0  # a tall thin stroke near the right edge
    digit = centred(drawing)
    rows, cols = np.flatnonzero(digit.any(1)), np.flatnonzero(digit.any(0))
    assert digit.shape == (28, 28) and len(rows) == 20 and len(cols) == 2  # 100:10 kept as 20:2
    assert np.allclose(centre_of_mass(digit), 14, atol=0.5)  # where MNIST has it
    assert np.isclose(digit.sum(), 20 * 2)  # area averaging keeps the ink's density (1 here)


def test_where_and_how_big_a_digit_is_drawn_does_not_matter():
    stroke = np.zeros((40, 40))
    stroke[5:35, 10:14] = 1.0
    stroke[5:9, 10:30] = 1.0  # a "7"-like shape
    small = np.zeros((300, 300))
    small[200:240, 20:60] = stroke
    big = np.kron(stroke, np.ones((5, 5)))  # the same drawing five times larger
    assert np.allclose(centred(small), centred(big), atol=1e-9)
    assert not centred(np.zeros((50, 50))).any()


def test_mnist_digits_come_back_nearly_unchanged():
    digits = load_subset().x_test[:50].reshape(-1, 28, 28).astype(float)
    for digit in digits:
        again = centred(digit)
        assert np.corrcoef(digit.ravel(), again.ravel())[0, 1] > 0.99


def test_mosaic_lays_pictures_out_in_rows_with_gaps():
    pictures = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    out = mosaic(pictures, columns=2)
    assert out.shape == (3 * 3 - 1, 2 * 4 - 1)
    assert np.array_equal(out[3:5, 4:7], pictures[3])  # row 1, column 1
    assert np.isnan(out[2]).all() and np.isnan(out[:, 3]).all() and np.isnan(out[6:, 4:]).all()


def test_every_hidden_neurons_weights_as_pictures_in_one_go():
    net = from_spec("784-6-10", "relu", "softmax")
    initialise(net, "he", 0)
    tile = input_tile(net)
    hidden = net.layers[1].neurons
    assert tile is net.layers[0] and input_tile(from_spec("2-2-1")) is None
    net.remove([], [net.connection_index(tile.neurons[3], hidden[2])])
    assert fed_by(net, tile).tolist() == hidden
    pictures = incoming_pictures(net, tile, np.array(hidden))
    for k, nid in enumerate(hidden):
        assert np.array_equal(pictures[k], incoming_picture(net, nid), equal_nan=True)
    assert np.isnan(pictures[2, 0, 3]) and np.isnan(pictures).sum() == 1


def test_each_epoch_reports_a_confusion_matrix_that_agrees_with_the_forward_pass(device):
    data = load_subset()
    net = from_spec("784-15-10", "relu", "softmax")
    config = TrainConfig(loss="ce", optimizer="adam", lr=0.01, batch_size=64, epochs=1, init="he",
                         device=device, dtype="float64")
    last = Trainer(net, config, data.train(10), data.test(10)).run()
    matrix = last.confusion
    assert matrix.shape == (10, 10) and matrix.sum() == len(data.x_test)
    assert np.isclose(np.trace(matrix) / matrix.sum(), last.test_accuracy)
    apply(net, last)
    answers = forward(net, data.x_test).predicted()
    expected = np.zeros((10, 10), int)
    np.add.at(expected, (data.labels_test, answers), 1)
    assert np.array_equal(matrix, expected)
    assert (matrix.sum(1) == 100).all()  # rows are the true classes: 100 of each in the subset
