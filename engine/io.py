"""Network files: versioned JSON (docs/file-format.md). No pickle, ever.

Loading validates everything and raises one FileFormatError naming the file, the field and why.
Weights round-trip bit for bit: JSON numbers are written with repr, and big connection lists are
stored as base64 little-endian arrays.
"""
from __future__ import annotations

import base64
import glob
import json
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from engine import activations, conv_file, resume, settings
from engine.errors import EngineError, quoted
from engine.files import MIB, unreadable
from engine.memory import TooBigError, check_fits
from engine.network import ID_MAX, MAX_LABEL, ROLES, Layer, Network, NetworkError, sorted_unique

FORMAT = "neurocanvas"
VERSION = 3  # 2 adds "frozen", 3 convolution layers; a file without them is written as 1
INLINE_CONNECTIONS = 1000  # above this, connections are stored as base64 arrays


class FileFormatError(EngineError):
    """A file that cannot be read as a network; the message names the file, the field and why."""

    def __init__(self, where: str, field: str, why: str) -> None:
        super().__init__(f"{where}: {field}: {why}" if field else f"{where}: {why}")
        self.field, self.why = field, why


# ---- writing -----------------------------------------------------------------------------------
def b64(arr: np.ndarray, dtype: str) -> str:
    """Numbers as base64 of their bytes in the given (little-endian) dtype: exact and compact."""
    return base64.b64encode(np.ascontiguousarray(arr, dtype=dtype).tobytes()).decode("ascii")


def to_dict(net: Network, with_resume: bool = True) -> dict[str, Any]:
    """The file's JSON object; with_resume keeps the last run's state where it still fits."""
    held = ~net.unit_rows()  # a convolution's units and kernels are its layer's
    rows = np.flatnonzero(held)
    neurons = [{"id": int(i), "role": ROLES[r], "activation": activations.NAMES[a],
                "param": float(p), "bias": float(b), "label": label, "x": float(x), "y": float(y)}
               for i, r, a, p, b, label, (x, y) in zip(
                   net.ids[rows], net.role[rows], net.act[rows], net.param[rows], net.bias[rows],
                   [net.labels[i] for i in rows], net.pos[rows])]
    k = np.flatnonzero(held[net.endpoints()[1]]) if len(rows) < net.n_neurons else slice(None)
    src, dst, weight = net.src[k], net.dst[k], net.weight[k]
    if len(src) <= INLINE_CONNECTIONS:
        conns: Any = [[int(s), int(d), float(w)] for s, d, w in zip(src, dst, weight)]
    else:
        conns = {"count": len(src), "source": b64(src, "<i4"), "target": b64(dst, "<i4"),
                 "weight": b64(weight, "<f8")}
    layers = [conv_file.to_json(net, lay, b64) if lay.conv else
              {"name": lay.name, "neurons": list(lay.neurons),
               "shape": list(lay.shape) if lay.shape else None} for lay in net.layers]
    doc = {"format": FORMAT, "version": 3 if len(rows) < net.n_neurons else 1,
           "neurons": neurons, "connections": conns, "layers": layers, "training": net.training}
    if with_resume and net.resume is not None and net.resume.fits(net):
        doc["resume"] = resume.to_json(net.resume)
    weights = net.frozen_masks()[0]
    biases = np.isin(net.ids, list(net.frozen_biases))  # as frozen: a map's one unit, not all
    if weights.any() or biases.any():  # version 2: an older app refuses it rather than train
        doc["version"] = max(doc["version"], 2)  # what the file says to leave alone
        src, dst = net.src[weights], net.dst[weights]
        doc["frozen"] = {"biases": net.ids[biases].tolist(), "weights": (
            np.stack([src, dst], 1).tolist() if len(src) <= INLINE_CONNECTIONS else
            {"count": len(src), "source": b64(src, "<i4"), "target": b64(dst, "<i4")})}
    return doc


def dumps(net: Network) -> str:
    try:
        return json.dumps(to_dict(net), allow_nan=False, indent=1, ensure_ascii=False)
    except ValueError:
        raise NetworkError("the network holds a NaN or infinite number and cannot be saved") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save(net: Network, path: str | os.PathLike) -> None:
    write_atomic(dumps(net), path)


# the temporary file beside the target adds a dot, the pid, a random part and TMP_SUFFIX
NAME_MAX = 255 - 40


def target_problem(path: str | os.PathLike) -> str | None:
    """Why a file cannot be written at path (through its links), in words, or None: asked
    before any work, so that a long run is never lost to a name that cannot be saved. Something
    other than a file there (a FIFO, a device) is refused: a save would replace it, or wait."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        return f"{path}: is a folder; give a file name"
    if target.exists() and not target.is_file():
        return f"{path}: is not a regular file (a FIFO, a socket or a device)"
    if not target.parent.is_dir():
        return f"{path}: the folder {target.parent} does not exist"
    if len(target.name.encode("utf-8", "surrogateescape")) > NAME_MAX:
        return f"{path}: the name is longer than the {NAME_MAX} bytes a file name may have here"
    if not os.access(target.parent, os.W_OK) or target.exists() and not os.access(target, os.W_OK):
        return f"{path}: cannot write there (permission denied)"
    return None


def space_problem(path: str | os.PathLike, size: int) -> str | None:
    """Why size bytes will not fit beside path (a full disk), in words, or None."""
    folder = Path(os.path.realpath(path)).parent
    free = shutil.disk_usage(folder).free
    if free >= size:
        return None
    return (f"{path}: the disk is full: {size / MIB:,.1f} MB to write, "
            f"{free / MIB:,.1f} MB free in {folder}")


def write_atomic(text: str, path: str | os.PathLike) -> None:
    """Writes atomically: the old file stays whole until the new one is complete. Like QSaveFile,
    it writes through a symbolic link to the file it names, and refuses what is not a file."""
    why = target_problem(path)
    if why:
        raise NetworkError(f"cannot save: {why}")
    target = Path(os.path.realpath(path))
    _remove_stale_temporaries(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.",
                               suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, target.stat().st_mode if target.exists() else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


TMP_SUFFIX = ".neurocanvas-tmp"


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files of saves whose process was killed (their pid no longer runs)."""
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*{TMP_SUFFIX}"):
        pid = tmp.name[len(target.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            tmp.unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    """Whether a process of this pid runs (one we may not signal counts as running)."""
    if os.name == "nt":  # there os.kill(pid, 0) would not ask: it terminates the process
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _windows_process_alive(pid: int) -> bool:
    import ctypes  # noqa: PLC0415 (Windows only)
    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it runs, as another user
    code = ctypes.c_ulong()
    kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    kernel32.CloseHandle(handle)
    return code.value == 259  # STILL_ACTIVE


# ---- reading -----------------------------------------------------------------------------------
NUMBER = (int, float)
_WANT = {str: "text", int: "a whole number", list: "a list", NUMBER: "a number"}
_ID = f"a whole number from 0 to {ID_MAX}"


def _valid(value: Any, kind: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool) or not isinstance(value, kind):
        return False
    if isinstance(value, int) and kind is NUMBER:
        return abs(value) <= _FLOAT_MAX  # a longer integer has no float
    return not isinstance(value, float) or math.isfinite(value)


_FLOAT_MAX = int(np.finfo(float).max)


def _id(value: Any) -> bool:
    return _valid(value, int) and 0 <= value <= ID_MAX


def _text(value: Any) -> bool:
    """Text that can be saved again: no lone surrogates (JSON allows them, UTF-8 does not)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _get(obj: dict, key: str, kind: type | tuple[type, ...], where: str, field: str) -> Any:
    name = f"{field}.{key}" if field else key
    if key not in obj:
        raise FileFormatError(where, name, "missing")
    if not _valid(obj[key], kind):
        raise FileFormatError(where, name, f"{quoted(obj[key])} should be {_WANT[kind]}")
    return obj[key]


def _name(obj: dict, key: str, where: str, field: str) -> str:
    """A label or a layer's name: text that can be saved again, and short enough to draw."""
    text = _get(obj, key, str, where, field)
    if not _text(text):
        raise FileFormatError(where, f"{field}.{key}", "holds a lone surrogate (\\ud800-\\udfff), "
                              "which is not text")
    if len(text) > MAX_LABEL:
        raise FileFormatError(where, f"{field}.{key}", f"{len(text):,} characters is more than "
                              f"the {MAX_LABEL:,} a name may have")
    return text


def _neurons(items: Any, where: str) -> dict[str, list]:
    if not isinstance(items, list):
        raise FileFormatError(where, "neurons", "should be a list of neurons")
    cols: dict[str, list] = {k: [] for k in ("id", "role", "act", "param", "bias", "label", "pos")}
    for k, item in enumerate(items):
        f = f"neurons[{k}]"
        if not isinstance(item, dict):
            raise FileFormatError(where, f, "should be an object")
        role, act = _get(item, "role", str, where, f), _get(item, "activation", str, where, f)
        if role not in ROLES:
            raise FileFormatError(where, f + ".role", f"{role!r} is not input, hidden or output")
        if act not in activations.NAMES:
            raise FileFormatError(where, f + ".activation",
                                  f"{act!r} is not one of {', '.join(activations.NAMES)}")
        nid = _get(item, "id", int, where, f)
        if not _id(nid):
            raise FileFormatError(where, f + ".id", f"{quoted(nid)} should be {_ID}")
        cols["id"].append(nid)
        cols["role"].append(ROLES.index(role))
        cols["act"].append(activations.NAMES.index(act))
        cols["param"].append(float(_get(item, "param", NUMBER, where, f)))
        cols["bias"].append(float(_get(item, "bias", NUMBER, where, f)))
        label = _name(item, "label", where, f)
        cols["label"].append(label)
        cols["pos"].append(tuple(float(_get(item, c, NUMBER, where, f)) for c in "xy"))
    return cols


def _unb64(obj: dict, key: str, dtype: str, count: int, where: str,
           field: str = "connections") -> np.ndarray:
    text = _get(obj, key, str, where, field)
    try:
        arr = np.frombuffer(base64.b64decode(text, validate=True), dtype=dtype)
    except ValueError:
        raise FileFormatError(where, f"{field}.{key}", "is not a valid base64 array") from None
    if len(arr) != count:
        raise FileFormatError(where, f"{field}.{key}", f"holds {len(arr)} values, not {count}")
    return arr.astype(np.dtype(dtype).newbyteorder("="))  # native order, writable


def _connections(value: Any, where: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if isinstance(value, dict):
        n = _get(value, "count", int, where, "connections")
        src, dst = (_unb64(value, k, "<i4", n, where).astype(np.int64) for k in ("source", "target"))
        w = _unb64(value, "weight", "<f8", n, where)
        if not np.all(np.isfinite(w)):
            raise FileFormatError(where, "connections.weight", "holds NaN or infinite weights")
        return src, dst, w
    if not isinstance(value, list):
        raise FileFormatError(where, "connections", "should be a list or a base64 object")
    for k, row in enumerate(value):
        if not (isinstance(row, list) and len(row) == 3 and _id(row[0]) and _id(row[1])
                and _valid(row[2], NUMBER)):
            raise FileFormatError(where, f"connections[{k}]", f"{quoted(row)} should be [source "
                                  f"id, target id, weight], each id {_ID}")
    ids = np.array([row[:2] for row in value], dtype=np.int64).reshape(-1, 2)
    return ids[:, 0].copy(), ids[:, 1].copy(), np.array([float(row[2]) for row in value])


_CONV_FIELDS = (("kind", str), ("source", str), ("size", int), ("stride", int), ("padding", int),
                ("first", int), ("activation", str), ("param", NUMBER), ("x", NUMBER), ("y", NUMBER))


def _conv_layer(item: dict, where: str, f: str) -> tuple:
    """A convolution or pooling layer's fields, checked for type: (name, shape, fields,
    kernels); conv_file.build checks that they fit together."""
    conv, field = item["conv"], f + ".conv"
    if not isinstance(conv, dict):
        raise FileFormatError(where, field, "should be an object")
    entry = {key: _get(conv, key, kind, where, field) for key, kind in _CONV_FIELDS}
    if not _id(entry["first"]):
        raise FileFormatError(where, field + ".first", f"{quoted(entry['first'])} should be {_ID}")
    kernels = conv.get("kernels")
    if isinstance(kernels, str):
        try:
            kernels = np.frombuffer(base64.b64decode(kernels, validate=True), "<f8").astype(float)
        except ValueError:
            raise FileFormatError(where, field + ".kernels", "is not a valid base64 array") from None
    elif isinstance(kernels, list) and all(_valid(v, NUMBER) for v in kernels):
        kernels = np.asarray(kernels, float)
    elif kernels is not None:
        raise FileFormatError(where, field + ".kernels", "should be a list of numbers or base64")
    if kernels is not None and not np.isfinite(kernels).all():
        raise FileFormatError(where, field + ".kernels", "holds NaN or infinite weights")
    biases = conv.get("biases")
    if biases is not None and not (isinstance(biases, list) and
                                   all(_valid(v, NUMBER) for v in biases)):
        raise FileFormatError(where, field + ".biases", "should be a list of numbers")
    shape = item.get("shape")
    if not (isinstance(shape, list) and len(shape) == 3 and all(_valid(v, int) and v > 0
                                                                for v in shape)):
        raise FileFormatError(where, f + ".shape", f"{quoted(shape)} should be [maps, height, width]")
    if math.prod(shape) > ID_MAX - entry["first"]:
        raise FileFormatError(where, f + ".shape", "holds more units than there are ids after first")
    return _name(item, "name", where, f), shape, {**entry, "biases": biases}, kernels


def _layers(items: Any, where: str) -> list[Layer | tuple]:
    if not isinstance(items, list):
        raise FileFormatError(where, "layers", "should be a list")
    layers: list[Layer | tuple] = []
    for k, item in enumerate(items):
        f = f"layers[{k}]"
        if not isinstance(item, dict):
            raise FileFormatError(where, f, "should be an object")
        if "conv" in item:
            layers.append(_conv_layer(item, where, f))
            continue
        ids = _get(item, "neurons", list, where, f)
        bad = next((k for k, i in enumerate(ids) if not _id(i)), None)  # an index: ids may hold None
        if bad is not None:
            raise FileFormatError(where, f"{f}.neurons[{bad}]",
                                  f"{quoted(ids[bad])} is no neuron id ({_ID})")
        if len(set(ids)) != len(ids):
            raise FileFormatError(where, f + ".neurons", "names a neuron twice")
        shape = item.get("shape")
        if shape is not None and not (isinstance(shape, list) and shape and
                                      all(_valid(v, int) and v > 0 for v in shape) and
                                      math.prod(shape) == len(ids)):
            raise FileFormatError(where, f + ".shape", f"{quoted(shape)} should be a list of "
                                  f"sizes whose product is the layer's {len(ids)} neurons")
        name = _name(item, "name", where, f)
        layers.append(Layer(name, list(ids), tuple(shape) if shape else None))
    return layers


def _training(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise FileFormatError(where, "training", "should be an object of settings")
    try:
        settings.check_all(value)
    except settings.SettingError as e:
        raise FileFormatError(where, f"training.{e.name}", e.why) from None
    return value


def _check_size(doc: dict, where: str, limit: tuple[int, int] | None) -> None:
    """Refuses, before building anything, a network too big for memory or for the limit
    (neurons, connections)."""
    neurons, conns = doc.get("neurons"), doc.get("connections")
    n = len(neurons) if isinstance(neurons, list) else 0
    count = conns.get("count") if isinstance(conns, dict) else len(conns) if isinstance(conns, list) else 0
    for field_, number, most in zip(("neurons", "connections"), (n, count), limit or ()):
        if _valid(number, int) and number > most:
            raise FileFormatError(where, field_, f"{number:,} {field_} is more than the window "
                                  f"draws ({most:,}; 784-1000-1000-10 has 2,794 neurons and "
                                  "1,794,000 connections): train or evaluate this network with "
                                  "neurocanvas-cli")
    try:
        check_fits(n, count if _valid(count, int) else 0, "the network")
    except TooBigError as e:
        raise FileFormatError(where, "", str(e)) from None


def _field(path: tuple) -> str:
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path).lstrip(".")


def _savable(doc: Any, where: str) -> None:
    """Refuses any value that could be opened but never saved again, wherever it stands (an
    unknown setting too): text with a lone surrogate, a number beyond float range."""
    stack: list[tuple[tuple, Any]] = [((), doc)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if not _text(key):
                    raise FileFormatError(where, _field(path), "a key holds a lone surrogate "
                                          "(\\ud800-\\udfff), which is not text")
                stack.append((path + (key,), child))
        elif isinstance(value, list):
            stack.extend((path + (k,), child) for k, child in enumerate(value))
        elif isinstance(value, str) and not _text(value):
            raise FileFormatError(where, _field(path), "holds a lone surrogate (\\ud800-\\udfff), "
                                  "which is not text")
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and \
                not _valid(value, NUMBER):
            raise FileFormatError(where, _field(path), f"{quoted(value)} is beyond the range of "
                                  "a number (±1.8e308)")


def from_dict(doc: Any, where: str = "<network>", limit: tuple[int, int] | None = None) -> Network:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise FileFormatError(where, "format", "this is not a NeuroCanvas network file")
    version = _get(doc, "version", int, where, "")
    if version > VERSION:
        raise FileFormatError(where, "version", f"the file is version {version}, written by a newer "
                              f"NeuroCanvas; this one reads up to version {VERSION}")
    if version < 1:
        raise FileFormatError(where, "version", f"{version} is not a valid version")
    _check_size(doc, where, limit)
    cols = _neurons(doc.get("neurons"), where)
    src, dst, w = _connections(doc.get("connections", []), where)
    layers = _layers(doc.get("layers", []), where)
    net = Network()
    try:
        ids = np.asarray(cols["id"], np.int64)
        order = np.argsort(ids, kind="stable")
        if len(np.unique(ids)) != len(ids):
            raise FileFormatError(where, "neurons", "two neurons share an id")
        net.ids, net.role = ids[order], np.asarray(cols["role"], np.int8)[order]
        net.act, net.param = np.asarray(cols["act"], np.int8)[order], np.asarray(cols["param"])[order]
        net.bias, net.labels = np.asarray(cols["bias"])[order], [cols["label"][i] for i in order]
        net.pos = np.asarray(cols["pos"], float).reshape(-1, 2)[order]
        bad_softmax = np.flatnonzero((net.act == activations.NAMES.index("softmax")) & (net.role != 2))
        if len(bad_softmax):
            raise FileFormatError(where, "neurons", f"neuron {net.ids[bad_softmax[0]]} uses softmax "
                                  "but is not an output")
    except NetworkError as e:
        raise FileFormatError(where, "connections", str(e)) from None
    _add_layers(net, layers, where)
    try:
        net.connect_many(src, dst, w)
    except NetworkError as e:
        raise FileFormatError(where, "connections", str(e)) from None
    net.training = _training(doc.get("training", {}), where)
    _frozen(net, doc.get("frozen", {}), where)
    _savable(doc, where)  # after the fields' own checks, which say more about what they hold
    if "resume" in doc:
        try:
            net.resume = resume.from_json(doc["resume"], net)
        except resume.StateError as e:
            raise FileFormatError(where, f"resume.{e.field}".rstrip("."), e.why) from None
    return net


def _add_layers(net: Network, layers: list[Layer | tuple], where: str) -> None:
    """The layers in order: a convolution is built after the layer it reads."""
    for k, layer in enumerate(layers):
        if isinstance(layer, Layer):
            if not np.isin(layer.neurons, net.ids).all():
                raise FileFormatError(where, f"layers[{k}].neurons",
                                      "names a neuron that does not exist")
            net.layers.append(layer)
            continue
        try:
            conv_file.build(net, *layer)
        except NetworkError as e:
            raise FileFormatError(where, f"layers[{k}].conv", str(e)) from None


def _frozen(net: Network, value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise FileFormatError(where, "frozen", "should be an object with biases and weights")
    biases, pairs = value.get("biases", []), value.get("weights", [])
    if not (isinstance(biases, list) and all(_id(i) for i in biases)):
        raise FileFormatError(where, "frozen.biases", f"should be a list of neuron ids ({_ID})")
    if not np.isin(biases, net.ids).all():
        raise FileFormatError(where, "frozen.biases", "names a neuron that does not exist")
    if isinstance(pairs, dict):  # many, as base64 arrays like the connections
        n = _get(pairs, "count", int, where, "frozen.weights")
        pairs = np.stack([_unb64(pairs, k, "<i4", n, where, "frozen.weights").astype(np.int64)
                          for k in ("source", "target")], 1)
    elif not (isinstance(pairs, list) and all(isinstance(p, list) and len(p) == 2 and _id(p[0])
                                              and _id(p[1]) for p in pairs)):
        raise FileFormatError(where, "frozen.weights", "should be a list of [source id, target id]")
    pairs = np.asarray(pairs, np.int64).reshape(-1, 2)
    net.frozen_biases = set(biases)
    net.frozen_weights = sorted_unique(net.pair_keys(pairs[:, 0], pairs[:, 1]))
    if len(net.frozen_weights) != int(net.frozen_masks()[0].sum()):
        raise FileFormatError(where, "frozen.weights", "names a connection that does not exist")


def loads(text: str, where: str = "<network>", limit: tuple[int, int] | None = None) -> Network:
    try:
        doc = json.loads(text, parse_constant=lambda c: c)  # NaN/Infinity stay text and fail checks
    except json.JSONDecodeError as e:
        raise FileFormatError(where, "", f"not valid JSON (line {e.lineno}, column {e.colno}: "
                              f"{e.msg})") from None
    except RecursionError:
        raise FileFormatError(where, "", "nested too deeply to be a network file") from None
    except ValueError as e:  # e.g. an integer of more than 4,300 digits
        raise FileFormatError(where, "", f"not a valid network file ({e})") from None
    return from_dict(doc, where, limit)


MAX_BYTES = 4096 * MIB  # a 20-million-connection network with Adam's moments fits


def load(path: str | os.PathLike, limit: tuple[int, int] | None = None,
         max_bytes: int = MAX_BYTES) -> Network:
    """limit (neurons, connections), max_bytes: refuse bigger networks and files before
    reading or building them (the window's limits)."""
    path = Path(path)
    why = unreadable(path, max_bytes)
    if why:
        raise FileFormatError(str(path), "", why)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte order mark, as Notepad writes, is fine
    except (OSError, UnicodeDecodeError) as e:
        raise FileFormatError(str(path), "", f"cannot be read ({e})") from None
    return loads(text, path.name, limit)
