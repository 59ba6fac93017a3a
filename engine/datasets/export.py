"""Any data set as CSV text: the toys, the gates, sin, painted or imported data, each sample a row
with its inputs, its target (class or value) and whether it trains or tests."""
from __future__ import annotations

import csv
import io

from engine.datasets import Dataset, DatasetError

MAX_CELLS = 10_000_000  # about 100 MB of text: past this a spreadsheet would not open it


def csv_text(data: Dataset) -> str:
    n = len(data.x_train) + len(data.x_test)
    if n * (data.n_inputs + 2) > MAX_CELLS:
        raise DatasetError(f"{data.name}: {n:,} samples of {data.n_inputs:,} inputs are more than "
                           f"{MAX_CELLS:,} cells; export a smaller data set")
    out = io.StringIO()
    writer = csv.writer(out)
    target = "y" if data.regression else "class"
    writer.writerow([f"x{k + 1}" for k in range(data.n_inputs)] + [target, "split"])
    for x, labels, y, split in ((data.x_train, data.labels_train, data.y_train, "train"),
                                (data.x_test, data.labels_test, data.y_test, "test")):
        for k, row in enumerate(x):
            value = repr(float(y[k, 0])) if data.regression else str(int(labels[k]))
            writer.writerow([repr(float(v)) for v in row] + [value, split])
    return out.getvalue()
