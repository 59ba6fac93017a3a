"""A hidden layer's map of the data: each sample's activations in that layer, projected to 2-D by
principal component analysis (numpy's SVD), so samples the layer sees alike lie close; or by
t-SNE, through scikit-learn where it is installed (an optional extra)."""
from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from multiprocessing.connection import Connection
from dataclasses import dataclass

import numpy as np

from engine.errors import EngineError
from engine.network import Network
from engine.plan import Plan, make_plan
from engine.trace import forward


@dataclass(frozen=True)
class Projection:
    coords: np.ndarray      # (n, k): each sample on the components
    components: np.ndarray  # (k, d): unit directions in the layer's space, most variance first
    mean: np.ndarray        # (d,): the samples' mean, the map's origin
    explained: np.ndarray   # (k,): the share of the variance each component holds

    def place(self, a: np.ndarray) -> np.ndarray:
        """Other activations (the plane's grid) on the same map."""
        return (np.asarray(a, float) - self.mean) @ self.components.T


def pca(a: np.ndarray, k: int = 2) -> Projection:
    """The first k principal components of the rows of a. Each component's sign is fixed (its
    largest entry positive), so a map redrawn after a small change does not flip."""
    a = np.asarray(a, float)
    mean = a.mean(0)
    centred = a - mean
    if len(a) > a.shape[1]:  # the d × d covariance's eigenvectors: 10,000 digits of 1,000
        values, vectors = np.linalg.eigh(centred.T @ centred)  # activations in 1 s, not 9
        order = np.argsort(values)[::-1]
        variance, found = np.clip(values[order], 0.0, None), vectors[:, order[:k]].T
    else:
        _, s, vt = np.linalg.svd(centred, full_matrices=False)
        variance, found = s ** 2, vt[:k]
    components = np.zeros((k, a.shape[1]))
    signs = np.sign(found[np.arange(len(found)), np.abs(found).argmax(1)])
    components[:len(found)] = found * np.where(signs == 0, 1, signs)[:, None]
    explained = np.zeros(k)
    explained[:len(found)] = variance[:k] / variance.sum() if variance.sum() > 0 else 0.0
    return Projection(centred @ components.T, components, mean, explained)


TSNE_MISSING = ("t-SNE needs scikit-learn, an optional extra: pip install 'neurocanvas[maps]' "
                "(or pip install scikit-learn). PCA needs nothing more.")


def tsne_available() -> bool:
    """Whether scikit-learn is installed, without importing it (0.8 s)."""
    return importlib.util.find_spec("sklearn") is not None


def tsne(a: np.ndarray, seed: int = 0) -> np.ndarray:
    """The rows of a placed on a plane by t-SNE (scikit-learn's Barnes-Hut, the same map for the
    same seed): near points are samples the layer sees alike; distances between clusters, and
    their sizes, mean little. Seconds for a thousand samples: run it beside a window."""
    try:
        from sklearn.manifold import TSNE  # noqa: PLC0415 (optional, and slow to import)
    except ImportError:
        raise EngineError(TSNE_MISSING) from None
    a = np.asarray(a, float)
    if len(a) < 5:
        raise EngineError(f"t-SNE needs 5 samples or more; there are {len(a)}")
    found = TSNE(2, perplexity=min(30.0, (len(a) - 1) / 3), random_state=seed).fit_transform(a)
    return np.asarray(found, float)


def tsne_beside(conn: Connection, a: np.ndarray, seed: int = 0) -> None:
    """tsne in a process of its own (a window's): the map, or why there is none, sent on conn.
    Here, not beside the window's code, so the process imports numpy and scikit-learn, no Qt."""
    try:
        conn.send((tsne(a, seed), ""))
    except EngineError as e:
        conn.send((None, str(e)))
    conn.close()


def hidden_levels(net: Network, plan: Plan | None = None) -> list[np.ndarray]:
    """The hidden neurons of each level of the network, in order (levels with none left out)."""
    plan = plan or make_plan(net)
    return [plan.levels[k].neurons[columns] for k, columns in hidden_columns(net, plan)]


MAX_MAPPED = 4096  # a level's neurons a map is made of: a convnet's first maps have 21,632,
                  # 865 MB over 10,000 digits


def hidden_columns(net: Network, plan: Plan) -> list[tuple[int, np.ndarray]]:
    """Each level that has hidden neurons (up to MAX_MAPPED), and where they are among its
    neurons: what a compiled model's level_activations are read by."""
    found = [(k, np.flatnonzero(net.role[lv.neurons] == 1)) for k, lv in enumerate(plan.levels)]
    return [(k, columns) for k, columns in found if 0 < len(columns) <= MAX_MAPPED]


def activations_of(net: Network, x: np.ndarray, neurons: np.ndarray, plan: Plan | None = None,
                   chunk: int = 256) -> Iterator[np.ndarray]:
    """a of these neurons for each sample, a chunk of samples at a time (a window does its other
    work between chunks)."""
    plan = plan or make_plan(net)
    for start in range(0, len(x), chunk):
        yield forward(net, x[start:start + chunk], plan).a[:, neurons]


def plane_grid(x_range: tuple[float, float], y_range: tuple[float, float], lines: int = 11,
               points: int = 40) -> list[np.ndarray]:
    """The input plane's grid as polylines of (x₁, x₂): lines of constant x₂, then of constant
    x₁, each of points points (mapped through a layer, they show how it bends the plane)."""
    xs, ys = np.linspace(*x_range, points), np.linspace(*y_range, points)
    across = [np.column_stack([xs, np.full(points, y)]) for y in np.linspace(*y_range, lines)]
    up = [np.column_stack([np.full(points, x), ys]) for x in np.linspace(*x_range, lines)]
    return across + up
