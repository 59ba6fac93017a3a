import subprocess
import sys

import numpy as np
import pytest
import torch

from engine.build import from_spec
from engine.init import initialise
from engine.trace import forward
from engine.training import TrainConfig, Trainer, TrainingError, apply
from tests.engine.helpers import xor_by_hand
from tests.paths import ROOT

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
XOR = np.array([[0], [1], [1], [0]], float)


def xor_net():
    return from_spec("2-2-1", "sigmoid")


def test_adam_trains_xor_to_four_of_four(device):
    net = xor_net()
    config = TrainConfig(loss="mse", optimizer="adam", lr=0.1, epochs=600, init="xavier", seed=1,
                         device=device)
    last = Trainer(net, config, (X, XOR)).run()
    apply(net, last)
    y = forward(net, X).outputs
    assert ((y >= 0.5) == XOR).all()
    assert last.train_accuracy == 1.0 and last.epoch == 600


def test_full_batch_is_one_step_per_epoch_and_the_loss_falls(device):
    config = TrainConfig(optimizer="momentum", lr=0.5, epochs=50, init="xavier", device=device)
    snaps = list(Trainer(xor_net(), config, (X, XOR)).steps())
    assert len(snaps) == 50 and all(s.epoch_end for s in snaps)
    assert snaps[-1].epoch_loss < snaps[0].epoch_loss


def test_mini_batches_per_epoch_and_seeded_reproducibility(device):
    config = TrainConfig(lr=0.5, batch_size=3, epochs=2, init="xavier", seed=7, device=device)
    a = list(Trainer(xor_net(), config, (X, XOR)).steps())
    b = list(Trainer(xor_net(), config, (X, XOR)).steps())
    assert [s.step for s in a] == [1, 2, 3, 4] and [s.epoch_end for s in a] == [False, True] * 2
    assert all(np.array_equal(s.weights, t.weights) for s, t in zip(a, b))


def test_learning_rate_change_applies_at_the_next_mini_batch(device):
    config = TrainConfig(lr=0.5, epochs=3, init="xavier", device=device)
    base = [s.weights for s in Trainer(xor_net(), config, (X, XOR)).steps()]
    trainer = Trainer(xor_net(), config, (X, XOR))
    steps = trainer.steps()
    first = next(steps)
    trainer.set_learning_rate(0.0001)
    second = next(steps)
    assert np.array_equal(first.weights, base[0])
    assert np.abs(second.weights - first.weights).max() < np.abs(base[1] - base[0]).max() / 100


def test_stop_ends_the_run_after_the_current_mini_batch(device):
    trainer = Trainer(xor_net(), TrainConfig(epochs=100, batch_size=1, device=device), (X, XOR))
    got = []
    for snap in trainer.steps():
        got.append(snap)
        if snap.step == 5:
            trainer.stop()
    assert len(got) == 5


def test_nan_stops_with_the_last_good_weights_and_a_reason(device):
    net = from_spec("2-8-1", "relu", "linear")
    initialise(net, "normal", seed=0, std=3.0)
    config = TrainConfig(lr=50.0, epochs=200, device=device)
    snaps = list(Trainer(net, config, (X, XOR * 100)).steps())
    last = snaps[-1]
    assert last.stopped and "learning rate 50 is probably too high" in last.stopped
    assert np.isfinite(last.weights).all() and np.isfinite(last.biases).all()
    assert np.array_equal(last.weights, snaps[-2].weights)


def test_step_neurons_are_refused_with_an_explanation(device):
    with pytest.raises(TrainingError, match="step activation.*slope is 0.*sigmoid"):
        Trainer(xor_by_hand(), TrainConfig(device=device), (X, XOR))


@pytest.mark.parametrize("config, why", [
    (TrainConfig(optimizer="rmsprop"), "optimiser"),
    (TrainConfig(loss="ce"), "softmax outputs"),
    (TrainConfig(loss="bce", dtype="float16"), "dtype"),
    (TrainConfig(dropout=1.0), "dropout"),
    (TrainConfig(lr=0), "learning rate"),
])
def test_bad_settings_are_refused_in_words(config, why):
    config.device = "cpu"
    with pytest.raises(TrainingError, match=why):
        Trainer(xor_net(), config, (X, XOR))


def test_data_that_does_not_fit_the_network_is_refused(device):
    with pytest.raises(TrainingError, match="2 inputs and 1 outputs"):
        Trainer(xor_net(), TrainConfig(device=device), (np.zeros((4, 3)), XOR))


def test_keep_init_starts_from_hand_set_weights_and_xavier_does_not(device):
    net = xor_net()
    net.set_weights(np.arange(6, dtype=float))
    kept = Trainer(net, TrainConfig(init="keep", device=device), (X, XOR)).model.numpy_weights()
    fresh = Trainer(net, TrainConfig(init="xavier", device=device), (X, XOR)).model.numpy_weights()
    assert np.array_equal(kept, np.arange(6)) and not np.array_equal(fresh, np.arange(6))
    limit = np.sqrt(6 / (2 + 2))
    assert np.abs(fresh[:4]).max() <= limit


def test_dropout_only_while_training(device):
    net = from_spec("2-64-1", "relu", "sigmoid")
    initialise(net, "he", seed=0)
    trainer = Trainer(net, TrainConfig(dropout=0.5, lr=1e-9, epochs=1, device=device), (X, XOR))
    plain = Trainer(net, TrainConfig(device=device), (X, XOR))
    assert trainer.cost(X, XOR) == pytest.approx(plain.cost(X, XOR))
    first = next(trainer.steps())
    assert first.loss != pytest.approx(trainer.cost(X, XOR), rel=1e-6)


def test_l2_shrinks_weights(device):
    net = xor_net()
    net.set_weights(np.full(6, 2.0))
    config = TrainConfig(l2=0.1, lr=0.1, epochs=30, device=device)
    last = Trainer(net, config, (X, np.full((4, 1), 0.5))).run()
    assert np.abs(last.weights).max() < 2.0 * 0.9


def test_run_reports_each_epoch_with_its_time(device):
    seen = []
    Trainer(xor_net(), TrainConfig(epochs=3, device=device), (X, XOR), (X, XOR)).run(
        on_epoch=lambda s, secs: seen.append((s.epoch, s.test_accuracy is not None, secs > 0)))
    assert seen == [(1, True, True), (2, True, True), (3, True, True)]


def test_diagnostics_find_dead_relus_and_gradients(device):
    net = from_spec("2-4-1", "relu", "sigmoid")
    initialise(net, "he", seed=0)
    hidden = net.layers[1].neurons
    biases = net.bias.copy()
    biases[net.index(hidden[:3])] = -100.0  # three of four hidden ReLUs can never fire
    net.set_biases(biases)
    trainer = Trainer(net, TrainConfig(lr=0.1, epochs=1, device=device), (X, XOR))
    next(trainer.steps())
    d = trainer.diagnostics()
    assert d["dead_relu"] == [0.75, None]
    assert len(d["gradient"]) == 2 and all(g >= 0 for g in d["gradient"]) and d["gradient"][1] > 0


def test_the_settings_table_names_what_the_engine_computes():
    """engine.settings (numpy only, shared by files, CLI and window) stays in step with torch's side."""
    from engine.compile import DTYPES
    from engine.losses import LOSSES
    from engine.settings import CHOICES
    assert CHOICES["loss"] == tuple(LOSSES) and CHOICES["dtype"] == tuple(DTYPES)


def test_the_trainer_process_warms_up_every_optimiser_and_loss_and_leaves_the_random_state(device):
    from engine.settings import CHOICES
    from engine.worker import warm_up
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    devices = sorted({"cpu", device})
    ran = warm_up(devices)
    assert set(ran) == {(d, o, loss) for d in devices for o in CHOICES["optimizer"]
                        for loss in CHOICES["loss"]}
    assert torch.equal(torch.random.get_rng_state(), before)


def test_after_the_warm_up_a_first_run_from_the_window_imports_nothing(device):
    """Whatever a first Train would import (numpy.ma, on reading the job's network) is imported
    before the trainer says it is ready: a fresh process, as the trainer's is."""
    code = ("import sys\nfrom engine import io\nfrom engine.io import load\n"
            "from engine.settings import DEFAULTS\nfrom engine.worker import Session, _Discard, warm_up\n"
            f"warm_up({sorted({'cpu', device})})\n"
            "net = io.to_dict(load('resources/examples/xor-2-2-1.json'))  # as the window sends\n"
            "before = set(sys.modules)\n"
            "job = {'network': net,\n"
            f"       'config': {{**DEFAULTS, 'optimizer': 'adam', 'epochs': 3, 'device': '{device}'}},\n"
            "       'dataset': {'name': 'xor', 'samples': 500, 'noise': 0.1, 'seed': 0,\n"
            "                   'test_share': 0.2, 'table': None}}\n"
            "session = Session(_Discard(), job)\n"
            "while not session.done: session.advance()\n"
            "print(sorted(set(sys.modules) - before))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_nan_from_a_large_l2_blames_the_l2_not_the_learning_rate(device):
    net = from_spec("2-4-1", "tanh", "sigmoid")
    initialise(net, "xavier", seed=0)
    config = TrainConfig(lr=0.5, l2=5.0, epochs=500, device=device)
    last = list(Trainer(net, config, (X, XOR)).steps())[-1]
    assert last.stopped and "the L2 λ 5 is probably too high for the learning rate 0.5" in last.stopped
    assert "1 − 2ηλ = -4" in last.stopped


def test_the_trainer_process_sees_a_waiting_command_and_a_closed_pipe():
    from multiprocessing import Pipe

    from engine.worker import _command_waiting
    ours, theirs = Pipe()
    waiting = _command_waiting(ours)
    assert not waiting()
    theirs.send(("pause",))
    assert waiting()
    ours.recv()
    assert not waiting()
    theirs.close()  # the window went: recv then ends the process's loop
    assert waiting()
