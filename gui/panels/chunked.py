"""Work over many samples done a chunk per turn of the event loop, so the window stays live:
a generator's chunks gathered, then handed on as one array."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from PySide6.QtCore import QObject, QTimer


class Chunked(QObject):
    def __init__(self, parent: QObject, done: Callable[[np.ndarray], None]) -> None:
        super().__init__(parent)
        self.done = done
        self._chunks: Iterator[np.ndarray] | None = None
        self._found: list[np.ndarray] = []
        self._timer = QTimer(self, interval=0)
        self._timer.timeout.connect(self._step)

    def start(self, chunks: Iterator[np.ndarray]) -> None:
        """Drops any work under way for this."""
        self._chunks, self._found = chunks, []
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def isActive(self) -> bool:  # noqa: N802 (as QTimer's, which it stands for)
        return self._timer.isActive()

    def _step(self) -> None:
        try:
            self._found.append(next(self._chunks))
        except StopIteration:
            self._timer.stop()
            self.done(np.concatenate(self._found))
