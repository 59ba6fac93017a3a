"""How long the window is blocked by a hand edit of a weight or a bias while 784-1000-1000-10
trains full-batch on the bundled digits (each step takes the trainer seconds, so it reads no
command for that long): the time each edit holds the event loop, from the undo step pushed to
every view updated, as p50, p90 and worst of --edits edits; apart, the median of the edits in
whose turn of the event loop a training step's numbers landed too (with their count). The
goal is at most 50 ms. A second figure is the same edit with the trainer stopped (SIGSTOP,
POSIX): the window must not wait.

    QT_QPA_PLATFORM=offscreen python bench/hand_edit.py [--edits 40] [--spec 784-1000-1000-10]
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as main.py sets it for the window
import signal
import statistics
import sys
import time
from pathlib import Path

from table import print_rows  # bench/table.py: run as a script, bench/ is on the path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def edits(app, w, count: int) -> tuple[list[float], list[float]]:
    """Seconds each edit (a weight, then a bias, in turn) held the GUI thread: those alone, and
    those in whose turn a training step's numbers landed too (gui_latency measures those)."""
    from gui.commands import SetBias, SetWeight  # noqa: PLC0415
    net = w.doc.network
    hidden = int(net.layers[1].neurons[0])
    source = int(net.layers[0].neurons[400])
    landed = []
    w.client.snapshot.connect(landed.append)
    alone, with_step = [], []
    for k in range(count):
        before = len(landed)
        start = time.perf_counter()
        if k % 2:
            w.doc.push(SetBias(net, [hidden], -0.5 - 0.01 * k))
        else:
            w.doc.push(SetWeight(net, source, hidden, 0.5 + 0.01 * k))
        app.processEvents()  # the views' updates that the edit scheduled
        (alone if len(landed) == before else with_step).append(time.perf_counter() - start)
        time.sleep(0.05)
    w.client.snapshot.disconnect(landed.append)
    return alone, with_step


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--edits", type=int, default=20)
    p.add_argument("--spec", default="784-1000-1000-10")
    args = p.parse_args()
    from PySide6.QtCore import QSettings  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from engine.build import from_spec  # noqa: PLC0415
    from engine.init import initialise  # noqa: PLC0415
    from gui.main_window import MainWindow  # noqa: PLC0415

    app = QApplication([])
    w = MainWindow(QSettings("/tmp/neurocanvas-bench.ini", QSettings.Format.IniFormat))
    w.resize(1280, 800)
    w.show()
    while w.client.devices is None:
        app.processEvents()
        time.sleep(0.01)
    net = from_spec(args.spec, "relu", "softmax")
    initialise(net, "he", 0)
    w.doc.replace(net)
    w.doc.settings.update({"dataset": "mnist-subset", "loss": "ce", "batch_size": 0,
                           "epochs": 1000, "lr": 0.01})
    snaps = []
    w.client.snapshot.connect(snaps.append)
    w.training.buttons["train"].click()
    while not snaps:  # the run is on: the trainer is inside its full-batch steps
        app.processEvents()
        time.sleep(0.01)
    rows = [("trainer busy in full-batch steps", *edits(app, w, args.edits))]
    if hasattr(signal, "SIGSTOP"):
        os.kill(w.client.process.pid, signal.SIGSTOP)
        try:
            rows.append(("trainer stopped (reads nothing)", *edits(app, w, args.edits)))
        finally:
            os.kill(w.client.process.pid, signal.SIGCONT)
    w.training.buttons["stop"].click()
    table = []
    for what, alone, with_step in rows:
        ms = sorted(1000 * s for s in alone)
        p90 = ms[int(0.9 * (len(ms) - 1))]
        step = f"{statistics.median(with_step) * 1000:.0f} ms ({len(with_step)})" if with_step else "–"
        print(f"{what}: p50 {statistics.median(ms):.1f} ms, p90 {p90:.1f} ms, worst "
              f"{ms[-1]:.1f} ms ({len(ms)} edits); with a step landing: {step}")
        table.append((args.spec, what, f"{statistics.median(ms):.1f} ms", f"{p90:.1f} ms",
                      f"{ms[-1]:.1f} ms", step, "≤ 50 ms"))
    print_rows(table)
    w.doc.undo.setClean()
    w.close()


if __name__ == "__main__":
    main()
