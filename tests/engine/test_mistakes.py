"""The mistakes of a classifier: which samples are wrong, and the most confused pairs."""
import numpy as np

from engine.trace import confusion, mistakes, most_confused


def test_the_most_confused_pairs_come_first_and_the_diagonal_never():
    truth = np.array([4, 4, 4, 9, 9, 1, 7, 7, 3, 3, 3, 3])
    said = np.array([9, 9, 4, 4, 9, 7, 1, 7, 3, 3, 3, 3])
    pairs = most_confused(confusion(truth, said, 10), 5)
    assert pairs == [(4, 9, 2), (1, 7, 1), (7, 1, 1), (9, 4, 1)]
    assert most_confused(confusion(truth, truth, 10)) == []


def test_mistakes_are_the_wrong_samples_in_order_and_a_pair_narrows_them():
    truth = np.array([4, 4, 4, 9, 9, 1])
    said = np.array([9, 4, 9, 4, 9, 7])
    assert mistakes(truth, said).tolist() == [0, 2, 3, 5]
    assert mistakes(truth, said, (4, 9)).tolist() == [0, 2]
    assert mistakes(truth, said, (2, 3)).tolist() == []
