"""The PyTorch module and ONNX exports compute what the app computes."""
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from engine import io
from engine.build import from_spec
from engine.cli import main
from engine.export import ExportError, load_module, torch_source, write
from engine.init import initialise
from engine.trace import forward
from tests.engine.random_nets import random_dag
from resources.make_examples import HERE as EXAMPLES


def _exported(net):
    return load_module(torch_source(net)).Network()


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear", "tanh", "step"])
def test_module_gives_the_apps_outputs_on_random_dags(seed, output):
    net = random_dag(seed, output=output, hidden=("step", "sigmoid", "tanh", "relu", "leaky_relu",
                                                  "linear"))
    x = np.random.default_rng(seed).uniform(-2, 2, (32, 3))
    model, t = _exported(net), forward(net, x)
    a = model(torch.tensor(x)).detach().numpy()
    z = model.forward_z(torch.tensor(x)).detach().numpy()
    assert np.abs(a - t.outputs).max() < 1e-6 and np.abs(z - t.output_z).max() < 1e-6


def test_mixed_softmax_and_sigmoid_outputs():
    net = random_dag(4, n_out=3, output="softmax")
    net.set_activation(int(net.outputs[1]), "sigmoid")
    x = np.random.default_rng(2).uniform(0, 1, (8, 3))
    a = _exported(net)(torch.tensor(x)).detach().numpy()
    assert np.abs(a - forward(net, x).outputs).max() < 1e-9
    assert np.allclose(a[:, [0, 2]].sum(1), 1.0) and not np.allclose(a[:, 1], a[:, 0])


def test_mnist_example_module_matches_on_random_digits():
    net = io.load(EXAMPLES / "mnist-784-32-10.json")
    x = np.random.default_rng(0).uniform(0, 1, (20, 784))
    a = _exported(net)(torch.tensor(x)).detach().numpy()
    assert np.abs(a - forward(net, x).outputs).max() < 1e-6


def test_module_trains_one_step_and_missing_connections_stay_missing():
    net = random_dag(7)  # hand-drawn levels: masked matrices
    model = _exported(net).float()
    masks = [getattr(model, f"mask{k}", None) for k in range(len(model.weights))]
    assert any(m is not None for m in masks)
    x = torch.rand(64, 3)
    y = torch.rand(64, len(net.outputs))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.01)
    before = [w.detach().clone() for w in model.weights]
    losses = []
    for _ in range(2):
        loss = torch.nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[1] < losses[0]
    assert all(not torch.equal(w, old) for w, old in zip(model.weights, before))
    with torch.no_grad():  # a connection the network lacks gets no gradient and changes nothing
        out = model(x)
        for w, m in zip(model.weights, masks):
            if m is not None:
                assert (w.grad[~m] == 0).all()
                w[~m] = 100.0
        assert torch.equal(model(x), out)


def test_written_file_runs_with_torch_alone(tmp_path):
    net = from_spec("3-4-2", "tanh", "softmax")
    initialise(net, "normal", seed=3, std=0.7)
    write(net, tmp_path / "tiny_model.py")
    x = [[0.5, -1.0, 2.0]]
    code = ("import sys, torch; from tiny_model import Network; "
            f"print(repr(Network()(torch.tensor({x}, dtype=torch.float64)).tolist())); "
            "print(any(m.startswith(('engine', 'gui')) for m in sys.modules))")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, env=env)
    assert result.returncode == 0, result.stderr
    outputs, imported_ours = result.stdout.splitlines()
    assert np.abs(np.array(eval(outputs)) - forward(net, x).outputs).max() < 1e-12
    assert imported_ours == "False"


def test_onnx_export_passes_the_checker_and_computes_the_same(tmp_path):
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxscript")
    from onnx.reference import ReferenceEvaluator

    net = random_dag(5, n_out=3, output="softmax")
    path = tmp_path / "net.onnx"
    write(net, path)
    onnx.checker.check_model(str(path), full_check=True)
    x = np.random.default_rng(0).uniform(-1, 1, (7, 3)).astype(np.float32)  # any batch size
    (a,) = ReferenceEvaluator(str(path)).run(None, {"x": x})
    assert np.abs(a - forward(net, x).outputs).max() < 1e-5


def test_cli_export_and_its_refusals(tmp_path, capsys):
    source = str(EXAMPLES / "xor-2-2-1.json")
    assert main(["export", source, "-o", str(tmp_path / "xor.py")]) == 0
    assert "class Network(nn.Module)" in (tmp_path / "xor.py").read_text()
    assert main(["export", source, "-o", str(tmp_path / "xor.txt")]) == 1
    assert "PyTorch module (.py) or as ONNX (.onnx), not .txt" in capsys.readouterr().err
    assert not (tmp_path / "xor.txt").exists()


def test_the_readmes_ddp_script_trains_an_exported_mnist_network(tmp_path):
    """docs/train_exported.py under torchrun, two processes on the CPU (gloo), as on a GPU server."""
    net = io.load(EXAMPLES / "mnist-784-15-10.json")
    write(net, tmp_path / "digits.py")
    root = EXAMPLES.parents[1]
    result = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
         str(root / "docs" / "train_exported.py"), str(tmp_path / "digits.py"), "--mnist",
         str(root / "resources" / "mnist"), "--epochs", "2", "--limit", "2000",
         "-o", str(tmp_path / "trained.pt")], capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "OMP_NUM_THREADS": "1"})
    # a rank's own error comes first, torchrun's report of it last
    assert result.returncode == 0, f"{result.stderr[:1500]}\n…\n{result.stderr[-1500:]}"
    accuracy = [float(line.split()[-1]) for line in result.stdout.splitlines() if "accuracy" in line]
    assert len(accuracy) == 2 and accuracy[1] > max(accuracy[0], 0.5)  # ten classes: chance is 0.1
    model = load_module(torch_source(net)).Network()
    model.load_state_dict(torch.load(tmp_path / "trained.pt", weights_only=True))
    x = torch.rand(3, 784, dtype=torch.float64)
    assert not torch.allclose(model(x), torch.tensor(forward(net, x.numpy()).outputs))


def test_onnx_without_its_packages_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # as if not installed
    with pytest.raises(ExportError, match="needs the packages onnx and onnxscript"):
        write(random_dag(1), tmp_path / "n.onnx")
    assert not list(tmp_path.iterdir())


def _convnet():
    net = from_spec("10x10-conv3k3p1-pool2-conv4k2-6-3", "relu", "softmax")
    initialise(net, "he", seed=2, biases="random")
    return net


def test_a_convnet_exports_to_a_module_and_to_onnx_that_compute_the_same(tmp_path):
    net = _convnet()
    x = np.random.default_rng(3).uniform(0, 1, (6, 100))
    model = _exported(net)
    assert [tuple(w.shape) for w in model.weights][:3] == [(3, 1, 3, 3), (0,), (4, 3, 2, 2)]
    assert np.abs(model(torch.tensor(x)).detach().numpy() - forward(net, x).outputs).max() < 1e-12
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxscript")
    from onnx.reference import ReferenceEvaluator

    write(net, tmp_path / "cnn.onnx")
    onnx.checker.check_model(str(tmp_path / "cnn.onnx"), full_check=True)
    (a,) = ReferenceEvaluator(str(tmp_path / "cnn.onnx")).run(None, {"x": x.astype(np.float32)})
    assert np.abs(a - forward(net, x).outputs).max() < 1e-5
