"""t-SNE through scikit-learn, where it is installed: clusters of activations stay apart on the
map, the same seed gives the same map, and without the library a clear message says what to
install."""
import sys

import numpy as np
import pytest

from engine.errors import EngineError
from engine.projection import TSNE_MISSING, tsne


def test_clusters_stay_apart_and_the_seed_fixes_the_map():
    pytest.importorskip("sklearn")
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 10, (3, 16))
    labels = np.repeat(np.arange(3), 60)
    a = centres[labels] + rng.normal(0, 0.5, (180, 16))
    placed = tsne(a, seed=1)
    assert placed.shape == (180, 2)
    nearest = ((placed[:, None] - placed[None]) ** 2).sum(-1)
    np.fill_diagonal(nearest, np.inf)
    assert (labels[nearest.argmin(1)] == labels).all()  # each point's neighbour: its own cluster
    assert np.array_equal(placed, tsne(a, seed=1))


def test_without_scikit_learn_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn now fails
    monkeypatch.setitem(sys.modules, "sklearn.manifold", None)
    with pytest.raises(EngineError) as caught:
        tsne(np.zeros((10, 3)))
    assert str(caught.value) == TSNE_MISSING and "neurocanvas[maps]" in TSNE_MISSING


def test_too_few_samples_are_refused():
    pytest.importorskip("sklearn")
    with pytest.raises(EngineError, match="5 samples or more"):
        tsne(np.zeros((3, 3)))
