import gzip
import os

import numpy as np
import pytest

from engine.datasets import DatasetError
from engine.datasets import download as dl
from engine.datasets.mnist import load_full, read_idx, write_idx
from engine.datasets.registry import NAMES, load

from tests.paths import MNIST as SHARED, full_mnist


@pytest.mark.parametrize("name, ones", [("and", [3]), ("or", [1, 2, 3]), ("nand", [0, 1, 2]),
                                        ("xor", [1, 2]), ("cheese", [3, 5, 6, 7])])
def test_gates_are_their_truth_tables(name, ones):
    d = load(name)
    assert np.flatnonzero(d.labels_train).tolist() == ones
    x, y = d.train(1)
    assert x.shape == (len(y), 3 if name == "cheese" else 2) and y.shape == (len(y), 1)
    assert d.train(2)[1].sum(1).tolist() == [1.0] * len(y)


@pytest.mark.parametrize("name", ["circles", "moons", "spiral", "blobs"])
def test_toy_sets_are_seeded_and_split(name):
    a, b, c = load(name, seed=1), load(name, seed=1), load(name, seed=2)
    assert np.array_equal(a.x_train, b.x_train) and not np.array_equal(a.x_train, c.x_train)
    assert len(a.x_train) == 400 and len(a.x_test) == 100
    assert set(np.unique(a.labels_train)) == {0, 1}
    assert np.abs(a.x_train).max() < 2


def test_noise_moves_the_points_and_blobs_take_more_classes():
    assert not np.array_equal(load("circles", noise=0.0).x_train, load("circles", noise=0.3).x_train)
    d = load("blobs", classes=4)
    assert d.n_classes == 4 and d.train(4)[1].shape == (400, 4)
    with pytest.raises(DatasetError, match="4 classes.*4 outputs"):
        d.train(3)


def test_bundled_subset_is_balanced_and_scaled():
    d = load("mnist-subset")
    assert d.x_train.shape == (5000, 784) and d.x_test.shape == (1000, 784)
    assert np.bincount(d.labels_train).tolist() == [500] * 10
    assert d.x_train.dtype == np.float32 and d.x_train.min() == 0 and d.x_train.max() == 1
    assert d.image_shape == (28, 28)


def test_idx_round_trip_and_bad_files(tmp_path):
    arr = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "a.gz", arr)
    assert np.array_equal(read_idx(tmp_path / "a.gz"), arr)
    (tmp_path / "b").write_bytes(b"PK\3\4 not idx")
    with pytest.raises(DatasetError, match="not an IDX"):
        read_idx(tmp_path / "b")
    with gzip.open(tmp_path / "a.gz", "rb") as f:
        (tmp_path / "c").write_bytes(f.read()[:-3])
    with pytest.raises(DatasetError, match="header promises"):
        read_idx(tmp_path / "c")


def test_missing_mnist_folder_says_where_to_look(tmp_path, monkeypatch):
    monkeypatch.delenv("NEUROCANVAS_MNIST", raising=False)
    with pytest.raises(DatasetError, match="NEUROCANVAS_MNIST"):
        load_full()
    with pytest.raises(DatasetError, match="MNIST/raw"):
        load_full(tmp_path)


def test_unknown_dataset_lists_the_names():
    with pytest.raises(DatasetError, match="mnist-subset"):
        load("cifar")
    assert "xor" in NAMES and "mnist" in NAMES


@full_mnist
def test_full_mnist_from_env_and_torchvision_layout(tmp_path, monkeypatch):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for f in SHARED.glob("*.gz"):
        os.symlink(f, raw / f.name)
    monkeypatch.setenv("NEUROCANVAS_MNIST", str(tmp_path))
    d = load("mnist")
    assert d.x_train.shape == (60000, 784) and d.x_test.shape == (10000, 784)
    assert np.bincount(d.labels_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert abs(d.x_train.mean() * 255 - 33.3184) < 1e-3


@full_mnist
def test_download_checks_every_file(tmp_path):
    seen = []
    dl.download(tmp_path / "got", SHARED.as_uri() + "/", lambda name, done, total: seen.append(name))
    assert sorted(p.name for p in (tmp_path / "got").iterdir()) == sorted(dl.SHA256)
    assert set(seen) == set(dl.SHA256)


def test_download_refuses_a_file_with_the_wrong_checksum(tmp_path):
    src = tmp_path / "mirror"
    src.mkdir()
    for name in dl.SHA256:
        (src / name).write_bytes(b"not mnist")
    with pytest.raises(DatasetError, match="does not match its published SHA-256"):
        dl.download(tmp_path / "got", src.as_uri() + "/")
    assert list((tmp_path / "got").iterdir()) == []


def test_download_reports_an_unreachable_mirror(tmp_path):
    with pytest.raises(DatasetError, match="could not download"):
        dl.download(tmp_path, (tmp_path / "nowhere").as_uri() + "/")


def fake_mnist(folder, train=6, test=4, side=28):
    """Four small MNIST files: random digits with labels 0-9."""
    rng = np.random.default_rng(0)
    for key, n in (("train", train), ("test", test)):
        prefix = "train" if key == "train" else "t10k"
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz",
                  rng.integers(0, 256, (n, side, side), dtype=np.uint8))
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", np.arange(n, dtype=np.uint8) % 10)
    return folder


def test_a_folder_check_reads_only_headers_and_names_the_file_that_is_wrong(tmp_path):
    from engine.datasets.mnist import check_folder
    assert check_folder(fake_mnist(tmp_path)) == "6 training and 4 test digits"
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError, match=r"t10k-labels-idx1-ubyte \(.gz or not\) missing$|"
                                           r"t10k-labels-idx1-ubyte \(.gz or not\) missing;"):
        check_folder(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros(3, np.uint8))  # 3 labels, 4 images
    with pytest.raises(DatasetError, match=r"t10k-labels-idx1-ubyte.gz: holds \(3,\) labels for 4 images"):
        check_folder(tmp_path)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", np.zeros((6, 20, 20), np.uint8))
    with pytest.raises(DatasetError, match=r"train-images-idx3-ubyte.gz: holds images of \(20, 20\)"):
        check_folder(tmp_path)


def test_reading_full_mnist_tells_how_far_it_is(tmp_path, monkeypatch):
    from engine.datasets import mnist
    monkeypatch.setattr(mnist, "CHUNK", 1000)  # many reads of a small file
    shares = []
    data = mnist.load_full(fake_mnist(tmp_path, train=30, test=10), shares.append)
    assert len(data.x_train) == 30 and len(shares) > 10
    assert shares == sorted(shares) and shares[-1] == 1.0 and shares[0] < 0.1


def test_a_slow_read_of_full_mnist_is_reported_to_the_window(tmp_path, monkeypatch):
    from engine import io, worker
    from engine.build import from_spec
    from engine.datasets import mnist
    monkeypatch.setattr(mnist, "CHUNK", 500)
    monkeypatch.setattr(worker, "READING_QUIET_S", 0.0)  # as if it had taken a while already
    sent = []

    class Pipe:
        send = sent.append

    job = {"network": io.to_dict(from_spec("784-4-10", "relu", "softmax")), "run": 7,
           "config": {"loss": "ce", "epochs": 1, "device": "cpu"},
           "dataset": {"name": "mnist", "data_dir": str(fake_mnist(tmp_path, train=40))}}
    worker.Session(Pipe(), job)
    loading = [m for m in sent if m[0] == "loading"]
    assert loading and all(m[2] == 7 and 0 < m[1] <= 1 for m in loading)  # the run's number


def test_a_toy_set_splits_by_its_test_share():
    from engine.datasets.registry import load
    data = load("circles", samples=300, noise=0.2, seed=4, test_share=0.5)
    assert len(data.x_train) == len(data.x_test) == 150
    assert not np.array_equal(data.x_train, load("circles", samples=300, noise=0.2, seed=5,
                                                 test_share=0.5).x_train)


def test_a_plane_through_two_of_three_inputs_keeps_the_third_fixed():
    from engine.build import from_spec
    from engine.datasets.registry import extent
    from engine.init import initialise
    from engine.trace import forward, grid
    net = from_spec("3-4-1", "tanh", "sigmoid")
    initialise(net, "xavier", seed=1)
    sliced = grid(net, (-1.0, 1.0), (0.0, 2.0), 5, axes=(2, 0), fixed=np.array([0.0, 0.7, 0.0]))
    xs, ys = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(0, 2, 5))
    inputs = np.column_stack([ys.ravel(), np.full(25, 0.7), xs.ravel()])
    assert np.allclose(sliced.a, forward(net, inputs).a)
    table = {"name": "t.csv", "columns": ["a", "b", "c", "y"], "first_line": 2,
             "rows": [["0", "10", "-5", "0"], ["1", "20", "5", "1"]], "inputs": ["a", "b", "c"],
             "target": "y", "normalise": "none", "test": 0.0}
    (x0, x1), (y0, y1) = extent("csv", table, axes=(2, 1))
    assert np.allclose([x0, x1, y0, y1], [-6, 6, 9, 21])  # each with a tenth of its span
