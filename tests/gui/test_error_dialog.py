"""An exception that nothing caught ends in a dialog, not only in a traceback on stderr."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from gui.app import make_window

    w = make_window([])
    w.client.shutdown()
    def fail():
        raise RuntimeError("a bug in a slot")
    def look():
        box = w.findChild(QMessageBox, "error")
        print("DIALOG", box.isVisible(), box.text().splitlines()[2], w.isVisible())
        w.doc.undo.setClean()
        QApplication.quit()
    QTimer.singleShot(0, fail)
    QTimer.singleShot(300, look)
    QApplication.instance().exec()
""")


def test_an_uncaught_exception_in_the_window_shows_a_dialog(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT,
                         env=env, timeout=120)
    assert "DIALOG True RuntimeError: a bug in a slot True" in out.stdout, out.stderr
    assert "Traceback" in out.stderr  # the details still go to the console
