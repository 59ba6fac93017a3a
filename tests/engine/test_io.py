import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from engine import io
from engine.build import from_spec
from engine.datasets.table import read_table, spec_of
from engine.init import initialise
from engine.io import FileFormatError
from engine.network import NetworkError
from tests.engine.helpers import xor_by_hand

CSV = spec_of(read_table("a,b\n1,0\n0,1\n"), ["a"], "b")  # a sound table kept in a file


def assert_same(a, b):
    for name in ("ids", "role", "act", "param", "bias", "pos", "src", "dst", "weight"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.tobytes() == y.tobytes(), name
    assert a.labels == b.labels and a.layers == b.layers and a.training == b.training


def test_small_network_round_trips_exactly(tmp_path):
    net = xor_by_hand()
    net.set_weight(0, 2, 0.1 + 0.2)  # not a short decimal: must still come back bit for bit
    net.set_label(0, "x₁ (cheese)")
    net.training = {"lr": 0.5, "optimizer": "adam"}
    io.save(net, tmp_path / "n.json")
    assert_same(net, io.load(tmp_path / "n.json"))


def test_large_network_round_trips_exactly_as_base64():
    net = from_spec("784-32-10", "relu", "softmax")
    initialise(net, "xavier", seed=3)
    text = io.dumps(net)
    assert isinstance(json.loads(text)["connections"], dict)
    assert_same(net, io.loads(text))


def test_every_past_format_version_still_loads():
    net = io.load("tests/data/network-v1.json")
    assert net.n_neurons == 5 and net.weight_of(3, 4) == -2.0 and net.labels[4] == "XOR"


def test_save_is_atomic_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "n.json"
    path.write_text("old")
    io.save(xor_by_hand(), path)
    assert [p.name for p in tmp_path.iterdir()] == ["n.json"]
    assert json.loads(path.read_text())["format"] == "neurocanvas"


def test_save_writes_through_a_symlink_and_refuses_what_is_not_a_file(tmp_path):
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    real.write_text("old")
    link.symlink_to(real)
    io.save(xor_by_hand(), link)
    assert link.is_symlink() and io.load(real).n_neurons == 5
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(NetworkError, match="not a regular file"):
        io.save(xor_by_hand(), fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_save_removes_what_a_killed_save_left_behind(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    left = tmp_path / f".n.json.{dead}.k2j4{io.TMP_SUFFIX}"
    left.write_text("half a net")
    running = tmp_path / f".n.json.{os.getpid()}.x7q1{io.TMP_SUFFIX}"  # a save still under way
    running.write_text("")
    io.save(xor_by_hand(), tmp_path / "n.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == [running.name, "n.json"]


def test_nan_weight_is_refused_on_save():
    net = xor_by_hand()
    net.set_weight(0, 2, float("nan"))
    with pytest.raises(ValueError, match="NaN"):
        io.dumps(net)


def doc():
    return io.to_dict(xor_by_hand())


@pytest.mark.parametrize("mutate, field, why", [
    (lambda d: d.pop("format"), "format", "not a NeuroCanvas"),
    (lambda d: d.update(version=99), "version", "newer"),
    (lambda d: d["neurons"][1].update(role="hiden"), "neurons[1].role", "'hiden' is not input"),
    (lambda d: d["neurons"][2].update(activation="swish"), "neurons[2].activation", "'swish'"),
    (lambda d: d["neurons"][2].update(bias="1"), "neurons[2].bias", "should be a number"),
    (lambda d: d["neurons"][3].pop("id"), "neurons[3].id", "missing"),
    (lambda d: d["neurons"][3].update(id=0), "neurons", "share an id"),
    (lambda d: d["connections"].append([4, 0, 1.0]), "connections", "is an input"),
    (lambda d: d["connections"].append([2, 99, 1.0]), "connections", "no neuron 99"),
    (lambda d: d["connections"].append([0, 2, 1.0]), "connections", "already connected"),
    (lambda d: d["connections"].__setitem__(0, [0, 2]), "connections[0]", "source id, target id"),
    (lambda d: d["layers"].append({"name": "x", "neurons": [42]}), "layers[0].neurons", "not exist"),
    # found by fuzzing: each was a traceback or a wrong message
    (lambda d: d["neurons"][2].update(bias=10 ** 400), "neurons[2].bias", "should be a number"),
    (lambda d: d["neurons"][2].update(x=-10 ** 400), "neurons[2].x", "should be a number"),
    (lambda d: d["neurons"][2].update(param=10 ** 400), "neurons[2].param", "should be a number"),
    (lambda d: d["connections"][0].__setitem__(2, 10 ** 400), "connections[0]", "weight"),
    (lambda d: d["neurons"][3].update(id=10 ** 20), "neurons[3].id", "from 0 to 2147483647"),
    (lambda d: d["neurons"][3].update(id=-1), "neurons[3].id", "from 0 to 2147483647"),
    (lambda d: d["neurons"][3].update(id=2 ** 53 + 1), "neurons[3].id", "from 0 to 2147483647"),
    (lambda d: d["connections"].append([2 ** 53 + 1, 4, 1.0]), "connections[6]", "each id"),
    (lambda d: d["neurons"][3].update(label="\ud800"), "neurons[3].label", "lone surrogate"),
    (lambda d: d["layers"].append({"name": "x", "neurons": "abc"}), "layers[0].neurons", "a list"),
    (lambda d: d["layers"].append({"name": "x", "neurons": None}), "layers[0].neurons", "a list"),
    (lambda d: d["layers"].append({"name": "x", "neurons": [[0, 1]]}), "layers[0].neurons[0]", "no neuron id"),
    (lambda d: d["layers"].append({"name": "x", "neurons": ["0"]}), "layers[0].neurons[0]", "no neuron id"),
    (lambda d: d["layers"].append({"name": "x", "neurons": [0.7]}), "layers[0].neurons[0]", "no neuron id"),
    (lambda d: d["layers"].append({"name": "x", "neurons": [0, 0]}), "layers[0].neurons", "twice"),
    (lambda d: d["layers"].append({"name": "x", "neurons": [0, 1], "shape": [3, 3]}),
     "layers[0].shape", "product"),
    (lambda d: d["layers"].append({"name": "x", "neurons": [0, 1], "shape": [-1, -2]}),
     "layers[0].shape", "product"),
    (lambda d: d["layers"].append({"name": "x", "neurons": [None, [0]]}), "layers[0].neurons[0]",
     "None is no neuron id"),
    (lambda d: d["layers"].append({"name": "x", "neurons": [0, {"a": 1}]}), "layers[0].neurons[1]",
     "no neuron id"),
    # what opens must save: nothing that JSON reads but cannot write, wherever it stands
    (lambda d: d.update(training={"note": "\ud800"}), "training.note", "lone surrogate"),
    (lambda d: d.update(training={"csv": {**CSV, "name": "a\udfffb"}}), "training.csv.name",
     "surrogate"),
    (lambda d: d.update(training={"csv": {**CSV, "\ud800": 1}}), "training.csv", "a key holds a lone"),
    (lambda d: d.update(training={"extra": [1, 10 ** 400]}), "training.extra[1]", "beyond the range"),
    (lambda d: d.update(resume={"history": {"loss": [10 ** 309]}}), "resume.history.loss[0]",
     "beyond the range"),
    (lambda d: d.update(training={"seed": 1099511627776}), "training.seed", "0 to 2147483647"),
    (lambda d: d.update(training={"epochs": 10 ** 9}), "training.epochs", "1 to 100000"),
    (lambda d: d.update(training={"lr": "fast"}), "training.lr", "should be a number"),
    (lambda d: d.update(training={"optimizer": "rmsprop"}), "training.optimizer", "not one of"),
])
def test_bad_files_name_the_field_and_why(mutate, field, why):
    d = doc()
    mutate(d)
    with pytest.raises(FileFormatError, match=why) as err:
        io.loads(json.dumps(d), "bad.json")
    assert err.value.field == field
    assert str(err.value).startswith(f"bad.json: {field}: ")


def test_a_cycle_in_a_file_is_refused():
    d = doc()
    d["neurons"][4]["role"] = "hidden"
    d["connections"].append([4, 2, 1.0])
    with pytest.raises(FileFormatError, match="cycle"):
        io.loads(json.dumps(d))


def test_not_json_and_missing_file_say_so(tmp_path):
    with pytest.raises(FileFormatError, match="not valid JSON"):
        io.loads("{oops")
    with pytest.raises(FileFormatError, match="no such file"):
        io.load(tmp_path / "missing.json")
    with pytest.raises(FileFormatError, match="should be a number"):
        io.loads(json.dumps(doc()).replace('"bias": -2.0', '"bias": NaN'))


def test_huge_integers_and_deep_nesting_are_clean_errors():
    with pytest.raises(FileFormatError, match="4300"):
        io.loads(json.dumps(doc()).replace('"bias": -2.0', '"bias": ' + "9" * 5000))
    with pytest.raises(FileFormatError, match="nested too deeply"):
        io.loads("[" * 100_000 + "]" * 100_000)


def test_truncated_base64_is_refused():
    d = io.to_dict(from_spec("40-30-2"))
    d["connections"]["weight"] = d["connections"]["weight"][:-8]
    with pytest.raises(FileFormatError, match="connections.weight"):
        io.loads(json.dumps(d))


def test_loading_never_unpickles(tmp_path):
    import pickle
    path = tmp_path / "evil.json"
    path.write_bytes(pickle.dumps(xor_by_hand()))
    with pytest.raises(FileFormatError):
        io.load(path)
    assert "import pickle" not in Path(io.__file__).read_text()


def test_saved_file_gets_ordinary_permissions(tmp_path):
    io.save(xor_by_hand(), tmp_path / "n.json")
    assert (tmp_path / "n.json").stat().st_mode & 0o644 == 0o644


def test_the_documented_example_loads_and_computes_and():
    from engine.trace import truth_table
    doc = Path(__file__).resolve().parents[2] / "docs" / "file-format.md"
    block = doc.read_text().split("## Example: the AND perceptron")[1].split("```json")[1].split("```")[0]
    assert truth_table(io.loads(block)).outputs[:, 0].tolist() == [0, 0, 0, 1]


def test_a_number_beyond_float_range_written_as_a_float_is_refused():
    """JSON's 1e400 reads as inf: it would open and then never save."""
    text = io.dumps(xor_by_hand()).replace('"training": {}', '"training": {"note": 1e400}')
    assert '"note": 1e400' in text
    with pytest.raises(FileFormatError, match="inf is beyond the range") as err:
        io.loads(text, "bad.json")
    assert err.value.field == "training.note"
