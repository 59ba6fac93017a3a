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
