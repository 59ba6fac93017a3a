"""Back propagation for one sample, in numpy float64, with every intermediate number kept so the
canvas can show it: the forward pass, the cost, δ_j = ∂C/∂z_j for every neuron level by level from
the outputs, ∂C/∂w = a_in·δ for every connection, ∂C/∂b = δ, and the gradient-descent update.

It computes what the Trainer's autograd computes for a mini-batch of this one sample (the same
losses, regularisation included), so the numbers agree to rounding (tests/engine/test_backprop.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import activations, conv
from engine.network import INPUT, OUTPUT, Network, NetworkError
from engine.plan import Plan, make_plan
from engine.settings import loss_problem
from engine.trace import Trace, forward

# the cost of one sample, as the course writes it
FORMULAS = {"mse": "C = ½ Σ_j (y_j − a_j)²", "l1": "C = Σ_j |y_j − a_j|",
            "bce": "C = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]", "ce": "C = −Σ_j y_j ln a_j"}
# ∂C/∂z of an output, where the loss and the activation make it short
OUTPUT_DELTAS = {"bce": "δ = ∂C/∂z = a − y (sigmoid and cross-entropy cancel)",
                 "ce": "δ = ∂C/∂z = a − y (softmax and cross-entropy cancel)"}


def slope(name: str, z: np.ndarray, a: np.ndarray, param: np.ndarray | float) -> np.ndarray:
    """h'(z), with autograd's choices where h has a corner: ReLU' (0) = 0, leaky ReLU' (0) =
    slope, step' = 0 everywhere."""
    if name == "sigmoid":
        return a * (1 - a)
    if name == "tanh":
        return 1 - a * a
    if name == "relu":
        return (z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, param)
    if name == "step":
        return np.zeros_like(z)
    return np.ones_like(z)  # linear


@dataclass(frozen=True)
class Backprop:
    trace: Trace           # the forward pass of the sample (one row)
    target: np.ndarray     # y, in output order
    loss: str
    cost: float            # of the sample, with the regularisation (as the Trainer's)
    penalty: float         # the regularisation's share of it
    slope: np.ndarray      # h'(z) per neuron (neuron order; 0 for inputs and softmax)
    feed_back: np.ndarray  # ∂C/∂a per neuron: Σ_k w_jk δ_k for hidden ones, the loss's for outputs
    delta: np.ndarray      # δ = ∂C/∂z per neuron (0 for inputs); also ∂C/∂b
    grad_w: np.ndarray     # ∂C/∂w per connection: a_source·δ_target (+ the regularisation's)
    order: list[np.ndarray]  # neuron indices in the order δ is found: outputs, then levels back
    grad_x: np.ndarray     # ∂C/∂x per input neuron (neuron order; 0 for the others)
    grad_b: np.ndarray     # ∂C/∂b per neuron: δ, but a feature map's Σ δ over its units

    def updated(self, net: Network, lr: float) -> tuple[np.ndarray, np.ndarray]:
        """w − η ∂C/∂w and b − η δ: one gradient-descent step on this sample; frozen numbers and
        the inputs' biases stay as they are."""
        frozen_w, frozen_b = net.frozen_masks()
        weights = np.where(frozen_w, net.weight, net.weight - lr * self.grad_w)
        keep = frozen_b | (net.role == INPUT)
        return weights, np.where(keep, net.bias, net.bias - lr * self.grad_b)


def _output_gradient(loss: str, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """The loss of one sample and ∂C/∂a of the outputs (for bce and ce: ∂C/∂z itself)."""
    if loss == "mse":
        return 0.5 * float(np.sum((a - y) ** 2)), a - y
    if loss == "l1":
        return float(np.sum(np.abs(a - y))), np.sign(a - y)
    if loss == "bce":  # from z, as torch's binary_cross_entropy_with_logits
        return float(np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))), a - y
    shift = z.max()
    log_softmax = z - shift - np.log(np.sum(np.exp(z - shift)))
    return float(-np.sum(y * log_softmax)), a - y


def backprop(net: Network, x: np.ndarray, y: np.ndarray, loss: str = "mse", l1: float = 0.0,
             l2: float = 0.0, plan: Plan | None = None) -> Backprop:
    """Every number of one back-propagation pass for the sample x with target y; plan: the
    network's, where the caller keeps it (making it is 10 ms at 1.79 M connections)."""
    outputs = {activations.NAMES[k] for k in net.act[net.role == OUTPUT]}
    problem = loss_problem(loss, outputs)
    if problem:
        raise NetworkError(problem)
    plan = plan or make_plan(net)
    trace = forward(net, np.asarray(x, float)[None, :], plan)
    z, a = trace.z[0], trace.a[0]
    y = np.asarray(y, float).reshape(-1)
    outs = plan.outputs
    if len(y) != len(outs):
        raise NetworkError(f"the network has {len(outs)} outputs but the target has {len(y)} values")
    n = net.n_neurons
    h_slope, feed_back, delta = np.zeros(n), np.zeros(n), np.zeros(n)
    computed = np.flatnonzero(net.role != INPUT)
    for name_id in np.unique(net.act[computed]):
        name = activations.NAMES[name_id]
        mine = computed[net.act[computed] == name_id]
        if name != "softmax":
            h_slope[mine] = slope(name, z[mine], a[mine], net.param[mine])
    cost, g = _output_gradient(loss, z[outs], a[outs], y)
    feed_back[outs] = g
    if loss in OUTPUT_DELTAS:
        delta[outs] = g
    else:
        soft = np.isin(outs, plan.softmax)
        delta[outs[~soft]] = h_slope[outs[~soft]] * g[~soft]
        if soft.any():  # softmax's Jacobian: δ_j = a_j (g_j − Σ_k a_k g_k) over the group
            s, gs = a[outs[soft]], g[soft]
            delta[outs[soft]] = s * (gs - np.dot(s, gs))
    order, shared = [outs], []
    for lv in reversed(plan.levels):
        inner = lv.neurons[net.role[lv.neurons] != OUTPUT]
        delta[inner] = h_slope[inner] * feed_back[inner]
        if len(inner):
            order.append(inner)
        if lv.conv is None:
            feed_back += np.bincount(lv.feeding, net.weight[lv.conns] * delta[lv.fed], minlength=n)
        else:
            conv_, in_shape, shape = lv.conv
            grad_k, grad_x = conv.backward(conv_, a[lv.sources].reshape(1, *in_shape),
                                           delta[lv.neurons].reshape(1, *shape),
                                           lv.dense(net.weight))
            feed_back[lv.sources] += grad_x.reshape(-1)
            if grad_k is not None:
                shared.append((lv.conns, grad_k.reshape(-1)))
    src, dst = net.endpoints()
    grad_w = a[src] * delta[dst]
    for conns, summed in shared:  # a kernel's weight: its gradient over every position
        grad_w[conns] = summed
    grad_w += l1 * np.sign(net.weight) + 2 * l2 * net.weight
    grad_b = delta.copy()
    for lv in plan.levels:  # a feature map's one bias: δ summed over its units; pooling has none
        if lv.conv is not None:
            per_map = delta[lv.neurons].reshape(lv.conv[2][0], -1)
            grad_b[lv.neurons] = np.repeat(per_map.sum(1) * (lv.conv[0].kind == "conv"),
                                           per_map.shape[1])
    penalty = float(l1 * np.abs(net.weight).sum() + l2 * np.square(net.weight).sum())
    grad_x = np.where(net.role == INPUT, feed_back, 0.0)
    feed_back[net.role == INPUT] = 0.0  # an input's a is data: nothing to learn there
    return Backprop(trace, y, loss, cost + penalty, penalty, h_slope, feed_back, delta, grad_w,
                    order, grad_x, grad_b)


def saliency(net: Network, x: np.ndarray, k: int,
             plan: Plan | None = None) -> tuple[np.ndarray, np.ndarray]:
    """∂a_k/∂x of output k (in the plan's order) for the sample x, and gradient × input, per
    input neuron in neuron order: what the answer k rests on."""
    plan = plan or make_plan(net)
    x = np.asarray(x, float)
    a = forward(net, x[None, :], plan).a[0][plan.outputs]
    # squared error's ∂C/∂a is a − y: with y = a − e_k it is e_k, so ∂C/∂x is ∂a_k/∂x
    target = a.copy()
    target[k] -= 1.0
    grad = backprop(net, x, target, "mse", plan=plan).grad_x
    inputs = np.zeros(net.n_neurons)
    inputs[plan.inputs] = x
    return grad, grad * inputs
