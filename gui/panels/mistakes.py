"""The MNIST dock's Mistakes page: every test digit the network answers wrong, a page at a time,
and the pairs of digits it confuses most; a pair filters the pages to its digits, and a click
puts a digit on the inputs."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from engine.trace import confusion, mistakes, most_confused
from gui.panels.digits import DigitGrid

PAGE = 40   # digits a page
PAIRS = 5   # confusions listed


class MistakesPage(QWidget):
    picked = Signal(int)  # a test digit's index

    def __init__(self) -> None:
        super().__init__()
        self.x: np.ndarray | None = None
        self.truth = self.said = np.zeros(0, np.int64)
        self.labels: list[str] = []
        self.shown_ids = np.zeros(0, np.int64)  # the test indices of the filter, every page
        self.page = 0
        self.summary = QLabel("–")
        self.summary.setWordWrap(True)
        self.pairs = QListWidget()
        self.pairs.setToolTip("The pairs of digits the network mixes up most: a true digit and "
                              "the answer it gets, with how many test digits. Click one to see "
                              "only those.")
        self.pairs.setMaximumHeight(6 * 18 + 6)
        self.grid = DigitGrid()
        self.grid.setToolTip("The test digits answered wrong, each captioned true → answer. "
                             "Click one to put it on the canvas's inputs.")
        self.grid.picked.connect(lambda k: self.picked.emit(int(self.shown_ids[self.page * PAGE + k])))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid)
        self.back, self.on = QPushButton("◀ Previous"), QPushButton("Next ▶")
        self.where = QLabel()
        self.where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.back.clicked.connect(lambda: self.turn(-1))
        self.on.clicked.connect(lambda: self.turn(1))
        paging = QHBoxLayout()
        paging.addWidget(self.back)
        paging.addWidget(self.where, 1)
        paging.addWidget(self.on)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.pairs)
        layout.addLayout(paging)
        layout.addWidget(scroll, 1)
        self.pairs.currentRowChanged.connect(lambda _row: self._filter())
        self.clear()

    def clear(self) -> None:
        """Nothing answered yet (another network, or one that reads no digits)."""
        self.truth = self.said = np.zeros(0, np.int64)
        self.pairs.blockSignals(True)
        self.pairs.clear()
        self.pairs.blockSignals(False)
        self.summary.setText("The mistakes appear once the test digits are answered.")
        self._filter()

    def show_answers(self, x: np.ndarray, truth: np.ndarray, said: np.ndarray,
                     labels: list[str], where: str) -> None:
        """The network's answer to each test digit: the mistakes and the confusions among them.
        The chosen pair stays chosen where it is still confused."""
        self.x, self.truth, self.said, self.labels = x, np.asarray(truth), np.asarray(said), labels
        chosen = self.pairs.currentItem().data(Qt.ItemDataRole.UserRole) if \
            self.pairs.currentItem() is not None else None
        wrong = len(mistakes(self.truth, self.said))
        self.summary.setText(f"{wrong:,} of {len(self.truth):,} test digits answered wrong "
                             f"({where}).")
        self.pairs.blockSignals(True)
        self.pairs.clear()
        self.pairs.addItem(self._item(f"All {wrong:,} mistakes", None))
        for true, answer, count in most_confused(confusion(self.truth, self.said, len(labels)),
                                                 PAIRS):
            self.pairs.addItem(self._item(f"{labels[true]} read as {labels[answer]}: {count:,}",
                                          (true, answer)))
        rows = [self.pairs.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.pairs.count())]
        self.pairs.setCurrentRow(rows.index(chosen) if chosen in rows else 0)
        self.pairs.blockSignals(False)
        self._filter(keep_page=True)

    @staticmethod
    def _item(text: str, pair: tuple[int, int] | None) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, pair)
        return item

    def _filter(self, keep_page: bool = False) -> None:
        item = self.pairs.currentItem()
        pair = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.shown_ids = mistakes(self.truth, self.said, pair)
        self.page = min(self.page, self.pages() - 1) if keep_page else 0
        self._show_page()

    def pages(self) -> int:
        return max(1, -(-len(self.shown_ids) // PAGE))

    def turn(self, by: int) -> None:
        self.page = min(max(self.page + by, 0), self.pages() - 1)
        self._show_page()

    def _show_page(self) -> None:
        ids = self.shown_ids[self.page * PAGE:(self.page + 1) * PAGE]
        self.grid.set_digits(self.x[ids] if self.x is not None else np.zeros((0, 784)))
        self.grid.set_answers([f"{self.labels[t]} → {self.labels[s]}" for t, s in
                               zip(self.truth[ids], self.said[ids])], [True] * len(ids))
        self.where.setText(f"page {self.page + 1} of {self.pages()}")
        self.back.setEnabled(self.page > 0)
        self.on.setEnabled(self.page < self.pages() - 1)
