"""Start-up: from launching Python to the NeuroCanvas window on screen and painted, against a bare
Qt + pyqtgraph window (a QMainWindow holding one PlotWidget) started the same way, alternating,
median of --runs each. Issue 9's goal: at most 1.1 × the bare window. The window makes its plots
(and imports pyqtgraph) just after its first paint: the time until they are painted as well is
printed beside it. Runs on the platform Qt is given: offscreen, or a real X server
(`xvfb-run -a python bench/startup.py` with QT_QPA_PLATFORM=xcb).

    QT_QPA_PLATFORM=offscreen python bench/startup.py [--runs 7]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from table import print_rows  # bench/table.py: run as a script, bench/ is on the path

ROOT = Path(__file__).resolve().parents[1]
# each child says "shown" once its window has been painted, then goes on
PAINTED = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
def painted(window, then):
    window.repaint()  # a paint, not just a show
    print("shown", flush=True)
    QTimer.singleShot(0, then)
"""
BARE = PAINTED + """
import pyqtgraph as pg
from PySide6.QtWidgets import QMainWindow
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(pg.PlotWidget())
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, lambda: painted(window, app.quit))
app.exec()
"""
APP = PAINTED + """
import os
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as main.py sets it
from PySide6.QtWidgets import QGraphicsView
from gui.app import make_window
window = make_window([])
def plotted():  # the Plots dock's two plots made, then painted
    if len(window.plots.findChildren(QGraphicsView)) < 2:
        QTimer.singleShot(5, plotted)
        return
    window.repaint()
    print("plots", flush=True)
    QApplication.instance().quit()
QTimer.singleShot(0, lambda: painted(window, plotted))
QApplication.instance().exec()
window.client.shutdown()
"""

def seconds_to(code: str, *marks: str) -> list[float]:
    """Seconds from launching the child to each of its marks, in order."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    took = []
    for line in child.stdout:
        if line.strip() == marks[len(took)]:
            took.append(time.perf_counter() - start)
            if len(took) == len(marks):
                break
    else:
        raise SystemExit(f"the child never printed {marks[len(took)]!r} (exit code {child.wait()})")
    child.wait()
    return took


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args()
    # compiled as pip compiles an installed package (this machine sets PYTHONDONTWRITEBYTECODE,
    # so every start would compile the app's 70 modules again: 0.1 s the bare window never pays)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "engine", "gui", "main.py"], cwd=ROOT,
                   check=True)
    seconds_to(BARE, "shown")  # both read from a warm disk cache, as a second start does
    seconds_to(APP, "shown", "plots")
    bare, app, plots = [], [], []
    for _ in range(args.runs):
        bare += seconds_to(BARE, "shown")
        shown, plotted = seconds_to(APP, "shown", "plots")
        app.append(shown)
        plots.append(plotted)
    b, a, p = statistics.median(bare), statistics.median(app), statistics.median(plots)
    print(f"platform {os.environ.get('QT_QPA_PLATFORM', 'default')}, median of {args.runs}: "
          f"bare Qt + pyqtgraph window {b:.2f} s, NeuroCanvas {a:.2f} s: {a / b:.2f} ×  "
          f"(goal <= 1.1); its plots painted too after {p:.2f} s: {p / b:.2f} ×")
    print_rows([(f"NeuroCanvas's window painted (bare window {b:.2f} s)", f"{a:.2f} s: {a / b:.2f} ×",
                 "≤ 1.1 ×"), ("its plots painted too", f"{p:.2f} s: {p / b:.2f} ×", "")])


if __name__ == "__main__":
    main()
