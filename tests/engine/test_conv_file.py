"""Convolution layers in network files (version 3): kernels and maps' biases, never a unit or
a connection per unit; round trips bit for bit; bad files refused with the field and why."""
import base64
import copy
import json
from pathlib import Path

import numpy as np
import pytest

from engine import io
from engine.build import from_spec
from engine.init import initialise
from engine.io import FileFormatError
from engine.trace import forward
from tests.engine.test_io import assert_same

V3 = Path("tests/data/network-v3-conv.json")


def v3() -> dict:
    return json.loads(V3.read_text())


def cnn(spec: str = "28x28-conv8k3-pool2-conv16k3-pool2-10"):
    net = from_spec(spec, "relu", "softmax")
    initialise(net, "he", seed=1, biases="random")
    return net


def test_a_convnet_round_trips_bit_for_bit_and_stores_each_kernel_once(tmp_path):
    net = cnn()
    net.set_frozen(ids=[net.layers[1].neurons[0]], pairs=[(net.src[3], net.dst[3])])
    io.save(net, tmp_path / "cnn.json")
    back = io.load(tmp_path / "cnn.json")
    assert_same(net, back)
    assert back.frozen_biases == net.frozen_biases
    assert np.array_equal(back.frozen_weights, net.frozen_weights)
    doc = json.loads((tmp_path / "cnn.json").read_text())
    assert doc["version"] == 3
    assert len(doc["neurons"]) == 784 + 10  # the units are their layers'
    assert doc["connections"]["count"] == 400 * 10  # the dense ones; kernels are their layers'
    small, big = (doc["layers"][k]["conv"]["kernels"] for k in (1, 3))
    assert len(small) == 8 * 9 and len(base64.b64decode(big)) == 16 * 8 * 9 * 8  # float64
    assert "kernels" not in doc["layers"][2]["conv"]  # pooling has no numbers


def test_a_saved_version_3_file_still_loads_and_computes():
    net = io.load(V3)
    assert [layer.shape for layer in net.layers] == [(6, 6), (2, 4, 4), (2, 2, 2), None]
    x = np.linspace(0, 1, 36)
    trace = forward(net, x)
    kernels = np.asarray(_conv(v3())["kernels"]).reshape(2, 3, 3)
    bias = _conv(v3())["biases"][1]
    unit = net.layers[1].neurons[16 + 5]  # map 1, row 1, column 1
    expected = (x.reshape(6, 6)[1:4, 1:4] * kernels[1]).sum() + bias
    assert trace.of(unit)[0][0] == pytest.approx(expected, abs=1e-12)
    assert np.isclose(trace.outputs.sum(), 1.0)


def _conv(doc):
    return doc["layers"][1]["conv"]


@pytest.mark.parametrize("mutate, field, why", [
    (lambda d: _conv(d)["kernels"].pop(), "layers[1].conv", "kernels hold 17 numbers"),
    (lambda d: _conv(d).update(size=7), "layers[1].conv", "larger than its 6×6 input"),
    (lambda d: _conv(d).update(source="nowhere"), "layers[1].conv", "no layer 'nowhere'"),
    (lambda d: _conv(d).update(kind="dense"), "layers[1].conv", "is not conv or pool"),
    (lambda d: _conv(d).update(size="3"), "layers[1].conv.size", "should be a whole number"),
    (lambda d: _conv(d).update(kernels="not base64!"), "layers[1].conv.kernels", "base64"),
    (lambda d: _conv(d).update(biases=[1.0]), "layers[1].conv", "one number a map"),
    (lambda d: d["layers"][1].update(shape=[2, 5, 5]), "layers[1].conv", "is not what"),
    (lambda d: d["layers"][1].update(shape=[2, 4]), "layers[1].shape", "maps, height, width"),
    (lambda d: _conv(d).update(first=3), "layers[1].conv", "already taken"),
    (lambda d: d["layers"][2]["conv"].update(source="output"), "layers[2].conv", "no layer"),
])
def test_bad_convolution_layers_name_the_field_and_why(mutate, field, why):
    doc = v3()
    mutate(doc)
    with pytest.raises(FileFormatError) as info:
        io.from_dict(copy.deepcopy(doc), "bad.json")
    assert info.value.field == field and why in info.value.why
