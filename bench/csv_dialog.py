"""Import CSV Data on a table of 100,000 rows and 50 columns (45 MB, made here): how long until
the column chooser shows, the longest the window's event loop waited meanwhile (a 10 ms
timer's lateness: the file is read a slice at a time between the window's events), and the
time each change of a choice takes (an input ticked or unticked, the test share, the
normalisation, the target), as p50 and worst of --changes changes. The goal is at most 100 ms
a change.

    QT_QPA_PLATFORM=offscreen python bench/csv_dialog.py [--rows 100000] [--columns 50]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from table import print_rows  # bench/table.py: run as a script, bench/ is on the path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def table_file(rows: int, columns: int) -> Path:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, columns)).round(5)
    x[:, -1] = rng.integers(0, 3, rows)  # the target: three classes
    path = Path(tempfile.mkdtemp()) / f"table-{rows}x{columns}.csv"
    with open(path, "w") as f:
        f.write(",".join(f"c{k}" for k in range(columns)) + "\n")
        np.savetxt(f, x, delimiter=",", fmt="%.6g")
    return path


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--columns", type=int, default=50)
    p.add_argument("--changes", type=int, default=40)
    args = p.parse_args()
    path = table_file(args.rows, args.columns)
    from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from gui.main_window import MainWindow  # noqa: PLC0415

    app = QApplication([])
    w = MainWindow(QSettings("/tmp/neurocanvas-bench.ini", QSettings.Format.IniFormat),
                   start_trainer=False)
    w.resize(1280, 800)
    w.show()
    settled = time.perf_counter() + 4  # the window's deferred start-up (plots import pyqtgraph)
    while time.perf_counter() < settled:
        app.processEvents()
        time.sleep(0.01)
    lateness, clock = [], QElapsedTimer()
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: lateness.append(max(clock.restart() - 10, 0)))
    clock.start()
    timer.start()
    start = time.perf_counter()
    reading = w.import_csv(path)
    while not reading.done:
        app.processEvents()
        time.sleep(0.002)
    shown = time.perf_counter() - start
    timer.stop()
    dialog = reading.dialog
    changes = [
        lambda k: dialog.inputs.item(k % 10).setCheckState(
            Qt.CheckState.Unchecked if dialog.inputs.item(k % 10).checkState() ==
            Qt.CheckState.Checked else Qt.CheckState.Checked),
        lambda k: dialog.test.setValue(0.1 + 0.05 * (k % 8)),
        lambda k: dialog.normalise.setCurrentIndex(k % 3),
        lambda k: dialog.target.setCurrentIndex(args.columns - 1 - k % 2),
    ]
    took = []
    for k in range(args.changes):
        begin = time.perf_counter()
        changes[k % len(changes)](k)
        app.processEvents()
        took.append(1000 * (time.perf_counter() - begin))
    took.sort()
    print(f"{args.rows:,} × {args.columns}: chooser shown after {shown:.1f} s, the event loop "
          f"waited at most {max(lateness, default=0)} ms meanwhile; a change p50 "
          f"{statistics.median(took):.1f} ms, worst {took[-1]:.1f} ms ({len(took)} changes)")
    print_rows([(f"{args.rows:,} × {args.columns}", f"{shown:.1f} s",
                 f"{max(lateness, default=0)} ms", f"{statistics.median(took):.1f} ms",
                 f"{took[-1]:.1f} ms", "≤ 100 ms")])
    dialog.reject()
    w.close()


if __name__ == "__main__":
    main()
