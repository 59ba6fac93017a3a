"""The numpy forward pass that keeps z and a of every neuron (display, truth tables, animation).

z_j^l = Σ_k a_k^(l−1) w_jk^l + b_j^l, then a_j^l = h(z_j^l); softmax is taken across its group.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from engine import activations, conv
from engine.datasets.features import arrange, labels_of, raw_count, widen
from engine.network import Network, NetworkError
from engine.plan import LevelPlan, Plan, make_plan


@dataclass(frozen=True)
class Trace:
    ids: np.ndarray   # neuron ids, the columns of z and a
    z: np.ndarray     # (samples, neurons); for inputs z = a = the input value
    a: np.ndarray
    plan: Plan

    @property
    def outputs(self) -> np.ndarray:
        return self.a[:, self.plan.outputs]

    @property
    def output_z(self) -> np.ndarray:
        return self.z[:, self.plan.outputs]

    def predicted(self) -> np.ndarray:
        """Per sample, the place (in output order) of the largest output: the predicted class of
        a one-hot output layer."""
        return np.argmax(self.outputs, axis=1) if self.outputs.shape[1] else np.zeros(len(self.a), int)

    def of(self, nid: int) -> tuple[np.ndarray, np.ndarray]:
        i = int(np.searchsorted(self.ids, nid))
        return self.z[:, i], self.a[:, i]


def forward(net: Network, x: np.ndarray | list, plan: Plan | None = None) -> Trace:
    """Runs a batch (or one sample) through the network in float64."""
    plan = plan or make_plan(net)
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    if x.shape[1] != len(plan.inputs):
        raise NetworkError(f"the network has {len(plan.inputs)} inputs but the data gives "
                           f"{x.shape[1]} values per sample")
    z = np.zeros((len(x), plan.n_neurons))
    z[:, plan.inputs] = x
    a = z.copy()
    for lv in plan.levels:
        zl = level_z(lv, a, net)
        z[:, lv.neurons] = zl
        for name, param, start, stop in lv.groups:
            # softmax neurons keep a = z here; the group's softmax is taken after the last level
            fn = "linear" if name == "softmax" else name
            a[:, lv.neurons[start:stop]] = activations.apply(fn, zl[:, start:stop], param)
    if len(plan.softmax):
        a[:, plan.softmax] = activations.softmax(z[:, plan.softmax])
    return Trace(net.ids.copy(), z, a, plan)


def level_z(lv: LevelPlan, a: np.ndarray, net: Network) -> np.ndarray:
    """z of a level's neurons for every sample, from a of every neuron (samples, neurons)."""
    if lv.conv is None:
        return lv.weighted_sum(a, net.weight) + net.bias[lv.neurons]
    conv_, in_shape, shape = lv.conv
    x = a[:, lv.sources].reshape(len(a), *in_shape)
    return conv.forward(conv_, x, shape, lv.dense(net.weight),
                        lv.biases(net.bias)).reshape(len(a), -1)


MAX_TRUTH_INPUTS = 10


def binary_inputs(n: int) -> np.ndarray:
    """Every 0/1 combination of n inputs, first input most significant: 00, 01, 10, 11."""
    if n > MAX_TRUTH_INPUTS:
        raise NetworkError(f"a truth table of {n} inputs would have {2 ** n} rows; "
                           f"it is offered up to {MAX_TRUTH_INPUTS} inputs")
    return np.array(list(itertools.product((0.0, 1.0), repeat=n))).reshape(-1, n)


def truth_table(net: Network, plan: Plan | None = None, labels: list[str] | None = None) -> Trace:
    """Every 0/1 row of the inputs that read data (feature inputs computed from them); plan and
    the inputs' labels where the caller keeps them."""
    labels = labels_of(net) if labels is None else labels
    return forward(net, widen(binary_inputs(raw_count(labels)), labels), plan)


def grid(net: Network, x_range: tuple[float, float], y_range: tuple[float, float],
         n: int = 64, axes: tuple[int, int] = (0, 1), fixed: np.ndarray | None = None) -> Trace:
    """Every neuron over an n×n grid of the input plane (decision boundaries; feature inputs
    computed from the plane); sample k is column k % n, row k // n. With more than two inputs
    that read data, the plane is a slice: inputs axes vary, the others keep their fixed values
    (one per such input)."""
    xs, ys = np.linspace(*x_range, n), np.linspace(*y_range, n)
    gx, gy = np.meshgrid(xs, ys)
    labels = labels_of(net)
    if fixed is None or len(fixed) <= 2:
        return forward(net, arrange(np.stack([gx.ravel(), gy.ravel()], 1), labels))
    raw = np.tile(np.asarray(fixed, float), (n * n, 1))
    raw[:, axes[0]], raw[:, axes[1]] = gx.ravel(), gy.ravel()
    return forward(net, widen(raw, labels))


def answers(net: Network, x: np.ndarray, plan: Plan | None = None,
            chunk: int = 256) -> Iterator[np.ndarray]:
    """Each sample's predicted class, a chunk of samples at a time, so that a caller with other
    work (a window) can do it between chunks."""
    plan = plan or make_plan(net)
    for start in range(0, len(x), chunk):
        yield forward(net, x[start:start + chunk], plan).predicted()


def confusion(truth: np.ndarray, predicted: np.ndarray, classes: int) -> np.ndarray:
    """Samples per (true class, predicted class): rows are the truth, the diagonal is right."""
    pairs = np.asarray(truth, np.int64) * classes + np.asarray(predicted, np.int64)
    return np.bincount(pairs, minlength=classes * classes).reshape(classes, classes)


def most_confused(matrix: np.ndarray, k: int = 5) -> list[tuple[int, int, int]]:
    """The k (true class, answer, samples) off the diagonal with the most samples, most first;
    ties in class order."""
    off = np.asarray(matrix).copy()
    np.fill_diagonal(off, 0)
    order = np.argsort(-off, axis=None, kind="stable")[:k]
    return [(int(i), int(j), int(off[i, j])) for i, j in
            zip(*np.unravel_index(order, off.shape)) if off[i, j] > 0]


def mistakes(truth: np.ndarray, predicted: np.ndarray, pair: tuple[int, int] | None = None
             ) -> np.ndarray:
    """The indices of the samples answered wrong, in order; only those of one (true, answer)
    pair where given."""
    truth, predicted = np.asarray(truth), np.asarray(predicted)
    wrong = truth != predicted
    if pair is not None:
        wrong &= (truth == pair[0]) & (predicted == pair[1])
    return np.flatnonzero(wrong)
