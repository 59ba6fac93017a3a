import json
from pathlib import Path

import numpy as np
import pytest

from engine import io
from engine.build import from_spec
from engine.init import initialise
from engine.io import FileFormatError
from tests.engine.helpers import xor_by_hand


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
