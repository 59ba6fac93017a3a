"""User-given text reaches an exported module only as data: names and labels with quotes,
backslashes, newlines and triple quotes neither break the module nor run code when it is
imported, through the CLI and through engine.export.write."""
import importlib.util
import sys

import numpy as np
import pytest
import torch

from engine import io
from engine.build import from_spec
from engine.cli import main
from engine.export import write
from engine.trace import forward

HOSTILE = ['"""', "'''", '\\N', '\\', '\n', '"', "'", '{}', '{title}', '\x00', '\ud800', 'é']


def _payload(marker) -> str:
    return f'__import__("pathlib").Path({str(marker)!r}).write_text("ran")'


def _import(path):
    spec = importlib.util.spec_from_file_location("exported_for_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check(path, net, marker) -> None:
    module = _import(path)
    assert not marker.exists(), "importing the export ran code from a name"
    x = np.random.default_rng(0).uniform(0, 1, (5, len(net.inputs)))
    a = module.Network()(torch.tensor(x)).detach().numpy()
    assert np.abs(a - forward(net, x).outputs).max() < 1e-9


@pytest.mark.parametrize("piece", HOSTILE)
def test_a_title_and_labels_with_any_text_stay_text(tmp_path, piece):
    marker = tmp_path / "marker"
    net = from_spec("2-3-1", "sigmoid", "sigmoid")
    hostile = f'x{piece}""";{_payload(marker)};"""{piece}'
    net.set_label(int(net.inputs[0]), hostile)
    path = tmp_path / "out.py"
    write(net, path, title=hostile)
    _check(path, net, marker)
    module = _import(path)
    assert module.TITLE == hostile and module.INPUTS[0] == hostile


def test_a_hostile_network_file_name_through_the_cli(tmp_path, capsys):
    marker = tmp_path / "marker"
    net = from_spec("2-2-1", "relu", "sigmoid")
    name = f'evil""";{_payload(marker).replace("/", "|")};"""x\\N.json'
    source = tmp_path / name.replace("|", "_")
    io.save(net, source)
    out = tmp_path / 'out""";x.py'
    assert main(["export", str(source), "-o", str(out)]) == 0
    _check(out, net, marker)
    assert _import(out).TITLE == source.name
    sys.modules.pop("exported_for_test", None)
