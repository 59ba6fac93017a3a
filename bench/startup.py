"""Start-up: from launching Python to the NeuroCanvas window on screen and painted, against a bare
Qt + pyqtgraph window (a QMainWindow holding one PlotWidget) started the same way, alternating,
median of --runs each. Issue 9's goal: at most 1.1 × the bare window. Runs on the platform Qt
is given: offscreen, or a real X server (`xvfb-run -a python bench/startup.py` with
QT_QPA_PLATFORM=xcb).

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

ROOT = Path(__file__).resolve().parents[1]
# each child says "shown" once its window has been painted, then quits
PAINTED = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
def painted(window):
    window.repaint()  # a paint, not just a show
    print("shown", flush=True)
    QTimer.singleShot(0, QApplication.instance().quit)
"""
BARE = PAINTED + """
import pyqtgraph as pg
from PySide6.QtWidgets import QMainWindow
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(pg.PlotWidget())
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, lambda: painted(window))
app.exec()
"""
APP = PAINTED + """
import os
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as main.py sets it
from gui.app import make_window
window = make_window([])
QTimer.singleShot(0, lambda: painted(window))
QApplication.instance().exec()
window.client.shutdown()
"""


def seconds_to_window(code: str) -> float:
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    for line in child.stdout:
        if line.startswith("shown"):
            took = time.perf_counter() - start
            break
    else:
        raise SystemExit(f"the child never showed its window (exit code {child.wait()})")
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
    seconds_to_window(BARE)  # both read from a warm disk cache, as a second start does
    seconds_to_window(APP)
    bare, app = [], []
    for _ in range(args.runs):
        bare.append(seconds_to_window(BARE))
        app.append(seconds_to_window(APP))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"platform {os.environ.get('QT_QPA_PLATFORM', 'default')}, median of {args.runs}: "
          f"bare Qt + pyqtgraph window {b:.2f} s, NeuroCanvas {a:.2f} s: {a / b:.2f} ×  "
          "(goal <= 1.1)")


if __name__ == "__main__":
    main()
