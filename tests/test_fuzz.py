"""Fuzzing the doors that bad input comes through: network files (with CSV data in them, a
byte order mark, huge labels, signed zeros, numbers beyond float range), MNIST files and the
CLI's arguments (empty test sets, signed zeros, CSV files with huge cells or unclosed quotes,
FIFOs and devices as input or output). Every case ends in a clean error or a result, never a
traceback, and a refused file leaves the open document as it was.

`make test` runs a few hundred cases of each; `make fuzz` runs 10,000 of each (marked fuzz).
"""
from __future__ import annotations

import contextlib
import gzip
import io as text_io
import json
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import io
from engine.build import from_spec
from engine.cli import main as cli
from engine.datasets import DatasetError
from engine.datasets.mnist import FILES, load_full, read_idx
from engine.datasets.registry import load as load_dataset
from engine.datasets.table import read_table, spec_of
from engine.init import initialise
from engine.io import FileFormatError
from engine.network import MAX_LABEL
from tests.engine.helpers import xor_by_hand

COUNTS = [300, pytest.param(10_000, marks=pytest.mark.fuzz)]


def fuzz(examples: int):
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


# ---- network files -----------------------------------------------------------------------------
def _bases() -> list[dict]:
    wide = from_spec("12-3-2")
    initialise(wide, "xavier", 1)
    wide.layers[0].shape = (3, 4)
    wide.training = {"lr": 0.5, "seed": 3, "optimizer": "adam"}
    big = io.to_dict(from_spec("40-30-2"))  # base64 connections
    with_csv = xor_by_hand()  # CSV data kept in the file, for the trainer to rebuild
    with_csv.training = {"dataset": "csv", "test_share": 0.0, "csv": spec_of(
        read_table(CSV), ["a", "b"], "y", test=0.5, normalise="minmax", seed=2)}
    return [io.to_dict(xor_by_hand()), io.to_dict(wide), big, io.to_dict(with_csv)]


CSV = "a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"


BASES = [json.dumps(d) for d in _bases()]
BEYOND_FLOAT = "\x00beyond float"  # a stand-in for the literal 1e400, which JSON reads as inf
WILD = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-10 ** 400, 10 ** 400)
    | st.floats() | st.text(max_size=6)
    | st.sampled_from(["\ud800", "input", "softmax", "", BEYOND_FLOAT, -0.0, "x" * (MAX_LABEL + 1),
                       "csv", "a", "y", "1e400"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=8)


def _paths(node, prefix=()):
    yield prefix
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield from _paths(child, prefix + (key,))


@st.composite
def network_texts(draw) -> str:
    doc = json.loads(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(doc))[1:]))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()):
            parent[path[-1]] = draw(WILD)
        elif isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.insert(path[-1], draw(WILD))
    text = json.dumps(doc).replace(json.dumps(BEYOND_FLOAT), "1e400")
    if draw(st.integers(0, 9)) == 0:  # damage the text itself
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.text(max_size=3)) + text[cut + draw(st.integers(0, 3)):]
    if draw(st.integers(0, 9)) == 0:  # as Notepad saves it
        text = "\ufeff" + text
    return text


@pytest.mark.parametrize("examples", COUNTS)
def test_any_file_loads_or_is_refused_cleanly_and_the_open_document_stays(examples, qapp, tmp_path):
    from gui.document import Document
    doc = Document()
    good = tmp_path / "good.json"
    good.write_text(BASES[1])
    doc.open(good)
    opened = io.dumps(doc.network)

    @fuzz(examples)
    @given(text=network_texts())
    def check(text: str) -> None:
        path = tmp_path / "case.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            doc.open(path)
        except FileFormatError:
            assert io.dumps(doc.network) == opened and doc.path == good
            return
        saved = io.dumps(doc.network)  # what loads can be saved, and loads the same again
        doc.save(tmp_path / "saved.json")
        assert io.dumps(io.load(tmp_path / "saved.json")) == saved
        if "csv" in doc.network.training:  # the data it carries makes a data set, or says why
            try:
                load_dataset("csv", table=doc.network.training["csv"],
                             test_share=doc.network.training.get("test_share", 0.2))
            except DatasetError:
                pass
        doc.open(good)
    check()


# ---- MNIST files -------------------------------------------------------------------------------
@st.composite
def idx_files(draw) -> tuple[bytes, bool]:
    dims = draw(st.lists(st.integers(0, 6), min_size=0, max_size=4))
    kind = draw(st.sampled_from([0x08, 0x08, 0x08, 0x09, 0x0D]))
    ndim = draw(st.sampled_from([len(dims), len(dims), 255, 0]))
    body = bytes([0, 0, kind, ndim]) + b"".join(d.to_bytes(4, "big") for d in dims)
    size = int(np.prod(dims)) + draw(st.sampled_from([0, 0, 0, -1, 1, 7]))
    data = body + draw(st.binary(min_size=max(size, 0), max_size=max(size, 0)))
    if draw(st.integers(0, 5)) == 0:
        data = data[:draw(st.integers(0, len(data)))]
    packed = draw(st.booleans())
    if packed:
        data = gzip.compress(data, mtime=0)
        if draw(st.booleans()):  # a damaged deflate stream, or a cut-off one
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    return data, packed


@pytest.mark.parametrize("examples", COUNTS)
def test_any_idx_file_reads_or_is_refused_cleanly(examples, tmp_path):
    @fuzz(examples)
    @given(case=idx_files())
    def check(case: tuple[bytes, bool]) -> None:
        data, packed = case
        path = tmp_path / ("f.gz" if packed else "f")
        path.write_bytes(data)
        try:
            array = read_idx(path)
        except DatasetError:
            return
        assert array.dtype == np.uint8
    check()


@pytest.mark.parametrize("examples", COUNTS)
def test_any_set_of_four_mnist_files_loads_or_is_refused_cleanly(examples, tmp_path):
    from engine.datasets.mnist import write_idx

    @fuzz(examples)
    @given(n_train=st.integers(0, 4), n_test=st.integers(0, 4), side=st.integers(1, 3),
           labels=st.lists(st.integers(0, 255), min_size=8, max_size=8), mismatch=st.booleans())
    def check(n_train, n_test, side, labels, mismatch) -> None:
        for split, n in (("train", n_train), ("test", n_test)):
            write_idx(tmp_path / (FILES[f"{split}_images"] + ".gz"), np.zeros((n, side, side)))
            write_idx(tmp_path / (FILES[f"{split}_labels"] + ".gz"),
                      np.array(labels[:n + mismatch], np.uint8))
        try:
            data = load_full(tmp_path)
        except DatasetError:
            return
        assert data.labels_train.max(initial=0) <= 9 and len(data.x_test) == n_test
    check()


# ---- the CLI's arguments -----------------------------------------------------------------------
NUMBERS = ["-1", "0", "-0", "-0.0", "1", "2", "0.5", "1e-9", "1e308", "1e400", "nan", "inf",
           "-inf", str(2 ** 70), "abc", "", "100000", "100001"]
OPTIONS = {"--seed": NUMBERS, "--lr": NUMBERS, "--momentum": NUMBERS, "--l1": NUMBERS,
           "--l2": NUMBERS, "--dropout": NUMBERS, "--init-mean": NUMBERS, "--init-std": NUMBERS,
           "--batch-size": NUMBERS, "--threads": NUMBERS, "--noise": NUMBERS,
           "--samples": ["-5", "0", "1", "10", "40", "x"], "--epochs": ["-1", "0", "1", "2", "1e9", "x"],
           "--optimizer": ["sgd", "adam", "momentum", "rmsprop"], "--loss": ["mse", "ce", "bce", "l1"],
           "--init": ["keep", "he", "normal", "bogus"], "--device": ["cpu", "auto", "tpu"],
           "--dtype": ["float32", "float64"],
           "--dataset": ["xor", "and", "moons", "spiral", "circles", "blobs", "sin", "cifar",
                         "mnist-subset", "mnist", "csv"],
           "--test-share": ["0", "-0", "0.001", "0.05", "0.5", "0.9", "1", "nan"]}
# CSV files: sound, tiny (a test share of 0.2 leaves no test row), a cell past the csv module's
# limit, an unclosed quote, a header only; and what is not a file
TABLES = {"good.csv": "a,b,y\n" + "".join(f"{i % 3},{i % 5},{i % 2}\n" for i in range(40)),
          "two.csv": "a,b,y\n1,2,0\n3,4,1\n",
          "huge.csv": "a,b,y\n1,2," + "7" * 140_000 + "\n",
          "quote.csv": 'a,b,y\n1,"2,0\n' + "3,4,1\n" * 30_000,
          "head.csv": "a,b,y\n"}


@st.composite
def cli_arguments(draw, folder: Path) -> list[str]:
    # half the time a sound network and output, so that the numbers reach the training
    out = str(folder / "out.json") if draw(st.booleans()) else draw(st.sampled_from([
        str(folder / "missing" / "o.json"), str(folder), str(folder / "fifo"), "/dev/zero",
        str(folder / ("n" * 250 + ".json")), str(folder / "o.onnx")]))
    net = str(folder / "net.json") if draw(st.booleans()) else draw(st.sampled_from([
        str(folder / "and.json"), str(folder / "nope.json"), str(folder / "bad.json"),
        str(folder / "fifo"), "/dev/zero", str(folder / "bom.json")]))
    command = draw(st.sampled_from(["new", "eval", "train"]))
    if command == "new":
        argv = ["new", "--layers", draw(st.sampled_from(["2-1", "2-2-1", "0-1", "1", "x", "3--1",
                                                        "100000-100000", "784-32-10"]))]
        for option in draw(st.lists(st.sampled_from(["--seed", "--param", "--activation"]),
                                    max_size=2, unique=True)):
            values = ["relu", "softmax", "swish"] if option == "--activation" else NUMBERS
            argv += [option, draw(st.sampled_from(values))]
        return argv + ["-o", out]
    if command == "eval":
        how = draw(st.sampled_from([["--truth-table"], ["--input", "1,0"], ["--input", "1"],
                                    ["--input", "nan,1e400"], ["--input", ""]]))
        return ["eval", net, *how]
    argv = ["train", net, "--dataset", draw(st.sampled_from(OPTIONS["--dataset"])),
            "--epochs", draw(st.sampled_from(["1", "2"])), "--samples", "20"]
    for option in draw(st.lists(st.sampled_from(sorted(OPTIONS)), max_size=4, unique=True)):
        argv += [option, draw(st.sampled_from(OPTIONS[option]))]
    if draw(st.booleans()):  # the data sets' own numbers, each often
        argv += ["--noise", draw(st.sampled_from(["-0", "-0.0", "0", "0.1"])), "--test-share",
                 draw(st.sampled_from(OPTIONS["--test-share"]))]
    if draw(st.booleans()):
        table = draw(st.sampled_from([*TABLES, "fifo", "/dev/zero"]))
        argv += ["--csv", table if table.startswith("/") else str(folder / table),
                 "--inputs", draw(st.sampled_from(["a,b", "a", "z"])), "--target", "y"]
    return argv + ["-o", out]


@pytest.mark.parametrize("examples", COUNTS)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_any_cli_arguments_end_in_a_result_or_one_line_error(examples, tmp_path):
    import torch
    threads = torch.get_num_threads()
    io.save(from_spec("2-2-1"), tmp_path / "net.json")
    (tmp_path / "bad.json").write_text('{"format": "neurocanvas", "version": 1, "neurons": 3}')
    io.save(io.load(Path(__file__).parents[1] / "resources" / "examples" / "and.json"),
            tmp_path / "and.json")
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + (tmp_path / "net.json").read_bytes())
    os.mkfifo(tmp_path / "fifo")  # read or written, it would wait forever
    for name, text in TABLES.items():
        (tmp_path / name).write_text(text)

    @fuzz(examples)
    @given(argv=cli_arguments(tmp_path))
    def check(argv: list[str]) -> None:
        err = text_io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(text_io.StringIO()):
            try:
                code = cli(argv)
            except SystemExit as e:  # argparse: a usage line and exit 2
                code = e.code
        torch.set_num_threads(threads)
        assert code in (0, 1, 2, 3) and "Traceback" not in err.getvalue()
        if code == 1:  # after at most a note such as "no CUDA GPU found"
            assert err.getvalue().splitlines()[-1].startswith("neurocanvas-cli: error: ")
    check()
