"""Inputs that are in range but were never tried, and files that are not what they seem: each is
trained on, or refused with the field named, before any work and without a traceback."""
import json
import os
import subprocess
import sys
from collections import namedtuple

import pytest

from engine import io, settings
from engine.cli import main
from engine.datasets import DatasetError
from engine.datasets.registry import load
from engine.datasets.table import read_file, read_table, spec_of
from engine.errors import printable
from engine.io import FileFormatError
from engine.network import MAX_LABEL
from tests.engine.helpers import perceptron
from tests.paths import ROOT


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def net_file(tmp_path):
    path = tmp_path / "net.json"
    io.save(perceptron([1, 1], -1, "sigmoid"), path)
    return path


@pytest.mark.parametrize("dataset", ["moons", "circles", "spiral", "blobs", "sin"])
def test_a_test_share_of_0_trains_without_a_test_set_and_says_so(dataset, net_file, capsys):
    argv = ["train", net_file, "--dataset", dataset, "--test-share", "0", "--samples", "20",
            "--epochs", "2", "-o", net_file.with_name("out.json")]
    if dataset == "sin":  # one input: a fresh network
        io.save(perceptron([1], 0, "linear"), net_file)
    code, out, err = run(capsys, *argv)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [line["epoch"] for line in lines] == [1, 2]
    assert all(line.get("test_accuracy", line.get("test_loss")) is None for line in lines)
    assert "no samples are left for testing" in err


def test_a_share_that_rounds_to_no_sample_and_a_two_row_csv_train(tmp_path, net_file, capsys):
    data = load("moons", samples=10, test_share=0.01)
    assert len(data.x_test) == 0 and len(data.x_train) == 10
    csv = tmp_path / "two.csv"
    csv.write_text("a,b,c\n1,2,0\n3,4,1\n")
    code, out, _ = run(capsys, "train", net_file, "--csv", csv, "--inputs", "a,b", "--target", "c",
                       "--epochs", "1", "-o", tmp_path / "out.json")
    assert code == 0 and json.loads(out)["test_accuracy"] is None


@pytest.mark.parametrize("name", [n for n, limit in settings.NUMBERS.items()
                                  if limit.low == 0 and not limit.whole])
def test_minus_zero_is_zero_for_every_setting_that_may_be_zero(name, net_file, capsys):
    option = "--" + name.replace("_", "-")
    code, out, err = run(capsys, "train", net_file, "--dataset", "moons", "--samples", "20",
                         "--epochs", "1", option, "-0", "-o", net_file.with_name("out.json"))
    assert code == 0 and "error" not in err and json.loads(out)["epoch"] == 1


def _csv_spec(**change):
    spec = spec_of(read_table("a,b,c\n1,2,x\n3,4,y\n5,6,x\n"), ["a", "b"], "c")
    return {**spec, **change}


@pytest.mark.parametrize("change, field", [
    ({"inputs": "a"}, "csv.inputs"), ({"test": "0.2"}, "csv.test"), ({"seed": -1}, "csv.seed"),
    ({"seed": None}, "csv.seed"), ({"target": None}, "csv.target"), ({"target": "z"}, "csv.target"),
    ({"rows": [["1", "2"]]}, "csv.rows[0]"), ({"rows": [[1, 2, 3]]}, "csv.rows[0]"),
    ({"columns": "abc"}, "csv.columns"), ({"first_line": 0.5}, "csv.first_line"),
    ({"kind": "letters"}, "csv.kind"), ({"normalise": None}, "csv.normalise"),
])
def test_a_damaged_csv_in_a_network_file_is_refused_when_it_opens(change, field):
    doc = io.to_dict(perceptron([1, 1], 0, "sigmoid"))
    doc["training"] = {"dataset": "csv", "csv": _csv_spec(**change)}
    with pytest.raises(FileFormatError) as e:
        io.from_dict(doc)
    assert e.value.field == f"training.{field}"


def test_a_missing_csv_field_and_a_first_line_beyond_float_range_are_refused():
    doc = io.to_dict(perceptron([1, 1], 0, "sigmoid"))
    spec = _csv_spec()
    del spec["target"]
    doc["training"] = {"csv": spec}
    with pytest.raises(FileFormatError, match=r"training\.csv\.target: missing"):
        io.from_dict(doc)
    doc["training"] = {"csv": _csv_spec(first_line="BIG")}
    text = json.dumps(doc).replace('"BIG"', "1e400")
    with pytest.raises(FileFormatError, match=r"csv\.first_line"):
        io.loads(text)


def test_a_sound_csv_in_a_file_loads_and_makes_its_data_set():
    doc = io.to_dict(perceptron([1, 1], 0, "sigmoid"))
    doc["training"] = {"dataset": "csv", "csv": _csv_spec()}
    net = io.from_dict(doc)
    assert len(load("csv", table=net.training["csv"]).x_train) == 2


@pytest.mark.parametrize("value", [1, None, ["xor"], {"name": "xor"}])
def test_a_data_set_that_is_not_a_name_is_refused(value):
    doc = io.to_dict(perceptron([1, 1], 0, "sigmoid"))
    doc["training"] = {"dataset": value}
    with pytest.raises(FileFormatError, match=r"training\.dataset: .* should be a data set's name"):
        io.from_dict(doc)


def test_a_huge_cell_and_an_unclosed_quote_name_their_line(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("a,b\n1,2\n3," + "9" * 200_000 + "\n")
    with pytest.raises(DatasetError, match=r"huge.csv: line 3: a cell is longer than 131,072"):
        read_file(path)
    path.write_text("a,b\n1,2\n" + '3,"4\n' + "5,6\n" * 40_000)
    with pytest.raises(DatasetError, match=r"line 3: .*quote is never closed"):
        read_file(path)


def test_a_table_past_its_limits_is_refused_before_it_is_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "long.csv"
    path.write_text("a,b\n" + "1,2\n" * 30)
    monkeypatch.setattr("engine.datasets.table.MAX_ROWS", 10)
    with pytest.raises(DatasetError, match="more than 10 rows"):
        read_file(path)
    monkeypatch.setattr("engine.datasets.table.MAX_BYTES", 100)
    with pytest.raises(DatasetError, match="more than the 0 MB read here"):
        read_file(path)



@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("which", ["network", "csv", "device"])
def test_a_fifo_or_a_device_is_refused_at_once(which, tmp_path, net_file):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    source = {"network": fifo, "csv": net_file, "device": "/dev/zero"}[which]
    argv = ["train", source, "--dataset", "and", "--epochs", "1", "-o", tmp_path / "o.json"]
    if which == "csv":
        argv += ["--csv", fifo, "--inputs", "a", "--target", "b"]
    cli = "import sys; from engine.cli import main; sys.exit(main())"
    done = subprocess.run([sys.executable, "-c", cli, *map(str, argv)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("target", ["fifo", "long", "onnx", "full"])
def test_train_checks_its_output_before_training(target, tmp_path, net_file, capsys, monkeypatch):
    out = {"fifo": tmp_path / "fifo", "long": tmp_path / ("n" * 240 + ".json"),
           "onnx": tmp_path / "out.onnx", "full": tmp_path / "out.json"}[target]
    if target == "fifo":
        os.mkfifo(out)
    if target == "full":
        monkeypatch.setattr("engine.io.shutil.disk_usage", lambda _: namedtuple(
            "Usage", "total used free")(10 ** 9, 10 ** 9, 100))
    started = []
    monkeypatch.setattr("engine.training.Trainer.run", lambda *a, **k: started.append(1))
    code, out_text, err = run(capsys, "train", net_file, "--dataset", "and", "-o", out)
    why = {"fifo": "not a regular file", "long": "name is longer than",
           "onnx": "writes a network file (.json)", "full": "the disk is full"}[target]
    assert code == 1 and why in err and started == [] and out_text == ""


def test_new_refuses_an_onnx_name(tmp_path, capsys):
    code, _, err = run(capsys, "new", "--layers", "2-1", "-o", tmp_path / "n.onnx")
    assert code == 1 and "export" in err and not (tmp_path / "n.onnx").exists()


def test_export_into_a_missing_folder_says_which(tmp_path, net_file, capsys):
    code, _, err = run(capsys, "export", net_file, "-o", tmp_path / "gone" / "m.onnx")
    assert code == 1 and f"the folder {tmp_path / 'gone'} does not exist" in err


def test_eval_escapes_control_characters_in_labels(tmp_path, capsys):
    net = perceptron([1, 1], 0, "sigmoid")
    out_id = int(net.outputs[0])
    net.set_label(out_id, "y\x1b[2J\x1b]0;pwned\x07")
    io.save(net, tmp_path / "evil.json")
    for how in (["--input", "1,0"], ["--truth-table"]):
        code, out, _ = run(capsys, "eval", tmp_path / "evil.json", *how)
        assert code == 0 and "\x1b" not in out and "\x07" not in out
        assert "y\\x1b[2J\\x1b]0;pwned\\x07" in out
    assert printable("Größe x₁") == "Größe x₁"


def test_a_network_file_with_a_byte_order_mark_opens(tmp_path, net_file):
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + net_file.read_bytes())
    assert io.dumps(io.load(bom)) == io.dumps(io.load(net_file))


def test_a_label_or_layer_name_past_the_limit_is_refused():
    doc = io.to_dict(perceptron([1, 1], 0, "sigmoid"))
    doc["neurons"][0]["label"] = "x" * MAX_LABEL
    io.from_dict(doc)
    doc["neurons"][0]["label"] = "x" * (MAX_LABEL + 1)
    with pytest.raises(FileFormatError, match=r"neurons\[0\]\.label: 1,001 characters"):
        io.from_dict(doc)
    doc["neurons"][0]["label"] = ""
    doc["layers"] = [{"name": "n" * (MAX_LABEL + 1), "neurons": [], "shape": None}]
    with pytest.raises(FileFormatError, match=r"layers\[0\]\.name"):
        io.from_dict(doc)


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(net_file):
    with pytest.raises(FileFormatError, match="more than the 0 MB read here"):
        io.load(net_file, max_bytes=100)
