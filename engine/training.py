"""The Trainer: mini-batch gradient descent on a compiled network, as a generator of Snapshots.

Driving it as a generator is what lets the trainer process pause (stop pulling), step (pull one),
change the learning rate between mini-batches and publish only the latest snapshot.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Callable, Iterator

import numpy as np
import torch

from engine import activations
from engine.backward import backward, output_gradient
from engine.compile import DTYPES, CompiledNetwork, Pass, pick_device
from engine.datasets import Dataset
from engine.datasets.features import fit_inputs, labels_of
from engine.errors import EngineError
from engine.init import initialise
from engine.losses import FROM_Z, LABELS_ONLY, LossError, gradient, make_loss
from engine.network import Network
from engine.optim import FlatOptimizer
from engine.resume import METRICS, OptimizerState, fingerprint
from engine import schedules
from engine.settings import CHOICES, NUMBERS
from engine.trace import confusion

PROBE = 256  # training samples that dead-ReLU counts look at


class TrainingError(EngineError):
    """Settings or a network that cannot be trained; the message says why and what to do."""


@dataclass
class TrainConfig:
    loss: str = "mse"
    optimizer: str = "sgd"     # sgd | momentum | adam
    lr: float = 0.1
    momentum: float = 0.9      # α, for the momentum optimiser
    batch_size: int = 0        # 0 (or ≥ the data) is full-batch gradient descent
    epochs: int = 10
    l1: float = 0.0            # adds λ Σ|w| to the cost (weights only, not biases)
    l2: float = 0.0            # adds λ Σ w²
    dropout: float = 0.0       # rate on hidden neurons while training
    init: str = "keep"         # keep | uniform | normal | xavier | he | nielsen (engine.init)
    init_mean: float = 0.0
    init_std: float = 0.05
    bias_init: str = "scheme"  # scheme | zeros | constant | random (engine.init)
    bias_value: float = 0.0    # every bias, for bias_init constant
    validation: float = 0.0    # share of the training data held out to validate each epoch
    patience: int = 0          # early stopping: the run ends once more than this many epochs in
    tol: float = 1e-4          # a row improved the monitored loss by less than tol (0: never)
    resume: bool = False       # go on from the network's OptimizerState where it fits
    seed: int = 0
    device: str = "auto"       # auto | cpu | cuda
    dtype: str = "float32"     # float32 | float64
    schedule: str = "constant"  # the rate per epoch (engine.schedules)
    decay: float = 0.5         # its γ
    decay_every: int = 10      # step's epochs a step; cosine's period
    lr_min: float = 0.0        # cosine's floor

    @classmethod
    def of(cls, settings: dict) -> TrainConfig:
        """The trainer's settings out of a dict that holds more (the window's: data set sizes)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in settings.items() if k in names})


class Numbers:
    """Every weight and bias as a step left them, copied then and laid out in the network's
    order only when read. On a GPU the copy stays there until it is read: a copy to the CPU waits
    for the GPU to finish the step, and most steps' numbers are never read."""

    def __init__(self, model: CompiledNetwork, base_biases: np.ndarray) -> None:
        self._model, self._base = model, base_biases
        self._flat = model.flat.detach().clone()  # on the CPU, the one copy it ever makes

    @cached_property
    def _host(self) -> np.ndarray:
        return self._flat.cpu().numpy()

    @cached_property
    def weights(self) -> np.ndarray:
        return self._model.to_connections(self._host)

    @cached_property
    def biases(self) -> np.ndarray:
        return self._model.to_neurons(self._host, self._base)


@dataclass(frozen=True)
class Snapshot:
    step: int                  # mini-batches done in this run
    epoch: int                 # the epoch this step belongs to, from 1
    loss: float                # this mini-batch's cost (regularisation included)
    numbers: Numbers           # the weights and biases after this step's update
    epoch_end: bool = False
    epoch_loss: float | None = None       # mean cost over the epoch's mini-batches
    train_accuracy: float | None = None   # running, over the epoch's mini-batches
    test_accuracy: float | None = None
    test_loss: float | None = None        # for regression, where accuracy means nothing
    validation_loss: float | None = None
    validation_accuracy: float | None = None
    confusion: np.ndarray | None = None   # test samples per (true class, answer), one-hot outputs
    stopped: str | None = None            # why the run failed (NaN, …), in words
    early_stop: str | None = None         # why early stopping ended the run, in words

    @property
    def weights(self) -> np.ndarray:
        """Connection order."""
        return self.numbers.weights

    @property
    def biases(self) -> np.ndarray:
        """Neuron order."""
        return self.numbers.biases


def _refuse_step_neurons(net: Network) -> None:
    step = np.flatnonzero((net.act == activations.NAMES.index("step")) & (net.role != 0))
    if len(step):
        raise TrainingError(
            f"neuron {int(net.ids[step[0]])} uses the step activation, whose slope is 0 everywhere: "
            "gradient descent gets no signal through it. Switch it to sigmoid (a smooth step) to "
            "train, or tune step neurons by hand")


def _check(config: TrainConfig) -> None:
    if config.optimizer not in CHOICES["optimizer"]:
        raise TrainingError(f"unknown optimiser {config.optimizer!r}; choose sgd, momentum or adam")
    if config.dtype not in DTYPES:
        raise TrainingError(f"unknown dtype {config.dtype!r}; choose float32 or float64")
    if not (config.lr > 0 and config.epochs >= 0 and config.batch_size >= 0):
        raise TrainingError("the learning rate must be > 0, epochs and batch size ≥ 0")
    if not 0 <= config.dropout < 1:
        raise TrainingError(f"a dropout rate of {config.dropout} is not in [0, 1)")
    if not 0 <= config.validation < 1:
        raise TrainingError(f"a validation share of {config.validation} is not in [0, 1)")
    why = schedules.problem(config.schedule, config.lr, config.decay, config.lr_min)
    if why:
        raise TrainingError(why)
    for name in ("decay", "decay_every", "lr_min"):
        why = NUMBERS[name].problem(getattr(config, name))
        if why:
            raise TrainingError(f"{name}: {why}")


def held_out(x: np.ndarray, y: np.ndarray, share: float,
             seed: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray] | None]:
    """(train, validation): a random share of the samples, drawn with the seed, set aside; at
    least one sample on either side."""
    if share <= 0:
        return (x, y), None
    n = len(x)
    if n < 2:
        raise TrainingError(f"a validation split needs 2 samples or more; the data has {n}")
    k = min(max(1, round(share * n)), n - 1)
    order = np.random.default_rng(seed).permutation(n)
    keep, val = np.sort(order[k:]), np.sort(order[:k])
    return (x[keep], y[keep]), (x[val], y[val])


@dataclass
class _Data:
    x: torch.Tensor
    y: torch.Tensor
    labels: torch.Tensor | None   # class per sample where outputs are one-hot


class Trainer:
    def __init__(self, net: Network, config: TrainConfig, train: tuple[np.ndarray, np.ndarray],
                 test: tuple[np.ndarray, np.ndarray] | None = None, regression: bool = False) -> None:
        """regression: the targets are numbers to fit, not classes; no accuracy is counted."""
        _check(config)
        self.regression = regression
        _refuse_step_neurons(net)
        self.config = config
        self.device, self.device_note = pick_device(config.device)
        outputs = {activations.NAMES[a] for a in net.act[net.role == 2]}
        try:
            self.loss_fn = make_loss(config.loss, outputs)
        except LossError as e:
            raise TrainingError(str(e)) from None
        self.net, self.resumed, self.resume_note = net, None, None
        if config.resume and net.resume is not None:
            why = net.resume.why_not(net, config.optimizer, config.dtype)
            self.resumed = None if why else net.resume
            self.resume_note = f"a new run starts: {why}" if why else (
                f"going on from epoch {net.resume.epoch}, with the optimiser's state")
        work = net.copy()
        if self.resumed is None:
            initialise(work, config.init, config.seed, config.init_mean, config.init_std,
                       biases=config.bias_init, bias_value=config.bias_value)
        frozen_w, frozen_b = net.frozen_masks()
        work.weight[frozen_w], work.bias[frozen_b] = net.weight[frozen_w], net.bias[frozen_b]
        self.base_biases = work.bias.copy()
        self.model = CompiledNetwork(work, dtype=DTYPES[config.dtype], device=self.device)
        train, validation = held_out(*train, config.validation, config.seed)
        self.train, self.test = self._tensors(train), self._tensors(test) if test else None
        self.validation = self._tensors(validation) if validation else None
        self.params = list(self.model.parameters())
        self.optimizer = FlatOptimizer(self.model.flat, self.params, config.optimizer, config.lr,
                                       config.momentum)
        if frozen_w.any() or frozen_b.any():
            keep = np.ones(len(self.model.flat))
            keep[self.model.weight_at[frozen_w]] = 0
            keep[self.model.bias_at[np.isin(self.model.bias_neurons, np.flatnonzero(frozen_b))]] = 0
            self.optimizer.trainable = torch.tensor(keep, dtype=self.model.flat.dtype,
                                                    device=self.device)
        self.regularisation = (config.l1, config.l2)
        self._stop = False
        self._epoch: int | None = None  # the epoch under way
        self.epochs_done, self.history = 0, {"epoch": [], **{k: [] for k in METRICS}}
        self._ended_epoch: Snapshot | None = None  # the last snapshot, if it ended an epoch
        if self.resumed is not None:
            self._go_on(self.resumed)

    def _go_on(self, state: OptimizerState) -> None:
        for name, (weights, biases) in state.moments.items():
            getattr(self.optimizer, name).copy_(self.model.flat_of(weights, biases))
        self.optimizer.steps, self.epochs_done = state.steps, state.epoch
        self.history = {k: list(v) for k, v in state.history.items()}

    def state(self) -> OptimizerState | None:
        """What a later run needs to go on exactly from here; None unless the run so far ended
        at an epoch's end (a shuffle half used cannot be continued)."""
        last = self._ended_epoch
        if last is None:
            return None
        done = self.net.copy()
        done.set_trained(last.weights, last.biases)
        moments = {}
        for name in ("buffer", "squares"):
            moment = getattr(self.optimizer, name)
            if moment is not None:
                m = moment.detach().cpu().numpy().astype(np.float64)
                moments[name] = (self.model.to_connections(m),
                                 self.model.to_neurons(m, np.zeros(self.net.n_neurons)))
        return OptimizerState(self.config.optimizer, self.config.dtype, self.epochs_done,
                              self.optimizer.steps, fingerprint(done), moments,
                              {k: list(v) for k, v in self.history.items()})

    @classmethod
    def on(cls, net: Network, config: TrainConfig, data: Dataset) -> Trainer:
        """A trainer on a data set as the network reads it: its feature inputs computed, the
        targets its outputs take, and numbers to fit where the data set is a regression."""
        data = fit_inputs(data, labels_of(net))
        n_out = len(net.outputs)
        test = data.test(n_out) if len(data.x_test) else None  # a test share of 0: no test set
        return cls(net, config, data.train(n_out), test, data.regression)

    def _tensors(self, data: tuple[np.ndarray, np.ndarray]) -> _Data:
        x, y = (np.asarray(v, dtype=self.config.dtype) for v in data)
        n_in, n_out = len(self.model.plan.inputs), len(self.model.plan.outputs)
        if x.ndim != 2 or x.shape[1] != n_in or y.shape != (len(x), n_out):
            raise TrainingError(f"the network has {n_in} inputs and {n_out} outputs, but the data "
                                f"gives {x.shape[1:]} inputs and {y.shape[1:]} targets per sample")
        opts = {"device": self.device}
        labels = torch.as_tensor(y.argmax(1), **opts) if n_out > 1 and not self.regression else None
        return _Data(torch.as_tensor(x, **opts), torch.as_tensor(y, **opts), labels)


    @property
    def steps_per_epoch(self) -> int:
        n, b = len(self.train.x), self.config.batch_size
        return 1 if b <= 0 or b >= n else -(-n // b)

    # ---- commands, applied between mini-batches ------------------------------------------------
    def set_learning_rate(self, lr: float) -> None:
        """The set rate η, from which the schedule goes on (this epoch's rate at once)."""
        self.config = replace(self.config, lr=lr)
        self._schedule(self.epochs_done if self._epoch is None else self._epoch - 1)

    def _schedule(self, t: int) -> None:
        c = self.config
        self.optimizer.lr = schedules.rate(c.schedule, c.lr, t, c.decay, c.decay_every, c.lr_min)

    def set_regularisation(self, l1: float, l2: float) -> None:
        self.regularisation = (l1, l2)

    def set_weights(self, weights: np.ndarray, biases: np.ndarray) -> None:
        """Every number set during a run: training goes on from these."""
        self.model.load_numpy(weights, biases)

    def set_some(self, conns: np.ndarray, weights: np.ndarray, neurons: np.ndarray,
                 biases: np.ndarray) -> None:
        """A hand edit during a run: these connections' weights and neurons' biases (indices)."""
        self.model.load_some(conns, weights, neurons, biases)

    def stop(self) -> None:
        self._stop = True

    # ---- the maths -----------------------------------------------------------------------------
    def _cost(self, x: torch.Tensor, y: torch.Tensor | None, labels: torch.Tensor | None,
              dropout: float) -> tuple[torch.Tensor, torch.Tensor, Pass, torch.Tensor]:
        """The cost, a and z of the outputs, and the pass that gave them."""
        fwd = self.model.run(x, dropout)
        z, a = self.model.outputs(fwd, softmax=self.config.loss not in FROM_Z)
        cost = self.loss_fn(z, a, y, labels)
        l1, l2 = self.regularisation
        if l1 or l2:
            ws = self.model.masked_weights()
            cost = cost + sum(l1 * w.abs().sum() + l2 * w.square().sum() for w in ws)
        return cost, a, fwd, z

    def _backward(self, fwd: Pass, z: torch.Tensor, a: torch.Tensor, y: torch.Tensor | None,
                  labels: torch.Tensor | None) -> None:
        """∂C/∂w and ∂C/∂b of the pass into the optimiser's gradient."""
        of_z = self.config.loss in FROM_Z
        d = gradient(self.config.loss, z, a, y, labels)
        optimizer, k = self.optimizer, len(self.model.plan.levels)
        backward(self.model, fwd, d if of_z else output_gradient(self.model, d, a), of_z,
                 optimizer.views[:k], optimizer.views[k:], *self.regularisation)

    @staticmethod
    def _correct(a: torch.Tensor, y: torch.Tensor | None, labels: torch.Tensor | None) -> torch.Tensor:
        if labels is not None:
            return (a.argmax(1) == labels).sum()
        return ((a >= 0.5) == (y >= 0.5)).sum()  # one output

    def _accuracy(self, a: torch.Tensor, data: _Data) -> float:
        return float(self._correct(a, data.y, data.labels)) / len(data.x)

    def gradients(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """dC/dw per connection and dC/db per neuron on this data (no dropout), by backprop."""
        data = self._tensors((x, y))
        _, a, fwd, z = self._cost(data.x, data.y, data.labels, 0.0)
        self._backward(fwd, z, a, data.y, data.labels)
        grads = self.optimizer.grad.to("cpu", copy=True).numpy()  # not the buffer's next step
        return (self.model.to_connections(grads),
                self.model.to_neurons(grads, np.zeros_like(self.base_biases)))

    def diagnostics(self) -> dict[str, list[float | None]]:
        """Per level: mean |∂C/∂w| of the last step, and the share of its ReLU neurons that are
        dead (output 0 for every one of PROBE training samples); None where a level has no ReLU."""
        grads = [float(g.abs().mean()) for g in self.optimizer.views[:len(self.model._w)]]
        dead: list[float | None] = []
        levels = self.model.level_activations(self.train.x[:PROBE])
        for lv, a in zip(self.model.plan.levels, levels):
            relu = [k for name, _, s, e in lv.groups if name == "relu" for k in range(s, e)]
            dead.append(float((a[:, relu] <= 0).all(0).float().mean()) if relu else None)
        return {"gradient": grads, "dead_relu": dead}

    def cost(self, x: np.ndarray, y: np.ndarray) -> float:
        """The cost on this data with the current weights (no dropout)."""
        return self.data_cost(self._tensors((x, y)))

    def data_cost(self, data: _Data) -> float:
        return float(self._cost(data.x, data.y, data.labels, 0.0)[0])

    def validated(self) -> tuple[float | None, float | None]:
        """The cost (as the epoch's loss: regularisation included) and the accuracy on the
        held-out validation data, with the current weights; None without a validation split."""
        data = self.validation
        if data is None:
            return None, None
        cost, a, _, _ = self._cost(data.x, data.y, data.labels, 0.0)
        return float(cost), None if self.regression else self._accuracy(a, data)

    def tested(self) -> tuple[float | None, np.ndarray | None]:
        """Accuracy on the test data and, where the outputs are one-hot, the confusion matrix."""
        data = self.test
        if data is None or self.regression:
            return None, None
        _, a = self.model(data.x)
        accuracy = self._accuracy(a, data)
        if data.labels is None:
            return accuracy, None
        return accuracy, confusion(data.labels.cpu().numpy(), a.argmax(1).cpu().numpy(), a.shape[1])

    def _snapshot(self, **fields_: object) -> Snapshot:
        return Snapshot(numbers=Numbers(self.model, self.base_biases), **fields_)

    # ---- the loop ------------------------------------------------------------------------------
    def steps(self) -> Iterator[Snapshot]:
        """Yields a Snapshot after every mini-batch; the last of each epoch carries its metrics."""
        c, data, n = self.config, self.train, len(self.train.x)
        batch = n if c.batch_size <= 0 else min(c.batch_size, n)
        # a continued run counts on from the epochs before it, as one run would have: its
        # loss and gradient curves go on to the right instead of starting over at step 0
        step = self.epochs_done * self.steps_per_epoch
        good = self._snapshot(step=step, epoch=self.epochs_done, loss=math.nan)
        skip_y = c.loss in LABELS_ONLY
        plateau = Plateau(c.patience, c.tol)
        first = self.epochs_done + 1
        for epoch in range(first, first + c.epochs):
            # each epoch's shuffle and dropout come from the seed and the epoch alone, so a run
            # continued later draws what an unpaused one would have
            self._seed(epoch)
            self._epoch = epoch
            self._schedule(epoch - 1)
            # drawn on the CPU's generator: the same seed shuffles alike on the CPU and a GPU
            order = torch.randperm(n).to(self.device) if batch < n else None
            total, correct = 0.0, torch.zeros((), dtype=torch.long, device=self.device)
            for start in range(0, n, batch):
                if order is None:
                    x, y, labels = data.x, data.y, data.labels
                else:
                    # index_select: a quarter of the cost of x[idx] for a 64-row batch
                    idx = order[start:start + batch]
                    x = data.x.index_select(0, idx)
                    labels = None if data.labels is None else data.labels.index_select(0, idx)
                    y = None if skip_y and labels is not None else data.y.index_select(0, idx)
                cost, a, fwd, z = self._cost(x, y, labels, c.dropout)
                loss = cost.item()
                if not math.isfinite(loss):
                    yield self._give_up(good, step, epoch, loss)
                    return
                self._backward(fwd, z, a, y, labels)
                self.optimizer.step()
                step += 1
                total += loss
                if not self.regression:
                    correct += self._correct(a, y, labels)
                good = self._snapshot(step=step, epoch=epoch, loss=loss)
                if start + batch >= n:
                    accuracy, confusion = self.tested()
                    test_loss = (self.data_cost(self.test)
                                 if self.regression and self.test is not None else None)
                    val_loss, val_accuracy = self.validated()
                    epoch_loss = total / self.steps_per_epoch
                    good = replace(good, epoch_end=True, epoch_loss=epoch_loss,
                                   train_accuracy=None if self.regression else float(correct) / n,
                                   test_accuracy=accuracy, test_loss=test_loss,
                                   validation_loss=val_loss, validation_accuracy=val_accuracy,
                                   confusion=confusion, early_stop=plateau.ends(
                                       epoch_loss if val_loss is None else val_loss,
                                       "training" if val_loss is None else "validation"))
                    self._record(good)
                self._ended_epoch = good if good.epoch_end else None
                yield good
                if self._stop or good.early_stop:
                    return

    def _seed(self, epoch: int) -> None:
        # the generators themselves: torch.manual_seed costs 0.1 ms, a whole XOR epoch
        value = epoch_seed(self.config.seed, epoch)
        torch.default_generator.manual_seed(value)
        if self.device.type == "cuda":
            torch.cuda.manual_seed(value)

    def _record(self, snap: Snapshot) -> None:
        self.epochs_done = snap.epoch
        self.history["epoch"].append(snap.epoch)
        for key in METRICS:
            self.history[key].append(getattr(snap, "epoch_loss" if key == "loss" else key))

    def _give_up(self, good: Snapshot, step: int, epoch: int, loss: float) -> Snapshot:
        self.set_weights(good.weights, good.biases)
        what = "NaN" if math.isnan(loss) else "infinite"
        reason = (f"loss became {what} at epoch {epoch}, step {step + 1}: {self._likely_cause()}; "
                  "the last good weights are kept")
        return Snapshot(step, epoch, loss, good.numbers, stopped=reason)

    def _likely_cause(self) -> str:
        """Which setting most probably made the numbers blow up, in words."""
        lr, (_, l2) = self.optimizer.lr, self.regularisation
        if self.config.optimizer != "adam" and 2 * lr * l2 > 2:
            # the penalty's own step multiplies every weight by 1 − 2ηλ: past −1 they grow
            return (f"the L2 λ {l2:g} is probably too high for the learning rate {lr:g}: the "
                    f"penalty alone multiplies each weight by 1 − 2ηλ = {1 - 2 * lr * l2:g} a step")
        return f"the learning rate {lr:g} is probably too high"

    def run(self, on_step: Callable[[Snapshot], None] | None = None,
            on_epoch: Callable[[Snapshot, float], None] | None = None) -> Snapshot | None:
        """Trains to the end; on_epoch also gets the epoch's wall time in seconds."""
        last, started = None, time.perf_counter()
        for last in self.steps():
            if on_step:
                on_step(last)
            if on_epoch and (last.epoch_end or last.stopped):
                on_epoch(last, time.perf_counter() - started)
                started = time.perf_counter()
        return last


def epoch_seed(seed: int, epoch: int) -> int:
    """A 63-bit seed from (seed, epoch), mixed (splitmix64) so that neighbouring seeds and
    epochs draw unrelated numbers."""
    mask = 2 ** 64 - 1
    x = (seed * 0x9E3779B97F4A7C15 + epoch) & mask
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & mask
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & mask
    return (x ^ (x >> 31)) >> 1


class Plateau:
    """Early stopping as scikit-learn's MLP does it (tol, n_iter_no_change): an epoch whose loss
    is not below the best so far minus tol counts, one that is resets the count, and the run
    ends when the count passes the patience. Patience 0 never ends a run."""

    def __init__(self, patience: int, tol: float) -> None:
        self.patience, self.tol = patience, tol
        self.best, self.count = math.inf, 0

    def ends(self, loss: float, which: str) -> str | None:
        """Hears an epoch's loss; says why the run ends here, or None."""
        self.count = self.count + 1 if loss > self.best - self.tol else 0
        self.best = min(self.best, loss)
        if not self.patience or self.count <= self.patience:
            return None
        return (f"early stopping: the {which} loss improved by less than tol = {self.tol:g} for "
                f"{self.count} epochs in a row (patience {self.patience})")


def apply(net: Network, snapshot: Snapshot) -> None:
    """Copies a snapshot's weights and biases into the network, but its frozen ones."""
    net.set_trained(snapshot.weights, snapshot.biases)
