"""Painting on a plane that holds 10,000 painted points: how long each of a stroke's mouse moves
holds the window (the sprayed points drawn), and how long the stroke's release does (the table
grows by one undo step, the data set is read again, the map and the points are redrawn), each
until the Boundary dock has repainted. The goal is under 16 ms, a frame at 60 Hz.

    QT_QPA_PLATFORM=offscreen python bench/paint.py [--points 10000] [--strokes 20]
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as main.py sets it for the window
import statistics
import sys
import time
from pathlib import Path

from table import print_rows  # bench/table.py: run as a script, bench/ is on the path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _at(panel, x: float, y: float):
    from PySide6.QtCore import QPointF  # noqa: PLC0415
    return panel.plot.mapFromScene(panel.plot.getPlotItem().vb.mapViewToScene(QPointF(x, y)))


def strokes(app, panel, count: int) -> tuple[list[float], list[float]]:
    """Seconds each mouse move and each release held the window, until the plot repainted."""
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtTest import QTest  # noqa: PLC0415
    view = panel.plot.viewport()
    moves, releases = [], []

    def held(act) -> float:
        start = time.perf_counter()
        act()
        app.processEvents()  # the events the act posted, the repaint among them
        return time.perf_counter() - start
    for k in range(count):
        y = -1.2 + 2.4 * k / count
        QTest.mousePress(view, Qt.MouseButton.LeftButton, pos=_at(panel, -1.2, y))
        for step in range(1, 6):
            moves.append(held(lambda s=step: QTest.mouseMove(view, _at(panel, -1.2 + 0.4 * s, y))))
        releases.append(held(lambda: QTest.mouseRelease(view, Qt.MouseButton.LeftButton,
                                                        pos=_at(panel, 0.8, y))))
    return moves, releases


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--points", type=int, default=10_000)
    p.add_argument("--strokes", type=int, default=20)
    args = p.parse_args()
    import numpy as np  # noqa: PLC0415
    from PySide6.QtCore import QSettings  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from engine.datasets.paint import with_points  # noqa: PLC0415
    from gui.main_window import MainWindow  # noqa: PLC0415

    app = QApplication([])
    w = MainWindow(QSettings("/tmp/neurocanvas-bench.ini", QSettings.Format.IniFormat),
                   start_trainer=False)
    w.resize(1280, 800)
    w.show()
    w.open_example("xor-2-2-1")
    w.docks["Decision boundary"].raise_()
    panel = w.boundary
    while panel.plot is None or not panel.plot.isVisible():
        app.processEvents()
    xy = np.random.default_rng(0).uniform(-1.5, 1.5, (args.points, 2))
    table = with_points(None, xy[: args.points // 2], 0)
    w.editor.set_settings({"csv": with_points(table, xy[args.points // 2:], 1), "dataset": "csv"})
    app.processEvents()
    panel.paint.button.click()
    panel.paint.klass.setCurrentIndex(1)
    moves, releases = strokes(app, panel, args.strokes)
    rows = []
    for what, times in (("a stroke's mouse move", moves), ("a stroke's release", releases)):
        ms = sorted(1000 * s for s in times)
        p90 = ms[int(0.9 * (len(ms) - 1))]
        print(f"{what}: p50 {statistics.median(ms):.1f} ms, p90 {p90:.1f} ms, worst "
              f"{ms[-1]:.1f} ms ({len(ms)})")
        rows.append((f"{args.points:,} points", what, f"{statistics.median(ms):.1f} ms",
                     f"{p90:.1f} ms", f"{ms[-1]:.1f} ms", "< 16 ms"))
    print_rows(rows)
    w.doc.undo.setClean()
    w.close()


if __name__ == "__main__":
    main()
