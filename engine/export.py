"""Exports for other tools: a standalone PyTorch module (.py) and ONNX.

The .py is written with numpy alone, so the window can write it without importing torch; ONNX
needs torch and the onnx packages, and runs in the CLI or in a process the window starts.
"""
from __future__ import annotations

import logging
import os
import types
import warnings
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from engine import io
from engine.errors import EngineError
from engine.network import Network
from engine.plan import make_plan, reader


class ExportError(EngineError):
    """The network cannot be exported, or not there."""


def _wrapped(text: str, width: int = 96) -> str:
    """A long base64 string as adjacent string literals, one line each."""
    lines = [text[k:k + width] for k in range(0, len(text), width)] or [""]
    return "(\n" + "\n".join(f'        "{line}"' for line in lines) + ")"


def torch_source(net: Network, title: str = "network", module: str = "model") -> str:
    """The text of a Python module defining Network(nn.Module) with this network's weights, which
    computes what the app computes (float64, the same levels, masks and activations). The
    module's name is used in its usage note only where Python could import it by that name."""
    plan = make_plan(net)
    blocks = [plan.inputs]
    levels, blobs = [], {}
    for k, lv in enumerate(plan.levels):
        read = reader(lv.sources, blocks)
        if not isinstance(read, int):
            blobs[f"r{k}"], read = io.b64(read, "<i8"), f"r{k}"
        blobs[f"w{k}"] = io.b64(lv.dense(net.weight), "<f8")
        blobs[f"b{k}"] = io.b64(lv.biases(net.bias), "<f8")
        masked = not lv.full and lv.conv is None
        if masked:
            blobs[f"m{k}"] = io.b64(lv.mask(), "u1")
        acts = [[name, float(param), start, stop] for name, param, start, stop in lv.groups]
        level = {"read": read, "shape": list(lv.weight_shape), "mask": masked, "acts": acts}
        if lv.conv is not None:
            conv, in_shape, _ = lv.conv
            level["conv"] = [conv.kind, list(in_shape), conv.size, conv.stride, conv.padding]
        levels.append(level)
        blocks.append(lv.neurons)
    out = reader(plan.outputs, blocks)
    if not isinstance(out, int):
        blobs["out"], out = io.b64(out, "<i8"), "out"
    softmax = np.flatnonzero(np.isin(plan.outputs, plan.softmax)).tolist()
    data = ",\n".join(f'    "{key}": {_wrapped(text)}' for key, text in blobs.items())
    level_lines = ",\n".join(f"    {level!r}" for level in levels)
    return _TEMPLATE.format(
        title=title, module=module if module.isidentifier() else "exported_network",
        n_in=len(plan.inputs), n_out=len(plan.outputs), n_levels=len(plan.levels),
        n_conn=plan.n_connections, inputs=[net.name_of(i) for i in plan.inputs.tolist()],
        outputs=[net.name_of(i) for i in plan.outputs.tolist()], levels=level_lines, out=repr(out),
        softmax=softmax, data=data)


def refusal(path: str | os.PathLike) -> str | None:
    """Why a network cannot be exported under this name, or None."""
    suffix = Path(path).suffix.lower()
    why = io.target_problem(path)
    if why:
        return f"cannot export: {why}"
    if suffix in (".py", ".onnx"):
        return None
    return (f"{Path(path).name}: NeuroCanvas exports a network as a PyTorch module (.py) or as "
            f"ONNX (.onnx), not {suffix or 'a file without an extension'}")


def write(net: Network, path: str | os.PathLike, title: str = "network") -> None:
    """A PyTorch module for a .py name, ONNX for .onnx."""
    problem = refusal(path)
    if problem:
        raise ExportError(problem)
    if Path(path).suffix.lower() == ".onnx":
        write_onnx(net, path)
    else:
        io.write_atomic(torch_source(net, title, Path(path).stem), path)


def load_module(source: str) -> types.ModuleType:
    """The exported text as a module (ours, just written: not a file from elsewhere)."""
    module = types.ModuleType("neurocanvas_export")
    exec(compile(source, "<neurocanvas export>", "exec"), module.__dict__)  # noqa: S102
    return module


ONNX_NEEDS = ("ONNX export needs the packages onnx and onnxscript: "
              "pip install onnx onnxscript (or pip install 'neurocanvas[export]')")


def write_onnx(net: Network, path: str | os.PathLike) -> None:
    """The network as an ONNX graph (float32, any batch size: input "x", output "a"), checked with
    onnx.checker before it replaces the file."""
    try:
        import onnx  # noqa: PLC0415 (only this export needs it)
        import torch  # noqa: PLC0415
    except ImportError:
        raise ExportError(ONNX_NEEDS) from None
    model = load_module(torch_source(net)).Network().float().eval()
    target = Path(os.path.realpath(path))
    tmp = target.with_name(f".{target.name}.{os.getpid()}{io.TMP_SUFFIX}")
    batch = torch.export.Dim("batch", min=1)
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)  # notes on torchvision ops we lack
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            torch.onnx.export(model, (torch.zeros(2, len(net.inputs)),), str(tmp),
                              input_names=["x"], output_names=["a"], dynamic_shapes=({0: batch},),
                              dynamo=True, external_data=False, verbose=False)
        onnx.checker.check_model(str(tmp), full_check=True)
        os.replace(tmp, target)
    except ImportError:
        raise ExportError(ONNX_NEEDS) from None
    except Exception as e:  # torch.onnx's own failures, of any class: one line for the user
        raise ExportError(f"torch.onnx could not export this network ({type(e).__name__}: "
                          f"{str(e).splitlines()[0] if str(e) else ''})") from e
    finally:
        tmp.unlink(missing_ok=True)


def write_in_process(net: Network, path: str, conn: Connection) -> None:
    """The body of the process the window starts for an ONNX export (torch stays out of the
    window): sends back None when written, else why not."""
    try:
        write_onnx(net, path)
        conn.send(None)
    except (EngineError, OSError) as e:
        conn.send(str(e))


# User-given text (the title, labels) goes in only as repr() literals, never into the docstring
# or code: a file named 'x""";import os;"""' must not run anything when imported.
_TEMPLATE = '''"""A network exported from NeuroCanvas, as a PyTorch module (TITLE says which).

Inputs: {n_in}. Outputs: {n_out}. Levels of computed neurons: {n_levels}. Connections: {n_conn}.

    import torch
    from {module} import Network
    model = Network()                       # the weights as they were in NeuroCanvas (float64)
    a = model(torch.zeros(1, {n_in}, dtype=torch.float64))
    model = model.float()                   # float32, to train on at speed

forward(x) takes x as [batch, inputs] in the order of INPUTS and gives the outputs' activations
a = h(z) in the order of OUTPUTS (softmax across the softmax outputs); forward_z gives their z.
Each level is z = a_sources @ W + b over the neurons computed before it, then a = h(z): a
connection that the network does not have is a masked zero in W and stays absent when trained.
A convolution level is torch's conv2d of its kernels W [maps, channels, k, k] over the maps it
reads, a pooling level max_pool2d; both read and give maps flattened as (channel, row, column).
It is an ordinary nn.Module: any PyTorch script trains it further (an optimiser, DDP, ...).
Needs only torch.
"""
import base64

import torch
import torch.nn.functional as F
from torch import nn

TITLE = {title!r}
INPUTS = {inputs!r}
OUTPUTS = {outputs!r}
# each level: where it reads its sources (an earlier level's block, or a list of columns of all
# blocks so far), its [sources, neurons] shape, whether a mask marks its connections, and its
# activation runs (name, leaky slope, first column, end column); a convolution or pooling also
# has conv: [kind, [channels, height, width] it reads, window, stride, padding]
LEVELS = [
{levels}
]
OUTPUT_READ = {out}
SOFTMAX = {softmax}  # places in OUTPUTS of the softmax group
DATA = {{
{data}
}}


def _unpack(key, dtype, shape=(-1,)):
    raw = bytearray(base64.b64decode(DATA[key]))
    if not raw:
        return torch.zeros(shape if -1 not in shape else 0, dtype=dtype)
    return torch.frombuffer(raw, dtype=dtype).reshape(shape)


def _h(name, slope, z):
    if name == "step":
        return (z >= 0).to(z.dtype)
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "relu":
        return torch.relu(z)
    if name == "leaky_relu":
        return F.leaky_relu(z, slope)
    return z  # linear, and softmax until its group is known


def _read(blocks, read, columns):
    return blocks[read] if columns is None else torch.cat(blocks, 1)[:, columns]


class Network(nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = nn.ParameterList()
        self.biases = nn.ParameterList()
        for k, level in enumerate(LEVELS):
            self.weights.append(nn.Parameter(_unpack(f"w{{k}}", torch.float64, level["shape"])))
            self.biases.append(nn.Parameter(_unpack(f"b{{k}}", torch.float64)))
            if level["mask"]:
                self.register_buffer(f"mask{{k}}", _unpack(f"m{{k}}", torch.bool, level["shape"]))
            if not isinstance(level["read"], int):
                self.register_buffer(f"read{{k}}", _unpack(level["read"], torch.int64),
                                     persistent=False)
        if not isinstance(OUTPUT_READ, int):
            self.register_buffer("out_read", _unpack(OUTPUT_READ, torch.int64), persistent=False)
        softmax = torch.zeros(len(OUTPUTS), dtype=torch.bool)
        softmax[SOFTMAX] = True
        self.register_buffer("softmax", softmax, persistent=False)

    def _outputs(self, x):
        a_blocks, z_blocks = [x], [x]
        for k, level in enumerate(LEVELS):
            w, mask = self.weights[k], getattr(self, f"mask{{k}}", None)
            if mask is not None:
                w = w * mask.to(w.dtype)  # torch 2.11's ONNX export failed on float × bool
            read, columns = level["read"], getattr(self, f"read{{k}}", None)
            source, conv = _read(a_blocks, read, columns), level.get("conv")
            if conv is None:
                z = source @ w + self.biases[k]
            elif conv[0] == "conv":
                maps = source.reshape(-1, *conv[1])  # -1: ONNX keeps the batch free
                z = F.conv2d(maps, w, self.biases[k], conv[3], conv[4]).flatten(1)
            else:
                z = F.max_pool2d(source.reshape(-1, *conv[1]), conv[2], conv[3]).flatten(1)
            a = torch.cat([_h(name, slope, z[:, lo:hi]) for name, slope, lo, hi in level["acts"]], 1)
            a_blocks.append(a)
            z_blocks.append(z)
        columns = getattr(self, "out_read", None)
        z, a = _read(z_blocks, OUTPUT_READ, columns), _read(a_blocks, OUTPUT_READ, columns)
        if SOFTMAX:
            soft = torch.softmax(z.masked_fill(~self.softmax, float("-inf")), 1)
            a = torch.where(self.softmax, soft, a)
        return z, a

    def forward(self, x):
        return self._outputs(x)[1]

    def forward_z(self, x):
        return self._outputs(x)[0]
'''
