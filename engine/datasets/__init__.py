"""Datasets: logic gates, the cheese festival, 2-D toy sets and MNIST (numpy only, no torch)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.errors import EngineError


class DatasetError(EngineError):
    """A dataset that cannot be found, read or fitted to the network; the message says why."""


@dataclass(frozen=True)
class Dataset:
    name: str
    x_train: np.ndarray        # float32 (samples, inputs), MNIST scaled to [0, 1]
    labels_train: np.ndarray   # int64 class of each sample
    x_test: np.ndarray
    labels_test: np.ndarray
    n_classes: int
    image_shape: tuple[int, int] | None = None
    # a regression set's numbers to fit, (samples, outputs); its labels are then all 0
    y_train: np.ndarray | None = None
    y_test: np.ndarray | None = None

    @property
    def regression(self) -> bool:
        return self.y_train is not None

    @property
    def n_inputs(self) -> int:
        return self.x_train.shape[1]

    def targets(self, labels: np.ndarray, n_outputs: int) -> np.ndarray:
        """One output for two classes (0 or 1), else one-hot over n_classes outputs."""
        if n_outputs == 1 and self.n_classes == 2:
            return labels.astype(np.float32).reshape(-1, 1)
        if n_outputs == self.n_classes:
            return np.eye(n_outputs, dtype=np.float32)[labels]
        want = "1 or 2 outputs" if self.n_classes == 2 else f"{self.n_classes} outputs (one-hot)"
        raise DatasetError(f"{self.name} has {self.n_classes} classes, so the network needs {want}, "
                           f"not {n_outputs}")

    def train(self, n_outputs: int) -> tuple[np.ndarray, np.ndarray]:
        return self.x_train, self._fitting(self.y_train, n_outputs, self.labels_train)

    def test(self, n_outputs: int) -> tuple[np.ndarray, np.ndarray]:
        return self.x_test, self._fitting(self.y_test, n_outputs, self.labels_test)

    def _fitting(self, y: np.ndarray | None, n_outputs: int, labels: np.ndarray) -> np.ndarray:
        if y is None:
            return self.targets(labels, n_outputs)
        if y.shape[1] != n_outputs:
            raise DatasetError(f"{self.name} is a regression set with {y.shape[1]} target"
                               f"{'s' * (y.shape[1] != 1)} per sample, so the network needs "
                               f"{y.shape[1]} output{'s' * (y.shape[1] != 1)}, not {n_outputs}")
        return y
