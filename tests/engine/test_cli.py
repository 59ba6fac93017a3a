import json
from pathlib import Path
import subprocess
import sys

import pytest

from engine import io
from engine.cli import main
from tests.engine.helpers import perceptron


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_new_writes_a_layered_network(tmp_path, capsys):
    path = tmp_path / "net.json"
    code, _, err = run(capsys, "new", "--layers", "784-32-10", "--activation", "relu",
                       "--output-activation", "softmax", "-o", str(path))
    net = io.load(path)
    assert code == 0 and "826 neurons, 25408 connections" in err
    assert net.neuron(int(net.outputs[0])).activation == "softmax"
    assert net.weight.std() > 0


def test_eval_one_input(tmp_path, capsys):
    io.save(perceptron([1, 1], -2), tmp_path / "and.json")
    code, out, _ = run(capsys, "eval", str(tmp_path / "and.json"), "--input", "1,0")
    assert code == 0 and out.split() == ["#2", "z", "=", "-1", "y", "=", "0"]


def test_eval_truth_table_prints_z_and_y(tmp_path, capsys):
    io.save(perceptron([1, 1], -2), tmp_path / "and.json")
    code, out, _ = run(capsys, "eval", str(tmp_path / "and.json"), "--truth-table")
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == ["#0", "#1", "z(#2)", "y(#2)"]
    assert [r[2:] for r in rows[1:]] == [["-2", "0"], ["-1", "0"], ["-1", "0"], ["0", "1"]]


def test_train_prints_one_json_line_per_epoch_and_saves(tmp_path, capsys):
    run(capsys, "new", "--layers", "2-3-1", "-o", str(tmp_path / "xor.json"))
    code, out, _ = run(capsys, "train", str(tmp_path / "xor.json"), "--dataset", "xor",
                       "--epochs", "400", "--optimizer", "adam", "--lr", "0.1",
                       "--device", "cpu", "-o", str(tmp_path / "trained.json"))
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 400
    assert set(lines[0]) == {"epoch", "loss", "train_accuracy", "test_accuracy", "seconds"}
    assert lines[-1]["test_accuracy"] == 1.0 and lines[-1]["loss"] < lines[0]["loss"]
    trained = io.load(tmp_path / "trained.json")
    assert trained.training["optimizer"] == "adam" and trained.training["dataset"] == "xor"


@pytest.mark.parametrize("argv, why", [
    (["eval", "missing.json", "--input", "1"], "no such file"),
    (["new", "--layers", "2-x", "-o", "n.json"], "not a layer spec"),
    (["train", "NET", "--dataset", "cifar", "-o", "o.json"], "unknown dataset"),
    (["train", "NET", "--dataset", "mnist-subset", "-o", "o.json"], "needs 10 outputs"),
    (["train", "NET", "--dataset", "and", "--loss", "ce", "-o", "o.json"], "softmax outputs"),
    (["eval", "NET", "--input", "1,x"], "numbers separated by commas"),
    # each of these was a traceback, trained before failing, or reported nonsense
    (["new", "--layers", "2-1", "--seed", "-1", "-o", "n.json"], "--seed: -1 is not in the range"),
    (["train", "NET", "--dataset", "and", "--seed", str(2 ** 70), "-o", "o.json"], "--seed"),
    (["train", "NET", "--dataset", "and", "--momentum", "-1", "-o", "o.json"], "--momentum"),
    (["train", "NET", "--dataset", "and", "--init-std", "-1", "-o", "o.json"], "--init-std"),
    (["train", "NET", "--dataset", "and", "--threads", "-1", "-o", "o.json"], "--threads"),
    (["train", "NET", "--dataset", "moons", "--samples", "0", "-o", "o.json"], "--samples"),
    (["train", "NET", "--dataset", "moons", "--samples", "1", "-o", "o.json"], "--samples"),
    (["train", "NET", "--dataset", "moons", "--samples", "-5", "-o", "o.json"], "--samples"),
    (["train", "NET", "--dataset", "moons", "--noise", "-1", "-o", "o.json"], "--noise"),
    (["train", "NET", "--dataset", "and", "--lr", "inf", "-o", "o.json"], "--lr: inf"),
    (["train", "NET", "--dataset", "and", "--momentum", "nan", "-o", "o.json"], "--momentum: nan"),
    (["train", "NET", "--dataset", "and", "--l2", "-1", "-o", "o.json"], "--l2"),
    (["train", "NET", "--dataset", "and", "-o", "no/such/folder/o.json"], "does not exist"),
    (["train", "NET", "--dataset", "and", "-o", "."], "is a folder"),
    (["new", "--layers", "100000-100000", "-o", "n.json"], "GiB of memory"),
])
def test_user_mistakes_are_one_line_on_stderr(tmp_path, capsys, monkeypatch, argv, why):
    monkeypatch.chdir(tmp_path)
    io.save(perceptron([1, 1], -2, "sigmoid"), tmp_path / "NET")
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == "" and why in err
    assert err.startswith("neurocanvas-cli: error: ") and "Traceback" not in err
    assert not (tmp_path / "o.json").exists()  # refused before any work


def test_an_unwritable_output_is_refused_before_training(tmp_path, capsys, monkeypatch):
    """Checked first: a finished run is never lost to a bad -o."""
    io.save(perceptron([1, 1], -2, "sigmoid"), tmp_path / "NET")
    started = []
    monkeypatch.setattr("engine.training.Trainer.run", lambda *a, **k: started.append(1))
    code, _, err = run(capsys, "train", str(tmp_path / "NET"), "--dataset", "and", "-o",
                       str(tmp_path / "missing" / "o.json"))
    assert code == 1 and "does not exist" in err and started == []


def test_a_corrupt_or_mislabelled_mnist_file_is_a_clean_error(tmp_path, capsys):
    from engine.datasets.mnist import FILES, subset_folder
    import shutil
    data = tmp_path / "mnist"
    shutil.copytree(subset_folder(), data)
    labels = data / (FILES["test_labels"] + ".gz")
    good = labels.read_bytes()
    labels.write_bytes(good[:20] + bytes(b ^ 0xFF for b in good[20:60]) + good[60:])
    net = tmp_path / "net.json"
    run(capsys, "new", "--layers", "784-10", "-o", str(net))
    code, _, err = run(capsys, "train", str(net), "--dataset", "mnist", "--data", str(data),
                       "-o", str(tmp_path / "o.json"))
    assert code == 1 and "cannot be read" in err and "Traceback" not in err
    from engine.datasets.mnist import read_idx, write_idx
    digits = read_idx(data / (FILES["train_labels"] + ".gz")).copy()
    digits[7] = 255
    write_idx(labels, digits[:len(read_idx(data / (FILES["test_images"] + ".gz")))])
    code, _, err = run(capsys, "train", str(net), "--dataset", "mnist", "--data", str(data),
                       "-o", str(tmp_path / "o.json"))
    assert code == 1 and "the label 255" in err


def test_nan_run_exits_non_zero_and_keeps_good_weights(tmp_path, capsys):
    run(capsys, "new", "--layers", "2-8-1", "--activation", "relu", "--output-activation",
        "linear", "--init", "normal", "-o", str(tmp_path / "n.json"))
    code, _, err = run(capsys, "train", str(tmp_path / "n.json"), "--dataset", "xor", "--lr",
                       "100", "--init", "he", "--epochs", "50", "--device", "cpu",
                       "-o", str(tmp_path / "t.json"))
    assert code == 3 and "too high" in err
    assert io.load(tmp_path / "t.json").n_connections == 24


def test_main_py_runs_the_cli_from_a_checkout(tmp_path):
    result = subprocess.run([sys.executable, "main.py", "new", "--layers", "2-1", "-o",
                             str(tmp_path / "n.json")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert io.load(tmp_path / "n.json").n_connections == 2


def test_window_side_imports_no_torch():
    code = ("import sys, engine.cli, engine.io, engine.trace, engine.build, engine.init, "
            "engine.datasets.registry; print('torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_installed_console_script(tmp_path):
    script = Path(sys.executable).parent / "neurocanvas-cli"
    if not script.exists():
        pytest.skip("not installed with pip (a plain checkout)")
    result = subprocess.run([str(script), "new", "--layers", "3-1", "-o", str(tmp_path / "n.json")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and io.load(tmp_path / "n.json").n_connections == 3
    assert (Path(sys.executable).parent / "neurocanvas").exists()


def test_every_option_says_what_it_is_and_the_numbers_their_range():
    import argparse

    from engine.cli import _parser
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        for action in sub._actions:
            if not isinstance(action, argparse._HelpAction):
                assert action.help, f"{name} {action.dest} has no help"
    train = commands.choices["train"].format_help().replace("\n", " ")
    assert "λ Σ|w| (weights, not biases) is added to the mini-batch's mean cost (0 to 10)" in \
        " ".join(train.split())
    assert "(1e-05 to 100)" in train and "train_accuracy is a running figure" in train


def test_train_says_that_train_accuracy_is_a_running_figure(tmp_path, capsys):
    net = tmp_path / "xor.json"
    assert main(["new", "--layers", "2-2-1", "-o", str(net)]) == 0
    assert main(["train", str(net), "--dataset", "xor", "--epochs", "1", "-o", str(net)]) == 0
    assert "train_accuracy is a running figure" in capsys.readouterr().err


def test_eval_takes_negative_inputs(tmp_path, capsys):
    io.save(perceptron([1, 1], -2), tmp_path / "and.json")
    code, out, err = run(capsys, "eval", str(tmp_path / "and.json"), "--input", "-1,0")
    assert code == 0 and out.split() == ["#2", "z", "=", "-3", "y", "=", "0"], err
    code, out, _ = run(capsys, "eval", str(tmp_path / "and.json"), "--input", "-0.5,3")
    assert code == 0 and out.split() == ["#2", "z", "=", "0.5", "y", "=", "1"]
