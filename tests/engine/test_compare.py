"""Comparisons: every variant of a seed starts from the same weights, each run is the run
`train` makes with the same settings, bit for bit, and bad requests are refused up front."""
import json

import numpy as np
import pytest

from engine import compare, io, memory
from engine.build import from_spec
from engine.cli import main
from engine.settings import RUN

XOR = {"dataset": "xor", "init": "xavier", "optimizer": "adam", "lr": 0.1, "epochs": 40}


def xor_net(tmp_path):
    net = from_spec("2-3-1", "sigmoid", "sigmoid")
    io.save(net, tmp_path / "xor.json")
    return net


def test_run_settings_are_the_trainers():
    from engine.training import TrainConfig
    assert set(RUN) == set(TrainConfig.__dataclass_fields__) - {"resume"}


def test_each_value_of_a_seed_starts_from_the_same_weights(tmp_path):
    net = xor_net(tmp_path)
    found = compare.variants(net, XOR, "activation", ["sigmoid", "relu", "tanh"], [0, 1])
    weights = {(v.value, v.seed): io.from_dict(v.network).weight for v in found}
    assert np.array_equal(weights["sigmoid", 0], weights["relu", 0])
    assert np.array_equal(weights["tanh", 1], weights["relu", 1])
    assert not np.array_equal(weights["sigmoid", 0], weights["sigmoid", 1])
    acts = {v.value: io.from_dict(v.network).neuron(3).activation for v in found}
    assert acts == {"sigmoid": "sigmoid", "relu": "relu", "tanh": "tanh"}


def test_a_variant_is_the_run_train_makes_bit_for_bit(tmp_path, capsys):
    xor_net(tmp_path)
    argv = ["--dataset", "xor", "--init", "xavier", "--optimizer", "adam", "--epochs", "40"]
    assert main(["compare", str(tmp_path / "xor.json"), "--vary", "lr=0.05,0.5", "--seeds", "3,4",
                 "--jobs", "2", *argv]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    for row in rows:
        finals = []
        for seed in (3, 4):
            assert main(["train", str(tmp_path / "xor.json"), "--lr", str(row["value"]),
                         "--seed", str(seed), "-o", str(tmp_path / "out.json"), *argv]) == 0
            finals.append(json.loads(capsys.readouterr().out.splitlines()[-1])["loss"])
        assert row["final_loss"]["mean"] == np.mean(finals)
        assert row["final_loss"]["std"] == np.std(finals) and row["runs"] == 2


def test_the_table_gathers_each_values_seeds():
    def result(value, seed, accuracies, loss):
        n = len(accuracies)
        return {"value": value, "seed": seed, "regression": False, "seconds": 1.0 + seed,
                "stopped": None, "epochs": {"epoch": list(range(1, n + 1)), "loss": [loss] * n,
                                            "train_accuracy": accuracies,
                                            "test_accuracy": accuracies, "test_loss": [None] * n}}
    results = [result("a", 0, [0.5, 1.0], 0.1), result("a", 1, [0.5, 0.75], 0.3),
               result("b", 0, [1.0, 1.0], 0.2)]
    a, b = compare.table(results, ["a", "b"], target=1.0)
    assert a.final_loss == pytest.approx((0.2, 0.1)) and a.test_accuracy == (0.875, 0.125)
    assert (a.reached, a.epochs_to_target, a.solved, a.seconds) == (1, 2.0, 1, 1.5)
    assert (b.reached, b.epochs_to_target, b.solved, b.runs) == (1, 1.0, 1, 1)
    head, *rows = [compare.CSV_HEAD, *compare.csv_rows([a, b])]
    assert len(head) == len(rows[0]) and rows[1][0] == "b"


def test_a_regularization_variant_has_only_its_penalty(tmp_path):
    values = {**XOR, "l1": 0.5, "l2": 0.5, "dropout": 0.5}
    found = compare.variants(xor_net(tmp_path), values, "regularization",
                             ["none", "l1:0.001", "l2:0.01", "dropout:0.2"], [0])
    penalties = [tuple(v.config[k] for k in ("l1", "l2", "dropout")) for v in found]
    assert penalties == [(0, 0, 0), (0.001, 0, 0), (0, 0.01, 0), (0, 0, 0.2)]
    assert all(v.config["lr"] == XOR["lr"] for v in found)


def test_a_regularization_run_is_the_run_train_makes_with_that_penalty(tmp_path, capsys):
    xor_net(tmp_path)
    argv = ["--dataset", "xor", "--init", "xavier", "--epochs", "30", "--seed", "2"]
    assert main(["compare", str(tmp_path / "xor.json"), "--vary",
                 "regularization=none,l2:0.05,l1:0.02", "--seeds", "2", "--jobs", "1", *argv]) == 0
    rows = {json.loads(line)["value"]: json.loads(line)["final_loss"]["mean"]
            for line in capsys.readouterr().out.splitlines()}
    for value, option in (("l2:0.05", "--l2"), ("l1:0.02", "--l1")):
        assert main(["train", str(tmp_path / "xor.json"), option, value[3:],
                     "-o", str(tmp_path / "out.json"), *argv]) == 0
        assert rows[value] == json.loads(capsys.readouterr().out.splitlines()[-1])["loss"]
    assert len(set(rows.values())) == 3


def test_hidden_sizes_rebuild_the_layers(tmp_path):
    found = compare.variants(xor_net(tmp_path), XOR, "hidden", [2, 8], [0])
    sizes = [(io.from_dict(v.network).role == 1).sum() for v in found]
    assert sizes == [2, 8]


@pytest.mark.parametrize("argv,why", [
    (["--vary", "lr=0.1"], "two values or more"),
    (["--vary", "lr=" + ",".join(str(0.001 * k) for k in range(1, 1001))], "1,000 values"),
    (["--vary", "colour=1,2"], "with a setting of"),
    (["--vary", "lr=0.1,abc"], "is not a number"),
    (["--vary", "lr=0.1,1000"], "not in the range"),
    (["--vary", "activation=relu,softmax"], "is not one of"),
    (["--vary", "lr=0.1,0.1"], "given twice"),
    (["--vary", "lr=0.1,1", "--seeds", "0-500"], "at most 400"),
    (["--vary", "lr=0.1,1", "--seeds", "x"], "--seeds"),
    (["--vary", "lr=0.1,1", "--jobs", "0"], "--jobs"),
    (["--vary", "regularization=none,l3:0.1"], "l2:0.01"),
    (["--vary", "regularization=none,l2"], "l2:0.01"),
    (["--vary", "regularization=none,l1:x"], "is not a number"),
    (["--vary", "regularization=none,dropout:1.5"], "not in the range"),
    (["--vary", "regularization=l2:0.01,l2:1e-2"], "given twice"),
])
def test_a_bad_comparison_is_refused_before_any_run(tmp_path, capsys, argv, why):
    xor_net(tmp_path)
    assert main(["compare", str(tmp_path / "xor.json"), "--dataset", "xor", *argv]) == 1
    err = capsys.readouterr().err
    assert why in err and "Traceback" not in err


def test_a_comparison_that_would_not_fit_in_memory_says_so(tmp_path, capsys, monkeypatch):
    xor_net(tmp_path)
    monkeypatch.setattr(memory, "available", lambda: 50 * 2 ** 20)
    assert main(["compare", str(tmp_path / "xor.json"), "--dataset", "xor", "--vary",
                 "lr=0.1,1"]) == 1
    assert "runs at once would need about" in capsys.readouterr().err


def test_hidden_needs_a_hidden_layer(tmp_path):
    with pytest.raises(compare.CompareError, match="no hidden layer"):
        compare.variants(from_spec("2-1", "step"), XOR, "hidden", [2, 3], [0])
